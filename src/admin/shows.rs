//! The afisha's shows, listed, added, edited and removed by the office.
use super::{
    DeleteShow, ListQuery, Page, SaveShow, ShowForm, ShowRow,
    frame::{OfficePage, Pager, TitleSearch},
    load_shows,
};
use crate::ui::{ActionEpoch, Field, FormError, Loading, Submit, TextArea, action_error, result_view};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn ShowsAdminPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        ListQuery::from_params(|name| p.get(name))
    });
    let shows = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_shows(q));
    let save = ServerAction::<SaveShow>::new();
    let delete = ServerAction::<DeleteShow>::new();
    view! {
        <OfficePage title="Афиша">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    result_view(shows.await, move |list| view! { <ShowsView list q save delete /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn ShowsView(list: Page<ShowRow>, q: ListQuery, save: ServerAction<SaveShow>, delete: ServerAction<DeleteShow>) -> impl IntoView {
    // Links keep the search and the page, so the edited show stays in view.
    let here = q.href("/admin/shows", list.page);
    let (page, pages, total) = (list.page, list.pages, list.total);
    let list = list.items;
    let query = use_query_map();
    let editing = Memo::new(move |_| query.read().get("edit").and_then(|id| id.parse::<i32>().ok()));
    let deleting = Memo::new(move |_| query.read().get("delete").and_then(|id| id.parse::<i32>().ok()));
    let delete_error = action_error(delete);
    let rows = list
        .clone()
        .into_iter()
        .map(|s| {
            let id = s.id;
            let title = s.form.title.clone();
            view! {
                <li class="card">
                    <strong>{s.form.title.clone()}</strong>
                    <span class="muted">{s.form.starts_at.replace('T', " ")} " · " {s.form.venue.clone()}</span>
                    <form method="post" action=format!("/admin/shows/{id}/poster") enctype="multipart/form-data" class="form form--row">
                        <label for=format!("poster-{id}")>"Афиша (JPEG, PNG, WebP, до 5 МБ)"</label>
                        <input id=format!("poster-{id}") type="file" name="photo" accept="image/jpeg,image/png,image/webp" required=true />
                        <button type="submit" class="button button--ghost">"Загрузить"</button>
                    </form>
                    <p class="card__actions">
                        <A href=format!("{here}&edit={id}")>"Изменить"</A>
                        <A href=format!("{here}&delete={id}")>"Удалить…"</A>
                    </p>
                    {move || (deleting.get() == Some(id)).then(|| {
                        let title = title.clone();
                        view! {
                            <ActionForm action=delete attr:class="form confirm">
                                <p>"Удалить «" {title} "» из афиши? Это действие не отменить."</p>
                                <input type="hidden" name="id" value=id.to_string() />
                                <div class="form__actions">
                                    <Submit action=delete label="Да, удалить" class="button button--danger" />
                                    <A href="/admin/shows" attr:class="button button--ghost">"Отмена"</A>
                                </div>
                            </ActionForm>
                        }
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <FormError error=delete_error />
        {move || {
            let current = editing.get().and_then(|id| list.iter().find(|s| s.id == id).cloned());
            view! { <ShowEditor show=current save /> }
        }}
        <h2>"Все спектакли"</h2>
        <TitleSearch action="/admin/shows" q=q.clone() newest="Сначала поздние" />
        <ul class="plain-list">{rows}</ul>
        <Pager page pages total href=move |n| q.href("/admin/shows", n) />
    }
}

/// The form for a new show, or for editing `show`.
#[component]
fn ShowEditor(show: Option<ShowRow>, save: ServerAction<SaveShow>) -> impl IntoView {
    let error = action_error(save);
    let (id, form) = match show {
        Some(s) => (s.id.to_string(), s.form),
        None => (String::new(), ShowForm::default()),
    };
    let heading = if id.is_empty() { "Новый спектакль" } else { "Изменить спектакль" };
    view! {
        <section class="panel">
            <h2>{heading}</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <Field label="Название" name="title" value=form.title required=true error />
                <Field label="Дата и время начала" name="starts_at" kind="datetime-local" value=form.starts_at required=true error />
                <Field label="Место" name="venue" value=form.venue required=true error />
                <TextArea label="Описание" name="description" value=form.description error />
                <Submit action=save label="Сохранить" />
            </ActionForm>
        </section>
    }
}
