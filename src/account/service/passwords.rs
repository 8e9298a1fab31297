//! Passwords: the reset link and a change while signed in. Either ends
//! every other session and says so by mail.
use super::common::*;
use crate::{
    domain::Email,
    error::AppError,
    server::{
        auth,
        entities::user,
        links, mail, password, throttle,
        tokens::{self, Purpose},
    },
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use std::net::IpAddr;

/// Sends a reset link if the address belongs to an active account; answers
/// the same either way.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    site: &url::Url,
    email: &str,
    client: IpAddr,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let txn = crate::server::db::write(db).await?;
    // Counted for every address, known or not: the answer never differs.
    if !throttle::may_send_letter(&txn, email.as_str(), client).await? {
        txn.commit().await?;
        return Ok(());
    }
    if let Some(u) = find_by_email(&txn, &email).await?.filter(|u| u.is_active) {
        let token = tokens::issue(&txn, &u, Purpose::ResetPassword, None).await?;
        mail::enqueue(&txn, mail::compose(
            &u.email, &u.full_name, "Восстановление пароля",
            &["Мы получили запрос на смену пароля на сайте школы.", "Ссылка действует один час и только один раз. Если вы не запрашивали смену пароля, ничего не делайте — пароль останется прежним."],
            Some(("Задать новый пароль", &links::with_token(site, "reset-password", &token))),
        )).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link. Does not log the user in.
pub async fn reset_password(db: &DatabaseConnection, token: &str, password: String, confirm: &str) -> Result<(), AppError> {
    check_new_password(&password, confirm, "password")?;
    let hash = password::hash(password).await;
    let txn = crate::server::db::write(db).await?;
    let (u, _) = tokens::redeem(&txn, token, Purpose::ResetPassword).await?;
    let mut active: user::ActiveModel = u.clone().into();
    new_password(&mut active, &u, hash);
    // The link came to this address: it is confirmed now.
    if u.email_verified_at.is_none() {
        active.email_verified_at = Set(Some(Utc::now()));
    }
    active.update(&txn).await?;
    auth::end_sessions_of(&txn, u.id, None).await?;
    mail::enqueue(&txn, password_changed_mail(&u)).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in user; returns the new session's
/// cookie value (the current device stays signed in, others are signed out).
pub async fn change_password(
    db: &DatabaseConnection,
    u: &user::Model,
    current: String,
    new: String,
    confirm: &str,
) -> Result<String, AppError> {
    if !password::verify(current, Some(u.password_hash.clone())).await {
        return Err(AppError::field("current_password", "Текущий пароль указан неверно."));
    }
    check_new_password(&new, confirm, "new_password")?;
    let hash = password::hash(new).await;
    let txn = crate::server::db::write(db).await?;
    let mut active: user::ActiveModel = u.clone().into();
    new_password(&mut active, u, hash);
    let updated = active.update(&txn).await?;
    auth::end_sessions_of(&txn, u.id, None).await?;
    let token = auth::start_session(&txn, &updated, false, None).await?;
    mail::enqueue(&txn, password_changed_mail(u)).await?;
    txn.commit().await?;
    Ok(token)
}
