//! Афиша: the school's upcoming shows.
/// The afisha's reads; server only.
#[cfg(feature = "ssr")]
pub mod service;
use crate::{
    domain::{ShowCard, ShowDetail, catalogue::paragraphs, iso, ru},
    error::AppError,
    seo::{Breadcrumbs, PageKind, PublicHead, SHOW_TRAIL, StructuredData, describe},
    ui::{ActionEpoch, Loading, by_route_address, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[leptos::server(endpoint = "shows/upcoming")]
pub async fn upcoming_shows(limit: Option<u64>) -> Result<Vec<ShowCard>, AppError> {
    let state = crate::server::state()?;
    let now = chrono::Utc::now();
    let limit = limit.map(|l| l.min(50));
    Ok(service::upcoming_shows(&state.db, now, limit, |t| state.to_local(t)).await?)
}

/// Public: the show its page's address names (slug, former slug or number).
#[leptos::server(endpoint = "shows/get")]
pub async fn get_show(address: String) -> Result<ShowDetail, AppError> {
    use crate::{domain::ShowId, server::addresses::{Kind, record_at}};
    let state = crate::server::state()?;
    let id = ShowId(record_at(&state.db, Kind::Show, &address).await?);
    let show = service::show(&state.db, id, |t| state.to_local(t)).await?.ok_or(AppError::NotFound)?;
    let site = crate::seo::structured::Site::of(&state).await?;
    let data = crate::seo::structured::show(&site, &show);
    Ok(ShowDetail { structured_data: crate::seo::structured::script_text(&data), ..show })
}

#[component]
pub fn ShowCardView(show: ShowCard) -> impl IntoView {
    let href = show.path.clone();
    let alt = format!("Афиша спектакля «{}»", show.title);
    view! {
        <article class="card show-card">
            {show.poster_url.map(|src| view! { <img class="show-card__poster" src=src alt=alt loading="lazy" /> })}
            <p class="show-card__date">
                <time datetime=iso::date_time(show.starts_at)>
                    {ru::date_time(show.starts_at)}
                </time>
            </p>
            <h3 class="card__title">
                <A href=href>{show.title}</A>
            </h3>
            <p class="muted">{show.venue}</p>
            <p>{show.summary}</p>
        </article>
    }
}

#[component]
pub fn AfishaPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let shows = Resource::new(move || epoch.0.get(), |_| upcoming_shows(None));
    view! {
        <PublicHead
            title="Афиша"
            description="Спектакли и открытые показы театральной школы: даты, площадки, описание."
            path="/afisha"
        />
        <h1>"Афиша"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(
                    shows.await,
                    |list| {
                        if list.is_empty() {
                            view! {
                                <p class="empty">"Ближайших спектаклей пока нет — загляните позже."</p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <h2 class="visually-hidden">"Ближайшие спектакли"</h2>
                                <div class="grid">
                                    {list
                                        .into_iter()
                                        .map(|show| view! { <ShowCardView show /> })
                                        .collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                    },
                )
            })}
        </Suspense>
    }
}

#[component]
pub fn ShowPage() -> impl IntoView {
    let show = by_route_address(get_show);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(
                    show.await,
                    |show| {
                        let card = show.card;
                        let alt = format!("Афиша спектакля «{}»", card.title);
                        view! {
                            <PublicHead
                                title=card.title.clone()
                                description=describe(&card.summary, &card.title)
                                path=card.path.clone()
                                kind=PageKind::Article
                                picture=show.picture
                                alt=Some(alt.clone())
                            />
                            <StructuredData json=show.structured_data />
                            <article class="detail">
                                <Breadcrumbs trail=SHOW_TRAIL here=card.title.clone() />
                                <h1>{card.title}</h1>
                                {card.poster_url.map(|src| view! { <img class="detail__poster" src=src alt=alt /> })}
                                <dl class="facts">
                                    <dt>"Когда"</dt>
                                    <dd>
                                        <time datetime=iso::date_time(card.starts_at)>{ru::date_time(card.starts_at)}</time>
                                    </dd>
                                    <dt>"Где"</dt>
                                    <dd>{card.venue}</dd>
                                </dl>
                                {paragraphs(&show.description)
                                    .into_iter()
                                    .map(|p| view! { <p>{p}</p> })
                                    .collect_view()}
                            </article>
                        }
                    },
                )
            })}
        </Suspense>
    }
}
