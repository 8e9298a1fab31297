//! Settings of the school the office changes at run time, one row each in
//! `school_settings`.
use super::entities::school_setting;
use crate::domain::{bank::BankDetails, school::School};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, sea_query::OnConflict};

/// Whether staff must sign in with codes (`"true"` / `"false"`).
pub const STAFF_MFA_REQUIRED: &str = "staff_mfa_required";
/// The text of the privacy policy (152-ФЗ) that registration links to.
pub const PRIVACY_POLICY: &str = "privacy_policy";

/// The policy until the office writes the school's own.
pub const DEFAULT_PRIVACY_POLICY: &str = "Театральная школа «Кулисы» обрабатывает персональные данные учеников \
в соответствии с Федеральным законом № 152-ФЗ «О персональных данных».

Какие данные: имя и фамилия, адрес электронной почты, телефон и контакты, которые вы укажете сами, \
фотографии и видео портфолио, история записей на курсы и отзывы.

Зачем: чтобы вести учётную запись, записывать на занятия, напоминать о них, показывать портфолио \
и отвечать на ваши вопросы. Мы не передаём данные третьим лицам, кроме случаев, предусмотренных законом.

Сколько храним: пока у вас есть учётная запись. Удалить её со всеми данными можно в профиле в любой момент; \
служебные записи (сеансы входа, письма) удаляются автоматически в сроки, указанные в документации школы.

Согласие даётся при регистрации и может быть отозвано удалением учётной записи или письмом в школу.";

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    Ok(school_setting::Entity::find_by_id(key.to_string()).one(db).await?.map(|s| s.value))
}

pub async fn put(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbErr> {
    school_setting::Entity::insert(school_setting::ActiveModel {
        key: Set(key.into()),
        value: Set(value.into()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(school_setting::Column::Key)
            .update_columns([school_setting::Column::Value, school_setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The school's bank details (JSON of [`BankDetails`], checked when stored).
pub const BANK_DETAILS: &str = "bank_details";

/// The school's bank details, none until the office writes them: without
/// them no invoice shows a payment QR code.
pub async fn bank_details(db: &impl ConnectionTrait) -> Result<Option<BankDetails>, DbErr> {
    Ok(get(db, BANK_DETAILS).await?.and_then(|json| serde_json::from_str(&json).ok()))
}

/// The school's own details (JSON of [`School`]).
pub const SCHOOL: &str = "school";

/// The school's details as the office wrote them, or the demo school's.
pub async fn school(db: &impl ConnectionTrait) -> Result<School, DbErr> {
    Ok(get(db, SCHOOL).await?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// Which text of the policy someone agreed to: the start of its SHA-256,
/// kept with each consent a guardian gives for a child.
pub async fn privacy_policy_version(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(super::crypto::token_hash(&privacy_policy(db).await?)[..12].to_string())
}

/// The privacy policy as the office wrote it, or the default.
pub async fn privacy_policy(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(get(db, PRIVACY_POLICY).await?.unwrap_or_else(|| DEFAULT_PRIVACY_POLICY.to_string()))
}

/// The school's rules for passes (JSON of [`PassRules`]).
pub const PASS_RULES: &str = "pass_rules";

/// The rules as the office set them, or the defaults.
pub async fn pass_rules(db: &impl ConnectionTrait) -> Result<crate::domain::makeup::PassRules, DbErr> {
    Ok(get(db, PASS_RULES).await?.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}
