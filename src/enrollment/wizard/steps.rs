//! The wizard's steps, each a form of its own (see the module above on why
//! they are GET forms that carry the other steps' choices).
use super::{carried, choice_of, pairs, step_errors, step_href, wizard_path};
use crate::{
    domain::{CourseFormat, ru},
    enrollment::{Draft, Enroll, PeriodSeats, SeatsView, Step},
    error::AppError,
    ui::{Field, FormError, SelectField, Submit, action_error, without_nameless_fields},
};
use leptos::prelude::*;
use leptos_router::components::{A, Form};


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
pub(super) fn WhoStep(d: Draft) -> impl IntoView {
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
pub(super) fn TeacherStep(d: Draft) -> impl IntoView {
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
pub(super) fn FormatStep(d: Draft) -> impl IntoView {
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
                    <SiblingChoice d=d.clone() error />
                </div>
            })}
        </StepForm>
    }
}

/// A guardian booking a child in pairs may name a brother or sister instead
/// of an address; shown only when the family has another child.
#[component]
fn SiblingChoice(d: Draft, error: Signal<Option<AppError>>) -> impl IntoView {
    let siblings: Vec<_> = d.members.iter().skip(1).filter(|m| Some(m.id) != d.member).cloned().collect();
    (!siblings.is_empty()).then(|| {
        let options = siblings
            .into_iter()
            .map(|m| {
                let selected = d.partner_member == Some(m.id);
                view! { <option value=m.id.to_string() selected=selected>{m.name}</option> }
            })
            .collect_view();
        view! {
            <SelectField label="Или партнёр из семьи" name="partner_member" error>
                <option value="">"— не из семьи —"</option>
                {options}
            </SelectField>
        }
    })
}

#[component]
pub(super) fn PeriodStep(d: Draft) -> impl IntoView {
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
pub(super) fn SummaryStep(d: Draft) -> impl IntoView {
    let action = ServerAction::<Enroll>::new();
    let error = action_error(action);
    let teacher = d.course.teachers.iter().find(|t| Some(t.id) == d.teacher_id).map(|t| t.name.clone());
    let format = d.format.unwrap_or(CourseFormat::Personal);
    let partner = match (format, &d.partner_name) {
        (CourseFormat::Pair, Some(name)) if d.partner_member.is_some() => name.clone(),
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

fn seats_text(seats: SeatsView) -> String {
    if seats.free <= 0 {
        "На этот период мест нет — можно встать в лист ожидания.".to_string()
    } else if !seats.fits {
        format!("На этот период осталось {} {}: для пары не хватает.", seats.free, ru::plural(seats.free.into(), ["место", "места", "мест"]))
    } else {
        format!("На этот период {}", ru::availability(seats.free, seats.capacity).to_lowercase())
    }
}
