//! «Портфолио»: the student's own page and the public one.
use super::{
    DeletePortfolioItem, MovePortfolioItem, MyPortfolio, PortfolioItem, PublicPortfolio, UpdatePortfolioItem,
    load_my_portfolio, load_public_portfolio, public_href,
};
use crate::{
    domain::{
        portfolio::{ItemKind, megabytes},
        ru,
    },
    error::AppError,
    seo::{PageKind, PublicHead, describe},
    ui::{ActionEpoch, Field, FormError, Loading, Submit, TextArea, action_error, by_route_id, result_view},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

/// What the upload form shows; it lives with the page, since the form is
/// drawn again each time the list is re-read.
#[derive(Clone, Copy)]
struct UploadState {
    progress: RwSignal<Option<u32>>,
    file_error: RwSignal<Option<String>>,
    form_error: RwSignal<Option<AppError>>,
    done: RwSignal<Option<String>>,
    sending: web_request::Sending,
}

#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdatePortfolioItem>,
    delete: ServerAction<DeletePortfolioItem>,
    reorder: ServerAction<MovePortfolioItem>,
    /// Whose portfolio, as the address names it: a child's id, or empty.
    member: Memo<String>,
}

#[component]
pub fn MyPortfolioPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let query = use_query_map();
    let member = Memo::new(move |_| query.read().get("member").unwrap_or_default());
    let data = Resource::new(move || (epoch.0.get(), member.get()), |(_, member)| load_my_portfolio(member));
    let actions =
        Actions { update: ServerAction::new(), delete: ServerAction::new(), reorder: ServerAction::new(), member };
    let upload = UploadState {
        progress: RwSignal::new(None),
        file_error: RwSignal::new(None),
        form_error: RwSignal::new(None),
        done: RwSignal::new(None),
        sending: web_request::nothing_sent(),
    };
    view! {
        <Title text="Портфолио" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <h1>"Портфолио"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(data.await, move |data| view! { <OwnPortfolio data actions upload /> })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn OwnPortfolio(data: MyPortfolio, actions: Actions, upload: UploadState) -> impl IntoView {
    let errors = [action_error(actions.update), action_error(actions.delete), action_error(actions.reorder)];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let any_public = data.items.iter().any(|i| i.is_public);
    let count = data.items.len();
    let usage = format!("Занято {} из {}.", megabytes(data.used_bytes), megabytes(data.quota_bytes));
    let items = if data.items.is_empty() {
        view! { <p class="empty">"Пока пусто: добавьте первое фото, видео или достижение."</p> }.into_any()
    } else {
        data.items
            .iter()
            .cloned()
            .enumerate()
            .map(|(n, item)| view! { <OwnItem item first=n == 0 last=n + 1 == count actions /> })
            .collect_view()
            .into_any()
    };
    view! {
        <MemberTabs data=data.clone() />
        <p class="muted">
            "Фото, видео и достижения, которые вы покажете кастинг-директорам. "
            {usage}
            {any_public.then(|| view! {
                " " <A href=public_href(data.owner_id)>"Открыть публичную страницу"</A>
            })}
        </p>
        <AddItemForm data=data.clone() state=upload />
        <h2>"Мои работы"</h2>
        <FormError error />
        <div class="portfolio-list">{items}</div>
    }
}

/// The upload form: a plain multipart post, which the hydrated page sends
/// itself to show progress and allow cancelling.
/// A guardian keeps their children's portfolios too: one tab per member.
#[component]
fn MemberTabs(data: MyPortfolio) -> impl IntoView {
    let tabs = data
        .members
        .iter()
        .enumerate()
        .map(|(n, m)| {
            let href = if n == 0 { "/my/portfolio".to_string() } else { format!("/my/portfolio?member={}", m.id) };
            let name = if n == 0 { "Моё".to_string() } else { m.name.clone() };
            let current = (m.id.0 == data.owner_id).then_some("page");
            view! { <a href=href aria-current=current>{name}</a> }
        })
        .collect_view();
    let heading = data.for_child.then(|| view! { <h2>{data.owner_name.clone()}</h2> });
    (!data.members.is_empty()).then(|| view! {
        <nav class="view-switch" aria-label="Чьё портфолио">{tabs}</nav>
        {heading}
    })
}

#[component]
fn AddItemForm(data: MyPortfolio, state: UploadState) -> impl IntoView {
    let kind = RwSignal::new(ItemKind::Photo);
    let UploadState { progress, file_error, form_error, done, sending } = state;
    let epoch = expect_context::<ActionEpoch>();
    let limits = (data.limit_for(ItemKind::Photo), data.limit_for(ItemKind::Video));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            let limit = match kind.get_untracked() {
                ItemKind::Photo => limits.0,
                ItemKind::Video => limits.1,
                ItemKind::Text => 0,
            };
            super::upload::start(ev, kind.get_untracked(), limit, super::upload::Signals {
                progress,
                file_error,
                form_error,
                done,
                sending,
                epoch,
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, limits, epoch);
    };
    let cancel = move |_| {
        sending.update_value(|s| {
            if let Some(handle) = s.take() {
                web_request::abort(handle);
            }
        });
        progress.set(None);
        done.set(Some("Загрузка отменена.".into()));
    };
    let hint = format!(
        "Фото: JPEG, PNG или WebP до {}. Видео: MP4, MOV (iPhone) или WebM до {}.",
        megabytes(crate::domain::portfolio::PHOTO_MAX_BYTES),
        megabytes(data.video_max_bytes)
    );
    let error = Signal::derive(move || form_error.get());
    view! {
        <form
            class="form card upload-form"
            method="post"
            action=if data.for_child { format!("/my/portfolio/items?member={}", data.owner_id) } else { "/my/portfolio/items".to_string() }
            enctype="multipart/form-data"
            on:submit=on_submit
        >
            <h2>"Добавить"</h2>
            <fieldset class="field">
                <legend>"Что добавить"</legend>
                {ItemKind::ALL
                    .into_iter()
                    .map(|k| {
                        let id = format!("f-kind-{}", k.as_str());
                        view! {
                            <div class="choice">
                                <input
                                    type="radio"
                                    id=id.clone()
                                    name="kind"
                                    value=k.as_str()
                                    checked=k == ItemKind::Photo
                                    on:change=move |_| kind.set(k)
                                />
                                <label for=id>{k.label()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Field label="Название" name="title" required=true error />
            <TextArea label="Описание" name="description" error />
            <Field label="Дата" name="occurred_on" kind="date" hint="Когда это было; можно не указывать." error />
            <div class="field" class:field--invalid=move || file_error.get().is_some() hidden=move || kind.get() == ItemKind::Text>
                <label for="f-file">"Файл"</label>
                <input
                    id="f-file"
                    type="file"
                    name="file"
                    accept=move || kind.get().accept()
                    aria-describedby="f-file-hint f-file-error"
                    aria-invalid=move || file_error.get().map(|_| "true")
                />
                <p class="field__hint" id="f-file-hint">{hint}</p>
                <p class="field__error" id="f-file-error">{move || file_error.get()}</p>
            </div>
            <div class="field field--check">
                <input type="checkbox" id="f-visibility" name="visibility" value="public" />
                <label for="f-visibility">"Показывать всем на публичной странице"</label>
            </div>
            <FormError error />
            {move || progress.get().map(|pct| view! {
                <div class="upload-progress" role="status">
                    <label for="upload-progress">{format!("Загружено {pct}%")}</label>
                    <progress id="upload-progress" max="100" value=pct></progress>
                    <button type="button" class="button button--ghost" on:click=cancel>"Отменить загрузку"</button>
                </div>
            })}
            {move || done.get().map(|text| view! { <p class="form-success" role="status">{text}</p> })}
            <button type="submit" class="button" disabled=move || progress.get().is_some()>"Добавить"</button>
        </form>
    }
}

/// The upload in flight, as the browser bundle knows it; nothing on the
/// server. (A browser-only value must not be stored on the server: pages
/// render on one thread and are dropped on another.)
mod web_request {
    use leptos::prelude::*;

    #[cfg(feature = "hydrate")]
    pub type Handle = web_sys::XmlHttpRequest;
    #[cfg(not(feature = "hydrate"))]
    pub type Handle = ();

    #[cfg(feature = "hydrate")]
    pub type Sending = StoredValue<Option<Handle>, LocalStorage>;
    #[cfg(not(feature = "hydrate"))]
    pub type Sending = StoredValue<Option<Handle>>;

    pub fn nothing_sent() -> Sending {
        #[cfg(feature = "hydrate")]
        return StoredValue::new_local(None);
        #[cfg(not(feature = "hydrate"))]
        StoredValue::new(None)
    }

    #[cfg(feature = "hydrate")]
    pub fn abort(handle: Handle) {
        let _ = handle.abort();
    }

    /// Nothing is ever sent from the server.
    #[cfg(not(feature = "hydrate"))]
    pub fn abort(_: Handle) {}
}

#[component]
fn OwnItem(item: PortfolioItem, first: bool, last: bool, actions: Actions) -> impl IntoView {
    let id = item.id;
    let scope = format!("item-{id}");
    let ids = (format!("{scope}-title"), format!("{scope}-description"), format!("{scope}-date"), format!("{scope}-public"));
    let title = item.title.clone();
    let error = action_error(actions.update);
    let move_form = move |direction: &'static str, label: &'static str, hidden: bool| {
        (!hidden).then(|| {
            view! {
                <ActionForm action=actions.reorder attr:class="form form--inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="member" value=actions.member.get_untracked() />
                    <input type="hidden" name="direction" value=direction />
                    <Submit action=actions.reorder label class="button button--ghost button--small" />
                </ActionForm>
            }
        })
    };
    let badge = if item.is_public { "виден всем" } else { "только мне" };
    view! {
        <article class="card portfolio-item" id=scope>
            <Media item=item.clone() />
            <div class="portfolio-item__body">
                <h3 class="card__title">{item.title.clone()}</h3>
                <p class="muted">
                    {item.kind.label()}
                    {item.occurred_on.map(|d| format!(" · {}", ru::date(d)))}
                    " · "
                    <span class=if item.is_public { "status status--confirmed" } else { "status" }>{badge}</span>
                </p>
                {(!item.description.is_empty()).then(|| view! { <p class="portfolio-item__text">{item.description.clone()}</p> })}
                <div class="card__actions">
                    {move_form("up", "↑ Выше", first)}
                    {move_form("down", "↓ Ниже", last)}
                </div>
                <details class="portfolio-item__edit">
                    <summary>"Изменить"</summary>
                    <ActionForm action=actions.update attr:class="form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="member" value=actions.member.get_untracked() />
                        <Field label="Название" name="title" value=item.title.clone() required=true error id=ids.0.clone() />
                        <TextArea label="Описание" name="description" value=item.description.clone() error id=ids.1.clone() />
                        <Field
                            label="Дата"
                            name="occurred_on"
                            kind="date"
                            value=item.occurred_on.map(|d| d.to_string()).unwrap_or_default()
                            error
                            id=ids.2.clone()
                        />
                        <div class="field field--check">
                            <input type="checkbox" id=ids.3.clone() name="visibility" value="public" checked=item.is_public />
                            <label for=ids.3.clone()>"Показывать всем"</label>
                        </div>
                        <Submit action=actions.update label="Сохранить" />
                    </ActionForm>
                </details>
                <details class="portfolio-item__delete">
                    <summary>"Удалить"</summary>
                    <ActionForm action=actions.delete attr:class="form form--inline">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="member" value=actions.member.get_untracked() />
                        <p>"Удалить «" {title.clone()} "» вместе с файлом? Вернуть будет нельзя."</p>
                        <Submit action=actions.delete label="Да, удалить" class="button button--danger" />
                    </ActionForm>
                </details>
            </div>
        </article>
    }
}

/// A photo, a video player, or nothing for an achievement in words.
#[component]
fn Media(item: PortfolioItem) -> impl IntoView {
    match (item.kind, item.media_url) {
        (ItemKind::Photo, Some(src)) => view! {
            <a href=src.clone() class="portfolio-item__media">
                <img
                    src=src.clone()
                    alt=item.title
                    loading="lazy"
                    width=item.width.map(|w| w.to_string())
                    height=item.height.map(|h| h.to_string())
                />
            </a>
        }
        .into_any(),
        (ItemKind::Video, Some(src)) => view! {
            <video class="portfolio-item__media" controls=true preload="metadata" aria-label=item.title>
                <source src=src r#type=item.mime.unwrap_or_default() />
                "Ваш браузер не показывает видео."
            </video>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

#[component]
pub fn PublicPortfolioPage() -> impl IntoView {
    let data = by_route_id(load_public_portfolio);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move { result_view(data.await, |p| view! { <Showcase p /> }) })}
        </Suspense>
    }
}

#[component]
fn Showcase(p: PublicPortfolio) -> impl IntoView {
    let (photos, rest): (Vec<_>, Vec<_>) = p.items.into_iter().partition(|i| i.kind == ItemKind::Photo);
    let (videos, texts): (Vec<_>, Vec<_>) = rest.into_iter().partition(|i| i.kind == ItemKind::Video);
    let caption = |i: &PortfolioItem| {
        let date = i.occurred_on.map(|d| format!(" · {}", ru::date(d)));
        view! {
            <strong>{i.title.clone()}</strong>
            {date}
            {(!i.description.is_empty()).then(|| view! { <span class="portfolio-item__text">{i.description.clone()}</span> })}
        }
    };
    view! {
        <PublicHead
            title=format!("{} — портфолио", p.name)
            description=describe(&format!("Портфолио ученика театральной школы: {}. {}", p.name, p.about), &p.name)
            path=p.path.clone()
            kind=PageKind::Profile
            picture=p.picture.clone()
        />
        <header class="portfolio-head">
            {p.avatar_url.map(|src| view! { <img class="avatar" src=src alt=format!("Фото: {}", p.name) /> })}
            <div>
                <h1>{p.name.clone()}</h1>
                {(!p.about.is_empty()).then(|| view! { <p>{p.about.clone()}</p> })}
            </div>
        </header>
        {(!photos.is_empty()).then(|| view! {
            <h2>"Фото"</h2>
            <div class="gallery">
                {photos.iter().map(|i| view! {
                    <figure class="gallery__item">
                        <Media item=i.clone() />
                        <figcaption>{caption(i)}</figcaption>
                    </figure>
                }).collect_view()}
            </div>
        })}
        {(!videos.is_empty()).then(|| view! {
            <h2>"Видео"</h2>
            {videos.iter().map(|i| view! {
                <figure class="video">
                    <Media item=i.clone() />
                    <figcaption>{caption(i)}</figcaption>
                </figure>
            }).collect_view()}
        })}
        {(!texts.is_empty()).then(|| view! {
            <h2>"Достижения"</h2>
            <ul class="achievements">
                {texts.iter().map(|i| view! { <li>{caption(i)}</li> }).collect_view()}
            </ul>
        })}
    }
}
