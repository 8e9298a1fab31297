//! The school's settings the office keeps: sign-in codes for staff, the
//! privacy policy and the school's details.
use super::audit::record;
use crate::{
    domain::{
        school::{School, SchoolForm},
        text::{self, Lines},
    },
    error::AppError,
};
use crate::server::guards::Office;
use sea_orm::DatabaseConnection;
use serde_json::json;

/// The school's rule on sign-in codes for staff.
pub async fn set_staff_mfa(db: &DatabaseConnection, actor: &Office, on: bool) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let before = crate::server::mfa::staff_must_use_codes(&txn).await?;
    crate::server::mfa::set_staff_must_use_codes(&txn, on).await?;
    record(&txn, actor, "update", "setting", None, json!({ "staff_mfa_required": [before, on] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the privacy policy that registration links to, on the record.
pub async fn set_privacy_policy(db: &DatabaseConnection, actor: &Office, raw: &str) -> Result<(), AppError> {
    const MISSING: &str = "Напишите текст политики: без него регистрация невозможна.";
    let policy = text::required(raw, 20_000, Lines::Many, MISSING, "Текст слишком длинный: не больше 20 000 символов.")
        .map_err(|m| AppError::field("policy", m))?;
    let txn = crate::server::db::write(db).await?;
    let before = crate::server::settings::privacy_policy(&txn).await?;
    crate::server::settings::put(&txn, crate::server::settings::PRIVACY_POLICY, &policy).await?;
    record(&txn, actor, "update", "setting", None, json!({ "privacy_policy": [before, policy] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the school's details; every bad field is named.
pub async fn set_school(db: &DatabaseConnection, actor: &Office, form: &SchoolForm) -> Result<(), AppError> {
    let school = School::parse(form).map_err(AppError::fields)?;
    let txn = crate::server::db::write(db).await?;
    let before = crate::server::settings::school(&txn).await?;
    let json = serde_json::to_string(&school).map_err(|_| AppError::Internal)?;
    crate::server::settings::put(&txn, crate::server::settings::SCHOOL, &json).await?;
    record(&txn, actor, "update", "setting", None, json!({ "school": [before, school] })).await?;
    txn.commit().await?;
    Ok(())
}
