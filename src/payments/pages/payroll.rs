//! Teachers' pay: the office's «Зарплата педагогов» (every teacher's line
//! for a period, its CSV, and each teacher's rate), and a teacher's own
//! «Моя зарплата» — the only money a teacher sees.
use super::{PeriodForm, csv_link, period_query};
use crate::{
    admin::OfficePage,
    domain::{
        money::Kopecks,
        payroll::{PayBasis, PayrollRow},
        ru,
    },
    payments::{MyPay, Payroll, SetPayRate, load_my_pay, load_payroll},
    ui::{ActionEpoch, DataTable, Field, FormError, Loading, SelectField, Submit, action_error, result_view},
    viewer::{Gate, STAFF},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn PayrollPage() -> impl IntoView {
    let period = period_query();
    let epoch = expect_context::<ActionEpoch>();
    let data = Resource::new(move || (period(), epoch.0.get()), |((from, to), _)| load_payroll(from, to));
    view! {
        <OfficePage title="Зарплата педагогов">
            <p><A href="/admin/reports">"Отчёты"</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |p| view! { <PayrollView p /> }) })}
            </Transition>
        </OfficePage>
    }
}

fn pay_cells(r: &PayrollRow) -> impl IntoView + use<> {
    let (lessons, visits, pay) = (r.lessons, r.visits, r.pay.to_string());
    view! {
        <td class="num">{lessons}</td>
        <td class="num">{visits}</td>
        <td class="num">{pay}</td>
    }
}

#[component]
fn PayrollView(p: Payroll) -> impl IntoView {
    let total = PayrollRow {
        lessons: p.rows.iter().map(|r| r.lessons).sum(),
        visits: p.rows.iter().map(|r| r.visits).sum(),
        pay: Kopecks(p.rows.iter().map(|r| r.pay.0).sum()),
        ..Default::default()
    };
    let totals = view! { <tr><th scope="row" colspan="2">"Итого"</th>{pay_cells(&total)}</tr> }.into_any();
    let rows = p
        .rows
        .iter()
        .map(|r| view! {
            <tr>
                <td>{r.name.clone()}</td>
                <td>{format!("{} {}", r.rate.rate, r.rate.basis.label())}</td>
                {pay_cells(r)}
            </tr>
        })
        .collect_view();
    let rates = p.rows.into_iter().map(|r| view! { <RateForm r /> }).collect_view();
    view! {
        <PeriodForm action="/admin/payroll" period=p.period />
        <section class="panel">
            <h2>"Начислено за период"</h2>
            <p class="muted">"Занятие засчитывается, когда на нём отмечена посещаемость: тому педагогу, кто отметил, или единственному педагогу курса."</p>
            <DataTable caption="Зарплата педагогов" headers=&["Педагог", "Ставка", "Занятий", "Учеников", "К выплате"] totals>{rows}</DataTable>
            {(p.unassigned > 0).then(|| view! {
                <p class="notice">{format!("Занятий без педагога: {} — их отметила администрация в курсе с несколькими педагогами.", p.unassigned)}</p>
            })}
            {csv_link("payroll", p.period)}
        </section>
        <section class="panel">
            <h2>"Ставки"</h2>
            <ul class="plain-list">{rates}</ul>
        </section>
    }
}

/// A teacher's rate, with an action of its own so its messages stay beside it.
#[component]
fn RateForm(r: PayrollRow) -> impl IntoView {
    let save = ServerAction::<SetPayRate>::new();
    let error = action_error(save);
    let id = r.teacher_id;
    let bases = PayBasis::ALL.map(|b| view! { <option value=b.slug() selected=b == r.rate.basis>{b.label()}</option> });
    view! {
        <li>
            <details>
                <summary>{format!("{}: {} {}", r.name, r.rate.rate, r.rate.basis.label())}</summary>
                <ActionForm action=save attr:class="form form--inline" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="teacher" value=id.to_string() />
                    <SelectField label="За что" name="basis" id=format!("f-basis-{id}") error>{bases}</SelectField>
                    <Field label="Ставка, ₽" name="rate" id=format!("f-rate-{id}") value=r.rate.rate.typed() error />
                    <Submit action=save label="Сохранить ставку" class="button button--ghost" />
                </ActionForm>
            </details>
        </li>
    }
}

#[component]
pub fn MyPayPage() -> impl IntoView {
    let period = period_query();
    let data = Resource::new(period, |(from, to)| load_my_pay(from, to));
    view! {
        <Title text="Моя зарплата" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STAFF>
            <h1>"Моя зарплата"</h1>
            <p><A href="/teach">"Мои курсы"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |p| view! { <MyPayView p /> }) })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn MyPayView(p: MyPay) -> impl IntoView {
    let r = p.row;
    let lessons = if p.lessons.is_empty() {
        view! { <p class="empty">"За этот период отмеченных занятий нет."</p> }.into_any()
    } else {
        let rows = p
            .lessons
            .into_iter()
            .map(|l| view! { <tr><td>{ru::date(l.day)}</td><td>{l.course_title}</td><td class="num">{l.visits}</td></tr> })
            .collect_view();
        view! { <DataTable caption="Проведённые занятия" headers=&["Дата", "Курс", "Учеников"]>{rows}</DataTable> }.into_any()
    };
    view! {
        <PeriodForm action="/teach/pay" period=p.period />
        <section class="panel">
            <p class="balance"><strong>{format!("К выплате: {}", r.pay)}</strong></p>
            <p>{format!("Ставка: {} {}. Занятий: {}, учеников на них: {}.", r.rate.rate, r.rate.basis.label(), r.lessons, r.visits)}</p>
            {lessons}
        </section>
    }
}
