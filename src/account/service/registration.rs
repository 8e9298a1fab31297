//! Becoming a member: registration, confirming the address (and a new
//! link when the first died), and the office's first administrator.
use super::common::*;
use crate::{
    domain::{Email, Role, account, password as policy},
    error::AppError,
    server::{
        entities::user,
        links, mail, password, throttle,
        tokens::{self, Purpose},
    },
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection};
use std::net::IpAddr;

pub struct Registration {
    pub full_name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    /// The box «согласен на обработку персональных данных» was ticked.
    pub consented: bool,
    pub client: IpAddr,
}

/// Registers a student. Answers the same whether or not the address is
/// taken: the owner of a taken address gets an e-mail instead.
pub async fn register(db: &DatabaseConnection, site: &url::Url, r: Registration) -> Result<(), AppError> {
    let mut problems = Problems::default();
    let name = problems.check("full_name", account::clean_name(&r.full_name));
    let email = problems.check("email", Email::parse(&r.email));
    problems.check("password", policy::check(&r.password));
    if r.password != r.password_confirm {
        problems.add("password_confirm", "Пароли не совпадают.");
    }
    if !r.consented {
        problems.add("consent", "Без согласия на обработку персональных данных мы не сможем вести вашу учётную запись.");
    }
    problems.finish()?;
    let (name, email) = (name.expect("checked"), email.expect("checked"));
    // Each registration costs a password hash: a client gets a few an hour.
    if !throttle::may_register(db, r.client).await? {
        return Err(AppError::TooManyRequests);
    }

    // Hash first in every case, so a taken address answers in the same time.
    let hash = password::hash(r.password).await;
    let txn = crate::server::db::write(db).await?;
    if let Some(existing) = find_by_email(&txn, &email).await? {
        // Registering a taken address again and again must not flood its owner.
        if !throttle::may_send_letter(&txn, email.as_str(), r.client).await? {
            txn.commit().await?;
            return Ok(());
        }
        mail::enqueue(&txn, mail::compose(
            email.as_str(), &existing.full_name, "Попытка регистрации на ваш адрес",
            &["Кто-то (возможно, вы) пытался зарегистрироваться на сайте школы с этим адресом. У вас уже есть учётная запись.",
              "Если вы забыли пароль, восстановите его по ссылке ниже. Если это были не вы, просто проигнорируйте письмо."],
            Some(("Восстановить пароль", &links::to(site, links::FORGOT))),
        )).await?;
        txn.commit().await?;
        return Ok(());
    }
    let mut student = user::new_account(&email, hash, Role::Student, name, false);
    student.consented_at = Set(Some(Utc::now()));
    let inserted = student.insert(&txn).await;
    let u = match inserted {
        Ok(u) => u,
        // Registered by a concurrent request a moment ago: same quiet answer.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    // A new account's one confirmation: registrations per client are limited.
    send_confirmation(&txn, site, &u).await?;
    txn.commit().await?;
    Ok(())
}

pub(super) async fn send_confirmation(db: &impl ConnectionTrait, site: &url::Url, u: &user::Model) -> Result<(), AppError> {
    let token = tokens::issue(db, u, Purpose::ConfirmEmail, None).await?;
    mail::enqueue(db, mail::compose(
        &u.email, &u.full_name, "Подтвердите адрес электронной почты",
        &["Спасибо за регистрацию в театральной школе!", "Подтвердите адрес, чтобы войти. Ссылка действует двое суток."],
        Some(("Подтвердить адрес", &links::with_token(site, "confirm-email", &token))),
    )).await?;
    Ok(())
}

/// What a confirmation link did.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    /// The address was confirmed before (an older or second link of it).
    AlreadyConfirmed,
}

pub async fn confirm_email(db: &DatabaseConnection, token: &str) -> Result<Confirmation, AppError> {
    let txn = crate::server::db::write(db).await?;
    let u = match tokens::redeem(&txn, token, Purpose::ConfirmEmail).await {
        Ok((u, _)) => u,
        // A dead link of an address that is confirmed by now needs nothing more.
        Err(AppError::LinkExpired) => match tokens::issued_to(&txn, token, Purpose::ConfirmEmail).await? {
            Some(u) if u.email_verified_at.is_some() => return Ok(Confirmation::AlreadyConfirmed),
            _ => return Err(AppError::LinkExpired),
        },
        Err(other) => return Err(other),
    };
    if u.email_verified_at.is_some() {
        return Ok(Confirmation::AlreadyConfirmed);
    }
    let mut active: user::ActiveModel = u.into();
    active.email_verified_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(Confirmation::Confirmed)
}

/// A new confirmation link for an address that still waits for one (its
/// first link expired or was replaced). Answers the same whether or not the
/// address is known or already confirmed.
pub async fn resend_confirmation(db: &DatabaseConnection, site: &url::Url, email: &str, client: IpAddr) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let txn = crate::server::db::write(db).await?;
    if throttle::may_send_letter(&txn, email.as_str(), client).await? {
        let waiting = find_by_email(&txn, &email).await?.filter(|u| u.is_active && u.email_verified_at.is_none());
        if let Some(u) = waiting {
            send_confirmation(&txn, site, &u).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Creates an administrator (the `kulisy create-admin` command).
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    full_name: &str,
    plain_password: &str,
) -> Result<Email, AppError> {
    let mut problems = Problems::default();
    let email = problems.check("email", Email::parse(email));
    problems.check("password", policy::check(plain_password));
    let name = problems.check("full_name", account::clean_name(full_name));
    problems.finish()?;
    let (email, name) = (email.expect("checked"), name.expect("checked"));
    if find_by_email(db, &email).await?.is_some() {
        return Err(AppError::Conflict(format!("Пользователь {email} уже есть.")));
    }
    let hash = password::hash(plain_password.to_string()).await;
    user::new_account(&email, hash, Role::Admin, name, true).insert(db).await?;
    Ok(email)
}
