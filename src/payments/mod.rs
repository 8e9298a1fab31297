//! Payments: the school's bank details, by which families pay invoices
//! with a bank app's QR code (ГОСТ Р 56042-2014, `domain::payment_qr`).
//! Invoices, the money ledger and its reports grow here (issue #34).
mod pages;
/// The rules (in transactions); server only.
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::BankDetailsPage;

use crate::{domain::bank::BankDetails, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    server::{flash, guards::Office, state},
    ui::FlashKind,
};

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
