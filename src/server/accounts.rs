//! Accounts: registration, e-mail confirmation, login with throttling, password
//! reset and change, e-mail change, profile, deletion and data export. The
//! server functions in `crate::account` call these after reading the request.
use super::{
    auth,
    entities::{enrollment, teacher, course_teacher, user},
    links,
    mail::{self, Mail},
    password,
    storage::{Shelf, StoredFile},
    throttle::{self, SignInSource},
    tokens::{self, Purpose},
};
use crate::{
    domain::{Email, Role, account, password as policy},
    error::{AppError, FieldError},
};
use chrono::Utc;
use std::net::IpAddr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

/// The one answer to every failed login, whatever the reason.
pub const LOGIN_FAILED: &str = "Неверный адрес или пароль. После нескольких неудачных попыток вход \
     с этого устройства ненадолго приостанавливается — тогда восстановите пароль или попробуйте позже.";

/// Collects field errors so a form shows all of them at once.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        result.map_err(|m| self.0.push(FieldError { field: field.into(), message: m.into() })).ok()
    }

    fn add(&mut self, field: &str, message: &str) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

async fn find_by_email(db: &impl ConnectionTrait, email: &Email) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await
}

/// A new, active account; `verified` when the address needs no confirmation
/// (staff created by the office, the demo school).
pub fn new_user(email: &Email, password_hash: String, role: Role, full_name: String, verified: bool) -> user::ActiveModel {
    let now = Utc::now();
    user::ActiveModel {
        search_key: Set(user::search_key(&full_name, email.as_str())),
        email: Set(email.to_string()),
        password_hash: Set(password_hash),
        role: Set(role),
        full_name: Set(full_name),
        is_active: Set(true),
        email_verified_at: Set(verified.then_some(now)),
        session_epoch: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

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
    let txn = super::db::write(db).await?;
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
    let mut student = new_user(&email, hash, Role::Student, name, false);
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

async fn send_confirmation(db: &impl ConnectionTrait, site: &url::Url, u: &user::Model) -> Result<(), AppError> {
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
    let txn = super::db::write(db).await?;
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
    let txn = super::db::write(db).await?;
    if throttle::may_send_letter(&txn, email.as_str(), client).await? {
        let waiting = find_by_email(&txn, &email).await?.filter(|u| u.is_active && u.email_verified_at.is_none());
        if let Some(u) = waiting {
            send_confirmation(&txn, site, &u).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

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
    let txn = super::db::write(db).await?;
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
        let txn = super::db::write(db).await?;
        if throttle::may_send_letter(&txn, &u.email, attempt.client).await? {
            send_confirmation(&txn, site, &u).await?;
        }
        txn.commit().await?;
        return Err(AppError::Conflict(
            "Адрес ещё не подтверждён. Мы отправили письмо со ссылкой ещё раз — откройте её и войдите снова.".into(),
        ));
    }
    if super::mfa::is_enabled(&u) {
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
    if !super::mfa::verify(db, &u, code, Utc::now()).await? {
        source.failed(db).await?;
        return Err(AppError::field("code", "Код не подошёл. Введите новый код из приложения или резервный код."));
    }
    source.succeeded(db).await?;
    tokens::redeem(db, ticket, Purpose::SignInCode).await.map_err(|_| expired())?;
    let remember = remember.as_deref() == Some("remember");
    let (u, token) = open_session(db, u, remember, user_agent).await?;
    Ok((u, token, remember))
}

/// Sends a reset link if the address belongs to an active account; answers
/// the same either way.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    site: &url::Url,
    email: &str,
    client: IpAddr,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let txn = super::db::write(db).await?;
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

fn check_new_password(password: &str, confirm: &str, field: &str) -> Result<(), AppError> {
    let mut problems = Problems::default();
    problems.check(field, policy::check(password));
    if password != confirm {
        problems.add("password_confirm", "Пароли не совпадают.");
    }
    problems.finish()
}

fn password_changed_mail(u: &user::Model) -> Mail {
    mail::compose(
        &u.email, &u.full_name, "Пароль изменён",
        &["Пароль вашей учётной записи на сайте школы только что изменён, все прежние входы завершены.",
          "Если это были не вы, сразу восстановите пароль и напишите нам."],
        None,
    )
}

/// Bumps the epoch: every session and every outstanding link of the user dies.
fn new_password(active: &mut user::ActiveModel, u: &user::Model, hash: String) {
    active.password_hash = Set(hash);
    active.session_epoch = Set(u.session_epoch + 1);
    active.updated_at = Set(Utc::now());
}

/// Sets a new password from a reset link. Does not log the user in.
pub async fn reset_password(db: &DatabaseConnection, token: &str, password: String, confirm: &str) -> Result<(), AppError> {
    check_new_password(&password, confirm, "password")?;
    let hash = password::hash(password).await;
    let txn = super::db::write(db).await?;
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
    let txn = super::db::write(db).await?;
    let mut active: user::ActiveModel = u.clone().into();
    new_password(&mut active, u, hash);
    let updated = active.update(&txn).await?;
    auth::end_sessions_of(&txn, u.id, None).await?;
    let token = auth::start_session(&txn, &updated, false, None).await?;
    mail::enqueue(&txn, password_changed_mail(u)).await?;
    txn.commit().await?;
    Ok(token)
}

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
    let txn = super::db::write(db).await?;
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
    let txn = super::db::write(db).await?;
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

/// Deletes an account for good. Active requests are cancelled (their seats
/// go to the waitlist); enrollments and reviews stay as anonymous history
/// (their foreign keys are set to NULL); sessions, links, portfolio and media
/// go with the user. Returns the files to remove after commit.
pub async fn delete_account(
    db: &impl TransactionTrait<Transaction = sea_orm::DatabaseTransaction>,
    site: &url::Url,
    u: &user::Model,
    today: chrono::NaiveDate,
) -> Result<Vec<StoredFile>, AppError> {
    let txn = super::db::write(db).await?;
    // The person first, then their courses: a booking in flight either
    // finished (and is withdrawn below) or waits and finds nobody.
    if !super::enrollments::lock_person(&txn, u.id).await? {
        return Err(AppError::NotFound);
    }
    if u.role == Role::Admin {
        let admins = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Admin))
            .filter(user::Column::IsActive.eq(true))
            .count(&txn)
            .await?;
        if admins <= 1 {
            return Err(AppError::Conflict(
                "Это последний администратор школы: сначала назначьте другого.".into(),
            ));
        }
    }
    if let Some(t) = teacher::Entity::find().filter(teacher::Column::UserId.eq(u.id)).one(&txn).await? {
        let teaches = course_teacher::Entity::find()
            .filter(course_teacher::Column::TeacherId.eq(t.id))
            .count(&txn)
            .await?;
        if teaches > 0 {
            return Err(AppError::Conflict(
                "Вы ведёте курсы: попросите администратора сначала заменить вас на них.".into(),
            ));
        }
    }
    // Seats the student held go to the waitlist, not to nobody.
    super::enrollments::withdraw_everything_of(&txn, site, u, today).await?;
    let mut files: Vec<StoredFile> =
        u.avatar_key.iter().map(|key| StoredFile { shelf: Shelf::Avatars, key: key.clone() }).collect();
    files.extend(super::portfolio::files_of(&txn, u.id).await?);
    user::Entity::delete_by_id(u.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(files)
}

/// Everything the school keeps about a user, for the "download my data" button.
pub async fn export(db: &DatabaseConnection, u: &user::Model) -> Result<serde_json::Value, AppError> {
    let enrollments = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(u.id))
        .all(db)
        .await?;
    Ok(serde_json::json!({
        "exported_at": Utc::now(),
        "account": {
            "email": u.email,
            "full_name": u.full_name,
            "role": u.role,
            "phone": u.phone,
            "contacts": u.contacts,
            "about": u.about,
            "has_photo": u.avatar_key.is_some(),
            "email_verified_at": u.email_verified_at,
            "created_at": u.created_at,
            "last_login_at": u.last_login_at,
        },
        "enrollments": enrollments.iter().map(|e| serde_json::json!({
            "course_id": e.course_id,
            "format": e.format,
            "period_start": e.period_start,
            "period_end": e.period_end,
            "status": e.status,
            "reason": e.reason,
            "created_at": e.created_at,
        })).collect::<Vec<_>>(),
    }))
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
    new_user(&email, hash, Role::Admin, name, true).insert(db).await?;
    Ok(email)
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
