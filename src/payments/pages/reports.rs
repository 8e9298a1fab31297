//! The office's «Отчёты»: revenue by day, month, course and way of paying,
//! refunds and debts, for any period, each with its CSV for Excel.
use super::{DebtorsTable, PeriodForm, csv_link, period_query};
use crate::{
    admin::OfficePage,
    domain::{
        report::{Period, RevenueRow, revenue_total},
        ru,
    },
    payments::{MoneyReports, RefundRow, load_money_reports},
    ui::{DataTable, Loading, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let data = Resource::new(period_query(), |(from, to)| load_money_reports(from, to));
    view! {
        <OfficePage title="Отчёты">
            <p><A href="/admin/payroll">"Зарплата педагогов"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |r| view! { <Reports r /> }) })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn Reports(r: MoneyReports) -> impl IntoView {
    let p = r.period;
    view! {
        <PeriodForm action="/admin/reports" period=p />
        <RevenueTable title="Выручка по месяцам" headers=&["Месяц", "Поступило", "Возвраты", "Итого"] report="months" period=p rows=r.by_month />
        <RevenueTable title="Выручка по курсам" headers=&["Курс", "Поступило", "Возвраты", "Итого"] report="courses" period=p rows=r.by_course />
        <RevenueTable title="Выручка по способам оплаты" headers=&["Способ", "Поступило", "Возвраты", "Итого"] report="methods" period=p rows=r.by_method />
        <RevenueTable title="Выручка по дням" headers=&["День", "Поступило", "Возвраты", "Итого"] report="days" period=p rows=r.by_day />
        <section class="panel">
            <h2>"Возвраты"</h2>
            <Refunds rows=r.refunds />
            {csv_link("refunds", p)}
        </section>
        <section class="panel">
            <h2>"Долги на сегодня"</h2>
            <DebtorsTable rows=r.debtors />
            {csv_link("debts", p)}
        </section>
    }
}

fn revenue_cells(r: RevenueRow) -> impl IntoView {
    view! {
        <td class="num">{r.payments.to_string()}</td>
        <td class="num">{r.refunds.to_string()}</td>
        <td class="num">{r.net().to_string()}</td>
    }
}

/// A revenue report: what arrived, what went back, the difference.
#[component]
fn RevenueTable(title: &'static str, headers: &'static [&'static str], report: &'static str, period: Period, rows: Vec<RevenueRow>) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="empty">"За этот период денег не было."</p> }.into_any()
    } else {
        let total = revenue_total(&rows);
        let totals = view! { <tr><th scope="row">"Итого"</th>{revenue_cells(total)}</tr> }.into_any();
        let rows = rows.into_iter().map(|r| view! { <tr><td>{r.label.clone()}</td>{revenue_cells(r)}</tr> }).collect_view();
        view! { <DataTable caption=title headers totals>{rows}</DataTable> }.into_any()
    };
    view! {
        <section class="panel">
            <h2>{title}</h2>
            {body}
            {csv_link(report, period)}
        </section>
    }
}

#[component]
fn Refunds(rows: Vec<RefundRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"Возвратов не было."</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|r| view! {
            <tr>
                <td>{ru::date(r.day)}</td>
                <td>{r.payer}</td>
                <td class="num">{r.amount.to_string()}</td>
                <td>{r.reason}</td>
            </tr>
        })
        .collect_view();
    view! { <DataTable caption="Возвраты" headers=&["Дата", "Кто", "Сумма", "Причина"]>{rows}</DataTable> }.into_any()
}
