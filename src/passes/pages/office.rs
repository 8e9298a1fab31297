//! The office's side of passes: a person's passes on their page (sell,
//! confirm a request as paid, freeze), and a course's prices and pass types.
use super::{Credits, PassCard};
use crate::{
    domain::{CourseId, makeup::PassRules, pass::PassStatus, ru},
    passes::{
        AddPassType, ConfirmPass, CoursePricing, FormatPrices, FreezeCourse, FreezePass, PassTypeView, PassView,
        PersonPasses, SavePassRules, SavePrices, SellPass, SetPassTypeOnSale, load_pass_rules, load_pricing,
    },
    ui::{ActionEpoch, CheckField, Field, FormError, FormSuccess, Loading, SelectField, Submit, action_error, load_or_missing, result_view, route_id},
    viewer::{Gate, OFFICE},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn PersonPassesPanel(passes: PersonPasses) -> impl IntoView {
    let sell = ServerAction::<SellPass>::new();
    let error = action_error(sell);
    let options = passes
        .offers
        .iter()
        .map(|o| {
            let t = &o.pass_type;
            view! { <option value=t.id.to_string()>{format!("{} · {} · {}", o.course_title, t.name, t.price)}</option> }
        })
        .collect_view();
    let cards = passes.passes.into_iter().map(|pass| view! { <OfficePass pass /> }).collect_view();
    view! {
        <section class="panel">
            <h2>"Абонементы"</h2>
            <div class="enrollment-list">{cards}</div>
            <Credits credits=passes.credits />
            {(!passes.offers.is_empty()).then(|| view! {
                <h3>"Продать абонемент"</h3>
                <ActionForm action=sell attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="student" value=passes.student.to_string() />
                    <input type="hidden" name="key" value=passes.sale_key.clone() />
                    <SelectField label="Абонемент" name="pass_type" id="f-pass-type" error>{options}</SelectField>
                    <Field label="Начало действия" name="valid_from" kind="date" id="f-pass-from" hint="Пусто — с сегодняшнего дня." error />
                    <Submit action=sell label="Продать абонемент" />
                </ActionForm>
            })}
        </section>
    }
}

/// A pass with the office's actions: start a requested one before it is
/// paid (its invoice stays owed; paying it starts the pass by itself),
/// freeze a running one. Each card has its own actions, so an error shows
/// beside its own form.
#[component]
fn OfficePass(pass: PassView) -> impl IntoView {
    let confirm = ServerAction::<ConfirmPass>::new();
    let freeze = ServerAction::<FreezePass>::new();
    let (confirm_error, freeze_error) = (action_error(confirm), action_error(freeze));
    let id = pass.id.to_string();
    let actions = match pass.status {
        PassStatus::Requested => view! {
            <ActionForm action=confirm attr:class="form form--inline">
                <FormError error=confirm_error />
                <input type="hidden" name="id" value=id.clone() />
                <Submit action=confirm label="Начать до оплаты" class="button button--ghost" />
            </ActionForm>
        }
        .into_any(),
        PassStatus::Active | PassStatus::Frozen => view! {
            <details>
                <summary>"Заморозить"</summary>
                <ActionForm action=freeze attr:class="form" attr:novalidate=true>
                    <FormError error=freeze_error />
                    <input type="hidden" name="id" value=id.clone() />
                    <Field label="С" name="from" kind="date" id=format!("f-freeze-from-{id}") error=freeze_error />
                    <Field label="По" name="until" kind="date" id=format!("f-freeze-until-{id}") error=freeze_error />
                    <Field label="Причина" name="reason" id=format!("f-freeze-reason-{id}") error=freeze_error />
                    <Submit action=freeze label="Заморозить абонемент" class="button button--ghost" />
                </ActionForm>
            </details>
        }
        .into_any(),
        PassStatus::UsedUp | PassStatus::Expired => ().into_any(),
    };
    view! { <PassCard pass /> {actions} }
}

#[component]
pub fn PricingPage() -> impl IntoView {
    let id = route_id();
    let epoch = expect_context::<ActionEpoch>();
    let pricing = Resource::new(move || (id(), epoch.0.get()), |(id, _)| load_or_missing(id.map(CourseId), load_pricing));
    // Read once: the form stays as typed after a save.
    let rules = Resource::new(|| (), |_| load_pass_rules());
    view! {
        <Title text="Цены курса — администрирование" />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
            <Transition fallback=Loading>
                {move || Suspend::new(async move { result_view(pricing.await, |p| view! { <Pricing p /> }) })}
            </Transition>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(rules.await, |rules| view! { <PassRulesPanel rules /> }) })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn Pricing(p: CoursePricing) -> impl IntoView {
    let course = p.course_id;
    let formats = p
        .formats
        .iter()
        .map(|&format| {
            let current = p.prices.formats.iter().find(|f| f.format == format).cloned();
            let types: Vec<PassTypeView> = p.prices.pass_types.iter().filter(|t| t.format == format).cloned().collect();
            let key = format!("{}-{}", p.form_key, format.slug());
            view! { <FormatPricing course format current types key /> }
        })
        .collect_view();
    let freeze = ServerAction::<FreezeCourse>::new();
    let freeze_error = action_error(freeze);
    let title = p.course_title;
    let crumb = title.clone();
    view! {
        <p class="breadcrumbs">
            <A href="/admin/courses">"Курсы"</A> " / " <A href=format!("/admin/courses/{course}")>{crumb}</A>
        </p>
        <h1>"Цены и абонементы: " {title}</h1>
        {formats}
        <section class="panel">
            <h2>"Заморозить все абонементы курса"</h2>
            <p class="muted">"Школа закрыта (праздники, ремонт): сроки всех действующих абонементов продлятся на эти дни."</p>
            <ActionForm action=freeze attr:class="form" attr:novalidate=true>
                <FormError error=freeze_error />
                <input type="hidden" name="course_id" value=course.to_string() />
                <Field label="С" name="from" kind="date" id="f-course-freeze-from" error=freeze_error />
                <Field label="По" name="until" kind="date" id="f-course-freeze-until" error=freeze_error />
                <Field label="Причина" name="reason" id="f-course-freeze-reason" error=freeze_error />
                <Submit action=freeze label="Заморозить все" class="button button--ghost" />
            </ActionForm>
        </section>
    }
}

#[component]
fn FormatPricing(course: i32, format: crate::domain::CourseFormat, current: Option<FormatPrices>, types: Vec<PassTypeView>, key: String) -> impl IntoView {
    let save = ServerAction::<SavePrices>::new();
    let add = ServerAction::<AddPassType>::new();
    let on_sale = ServerAction::<SetPassTypeOnSale>::new();
    let (save_error, add_error) = (action_error(save), action_error(add));
    let slug = format.slug();
    let rows = types
        .into_iter()
        .map(|t| {
            let state = if t.on_sale { "в продаже" } else { "снят с продажи" };
            view! {
                <li>
                    {format!("{} · {} {} · {} дн. · {} · {state}", t.name, t.lessons,
                        ru::plural(t.lessons.into(), ["занятие", "занятия", "занятий"]), t.valid_days, t.price)}
                    <ActionForm action=on_sale attr:class="form form--inline">
                        <input type="hidden" name="id" value=t.id.to_string() />
                        {(!t.on_sale).then(|| view! { <input type="hidden" name="on_sale" value="on" /> })}
                        <Submit action=on_sale label=if t.on_sale { "Снять с продажи" } else { "Вернуть в продажу" } class="button button--ghost" />
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>{format!("Формат: {}", format.label())}</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error=save_error />
                <input type="hidden" name="course_id" value=course.to_string() />
                <input type="hidden" name="format" value=slug />
                <Field label="Цена занятия, ₽" name="lesson_price" id=format!("f-lesson-{slug}") value=current.as_ref().map(|c| c.lesson.typed()).unwrap_or_default() error=save_error />
                <Field label="Пробное занятие, ₽" name="trial_price" id=format!("f-trial-{slug}") value=current.as_ref().map(|c| c.trial.typed()).unwrap_or_default() hint="0 — бесплатно." error=save_error />
                <Submit action=save label="Сохранить цены" />
            </ActionForm>
            <h3>"Абонементы"</h3>
            <ul class="plain-list">{rows}</ul>
            <ActionForm action=add attr:class="form" attr:novalidate=true>
                <FormError error=add_error />
                <input type="hidden" name="course_id" value=course.to_string() />
                <input type="hidden" name="format" value=slug />
                <input type="hidden" name="key" value=key />
                <Field label="Название абонемента" name="name" id=format!("f-pass-name-{slug}") error=add_error />
                <Field label="Занятий" name="lessons" kind="number" id=format!("f-pass-lessons-{slug}") error=add_error />
                <Field label="Действует, дней" name="valid_days" kind="number" id=format!("f-pass-days-{slug}") error=add_error />
                <Field label="Цена абонемента, ₽" name="price" id=format!("f-pass-price-{slug}") error=add_error />
                <Submit action=add label="Добавить абонемент" />
            </ActionForm>
        </section>
    }
}

/// The school's rules for passes, for every course.
#[component]
pub fn PassRulesPanel(rules: PassRules) -> impl IntoView {
    let save = ServerAction::<SavePassRules>::new();
    let error = action_error(save);
    view! {
        <section class="panel">
            <h2>"Правила абонементов для всей школы"</h2>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error />
                <CheckField label="Списывать занятие за пропуск без предупреждения" name="absence_written_off" checked=rules.absence_written_off error />
                <Field label="Предупредить о пропуске — не позже чем за столько часов" name="notice_hours" kind="number" value=rules.notice_hours.to_string() error />
                <Field label="Отработать пропуск можно в течение, дней" name="makeup_days" kind="number" value=rules.makeup_days.to_string() error />
                <FormSuccess action=save text="Правила сохранены." />
                <Submit action=save label="Сохранить правила" />
            </ActionForm>
        </section>
    }
}
