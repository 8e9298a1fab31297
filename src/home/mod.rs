//! The front page: what is on soon and which courses are open.
use crate::{
    domain::{CourseCard, ShowCard},
    error::AppError,
    schedule::CourseCardView,
    seo::{PublicHead, StructuredData},
    shows::ShowCardView,
    ui::{ActionEpoch, Loading, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub shows: Vec<ShowCard>,
    pub courses: Vec<CourseCard>,
    /// The school's JSON-LD as the server wrote it, safe inside `<script>`.
    pub structured_data: String,
}

#[leptos::server(endpoint = "home")]
pub async fn load_home() -> Result<HomeData, AppError> {
    let state = crate::server::state()?;
    let now = chrono::Utc::now();
    let (shows, courses, site) = tokio::try_join!(
        crate::shows::service::upcoming_shows(&state.db, now, Some(3), |t| state.to_local(t)),
        crate::schedule::service::courses(&state.db, state.today(), Some(3)),
        crate::seo::structured::Site::of(&state),
    )?;
    let school = crate::seo::structured::school(&site, !shows.is_empty());
    Ok(HomeData { shows, courses, structured_data: crate::seo::structured::script_text(&school) })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let data = Resource::new(move || epoch.0.get(), |_| load_home());
    let school = crate::school::SchoolDetails::expect();
    view! {
        <PublicHead
            title=""
            description="Театральная школа: курсы актёрского мастерства для взрослых, спектакли и открытые показы. Запись онлайн."
            path="/"
        />
        <section class="hero">
            <Suspense fallback=|| view! { <h1>"Театральная школа"</h1> }>
                {move || Suspend::new(async move {
                    view! { <h1>{format!("Театральная школа «{}»", school.wait().await.name)}</h1> }
                })}
            </Suspense>
            <p class="hero__lead">
                "Актёрское мастерство, сценическая речь и движение для взрослых — персонально или в паре, с педагогами-практиками."
            </p>
            <p class="hero__actions">
                <A href="/courses" attr:class="button">
                    "Выбрать курс"
                </A>
                <A href="/afisha" attr:class="button button--ghost">
                    "Афиша"
                </A>
            </p>
        </section>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(
                    data.await,
                    |data| {
                        view! {
                            <StructuredData json=data.structured_data />
                            <section aria-labelledby="home-shows">
                                <h2 id="home-shows">"Скоро на сцене"</h2>
                                <div class="grid">
                                    {data
                                        .shows
                                        .into_iter()
                                        .map(|show| view! { <ShowCardView show /> })
                                        .collect_view()}
                                </div>
                                <p>
                                    <A href="/afisha">"Вся афиша →"</A>
                                </p>
                            </section>
                            <section aria-labelledby="home-courses">
                                <h2 id="home-courses">"Набор на курсы"</h2>
                                <div class="grid">
                                    {data
                                        .courses
                                        .into_iter()
                                        .map(|course| view! { <CourseCardView course /> })
                                        .collect_view()}
                                </div>
                                <p>
                                    <A href="/courses">"Все курсы и расписание →"</A>
                                </p>
                            </section>
                        }
                    },
                )
            })}
        </Suspense>
    }
}
