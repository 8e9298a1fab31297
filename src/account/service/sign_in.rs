//! Signing in: the password with throttling, then the code for staff who
//! use one.
use super::{common::*, registration::send_confirmation};
use crate::{
    domain::Email,
    error::AppError,
    server::{
        auth,
        entities::user,
        password,
        throttle::{self, SignInSource},
        tokens::{self, Purpose},
    },
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};
use std::net::IpAddr;

/// The one answer to every failed login, whatever the reason.
pub const LOGIN_FAILED: &str = "Неверный адрес или пароль. После нескольких неудачных попыток вход \
     с этого устройства ненадолго приостанавливается — тогда восстановите пароль или попробуйте позже.";

pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    pub remember: bool,
    pub user_agent: Option<String>,
    pub client: IpAddr,
}

/// Where a right password leads.
pub enum SignedIn {
    /// A session: its cookie value.
    Session(Box<user::Model>, String),
    /// Staff with sign-in codes: the ticket for the second step.
    CodeDue(String),
}

/// Opens a session.
async fn open_session(
    db: &DatabaseConnection,
    u: user::Model,
    remember: bool,
    user_agent: Option<String>,
) -> Result<(user::Model, String), AppError> {
    let txn = crate::server::db::write(db).await?;
    let mut active: user::ActiveModel = u.into();
    active.last_login_at = Set(Some(Utc::now()));
    let u = active.update(&txn).await?;
    let token = auth::start_session(&txn, &u, remember, user_agent).await?;
    txn.commit().await?;
    Ok((u, token))
}

/// Checks the credentials; opens a session, or asks for the sign-in code.
pub async fn login(
    db: &DatabaseConnection,
    site: &url::Url,
    attempt: LoginAttempt,
) -> Result<SignedIn, AppError> {
    let failed = || AppError::Conflict(LOGIN_FAILED.into());
    let email = Email::parse(&attempt.email).ok();
    let typed = email.as_ref().map_or("?", |e| e.as_str());
    let source = SignInSource { account: typed, client: attempt.client };
    if source.must_wait(db).await? {
        return Err(AppError::TooManyRequests);
    }
    let found = match &email {
        Some(email) => find_by_email(db, email).await?,
        None => None,
    };
    // argon2 runs whether or not the account exists, so both look alike in
    // time; a password no account can have is refused before any hashing.
    let password_ok = password::verify(attempt.password, found.as_ref().map(|u| u.password_hash.clone())).await;
    let Some(u) = found.filter(|u| password_ok && u.is_active) else {
        source.failed(db).await?;
        return Err(failed());
    };
    source.succeeded(db).await?;
    if u.email_verified_at.is_none() {
        let txn = crate::server::db::write(db).await?;
        if throttle::may_send_letter(&txn, &u.email, attempt.client).await? {
            send_confirmation(&txn, site, &u).await?;
        }
        txn.commit().await?;
        return Err(AppError::Conflict(
            "Адрес ещё не подтверждён. Мы отправили письмо со ссылкой ещё раз — откройте её и войдите снова.".into(),
        ));
    }
    if crate::server::mfa::is_enabled(&u) {
        // The failures stay counted until the code is right too.
        let remember = if attempt.remember { "remember" } else { "" };
        return Ok(SignedIn::CodeDue(tokens::issue(db, &u, Purpose::SignInCode, Some(remember.into())).await?));
    }
    let (u, token) = open_session(db, u, attempt.remember, attempt.user_agent).await?;
    Ok(SignedIn::Session(Box::new(u), token))
}

/// The second step of signing in: the code from the app (or a recovery
/// code) for the ticket of the first. Wrong codes count like wrong passwords.
pub async fn login_with_code(
    db: &DatabaseConnection,
    ticket: &str,
    code: &str,
    user_agent: Option<String>,
    client: IpAddr,
) -> Result<(user::Model, String, bool), AppError> {
    let expired = || AppError::Conflict("Время на ввод кода вышло. Войдите ещё раз.".into());
    let (u, remember) = tokens::holder(db, ticket, Purpose::SignInCode).await.map_err(|_| expired())?;
    let account = format!("code:{}", u.id);
    let source = SignInSource { account: &account, client };
    if source.must_wait(db).await? {
        return Err(AppError::TooManyRequests);
    }
    if !crate::server::mfa::verify(db, &u, code, Utc::now()).await? {
        source.failed(db).await?;
        return Err(AppError::field("code", "Код не подошёл. Введите новый код из приложения или резервный код."));
    }
    source.succeeded(db).await?;
    tokens::redeem(db, ticket, Purpose::SignInCode).await.map_err(|_| expired())?;
    let remember = remember.as_deref() == Some("remember");
    let (u, token) = open_session(db, u, remember, user_agent).await?;
    Ok((u, token, remember))
}
