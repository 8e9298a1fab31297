//! Payments: the school's books. Invoices a family pays by a bank app's QR
//! code (ГОСТ Р 56042-2014, `domain::payment_qr`) to the school's bank
//! details; payments the office records and refunds; each family's (or
//! adult student's) balance as the sum of its entries.
mod pages;
/// The rules (in transactions); server only.
#[cfg(feature = "ssr")]
pub mod service;
/// The reports' CSV downloads.
#[cfg(feature = "ssr")]
pub mod routes;
pub mod wire;

pub use pages::{BankDetailsPage, MyInvoicePage, MyMoneyPage, MyPayPage, OfficeAccountPage, OfficeInvoicePage, OfficeMoneyPage, PayrollPage, ReportsPage};
pub use wire::*;

use crate::{
    domain::{bank::BankDetails, ledger::PaymentMethod},
    error::AppError,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    server::{
        flash,
        guards::{Office, Student, TeacherScope},
        state,
    },
    ui::FlashKind,
};

/// A student's (or guardian's) money: their own account and their family's.
#[server(endpoint = "payments/mine")]
pub async fn load_my_money() -> Result<Vec<AccountView>, AppError> {
    let me = Student::of_request().await?;
    let db = &state()?.db;
    let mut views = Vec::new();
    for a in service::accounts::accounts_of(db, me.id).await? {
        views.push(service::views::account(db, a).await?);
    }
    Ok(views)
}

/// An invoice with what to pay by, for its family — and for the student it
/// is for (a teenager with a login asks for a pass the family pays).
#[server(endpoint = "payments/invoice")]
pub async fn load_invoice(id: i32) -> Result<InvoiceView, AppError> {
    let me = Student::of_request().await?;
    let db = &state()?.db;
    let mine: Vec<i32> = service::accounts::accounts_of(db, me.id).await?.into_iter().map(|a| a.id).collect();
    service::views::invoice(db, id, |i| mine.contains(&i.account_id) || i.student_id == Some(me.id)).await
}

/// Any invoice, for the office.
#[server(endpoint = "payments/office/invoice")]
pub async fn load_office_invoice(id: i32) -> Result<InvoiceView, AppError> {
    Office::of_request().await?;
    service::views::invoice(&state()?.db, id, |_| true).await
}

/// The office: a person's money, with the forms' keys.
#[server(endpoint = "payments/office/account")]
pub async fn load_office_account(person: i32) -> Result<OfficeAccount, AppError> {
    Office::of_request().await?;
    service::views::office_account(&state()?.db, person).await
}

/// The office: invoices past their due date and accounts that owe.
#[server(endpoint = "payments/office/owed")]
pub async fn load_office_money() -> Result<OfficeMoney, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::lists::office_money(&s.db, s.today()).await
}

/// The office: money that arrived, on an invoice or as an advance.
#[server(endpoint = "payments/record")]
#[allow(clippy::too_many_arguments)]
pub async fn record_payment(
    #[server(default)] invoice: Option<i32>,
    #[server(default)] person: Option<i32>,
    amount: String,
    #[server(default)] paid_on: String,
    method: PaymentMethod,
    #[server(default)] receipt_number: String,
    key: String,
) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let s = state()?;
    let form = service::money::PaymentForm { invoice, person, amount: &amount, paid_on: &paid_on, method, receipt_number: &receipt_number, key: &key };
    service::money::record_payment(&s.db, &office, form, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Оплата записана.");
    Ok(())
}

/// The office: an invoice for whatever it says, to a person's account; the
/// family is told by a letter.
#[server(endpoint = "payments/invoice/issue")]
pub async fn issue_invoice(person: i32, description: String, amount: String, #[server(default)] due_on: String, key: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let s = state()?;
    let form = service::invoices::OfficeInvoiceForm { person, description: &description, amount: &amount, due_on: &due_on, key: &key };
    let inv = service::invoices::issue_by_office(&s.db, &office, form, s.today()).await?;
    service::letters::tell_issued(&s.db, &s.config.site_url, &inv).await?;
    flash::set_for_plain_form(FlashKind::Success, &format!("Счёт № {} выставлен.", inv.number()));
    Ok(())
}

/// The office: an invoice nothing was paid on, cancelled with a reason.
#[server(endpoint = "payments/invoice/cancel")]
pub async fn cancel_invoice(id: i32, reason: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    service::invoices::cancel(&state()?.db, &office, id, &reason).await?;
    flash::set_for_plain_form(FlashKind::Success, "Счёт отменён.");
    Ok(())
}

/// The office: money given back from a payment, with a reason.
#[server(endpoint = "payments/refund")]
pub async fn refund_payment(entry: i32, amount: String, reason: String, key: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    service::money::refund(&state()?.db, &office, entry, &amount, &reason, &key).await?;
    flash::set_for_plain_form(FlashKind::Success, "Возврат записан.");
    Ok(())
}

/// The office: the school's bank details, none until it writes them.
#[server(endpoint = "payments/bank")]
pub async fn load_bank_details() -> Result<Option<BankDetails>, AppError> {
    Office::of_request().await?;
    Ok(crate::server::settings::bank_details(&state()?.db).await?)
}

/// The office: the school's bank details, each field checked.
#[server(endpoint = "payments/bank/save")]
pub async fn save_bank_details(
    payee: String,
    inn: String,
    #[server(default)] kpp: String,
    account: String,
    bank_name: String,
    bic: String,
    correspondent_account: String,
) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let typed = BankDetails { payee, inn, kpp, account, bank_name, bic, correspondent_account };
    service::bank::set_bank_details(&state()?.db, &office, &typed).await?;
    flash::set_for_plain_form(FlashKind::Success, "Реквизиты сохранены.");
    Ok(())
}

/// The period a report form asks for; this month when it asks for none.
#[cfg(feature = "ssr")]
fn period(from: &str, to: &str) -> Result<crate::domain::report::Period, AppError> {
    Ok(crate::domain::report::Period::parse(from, to, state()?.today()))
}

/// The office: revenue, refunds and debts for any period.
#[server(endpoint = "payments/reports")]
pub async fn load_money_reports(#[server(default)] from: String, #[server(default)] to: String) -> Result<MoneyReports, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::reports::money_reports(&s.db, period(&from, &to)?, s.config.time_zone).await
}

/// The office: every teacher's pay for a period.
#[server(endpoint = "payments/payroll")]
pub async fn load_payroll(#[server(default)] from: String, #[server(default)] to: String) -> Result<Payroll, AppError> {
    Office::of_request().await?;
    service::payroll::payroll(&state()?.db, period(&from, &to)?).await
}

/// The office: what a teacher is paid, per lesson or per student present.
#[server(endpoint = "payments/payroll/rate")]
pub async fn set_pay_rate(teacher: i32, basis: String, rate: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    service::payroll::set_rate(&state()?.db, &office, teacher, &basis, &rate).await?;
    flash::set_for_plain_form(FlashKind::Success, "Ставка сохранена.");
    Ok(())
}

/// A teacher's own line of the payroll: the only money a teacher sees.
#[server(endpoint = "payments/payroll/mine")]
pub async fn load_my_pay(#[server(default)] from: String, #[server(default)] to: String) -> Result<MyPay, AppError> {
    let me = TeacherScope::of_request().await?;
    service::payroll::my_pay(&state()?.db, &me, period(&from, &to)?).await
}
