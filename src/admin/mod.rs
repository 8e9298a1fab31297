//! The school office: administrators only.
use crate::{error::AppError, ui::{Loading, result_view}};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// The figures at the top of the office's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCounts {
    pub students: u64,
    pub teachers: u64,
    pub courses: u64,
    pub pending_requests: u64,
    pub reviews_to_moderate: u64,
}

#[server(endpoint = "admin/counts")]
pub async fn get_school_counts() -> Result<SchoolCounts, AppError> {
    use crate::domain::Role;
    crate::server::auth::require_role(&[Role::Admin]).await?;
    Ok(crate::server::catalogue::school_counts(&crate::server::state()?.db).await?)
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let counts = Resource::new(|| (), |_| get_school_counts());
    view! {
        <Title text="Администрирование" />
        <h1>"Администрирование"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(counts.await, |c| {
                    let tiles = [
                        ("Студенты", c.students),
                        ("Преподаватели", c.teachers),
                        ("Курсы", c.courses),
                        ("Заявки ждут ответа", c.pending_requests),
                        ("Отзывы на модерации", c.reviews_to_moderate),
                    ];
                    view! {
                        <dl class="tiles">
                            {tiles
                                .into_iter()
                                .map(|(label, n)| view! {
                                    <div class="tile">
                                        <dt>{label}</dt>
                                        <dd>{n}</dd>
                                    </div>
                                })
                                .collect_view()}
                        </dl>
                    }
                })
            })}
        </Suspense>
    }
}
