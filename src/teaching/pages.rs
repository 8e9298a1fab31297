//! Pages of the teacher's workspace and the public teacher page.
use super::{
    DecideRequest, Desk, MarkAttendance, Request, Roster, RosterRow, TeacherProfile, UpdateTeacherProfile, load_desk,
    load_roster, load_student, load_teacher_page,
};
use crate::{
    domain::{CourseFormat, CourseId, EnrollmentStatus, catalogue::paragraphs, ru},
    reviews::{PublishedReviewsBlock, published_reviews},
    schedule::CourseCardView,
    seo::{Breadcrumbs, PageKind, PublicHead, StructuredData, TEACHER_TRAIL, describe},
    ui::{
        ActionEpoch, Field, FilterForm, FilterSelect, FormError, FormSuccess, Loading, Submit, TextArea,
        action_error, action_failure, by_route_address, by_route_id, load_or_missing, result_view, route_address, route_id,
    },
    viewer::{Gate, STAFF},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::A,
    hooks::use_query_map,
};

fn badge(status: EnrollmentStatus) -> impl IntoView {
    view! { <span class=format!("status status--{}", status.css())>{status.label()}</span> }
}

fn who_and_when(r: &Request) -> impl IntoView + use<> {
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

fn student_link(r: &Request) -> AnyView {
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
struct Decisions {
    decide: ServerAction<DecideRequest>,
}

/// What the last decision did, or why it failed.
#[component]
fn DecisionResult(actions: Decisions) -> impl IntoView {
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
pub fn RosterPage() -> impl IntoView {
    let id = route_id();
    let query = use_query_map();
    let epoch = expect_context::<ActionEpoch>();
    let roster = Resource::new(
        move || {
            let q = query.read();
            (
                id(),
                q.get("status").unwrap_or_default(),
                q.get("date").unwrap_or_default(),
                epoch.0.get(),
            )
        },
        |(id, status, date, _)| load_or_missing(id.map(CourseId), |id| load_roster(id, status, date)),
    );
    let decisions = Decisions { decide: ServerAction::new() };
    let attendance = ServerAction::<MarkAttendance>::new();
    view! {
        <Title text="Ученики курса" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STAFF>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(roster.await, move |r| view! { <RosterView r decisions attendance /> })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn RosterView(r: Roster, decisions: Decisions, attendance: ServerAction<MarkAttendance>) -> impl IntoView {
    let course_id = r.course.id;
    let base = format!("/teach/courses/{course_id}");
    let mark_error = action_error(attendance);
    let statuses = [
        EnrollmentStatus::Pending,
        EnrollmentStatus::Confirmed,
        EnrollmentStatus::Waitlisted,
        EnrollmentStatus::Completed,
        EnrollmentStatus::Rejected,
        EnrollmentStatus::Cancelled,
    ];
    let status_options = statuses
        .into_iter()
        .map(|s| view! { <option value=s.slug() selected=r.status == Some(s)>{s.label()}</option> })
        .collect_view();
    let date_options = r
        .sessions
        .iter()
        .map(|d| view! { <option value=d.to_string() selected=r.date == Some(*d)>{ru::date(*d)}</option> })
        .collect_view();
    let date = r.date;
    let rows = if r.students.is_empty() {
        view! { <p class="empty">"Учеников с таким статусом нет."</p> }.into_any()
    } else {
        r.students
            .into_iter()
            .map(|row| view! { <RosterCard row date decisions attendance /> })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="breadcrumbs"><A href="/teach">"Кабинет педагога"</A></p>
        <h1>{r.course.title.clone()}</h1>
        <p class="muted">
            {ru::date_range(r.course.term_start, r.course.term_end)} " · "
            {format!("занято {} из {}", r.course.capacity - r.course.seats_left, r.course.capacity)}
        </p>
        <FilterForm action=base.clone() inline=true>
            <FilterSelect label="Статус" name="status" any="Все">{status_options}</FilterSelect>
            {(!r.sessions.is_empty()).then(|| view! {
                <div class="field">
                    <label for="f-date">"Занятие для посещаемости"</label>
                    <select id="f-date" name="date">{date_options}</select>
                </div>
            })}
        </FilterForm>
        <DecisionResult actions=decisions />
        <FormError error=mark_error />
        <p class="muted">{format!("Фильтр: {}", r.status.map(|s| s.label()).unwrap_or("все статусы"))}</p>
        <h2 class="visually-hidden">"Ученики курса"</h2>
        <div class="enrollment-list">{rows}</div>
    }
}

#[component]
fn RosterCard(row: RosterRow, date: Option<chrono::NaiveDate>, decisions: Decisions, attendance: ServerAction<MarkAttendance>) -> impl IntoView {
    let id = row.request.id;
    let confirmed = row.status == EnrollmentStatus::Confirmed;
    let contacts = [row.email.clone(), row.phone.clone(), row.contacts.clone()]
        .into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let marks = (row.attended + row.missed > 0)
        .then(|| format!("Посещаемость: был(а) {} из {}", row.attended, row.attended + row.missed));
    let mark_buttons = date.filter(|d| confirmed && *d >= row.request.period.start && *d <= row.request.period.end).map(|d| {
        let current = match row.mark {
            Some(true) => "отмечен(а): был(а)",
            Some(false) => "отмечен(а): не был(а)",
            None => "не отмечен(а)",
        };
        let button = move |present: bool, label: &'static str| view! {
            <ActionForm action=attendance attr:class="form form--inline">
                <input type="hidden" name="enrollment_id" value=id.to_string() />
                <input type="hidden" name="date" value=d.to_string() />
                <input type="hidden" name="present" value=present.to_string() />
                <Submit action=attendance label class="button button--ghost" />
            </ActionForm>
        };
        view! {
            <div class="card__actions attendance">
                <span>{format!("{}: {current}", ru::date(d))}</span>
                {button(true, "Был(а)")}
                {button(false, "Не был(а)")}
            </div>
        }
    });
    view! {
        <article class="card enrollment">
            <header class="enrollment__head">
                <h3 class="card__title">{student_link(&row.request)}</h3>
                {badge(row.status)}
            </header>
            <p>{contacts}</p>
            {row.minor.clone().map(|minor| view! { <super::minor::MinorFacts minor /> })}
            {who_and_when(&row.request)}
            {row.reason.clone().map(|r| view! { <p class="reason">"Причина: " {r}</p> })}
            {marks.map(|m| view! { <p class="muted">{m}</p> })}
            {mark_buttons}
            {confirmed.then(|| view! {
                <ActionForm action=decisions.decide attr:class="form form--inline">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="decision" value="complete" />
                    <Submit action=decisions.decide label="Завершить обучение досрочно" class="button button--ghost" />
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
