//! Модерация отзывов: the queue of pending reviews, and the published and
//! rejected ones; publish, edit the text, reject with a reason, delete.
use super::frame::OfficePage;
use crate::{
    domain::{review::ReviewStatus, ru},
    reviews::{ModerateReview, ReviewView, load_review_queue, pages::ReviewText},
    ui::{ActionEpoch, FormError, Loading, Submit, TextArea, action_error, result_view},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn ReviewsAdminPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let query = use_query_map();
    let status = Memo::new(move |_| {
        query.read().get("status").and_then(|s| ReviewStatus::parse(&s)).unwrap_or(ReviewStatus::Pending)
    });
    let list = Resource::new(move || (status.get(), epoch.0.get()), |(s, _)| load_review_queue(s.as_str().to_string()));
    let action = ServerAction::<ModerateReview>::new();
    let error = action_error(action);
    view! {
        <OfficePage title="Отзывы">
            <nav class="view-switch" aria-label="Отзывы по состоянию">
                {ReviewStatus::ALL
                    .into_iter()
                    .map(|s| {
                        let label = match s {
                            ReviewStatus::Pending => "На модерации",
                            ReviewStatus::Published => "Опубликованные",
                            ReviewStatus::Rejected => "Отклонённые",
                        };
                        view! {
                            <a href=format!("/admin/reviews?status={}", s.as_str()) aria-current=move || (status.get() == s).then_some("page")>
                                {label}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <FormError error />
            {move || action.value().get().and_then(Result::ok).map(|said| view! { <p class="form-success" role="status">{said}</p> })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(list.await, move |rows| {
                        if rows.is_empty() {
                            return view! { <p class="empty">"Здесь пусто."</p> }.into_any();
                        }
                        rows.into_iter().map(|v| view! { <ModerationCard v action /> }).collect_view().into_any()
                    })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn ModerationCard(v: ReviewView, action: ServerAction<ModerateReview>) -> impl IntoView {
    let id = v.id;
    let scope = format!("moderate-{id}");
    let (body_id, reason_id) = (format!("{scope}-body"), format!("{scope}-reason"));
    let error = action_error(action);
    let simple = move |name: &'static str, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action attr:class="form form--inline">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="action" value=name />
                <Submit action label class />
            </ActionForm>
        }
    };
    let head = format!(
        "{} о курсе «{}»{} · {}",
        v.author_name,
        v.course_title,
        v.teacher_name.as_ref().map(|t| format!(", педагог {t}")).unwrap_or_default(),
        ru::date(v.created_at.date_naive())
    );
    view! {
        <article class="card review-card" id=scope>
            <p class="review__author">
                {head} " · "
                <A href=v.course_path.clone()>"страница курса"</A>
            </p>
            <ReviewText v=v.clone() />
            {v.moderation_note.clone().map(|n| view! { <p class="reason">"Причина отклонения: " {n}</p> })}
            <div class="card__actions">
                {(v.status != ReviewStatus::Published).then(|| simple("publish", "Опубликовать", "button"))}
            </div>
            <details>
                <summary>"Исправить текст"</summary>
                <ActionForm action attr:class="form">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="action" value="edit" />
                    <TextArea label="Текст отзыва" name="body" value=v.body.clone() error id=body_id />
                    <p class="muted">"Читатели увидят пометку, что текст отредактирован модератором."</p>
                    <Submit action label="Сохранить текст" />
                </ActionForm>
            </details>
            {(v.status != ReviewStatus::Rejected).then(|| view! {
                <details>
                    <summary>"Отклонить"</summary>
                    <ActionForm action attr:class="form">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="action" value="reject" />
                        <TextArea label="Причина (её увидит автор)" name="reason" error id=reason_id.clone() />
                        <Submit action label="Отклонить отзыв" class="button button--danger" />
                    </ActionForm>
                </details>
            })}
            <details>
                <summary>"Удалить"</summary>
                <p>"Удалить отзыв совсем? Вернуть будет нельзя."</p>
                {simple("delete", "Да, удалить", "button button--danger")}
            </details>
        </article>
    }
}
