//! A course's students for its teacher: requests to decide, contacts
//! (a minor's guardians), attendance of one lesson — a student at a time or
//! the whole lesson in one form — and each student's lessons left on passes.
use super::{
    MarkAttendance, MarkLesson, MarkMakeup, Roster, RosterRow, load_roster,
    pages::{DecisionResult, Decisions, badge, student_link, who_and_when},
};
use crate::{
    domain::{CourseId, EnrollmentStatus, ru},
    ui::{ActionEpoch, FilterForm, FilterSelect, FormError, Loading, Submit, action_error, load_or_missing, result_view, route_id},
    viewer::{Gate, STAFF},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

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
    let markable: Vec<(i32, String, bool)> = date
        .map(|d| {
            r.students
                .iter()
                .filter(|row| row.status == EnrollmentStatus::Confirmed && row.request.period.start <= d && d <= row.request.period.end)
                .map(|row| (row.request.id, row.request.student_name.clone(), row.mark == Some(true)))
                .collect()
        })
        .unwrap_or_default();
    let lesson_marks = date.filter(|_| !markable.is_empty()).map(|date| view! { <LessonMarks rows=markable date /> });
    let (marked, coming): (Vec<_>, Vec<_>) = r.makeups.iter().cloned().partition(|g| Some(g.date) == date);
    let guests = (!marked.is_empty()).then(|| view! { <MakeupGuests guests=marked /> });
    let coming = (!coming.is_empty()).then(|| view! {
        <section class="panel">
            <h2>"Придут на отработку"</h2>
            <ul class="plain-list">
                {coming.into_iter().map(|g| view! { <li>{format!("{} — {}", ru::date(g.date), g.student_name)}</li> }).collect_view()}
            </ul>
        </section>
    });
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
        {lesson_marks}
        {guests}
        {coming}
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
            {confirmed.then(|| lessons_left(&row))}
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

/// What the student's passes say: lessons left, or a warning.
fn lessons_left(row: &RosterRow) -> impl IntoView + use<> {
    let credit = (row.on_credit > 0).then(|| format!(" · в долг: {}", row.on_credit));
    if row.lessons_left > 0 {
        let word = ru::plural(row.lessons_left.into(), ["занятие", "занятия", "занятий"]);
        view! { <p class="muted">{format!("Абонемент: осталось {} {word}", row.lessons_left)}{credit}</p> }.into_any()
    } else {
        view! { <p class="pass-warning" role="note">"Нет оплаченных занятий"{credit}</p> }.into_any()
    }
}

/// The whole lesson's marks in one form: a checkbox per student who may be
/// marked on `date`, sent together (`teaching/attendance/session`).
#[component]
fn LessonMarks(rows: Vec<(i32, String, bool)>, date: chrono::NaiveDate) -> impl IntoView {
    let action = ServerAction::<MarkLesson>::new();
    let error = action_error(action);
    let boxes = rows
        .into_iter()
        .map(|(id, name, present)| {
            let box_id = format!("f-present-{id}");
            view! {
                <div class="field field--check">
                    <input type="hidden" name="marked[]" value=id.to_string() />
                    <input type="checkbox" id=box_id.clone() name="attended[]" value=id.to_string() checked=present />
                    <label for=box_id>{name}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="panel">
            <summary>{format!("Отметить всё занятие {}", ru::date(date))}</summary>
            <ActionForm action attr:class="form">
                <FormError error />
                <input type="hidden" name="date" value=date.to_string() />
                <fieldset class="field">
                    <legend>"Кто был на занятии"</legend>
                    {boxes}
                </fieldset>
                <Submit action label="Сохранить посещаемость" />
            </ActionForm>
        </details>
    }
}


/// Students of other lessons who make one up at this lesson: their mark
/// spends their make-up, not a pass.
#[component]
fn MakeupGuests(guests: Vec<crate::passes::wire::MakeupGuest>) -> impl IntoView {
    let action = ServerAction::<MarkMakeup>::new();
    let error = action_error(action);
    let rows = guests
        .into_iter()
        .map(|g| {
            let current = match g.attended {
                Some(true) => "был(а)",
                Some(false) => "не был(а)",
                None => "не отмечен(а)",
            };
            let button = move |present: bool, label: &'static str| view! {
                <ActionForm action attr:class="form form--inline">
                    <input type="hidden" name="credit" value=g.credit_id.to_string() />
                    <input type="hidden" name="present" value=present.to_string() />
                    <Submit action label class="button button--ghost" />
                </ActionForm>
            };
            view! {
                <li>
                    {format!("{} — отработка · {current}", g.student_name)}
                    {button(true, "Был(а)")}
                    {button(false, "Не был(а)")}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>"Отработки на этом занятии"</h2>
            <FormError error />
            <ul class="plain-list">{rows}</ul>
        </section>
    }
}
