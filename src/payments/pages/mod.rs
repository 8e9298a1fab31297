//! The pages of payments: the family's money and invoices, the office's
//! view of a person's account, the school's bank details.
mod bank;
mod family;
mod invoice;
mod office;
mod owed;

pub use bank::BankDetailsPage;
pub use family::{MyInvoicePage, MyMoneyPage};
pub use office::{OfficeAccountPage, OfficeInvoicePage};
pub use owed::OfficeMoneyPage;

use crate::{
    domain::{ledger::MoneyKind, money::Kopecks, ru},
    payments::MoneyEntryView,
    ui::DataTable,
};
use leptos::prelude::*;

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
