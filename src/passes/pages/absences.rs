//! «Пропуски и отработки»: a member's lessons of the coming two weeks, each
//! with a button to warn of an absence, and their make-up credits with the
//! lessons each may be booked into.
use crate::{
    domain::ru,
    passes::{BookMakeup, MakeupView, ReportAbsence, UpcomingLesson},
    ui::{FormError, Submit, action_error},
};
use leptos::prelude::*;

/// The page's two actions: they outlive one rendering of the members (the
/// page is read again after each), and their messages show once, on top.
#[derive(Clone, Copy)]
pub struct AbsenceActions {
    report: ServerAction<ReportAbsence>,
    book: ServerAction<BookMakeup>,
}

impl AbsenceActions {
    pub fn new() -> AbsenceActions {
        AbsenceActions { report: ServerAction::new(), book: ServerAction::new() }
    }

    /// What the last notice said, or why an action failed.
    pub fn result(self) -> impl IntoView {
        let said = move || self.report.value().get().and_then(|r| r.ok()).map(|text| view! { <p class="notice" role="status">{text}</p> });
        view! {
            {said}
            <FormError error=action_error(self.report) />
            <FormError error=action_error(self.book) />
        }
    }
}

#[component]
pub fn Absences(member: String, upcoming: Vec<UpcomingLesson>, makeups: Vec<MakeupView>, actions: AbsenceActions) -> impl IntoView {
    let lessons = upcoming
        .into_iter()
        .map(|l| {
            let member = member.clone();
            let when = format!("{}, {} · {}", ru::date(l.date), l.starts_at.format("%H:%M"), l.course_title);
            let state = match l.told {
                Some(true) => view! { <span class="muted">" · предупредили, будет отработка"</span> }.into_any(),
                Some(false) => view! { <span class="muted">" · предупредили поздно"</span> }.into_any(),
                None => view! {
                    <ActionForm action=actions.report attr:class="form form--inline">
                        <input type="hidden" name="member" value=member />
                        <input type="hidden" name="enrollment_id" value=l.enrollment_id.to_string() />
                        <input type="hidden" name="date" value=l.date.to_string() />
                        <Submit action=actions.report label="Предупредить о пропуске" class="button button--ghost" />
                    </ActionForm>
                }
                .into_any(),
            };
            view! { <li>{when}{state}</li> }
        })
        .collect_view();
    let makeups = makeups.into_iter().map(|m| view! { <Makeup m member=member.clone() actions /> }).collect_view();
    view! {
        <h3>"Пропуски и отработки"</h3>
        <p class="muted">"Предупредите заранее — занятие не спишется, и его можно отработать в другой день."</p>
        <ul class="plain-list">{lessons}</ul>
        <ul class="plain-list">{makeups}</ul>
    }
}

#[component]
fn Makeup(m: MakeupView, member: String, actions: AbsenceActions) -> impl IntoView {
    let head = format!("Отработка за {} ({}), до {}", ru::date(m.missed), m.course_title, ru::date(m.expires_on));
    let state = match (m.booked, m.attended) {
        (Some(b), attended) => {
            let outcome = match attended {
                Some(true) => " — отработано",
                Some(false) => " — пропущено",
                None => "",
            };
            view! { <p>{format!("Назначена: {}, {} · {}{outcome}", ru::date(b.date), b.starts_at.format("%H:%M"), b.course_title)}</p> }.into_any()
        }
        (None, _) if m.options.is_empty() => view! { <p class="muted">"Свободных занятий для отработки в ближайшие две недели нет."</p> }.into_any(),
        (None, _) => {
            let id = format!("f-makeup-{}", m.id);
            let options = m
                .options
                .into_iter()
                .map(|o| {
                    let value = format!("{}:{}", o.course_id, o.date);
                    view! { <option value=value>{format!("{}, {} · {}", ru::date(o.date), o.starts_at.format("%H:%M"), o.course_title)}</option> }
                })
                .collect_view();
            view! {
                <ActionForm action=actions.book attr:class="form">
                    <input type="hidden" name="member" value=member />
                    <input type="hidden" name="credit" value=m.id.to_string() />
                    <div class="field">
                        <label for=id.clone()>"Занятие для отработки"</label>
                        <select id=id name="lesson">{options}</select>
                    </div>
                    <Submit action=actions.book label="Назначить отработку" />
                </ActionForm>
            }
            .into_any()
        }
    };
    view! { <li><strong>{head}</strong> {state}</li> }
}
