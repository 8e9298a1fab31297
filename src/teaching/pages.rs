//! Pages of the teacher's workspace and the public teacher page.
use super::{
    DecideRequest, Desk, Request, TeacherProfile, UpdateTeacherProfile, load_desk, load_student, load_teacher_page,
};
use crate::{
    domain::{CourseFormat, EnrollmentStatus, catalogue::paragraphs, ru},
    reviews::{PublishedReviewsBlock, published_reviews},
    schedule::CourseCardView,
    seo::{Breadcrumbs, PageKind, PublicHead, StructuredData, TEACHER_TRAIL, describe},
    ui::{
        ActionEpoch, Field, FormError, FormSuccess, Loading, Submit, TextArea,
        action_error, action_failure, by_route_address, by_route_id, result_view, route_address,
    },
    viewer::{Gate, STAFF},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::A,
    hooks::use_query_map,
};

pub(super) fn badge(status: EnrollmentStatus) -> impl IntoView {
    view! { <span class=format!("status status--{}", status.css())>{status.label()}</span> }
}

pub(super) fn who_and_when(r: &Request) -> impl IntoView + use<> {
    let partner = (r.format == CourseFormat::Pair).then(|| {
        let who = r.partner_name.clone().unwrap_or_else(|| "партнёра подберёт педагог".into());
        let answer = r.partner_answer.map(|a| format!(" ({})", a.label())).unwrap_or_default();
        format!(" · партнёр: {who}{answer}")
    });
    view! {
        <p class="muted">
            {r.format.label()} {partner} " · " {ru::date_range(r.period.start, r.period.end)}
        </p>
    }
}

pub(super) fn student_link(r: &Request) -> AnyView {
    match r.student_id {
        Some(id) => {
            let name = r.student_name.clone();
            view! { <A href=format!("/teach/students/{id}")>{name}</A> }.into_any()
        }
        None => view! { <span>{r.student_name.clone()}</span> }.into_any(),
    }
}

/// The dashboard's and the roster's actions: they outlive one rendering.
#[derive(Clone, Copy)]
pub(super) struct Decisions {
    pub(super) decide: ServerAction<DecideRequest>,
}

/// What the last decision did, or why it failed.
#[component]
pub(super) fn DecisionResult(actions: Decisions) -> impl IntoView {
    let error = action_error(actions.decide);
    view! {
        <FormError error />
        {move || actions.decide.value().get().and_then(Result::ok).map(|text| view! {
            <p class="form-success" role="status">{text}</p>
        })}
    }
}

#[component]
pub fn DeskPage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let desk = Resource::new(move || epoch.0.get(), |_| load_desk());
    let actions = Decisions { decide: ServerAction::new() };
    view! {
        <Title text="Кабинет педагога" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STAFF>
            <h1>"Кабинет педагога"</h1>
            <p><A href="/teach/pay">"Моя зарплата"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(desk.await, move |d| view! { <DeskView d actions /> })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn DeskView(d: Desk, actions: Decisions) -> impl IntoView {
    let query = use_query_map();
    let rejecting = Memo::new(move |_| query.read().get("reject").and_then(|id| id.parse::<i32>().ok()));
    let requests = if d.requests.is_empty() {
        view! { <p class="empty">"Новых заявок нет."</p> }.into_any()
    } else {
        d.requests
            .into_iter()
            .map(|r| view! { <RequestCard r rejecting actions back="/teach" /> })
            .collect_view()
            .into_any()
    };
    let courses = d
        .courses
        .into_iter()
        .map(|(pending, c)| {
            let held = c.capacity - c.seats_left;
            let waiting = pending > 0;
            let (href, title) = (format!("/teach/courses/{}", c.id), c.title.clone());
            view! {
                <article class="card">
                    <h3 class="card__title">
                        <A href=href>{title}</A>
                    </h3>
                    <p class="muted">{ru::date_range(c.term_start, c.term_end)}</p>
                    <p>
                        {c.slots.iter().map(|s| format!("{} {}", ru::weekday_short(s.weekday).unwrap_or_default(), ru::time_range(s.starts_at, s.duration_minutes))).collect::<Vec<_>>().join(", ")}
                    </p>
                    <p class="card__meta">
                        <span>{format!("Занято мест: {held} из {}", c.capacity)}</span>
                        <span class:attention=waiting>{format!("Ждут ответа: {pending}")}</span>
                    </p>
                </article>
            }
        })
        .collect_view();
    view! {
        <h2 id="requests">"Заявки, ждущие решения"</h2>
        <DecisionResult actions />
        <div class="enrollment-list">{requests}</div>
        <h2>"Мои курсы"</h2>
        <div class="grid">{courses}</div>
    }
}

/// A pending request with its two decisions. Rejecting opens a reason form
/// on this card only (`?reject=ID`), so its error lands where it belongs.
#[component]
fn RequestCard(r: Request, rejecting: Memo<Option<i32>>, actions: Decisions, back: &'static str) -> impl IntoView {
    let id = r.id;
    let error = action_failure(actions.decide);
    let asked = ru::date(r.created_at.date_naive());
    let (course_href, course_title) = (format!("/teach/courses/{}", r.course_id), r.course_title.clone());
    let (name, details) = (student_link(&r), who_and_when(&r));
    view! {
        <article class="card enrollment" id=format!("request-{id}")>
            <header class="enrollment__head">
                <h3 class="card__title">{name}</h3>
                <span class="muted">{format!("заявка от {asked}")}</span>
            </header>
            <p>
                <A href=course_href>{course_title}</A>
            </p>
            {details}
            <div class="card__actions">
                <ActionForm action=actions.decide attr:class="form form--inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="decision" value="confirm" />
                    <Submit action=actions.decide label="Подтвердить" />
                </ActionForm>
                {move || (rejecting.get() != Some(id)).then(|| view! {
                    <A href=format!("{back}?reject={id}#request-{id}") attr:class="button button--ghost">"Отклонить…"</A>
                })}
            </div>
            {move || (rejecting.get() == Some(id)).then(|| view! {
                <ActionForm action=actions.decide attr:class="form confirm">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="decision" value="reject" />
                    <TextArea label="Причина отказа (ученик её увидит)" name="reason" error />
                    <div class="form__actions">
                        <Submit action=actions.decide label="Отклонить заявку" class="button button--danger" />
                        <A href=back attr:class="button button--ghost">"Отмена"</A>
                    </div>
                </ActionForm>
            })}
        </article>
    }
}

#[component]
pub fn StudentPage() -> impl IntoView {
    let student = by_route_id(load_student);
    view! {
        <Title text="Ученик" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STAFF>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(student.await, |s| {
                        let alt = format!("Фото: {}", s.full_name);
                        view! {
                            <p class="breadcrumbs"><A href="/teach">"Кабинет педагога"</A></p>
                            <h1>{s.full_name.clone()}</h1>
                            {s.avatar_url.clone().map(|src| view! { <img class="avatar" src=src alt=alt /> })}
                            <dl class="facts">
                                <dt>"Почта"</dt>
                                <dd>{if s.email.is_empty() {
                                    view! { "нет своей учётной записи" }.into_any()
                                } else {
                                    view! { <a href=format!("mailto:{}", s.email)>{s.email.clone()}</a> }.into_any()
                                }}</dd>
                                <dt>"Телефон"</dt>
                                <dd>{if s.phone.is_empty() { "—".to_string() } else { s.phone.clone() }}</dd>
                                <dt>"Другие контакты"</dt>
                                <dd>{if s.contacts.is_empty() { "—".to_string() } else { s.contacts.clone() }}</dd>
                            </dl>
                            {s.minor.clone().map(|minor| view! { <super::minor::MinorFacts minor /> })}
                            {s.portfolio_url.clone().map(|href| view! { <p><A href=href>"Портфолио ученика"</A></p> })}
                            <h2>"О себе"</h2>
                            {if s.about.is_empty() {
                                view! { <p class="empty">"Ученик пока ничего о себе не написал."</p> }.into_any()
                            } else {
                                paragraphs(&s.about).into_iter().map(|p| view! { <p>{p}</p> }).collect_view().into_any()
                            }}
                        }
                    })
                })}
            </Suspense>
        </Gate>
    }
}

/// The teacher's own public profile, on the profile page of a teacher.
#[component]
pub fn TeacherProfilePanel(profile: TeacherProfile, action: ServerAction<UpdateTeacherProfile>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="teacher-h">
            <h2 id="teacher-h">"Профиль педагога"</h2>
            <p>
                "Так вас видят ученики: "
                <A href=profile.path.clone()>"публичная страница"</A>
                ". Фотография — та же, что в профиле."
            </p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Специализация" name="specialization" value=profile.specialization required=true error />
                <TextArea label="Биография" name="bio" value=profile.bio error />
                <FormSuccess action text="Профиль педагога сохранён." />
                <Submit action label="Сохранить профиль педагога" />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn TeacherPublicPage() -> impl IntoView {
    let reviews = published_reviews("teacher", route_address());
    let page = by_route_address(load_teacher_page);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                result_view(page.await, |t| {
                    let alt = format!("Фото: {}", t.name);
                    let about = format!("{} — {}, педагог театральной школы. {}", t.name, t.specialization, t.bio);
                    view! {
                        <PublicHead
                            title=t.name.clone()
                            description=describe(&about, &t.name)
                            path=t.path.clone()
                            kind=PageKind::Profile
                            picture=t.picture.clone()
                            alt=Some(alt.clone())
                        />
                        <StructuredData json=t.structured_data.clone() />
                        <article class="detail">
                            <Breadcrumbs trail=TEACHER_TRAIL here=t.name.clone() />
                            <h1>{t.name.clone()}</h1>
                            <p class="muted">{t.specialization.clone()}</p>
                            {t.photo_url.clone().map(|src| view! { <img class="avatar" src=src alt=alt /> })}
                            {paragraphs(&t.bio).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        </article>
                        <h2>"Курсы"</h2>
                        {if t.courses.is_empty() {
                            view! { <p class="empty">"Сейчас курсов нет."</p> }.into_any()
                        } else {
                            view! {
                                <div class="grid">
                                    {t.courses.into_iter().map(|course| view! { <CourseCardView course /> }).collect_view()}
                                </div>
                            }.into_any()
                        }}
                        <PublishedReviewsBlock about="teacher" data=reviews />
                    }
                })
            })}
        </Suspense>
    }
}
