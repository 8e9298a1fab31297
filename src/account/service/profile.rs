//! What a member changes about themselves: the profile, the address (after
//! the new one is confirmed) and the photo.
use crate::server::addresses::{self, Kind};
use super::common::*;
use crate::{
    domain::{Email, account},
    error::AppError,
    server::{
        auth,
        entities::user,
        links, mail, password, throttle,
        tokens::{self, Purpose},
    },
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection};
use std::net::IpAddr;

pub struct ProfileUpdate {
    pub full_name: String,
    pub phone: String,
    pub contacts: String,
    pub about: String,
}

/// Saves the editable profile fields. Role, e-mail and id are not among them,
/// whatever a form sends.
pub async fn update_profile(db: &impl ConnectionTrait, u: &user::Model, p: ProfileUpdate) -> Result<user::Model, AppError> {
    let mut problems = Problems::default();
    let name = problems.check("full_name", account::clean_name(&p.full_name));
    let phone = problems.check("phone", account::clean_phone(&p.phone));
    let contacts = problems.check("contacts", account::clean_text(&p.contacts));
    let about = problems.check("about", account::clean_text(&p.about));
    problems.finish()?;
    let optional = |s: String| if s.is_empty() { None } else { Some(s) };
    let mut active: user::ActiveModel = u.clone().into();
    active.full_name = Set(name.expect("checked"));
    active.phone = Set(phone.and_then(optional));
    active.contacts = Set(contacts.and_then(optional));
    active.about = Set(about.and_then(optional));
    active.updated_at = Set(Utc::now());
    let saved = active.update(db).await?;
    if let Some(t) = crate::server::teachers::of_account(db, saved.id).await? {
        addresses::settle(db, Kind::Teacher, t.id, &saved.full_name).await?;
    }
    Ok(saved)
}

/// Sends a confirmation link to a new address; the change happens when it is
/// opened. A taken address gets a notice instead, and the answer is the same.
pub async fn request_email_change(
    db: &DatabaseConnection,
    site: &url::Url,
    u: &user::Model,
    password_typed: String,
    new_email: &str,
    client: IpAddr,
) -> Result<(), AppError> {
    let email = Email::parse(new_email).map_err(|m| AppError::field("new_email", m))?;
    if !password::verify(password_typed, Some(u.password_hash.clone())).await {
        return Err(AppError::field("email_password", "Пароль указан неверно."));
    }
    if email.as_str() == u.email {
        return Err(AppError::field("new_email", "Это ваш текущий адрес."));
    }
    let txn = crate::server::db::write(db).await?;
    if !throttle::may_send_letter(&txn, email.as_str(), client).await? {
        return Err(AppError::TooManyRequests);
    }
    if find_by_email(&txn, &email).await?.is_some() {
        mail::enqueue(&txn, mail::compose(
            email.as_str(), "коллега", "Попытка привязать ваш адрес",
            &["Кто-то пытался указать этот адрес в другой учётной записи на сайте школы. Адрес остался за вами; если это были вы, войдите в свою учётную запись."],
            None,
        )).await?;
    } else {
        let token = tokens::issue(&txn, u, Purpose::ChangeEmail, Some(email.to_string())).await?;
        mail::enqueue(&txn, mail::compose(
            email.as_str(), &u.full_name, "Подтвердите новый адрес",
            &["Вы указали этот адрес для входа на сайт школы. Подтвердите его — после этого входите с новым адресом."],
            Some(("Подтвердить новый адрес", &links::with_token(site, "confirm-email-change", &token))),
        )).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Applies an e-mail change. Every session and outstanding link of the user
/// ends: they sign in again with the new address.
pub async fn confirm_email_change(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let (u, payload) = tokens::redeem(&txn, token, Purpose::ChangeEmail).await?;
    let email = payload.and_then(|p| Email::parse(&p).ok()).ok_or(AppError::BadRequest)?;
    if find_by_email(&txn, &email).await?.is_some() {
        return Err(AppError::Conflict("Этот адрес уже занят другой учётной записью.".into()));
    }
    let old_email = u.email.clone();
    let mut active: user::ActiveModel = u.clone().into();
    active.email = Set(email.to_string());
    active.email_verified_at = Set(Some(Utc::now()));
    active.session_epoch = Set(u.session_epoch + 1);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    auth::end_sessions_of(&txn, u.id, None).await?;
    mail::enqueue(&txn, mail::compose(
        &old_email, &u.full_name, "Адрес для входа изменён",
        &[&format!("Адрес для входа на сайт школы изменён на {email}. Если это были не вы, напишите нам.")],
        None,
    )).await?;
    txn.commit().await?;
    Ok(())
}

/// The new address waiting for confirmation, if the user asked for a change.
pub async fn pending_email_change(db: &DatabaseConnection, u: &user::Model) -> Result<Option<String>, AppError> {
    tokens::pending_payload(db, u, Purpose::ChangeEmail).await
}

/// Forgets the profile photo; returns the file to remove.
pub async fn remove_avatar(db: &DatabaseConnection, u: &user::Model) -> Result<Option<String>, AppError> {
    let Some(key) = u.avatar_key.clone() else { return Ok(None) };
    let mut active: user::ActiveModel = u.clone().into();
    active.avatar_key = Set(None);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(Some(key))
}
