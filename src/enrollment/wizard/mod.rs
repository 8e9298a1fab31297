//! The enrollment wizard: who → teacher → format and partner → period → summary →
//! confirm. Every step is a plain GET form carrying the earlier choices, so
//! the wizard works before the wasm bundle loads; once it has, the router
//! turns those submissions into in-page navigations and the period step
//! shows free seats live as the dates change.
mod steps;

use super::{Draft, RawChoice, Step, enrollment_draft};
use steps::{FormatStep, PeriodStep, SummaryStep, TeacherStep, WhoStep};
use crate::{
    domain::{CourseFormat, ru},
    error::AppError,
    ui::{ErrorView, Loading, route_address, url_encode},
    viewer::{Audience, Gate},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::A,
    hooks::use_query_map,
    params::ParamsMap,
};

/// The choices of a draft as form values.
fn choice_of(d: &Draft) -> RawChoice {
    RawChoice {
        member: if d.members.is_empty() { String::new() } else { d.member.map(|m| m.to_string()).unwrap_or_default() },
        teacher_id: d.teacher_id.map(|t| t.to_string()).unwrap_or_default(),
        format: d.format.map(CourseFormat::slug).unwrap_or_default().to_string(),
        partner_email: d.partner_email.clone(),
        partner_member: d.partner_member.map(|m| m.to_string()).unwrap_or_default(),
        period_start: d.period.start.to_string(),
        period_end: d.period.end.to_string(),
    }
}

fn pairs(c: &RawChoice) -> [(&'static str, String); 7] {
    [
        ("member", c.member.clone()),
        ("teacher_id", c.teacher_id.clone()),
        ("format", c.format.clone()),
        ("partner_email", c.partner_email.clone()),
        ("partner_member", c.partner_member.clone()),
        ("period_start", c.period_start.clone()),
        ("period_end", c.period_end.clone()),
    ]
}

/// The address of `step` with every choice made so far.
fn step_href(d: &Draft, step: Step) -> String {
    let mut query = format!("step={}", step.slug());
    for (name, value) in pairs(&choice_of(d)) {
        if !value.is_empty() {
            query.push_str(&format!("&{name}={}", url_encode(&value)));
        }
    }
    format!("{}?{query}", wizard_path(d))
}

/// The wizard's own address: beside the course page's readable one.
fn wizard_path(d: &Draft) -> String {
    format!("{}/enroll", d.course.path)
}

/// Hidden inputs carrying the choices that `step` does not ask for.
fn carried(d: &Draft, step: Step) -> impl IntoView + use<> {
    pairs(&choice_of(d))
        .into_iter()
        .filter(|(name, value)| !step.fields().contains(name) && !value.is_empty())
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view()
}

/// The draft's problems with the fields of `step`, as a form error.
fn step_errors(d: &Draft, step: Step) -> Signal<Option<AppError>> {
    let errors: Vec<_> = d.errors.iter().filter(|e| step.fields().contains(&e.field.as_str())).cloned().collect();
    Signal::stored((!errors.is_empty()).then_some(AppError::Invalid(errors)))
}

#[component]
pub fn EnrollPage() -> impl IntoView {
    let query = use_query_map();
    let draft = draft_of_address(query);
    let requested = Memo::new(move |_| query.read().get("step").and_then(|s| Step::from_slug(&s)));
    // Visitors reach this page from the public course pages: the gate asks
    // them to sign in (the draft's own answer to them is a refusal too).
    view! {
        <Title text="Запись на курс" />
        <Meta name="robots" content="noindex" />
        <Gate audience=Audience::SignedIn>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(d) => {
                            let step = requested.get().map_or(d.first_open_step, |r| r.min(d.first_open_step));
                            view! { <Wizard d step /> }.into_any()
                        }
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Gate>
    }
}

/// The draft of the course in the address with the choices in its query,
/// made by the page itself (see `ui::route` on where resources are made).
fn draft_of_address(query: Memo<ParamsMap>) -> Resource<Result<Draft, AppError>> {
    let address = route_address();
    Resource::new(
        move || {
            let q = query.read();
            let value = |name: &str| q.get(name).unwrap_or_default();
            let choice = RawChoice {
                member: value("member"),
                teacher_id: value("teacher_id"),
                format: value("format"),
                partner_email: value("partner_email"),
                partner_member: value("partner_member"),
                period_start: value("period_start"),
                period_end: value("period_end"),
            };
            (address(), choice)
        },
        |(address, choice)| enrollment_draft(address, choice),
    )
}

#[component]
fn Wizard(d: Draft, step: Step) -> impl IntoView {
    let course_href = d.course.path.clone();
    // «Кого записываем?» is asked only of people with a family.
    let asks_who = !d.members.is_empty();
    let progress = Step::ALL
        .into_iter()
        .filter(|&s| asks_who || s != Step::Who)
        .enumerate()
        .map(|(number, s)| {
            let label = format!("{}. {}", number + 1, s.title());
            if s == step {
                view! { <li aria-current="step"><span>{label}</span></li> }.into_any()
            } else if s < step {
                view! { <li class="done"><A href=step_href(&d, s)>{label}</A></li> }.into_any()
            } else {
                view! { <li><span>{label}</span></li> }.into_any()
            }
        })
        .collect_view();
    let body = match step {
        Step::Who => view! { <WhoStep d=d.clone() /> }.into_any(),
        Step::Teacher => view! { <TeacherStep d=d.clone() /> }.into_any(),
        Step::Format => view! { <FormatStep d=d.clone() /> }.into_any(),
        Step::Period => view! { <PeriodStep d=d.clone() /> }.into_any(),
        Step::Summary => view! { <SummaryStep d=d.clone() /> }.into_any(),
    };
    let term = ru::date_range(d.course.term_start, d.course.term_end);
    let (title, crumb) = (d.course.title.clone(), d.course.title.clone());
    view! {
        <section class="wizard">
            <p class="breadcrumbs">
                <A href=course_href>{crumb}</A>
            </p>
            <h1>"Запись на курс"</h1>
            <p class="muted">{title} " · " {term}</p>
            <nav aria-label="Шаги записи">
                <ol class="steps">{progress}</ol>
            </nav>
            {body}
        </section>
    }
}
