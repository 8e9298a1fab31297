//! Creating and finding accounts.
use super::entities::user;
use crate::{domain::{Email, Role, password}, error::AppError};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Creates an administrator (the `kulisy create-admin` command).
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    full_name: &str,
    plain_password: &str,
) -> Result<Email, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    password::check(plain_password).map_err(|m| AppError::field("password", m))?;
    let full_name = full_name.trim();
    if full_name.is_empty() {
        return Err(AppError::field("full_name", "Укажите имя."));
    }
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?.is_some() {
        return Err(AppError::Conflict(format!("Пользователь {email} уже есть.")));
    }
    let hash = super::password::hash(plain_password.to_string()).await;
    let now = Utc::now();
    user::Entity::insert(user::ActiveModel {
        email: Set(email.to_string()),
        password_hash: Set(hash),
        role: Set(Role::Admin),
        full_name: Set(full_name.to_string()),
        is_active: Set(true),
        email_verified_at: Set(Some(now)),
        session_epoch: Set(0),
        failed_logins: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(email)
}
