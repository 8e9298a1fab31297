//! «Отзывы»: the student's page for writing them, and the block of
//! published reviews on course and teacher pages.
use super::{PublishedReviews, ReviewView, Reviewable, SaveReview, load_my_reviews, load_published_reviews};
use crate::{
    domain::{
        review::stars,
        ru,
    },
    error::AppError,
    ui::{ActionEpoch, FormError, Loading, Submit, TextArea, action_error, result_view},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn MyReviewsPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let list = Resource::new(move || epoch.0.get(), |_| load_my_reviews());
    let save = ServerAction::<SaveReview>::new();
    // Which card sent the last form: its fields show the errors.
    let target = RwSignal::new(None::<i32>);
    view! {
        <Title text="Мои отзывы" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <h1>"Мои отзывы"</h1>
            <p class="muted">"Отзыв можно написать о курсе, на который педагог подтвердил вашу запись. Его прочитают после проверки модератором."</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(list.await, move |list| view! { <Reviewables list save target /> })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn Reviewables(list: Vec<Reviewable>, save: ServerAction<SaveReview>, target: RwSignal<Option<i32>>) -> impl IntoView {
    let error = action_error(save);
    if list.is_empty() {
        return view! {
            <p class="empty">
                "Пока не о чем писать: отзывы открываются после подтверждения записи. "
                <A href="/my/enrollments">"Мои записи"</A>
            </p>
        }
        .into_any();
    }
    list.into_iter()
        .map(|r| {
            let id = r.enrollment_id;
            let error = Signal::derive(move || error.get().filter(|_| target.get() == Some(id)));
            view! { <ReviewableCard r save error target /> }
        })
        .collect_view()
        .into_any()
}

#[component]
fn ReviewableCard(
    r: Reviewable,
    save: ServerAction<SaveReview>,
    error: Signal<Option<AppError>>,
    target: RwSignal<Option<i32>>,
) -> impl IntoView {
    let id = r.enrollment_id;
    let editable = r.review.as_ref().is_none_or(|v| v.status.editable_by_author());
    let (rating, body) = r.review.as_ref().map(|v| (v.rating, v.body.clone())).unwrap_or((0, String::new()));
    let scope = format!("review-{id}");
    let (rating_error_id, body_id) = (format!("{scope}-rating-error"), format!("{scope}-body"));
    let submit_label = if r.review.is_some() { "Сохранить изменения" } else { "Отправить отзыв" };
    let rating_scope = scope.clone();
    let form = editable.then(move || {
        let rating_error = Signal::derive(move || error.get().and_then(|e| e.field_message("rating").map(str::to_string)));
        view! {
            // Submit bubbles up here before the form is sent.
            <div on:submit=move |_| target.set(Some(id))>
                <ActionForm action=save attr:class="form">
                    <input type="hidden" name="enrollment_id" value=id.to_string() />
                    <fieldset class="field rating-input" aria-describedby=rating_error_id.clone()>
                        <legend>"Оценка"</legend>
                        {(1..=5)
                            .map(|n| {
                                let input_id = format!("{rating_scope}-rating-{n}");
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=input_id.clone() name="rating" value=n.to_string() checked=rating == n required=true />
                                        <label for=input_id>{n.to_string()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                        <p class="field__error" id=rating_error_id.clone()>{rating_error}</p>
                    </fieldset>
                    <TextArea label="Отзыв" name="body" value=body error id=body_id.clone() />
                    <FormError error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Invalid(_)))) />
                    <Submit action=save label=submit_label />
                </ActionForm>
            </div>
        }
    });
    view! {
        <article class="card review-card" id=scope>
            <header class="enrollment__head">
                <h2 class="card__title">
                    <A href=r.course_path.clone()>{r.course_title.clone()}</A>
                </h2>
                {r.review.as_ref().map(|v| view! { <span class=format!("status status--review-{}", v.status.as_str())>{v.status.label()}</span> })}
            </header>
            {r.member_name.clone().map(|name| view! { <p><strong>"Ученик: " {name}</strong></p> })}
            <p class="muted">
                {r.teacher_name.clone().map(|t| format!("{t} · "))}
                {ru::date_range(r.period.start, r.period.end)}
            </p>
            {r.review.clone().filter(|_| !editable).map(|v| view! { <ReviewText v /> })}
            {r.review.as_ref().and_then(|v| v.moderation_note.clone()).map(|note| view! { <p class="reason">"Причина отклонения: " {note}</p> })}
            {form}
        </article>
    }
}

/// A review as readers see it.
#[component]
pub fn ReviewText(v: ReviewView) -> impl IntoView {
    view! {
        <p class="rating">
            <span aria-hidden="true">{stars(v.rating)}</span>
            <span class="visually-hidden">{format!("Оценка {} из 5", v.rating)}</span>
        </p>
        <p class="review__body">{v.body}</p>
        {v.edited_by_moderator.then(|| view! { <p class="muted">"Текст отредактирован модератором."</p> })}
    }
}

/// The published reviews of a course (`about` = `course`) or a teacher.
/// Made by the page itself, beside its own data: made inside the page's
/// `Suspense` it would load after it, and again each time that re-renders.
pub fn published_reviews(
    about: &'static str,
    address: impl Fn() -> String + Send + Sync + 'static,
) -> Resource<Result<PublishedReviews, AppError>> {
    Resource::new(address, move |address| load_published_reviews(about.to_string(), address))
}

/// Published reviews with their average rating (see [`published_reviews`]).
#[component]
pub fn PublishedReviewsBlock(about: &'static str, data: Resource<Result<PublishedReviews, AppError>>) -> impl IntoView {
    view! {
        <section class="reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title">"Отзывы"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(data.await, move |p| view! { <ReviewList p show_course=about == "teacher" /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ReviewList(p: PublishedReviews, show_course: bool) -> impl IntoView {
    let Some(summary) = p.summary else {
        return view! { <p class="empty">"Отзывов пока нет."</p> }.into_any();
    };
    let count = i64::from(summary.count);
    view! {
        <p class="rating-summary">
            <strong>{summary.text()}</strong>
            {format!(" — {count} {}", ru::plural(count, ["отзыв", "отзыва", "отзывов"]))}
        </p>
        {p.reviews
            .into_iter()
            .map(|v| {
                let name = v.author_name.clone();
                let author = match v.author_portfolio.clone() {
                    Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                    None => name.into_any(),
                };
                let date = format!(", {}", ru::date(v.created_at.date_naive()));
                let course = show_course.then(|| v.course_title.clone());
                view! {
                    <article class="review">
                        <p class="review__author">{author} {date} {course.map(|c| format!(" · {c}"))}</p>
                        <ReviewText v />
                    </article>
                }
            })
            .collect_view()}
    }
    .into_any()
}
