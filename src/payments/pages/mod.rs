//! The pages of payments: the family's money and invoices, the office's
//! view of a person's account, the school's bank details.
mod bank;
mod family;
mod invoice;
mod office;
mod owed;
mod payroll;
mod reports;

pub use bank::BankDetailsPage;
pub use family::{MyInvoicePage, MyMoneyPage};
pub use office::{OfficeAccountPage, OfficeInvoicePage};
pub use owed::OfficeMoneyPage;
pub use payroll::{MyPayPage, PayrollPage};
pub use reports::ReportsPage;

use crate::{
    domain::{ledger::MoneyKind, money::Kopecks, report::Period, ru},
    payments::{DebtorRow, MoneyEntryView},
    ui::{DataTable, FilterForm},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

/// «Аванс 300 ₽», «Долг 3 200 ₽», «Всё оплачено».
fn balance_text(balance: Kopecks) -> String {
    match balance.0 {
        0 => "Всё оплачено".into(),
        b if b > 0 => format!("Аванс {balance}"),
        b => format!("Долг {}", Kopecks(-b)),
    }
}

/// An account's entries, newest first, as a table.
#[component]
fn EntriesTable(entries: Vec<MoneyEntryView>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"Платежей пока нет."</p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| {
            let what = match (e.kind, &e.invoice_number) {
                (MoneyKind::Charge, Some(n)) => format!("Счёт № {n}"),
                (kind, Some(n)) => format!("{} · счёт № {n}", kind.label()),
                (MoneyKind::Payment, None) => "Оплата · аванс".into(),
                (kind, None) => kind.label().into(),
            };
            let how = [e.method.map(|m| m.label().to_string()), e.receipt_number.map(|r| format!("чек {r}")), e.reason]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            let day = e.paid_on.unwrap_or_else(|| e.at.date_naive());
            view! {
                <tr>
                    <td>{ru::date(day)}</td>
                    <td>{what}</td>
                    <td>{how}</td>
                    <td class="num">{e.amount.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! { <DataTable caption="История платежей" headers=&["Дата", "Что", "Как", "Сумма"]>{rows}</DataTable> }
    .into_any()
}

/// The period the address asks for (`?from=…&to=…`), as the report server
/// functions take it; the server reads empty or wrong dates as this month.
fn period_query() -> impl Fn() -> (String, String) + Copy {
    let query = use_query_map();
    move || {
        let q = query.read();
        (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())
    }
}

/// The period of a report: its first and last day.
#[component]
fn PeriodForm(action: &'static str, period: Period) -> impl IntoView {
    view! {
        <FilterForm action=action inline=true label="Период">
            <div class="field">
                <label for="f-from">"С"</label>
                <input id="f-from" type="date" name="from" value=period.from.to_string() />
            </div>
            <div class="field">
                <label for="f-to">"По"</label>
                <input id="f-to" type="date" name="to" value=period.to.to_string() />
            </div>
        </FilterForm>
    }
}

/// A report's CSV for Excel, for the same period (a plain download).
fn csv_link(report: &'static str, p: Period) -> impl IntoView {
    let href = format!("/admin/reports/{report}.csv?from={}&to={}", p.from, p.to);
    view! { <p><a href=href rel="external" download="">"Скачать CSV для Excel"</a></p> }
}

/// Who owes, the largest debt first, each a link to their money page.
#[component]
fn DebtorsTable(rows: Vec<DebtorRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"Должников нет."</p> }.into_any();
    }
    let rows = rows
        .into_iter()
        .map(|r| {
            let name = match r.person {
                Some(p) => view! { <A href=format!("/admin/people/{p}/money")>{r.name}</A> }.into_any(),
                None => r.name.into_any(),
            };
            view! { <tr><td>{name}</td><td class="num">{r.debt.to_string()}</td></tr> }
        })
        .collect_view();
    view! { <DataTable caption="Должники" headers=&["Кто", "Долг"]>{rows}</DataTable> }.into_any()
}
