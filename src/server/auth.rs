//! Sessions and the guards every server function starts with.
//!
//! A session is a random cookie value; the `sessions` table keeps only its
//! hash. A session is valid while it is neither idle too long nor past its
//! absolute lifetime, the user is active, and the user's `session_epoch`
//! still equals the one the session was made with (bumping the epoch ends
//! every session of the user at once).
use super::{crypto, entities::{session, user}, flash::request_cookie, state};
use crate::{domain::Role, error::AppError};
use chrono::{DateTime, Duration, Utc};
use http::{HeaderValue, header};
use leptos::prelude::{provide_context, use_context};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};

pub const SESSION_COOKIE: &str = "kulisy_session";

/// How long a session lives: (idle, absolute).
pub fn lifetimes(remember: bool) -> (Duration, Duration) {
    if remember {
        (Duration::days(30), Duration::days(30))
    } else {
        (Duration::hours(2), Duration::hours(12))
    }
}

/// Whether a session row still opens the door at `now`.
pub fn is_live(s: &session::Model, u: &user::Model, now: DateTime<Utc>) -> bool {
    let (idle, _) = lifetimes(s.remember);
    u.is_active && s.session_epoch == u.session_epoch && now < s.expires_at && now < s.last_seen_at + idle
}

/// Starts a new session for `u` and returns the cookie value. The caller
/// sets the cookie; a new value at every login defeats session fixation.
pub async fn start_session(
    db: &impl ConnectionTrait,
    u: &user::Model,
    remember: bool,
    user_agent: Option<String>,
) -> Result<String, AppError> {
    let token = crypto::random_token();
    let now = Utc::now();
    let (_, absolute) = lifetimes(remember);
    session::ActiveModel {
        id: Set(crypto::token_hash(&token)),
        user_id: Set(u.id),
        session_epoch: Set(u.session_epoch),
        remember: Set(remember),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + absolute),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(300).collect())),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// `Secure` is added on https sites by `security::secure_cookies`, for
/// every cookie alike.
fn cookie_attributes(max_age: Option<i64>) -> String {
    let mut attrs = String::from("; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        attrs.push_str(&format!("; Max-Age={age}"));
    }
    attrs
}

fn append_set_cookie(value: String) {
    if let (Some(res), Ok(v)) =
        (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value))
    {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// Hands the browser its session cookie: persistent with "remember me",
/// gone with the browser otherwise.
pub fn set_session_cookie(token: &str, remember: bool) {
    let max_age = remember.then(|| lifetimes(true).1.num_seconds());
    append_set_cookie(format!("{SESSION_COOKIE}={token}{}", cookie_attributes(max_age)));
}

pub fn clear_session_cookie() {
    append_set_cookie(format!("{SESSION_COOKIE}={}", cookie_attributes(Some(0))));
}

/// The ticket of a sign-in waiting for its code (ten minutes).
pub const CODE_TICKET_COOKIE: &str = "kulisy_code";

pub fn set_code_ticket_cookie(ticket: &str) {
    append_set_cookie(format!("{CODE_TICKET_COOKIE}={ticket}{}", cookie_attributes(Some(600))));
}

pub fn clear_code_ticket_cookie() {
    append_set_cookie(format!("{CODE_TICKET_COOKIE}={}", cookie_attributes(Some(0))));
}

pub fn code_ticket() -> Option<String> {
    request_cookie(CODE_TICKET_COOKIE)
}

/// The session looked up once per request, however many parts of a page
/// (the header, the page's own data) ask for it at the same time.
#[derive(Clone, Default)]
struct RequestUser(std::sync::Arc<tokio::sync::Mutex<Option<Option<user::Model>>>>);

/// Puts an empty [`RequestUser`] where every part of the page finds it;
/// called once per rendered page.
pub fn provide_request_user() {
    provide_context(RequestUser::default());
}

/// The user of the current request, if the session cookie is live.
pub async fn current_user() -> Result<Option<user::Model>, AppError> {
    let slot = use_context::<RequestUser>().unwrap_or_else(|| {
        let slot = RequestUser::default();
        provide_context(slot.clone());
        slot
    });
    let mut known = slot.0.lock().await;
    if let Some(user) = &*known {
        return Ok(user.clone());
    }
    let state = state()?;
    let found = match request_cookie(SESSION_COOKIE) {
        Some(token) => lookup(&state.db, &token).await?,
        None => None,
    };
    *known = Some(found.clone());
    Ok(found)
}

/// Finds the live user behind a session cookie value, refreshing its idle
/// timer at most once a minute; an expired session is deleted.
pub async fn lookup(db: &DatabaseConnection, token: &str) -> Result<Option<user::Model>, AppError> {
    let id = crypto::token_hash(token);
    let Some((s, Some(u))) = session::Entity::find_by_id(id.clone())
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if !is_live(&s, &u, now) {
        session::Entity::delete_by_id(id).exec(db).await?;
        return Ok(None);
    }
    if now - s.last_seen_at > Duration::minutes(1) {
        let mut active: session::ActiveModel = s.into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(u))
}

/// The signed-in user of a plain axum request (downloads, uploads).
pub async fn user_of_request(db: &DatabaseConnection, headers: &http::HeaderMap) -> Option<user::Model> {
    let token = super::flash::cookie_in(headers, SESSION_COOKIE)?;
    lookup(db, &token).await.ok().flatten()
}

/// Ends the session of the current request.
pub async fn end_current_session() -> Result<(), AppError> {
    if let Some(token) = request_cookie(SESSION_COOKIE) {
        session::Entity::delete_by_id(crypto::token_hash(&token)).exec(&state()?.db).await?;
    }
    clear_session_cookie();
    if let Some(slot) = use_context::<RequestUser>() {
        *slot.0.lock().await = Some(None);
    }
    Ok(())
}

/// Ends every session of a user, optionally keeping one (by cookie value).
pub async fn end_sessions_of(
    db: &impl ConnectionTrait,
    user_id: i32,
    keep_token: Option<&str>,
) -> Result<(), AppError> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(token) = keep_token {
        delete = delete.filter(session::Column::Id.ne(crypto::token_hash(token)));
    }
    delete.exec(db).await?;
    Ok(())
}

/// The first line of every server function that needs a signed-in user.
pub async fn require_user() -> Result<user::Model, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The first line of every server function reserved to some roles.
pub async fn require_role(allowed: &[Role]) -> Result<user::Model, AppError> {
    let u = require_user().await?;
    check_role(&state()?.db, &u, allowed).await?;
    Ok(u)
}

/// Whether `u` may act as one of `allowed` (see also `guards`).
pub async fn check_role(db: &DatabaseConnection, u: &user::Model, allowed: &[Role]) -> Result<(), AppError> {
    if !allowed.contains(&u.role) {
        return Err(AppError::Forbidden);
    }
    // When the school requires sign-in codes, staff set them up first.
    if super::mfa::must_enrol(db, u).await? {
        return Err(AppError::Conflict(MUST_ENROL.into()));
    }
    Ok(())
}

pub const MUST_ENROL: &str =
    "Школа требует вход с кодом для сотрудников: включите его на странице профиля, раздел «Вход с кодом».";

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(remember: bool) -> (session::Model, user::Model) {
        let now = Utc::now();
        let s = session::Model {
            id: "x".into(),
            user_id: 1,
            session_epoch: 3,
            remember,
            created_at: now,
            last_seen_at: now,
            expires_at: now + lifetimes(remember).1,
            user_agent: None,
        };
        let u = user::Model {
            id: 1,
            email: "a@b.ru".into(),
            password_hash: String::new(),
            role: Role::Student,
            full_name: "А".into(),
            phone: None,
            contacts: None,
            about: None,
            avatar_key: None,
            is_active: true,
            email_verified_at: None,
            last_login_at: None,
            session_epoch: 3,
            totp_secret: None,
            totp_enabled_at: None,
            totp_last_step: None,
            calendar_feed_nonce: None,
            search_key: String::new(),
            consented_at: None,
            birth_date: None,
            created_at: now,
            updated_at: now,
        };
        (s, u)
    }

    #[test]
    fn a_fresh_session_is_live() {
        let (s, u) = pair(false);
        assert!(is_live(&s, &u, Utc::now()));
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let (s, u) = pair(false);
        let now = Utc::now();
        assert!(!is_live(&s, &u, now + Duration::hours(2) + Duration::seconds(1)), "idle");
        let mut busy = s.clone();
        busy.last_seen_at = now + Duration::hours(11);
        assert!(is_live(&busy, &u, now + Duration::hours(11) + Duration::minutes(30)));
        assert!(!is_live(&busy, &u, now + Duration::hours(12) + Duration::seconds(1)), "absolute");
        let (long, u) = pair(true);
        assert!(is_live(&long, &u, now + Duration::days(29)));
    }

    #[test]
    fn a_new_epoch_or_deactivation_ends_sessions() {
        let (s, mut u) = pair(true);
        u.session_epoch += 1;
        assert!(!is_live(&s, &u, Utc::now()));
        let (s, mut u) = pair(true);
        u.is_active = false;
        assert!(!is_live(&s, &u, Utc::now()));
    }
}
