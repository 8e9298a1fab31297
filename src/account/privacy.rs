//! The privacy policy (152-ФЗ) registration asks people to accept; the
//! office writes it on the dashboard.
use crate::{
    error::AppError,
    ui::{Loading, result_view},
};
use leptos::prelude::*;
use crate::seo::PublicHead;

/// Public: anyone may read what they are asked to agree to.
#[server(endpoint = "privacy")]
pub async fn load_privacy_policy() -> Result<String, AppError> {
    Ok(crate::server::settings::privacy_policy(&crate::server::state()?.db).await?)
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let policy = Resource::new(|| (), |_| load_privacy_policy());
    view! {
        <PublicHead
            title="Персональные данные"
            description="Как театральная школа обрабатывает и хранит персональные данные учеников."
            path="/privacy"
        />
        <section class="narrow prose">
            <h1>"Обработка персональных данных"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(policy.await, |text| {
                        text.split("\n\n")
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| view! { <p>{p.to_string()}</p> })
                            .collect_view()
                    })
                })}
            </Suspense>
        </section>
    }
}
