//! The enrollment wizard: teacher → format and partner → period → summary →
//! confirm. Every step is a plain GET form carrying the earlier choices, so
//! the wizard works before the wasm bundle loads; once it has, the router
//! turns those submissions into in-page navigations and the period step
//! shows free seats live as the dates change.
use super::{Draft, Enroll, PeriodSeats, RawChoice, SeatsView, Step, enrollment_draft};
use crate::{
    domain::{CourseFormat, ru},
    error::AppError,
    ui::{ErrorView, Field, FormError, Loading, Submit, action_error, route_address, url_encode, without_nameless_fields},
    viewer::{Audience, Gate},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::{A, Form},
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
        period_start: d.period.start.to_string(),
        period_end: d.period.end.to_string(),
    }
}

fn pairs(c: &RawChoice) -> [(&'static str, String); 6] {
    [
        ("member", c.member.clone()),
        ("teacher_id", c.teacher_id.clone()),
        ("format", c.format.clone()),
        ("partner_email", c.partner_email.clone()),
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

fn seats_text(seats: SeatsView) -> String {
    if seats.free <= 0 {
        "На этот период мест нет — можно встать в лист ожидания.".to_string()
    } else if !seats.fits {
        format!("На этот период осталось {} {}: для пары не хватает.", seats.free, ru::plural(seats.free.into(), ["место", "места", "мест"]))
    } else {
        format!("На этот период {}", ru::availability(seats.free, seats.capacity).to_lowercase())
    }
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

/// A step's GET form: the choices of other steps ride along, and the
/// button leads to the next step.
#[component]
fn StepForm(d: Draft, step: Step, children: Children) -> impl IntoView {
    let action = wizard_path(&d);
    view! {
        <Form method="get" on_form_data=without_nameless_fields() action=action attr:class="form" attr:novalidate=true>
            {carried(&d, step)}
            <input type="hidden" name="step" value=step.next().slug() />
            {children()}
            <div class="form__actions">
                <button type="submit" class="button">"Далее"</button>
            </div>
        </Form>
    }
}

/// One option of a wizard step: value, title and a line about it.
struct Choice {
    value: String,
    title: String,
    about: String,
    checked: bool,
}

/// A group of radio buttons with its error beside it. The only option is
/// chosen already: the step then just asks to go on.
#[component]
fn ChoiceGroup(legend: &'static str, name: &'static str, options: Vec<Choice>, error: Signal<Option<AppError>>) -> impl IntoView {
    let only_one = options.len() == 1;
    let (error_id, described_by) = (format!("f-{name}-error"), format!("f-{name}-error"));
    let options = options
        .into_iter()
        .map(|c| {
            let id = format!("f-{name}-{}", c.value);
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value=c.value checked=c.checked || only_one required=true />
                    <label for=id>
                        <strong>{c.title}</strong>
                        <span class="muted">{c.about}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" aria-describedby=described_by>
            <legend>{legend}</legend>
            {options}
            <p class="field__error" id=error_id>
                {move || error.get().and_then(|e| e.field_message(name).map(str::to_string))}
            </p>
        </fieldset>
    }
}

#[component]
fn WhoStep(d: Draft) -> impl IntoView {
    let error = step_errors(&d, Step::Who);
    if d.members.is_empty() {
        // A person without a family reaches this step only when the course's
        // ages do not fit them: the step says why, and where children are added.
        let message = error.get_untracked().and_then(|e| e.field_message("member").map(str::to_string));
        return view! {
            <p class="form-error" role="alert">{message}</p>
            <p><A href="/my/family">"Добавить ребёнка в семью"</A></p>
        }
        .into_any();
    }
    let options = d
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| Choice {
            value: m.id.to_string(),
            title: if i == 0 { format!("{} (я)", m.name) } else { m.name.clone() },
            about: m.age.clone().unwrap_or_default(),
            checked: d.member == Some(m.id),
        })
        .collect();
    view! {
        <StepForm d=d.clone() step=Step::Who>
            <ChoiceGroup legend="Кого записываем?" name="member" options error />
        </StepForm>
    }
    .into_any()
}

#[component]
fn TeacherStep(d: Draft) -> impl IntoView {
    let options = d
        .course
        .teachers
        .iter()
        .map(|t| Choice {
            value: t.id.to_string(),
            title: t.name.clone(),
            about: t.specialization.clone(),
            checked: d.teacher_id == Some(t.id),
        })
        .collect();
    view! {
        <StepForm d=d.clone() step=Step::Teacher>
            <ChoiceGroup legend="С каким педагогом вы хотите заниматься?" name="teacher_id" options error=step_errors(&d, Step::Teacher) />
        </StepForm>
    }
}

#[component]
fn FormatStep(d: Draft) -> impl IntoView {
    let error = step_errors(&d, Step::Format);
    let options = d
        .course
        .formats
        .iter()
        .map(|&f| Choice {
            value: f.slug().into(),
            title: f.label().into(),
            about: match f {
                CourseFormat::Personal => "Вы занимаетесь в группе сами по себе; занимаете одно место.",
                CourseFormat::Pair => "Вы работаете в паре с партнёром; пара занимает два места.",
            }
            .into(),
            checked: d.format == Some(f),
        })
        .collect();
    let pair_offered = d.course.formats.contains(&CourseFormat::Pair);
    view! {
        <StepForm d=d.clone() step=Step::Format>
            <ChoiceGroup legend="Формат занятий" name="format" options error />
            {pair_offered.then(|| view! {
                <div class="partner-field">
                    <Field
                        label="Электронная почта партнёра (для парного формата)"
                        name="partner_email"
                        kind="email"
                        value=d.partner_email.clone()
                        autocomplete="off"
                        hint="Партнёр должен быть зарегистрирован в школе; он получит приглашение. Можно оставить пустым — пару подберёт педагог."
                        error
                    />
                </div>
            })}
        </StepForm>
    }
}

#[component]
fn PeriodStep(d: Draft) -> impl IntoView {
    let error = step_errors(&d, Step::Period);
    let (course_id, format) = (d.course.id, d.format.unwrap_or(CourseFormat::Personal));
    let start = RwSignal::new(d.period.start.to_string());
    let end = RwSignal::new(d.period.end.to_string());
    // The draft counted the seats of its period; other dates are counted
    // again on the server as they change (an action, not a resource: this
    // step is drawn inside the page's `Suspense`).
    let recount = ServerAction::<PeriodSeats>::new();
    let recount_now = move || {
        recount.dispatch(PeriodSeats {
            course_id,
            format,
            period_start: start.get_untracked(),
            period_end: end.get_untracked(),
        });
    };
    let drafted = d.seats;
    let seats = move || {
        match recount.value().get().unwrap_or(Ok(Some(drafted))) {
            Ok(Some(s)) => seats_text(s),
            Ok(None) => "Выберите даты внутри срока курса.".to_string(),
            Err(e) => e.to_string(),
        }
    };
    let (min, max) = (d.course.term_start.to_string(), d.course.term_end.to_string());
    let date_field = move |label: &'static str, name: &'static str, value: RwSignal<String>| {
        let id = format!("f-{name}");
        let message = move || error.get().and_then(|e| e.field_message(name).map(str::to_string));
        view! {
            <div class="field" class:field--invalid=move || message().is_some()>
                <label for=id.clone()>{label}</label>
                <input
                    id=id.clone()
                    type="date"
                    name=name
                    min=min.clone()
                    max=max.clone()
                    required=true
                    value=value.get_untracked()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        recount_now();
                    }
                    aria-invalid=move || message().map(|_| "true")
                    aria-describedby=format!("{id}-error")
                />
                <p class="field__error" id=format!("{id}-error")>{message}</p>
            </div>
        }
    };
    view! {
        <StepForm d=d.clone() step=Step::Period>
            <p>
                "Занятия идут " {ru::date_range(d.course.term_start, d.course.term_end)}
                ". По умолчанию — весь оставшийся срок курса; можно выбрать часть."
            </p>
            <div class="field-row">
                {date_field("Начало", "period_start", start)}
                {date_field("Окончание", "period_end", end)}
            </div>
            <p class="seats-live" role="status" aria-live="polite">{seats}</p>
        </StepForm>
    }
}

#[component]
fn SummaryStep(d: Draft) -> impl IntoView {
    let action = ServerAction::<Enroll>::new();
    let error = action_error(action);
    let teacher = d.course.teachers.iter().find(|t| Some(t.id) == d.teacher_id).map(|t| t.name.clone());
    let format = d.format.unwrap_or(CourseFormat::Personal);
    let partner = match (format, &d.partner_name) {
        (CourseFormat::Pair, Some(name)) => format!("{name} ({}) — получит приглашение", d.partner_email),
        (CourseFormat::Pair, None) => "подберёт педагог".to_string(),
        _ => String::new(),
    };
    let choice = choice_of(&d);
    let full = !d.seats.fits;
    let who = d.members.iter().find(|m| Some(m.id) == d.member).map(|m| m.name.clone());
    let change = |step: Step| view! { <A href=step_href(&d, step) attr:class="change">"изменить"</A> };
    view! {
        <h2>"Проверьте заявку"</h2>
        <dl class="facts summary">
            {who.map(|name| view! {
                <dt>"Ученик"</dt>
                <dd>{name} " " {change(Step::Who)}</dd>
            })}
            <dt>"Курс"</dt>
            <dd>{d.course.title.clone()}</dd>
            <dt>"Педагог"</dt>
            <dd>{teacher} " " {change(Step::Teacher)}</dd>
            <dt>"Формат"</dt>
            <dd>{format.label()} " " {change(Step::Format)}</dd>
            {(format == CourseFormat::Pair).then(|| view! {
                <dt>"Партнёр"</dt>
                <dd>{partner}</dd>
            })}
            <dt>"Период"</dt>
            <dd>{ru::date_range(d.period.start, d.period.end)} " " {change(Step::Period)}</dd>
            <dt>"Места"</dt>
            <dd>{seats_text(d.seats)}</dd>
        </dl>
        <ActionForm action attr:class="form">
            <FormError error />
            <ul class="form-error-list">
                {move || match error.get() {
                    Some(AppError::Invalid(list)) => list.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view().into_any(),
                    _ => ().into_any(),
                }}
            </ul>
            <input type="hidden" name="course_id" value=d.course.id.to_string() />
            {pairs(&choice).into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
            {if full {
                view! {
                    <input type="hidden" name="waitlist" value="on" />
                    <p>"Мест на этот период нет. Встаньте в лист ожидания: как только место освободится, заявка уйдёт педагогу, а мы вам напишем."</p>
                    <Submit action label="Встать в лист ожидания" />
                }.into_any()
            } else {
                view! {
                    <div class="field field--check">
                        <input type="checkbox" id="f-waitlist" name="waitlist" value="on" checked=true />
                        <label for="f-waitlist">"Если места закончатся раньше, поставить меня в лист ожидания"</label>
                    </div>
                    <Submit action label="Отправить заявку" />
                }.into_any()
            }}
        </ActionForm>
        <p class="muted">"После отправки заявка получит статус «ожидание», пока педагог её не подтвердит."</p>
    }
}
