//! The school's bank details, stored once checked, each change audited.
use crate::{
    domain::bank::BankDetails,
    error::AppError,
    server::{audit, guards::Office, settings},
};
use sea_orm::DatabaseConnection;
use serde_json::json;

/// Checks and stores the details; every bad field is named and nothing is
/// stored then.
pub async fn set_bank_details(db: &DatabaseConnection, office: &Office, typed: &BankDetails) -> Result<BankDetails, AppError> {
    let details = BankDetails::check(typed).map_err(AppError::fields)?;
    let txn = crate::server::db::write(db).await?;
    let before = settings::bank_details(&txn).await?;
    let stored = serde_json::to_string(&details).map_err(|_| AppError::Internal)?;
    settings::put(&txn, settings::BANK_DETAILS, &stored).await?;
    audit::record(&txn, office, "update", "setting", None, json!({ "bank_details": [before, details] })).await?;
    txn.commit().await?;
    Ok(details)
}
