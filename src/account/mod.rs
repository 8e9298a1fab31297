//! Accounts: sign-up, sign-in, password recovery, profile. Pages and their
//! server functions; the rules live in `service`.
mod mfa;
mod pages;
mod privacy;
mod profile;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;
/// Its HTTP routes that are not server functions (uploads, downloads).
#[cfg(feature = "ssr")]
pub mod routes;

pub use mfa::{LoginCodePage, MfaActions, MfaPanel};
pub use pages::{ConfirmEmailChangePage, ConfirmEmailPage, ForgotPage, LoginPage, RegisterPage, ResetPage};
pub use privacy::PrivacyPage;
pub use profile::ProfilePage;

use crate::{domain::account::Profile, error::AppError, teaching::TeacherProfile};
use serde::{Deserialize, Serialize};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{server::{auth, client, flash, state}, ui::FlashKind};

/// Public: anyone may register.
#[server(endpoint = "account/register")]
pub async fn register(
    full_name: String,
    email: String,
    password: String,
    password_confirm: String,
    consent: Option<String>,
) -> Result<(), AppError> {
    let s = state()?;
    let registration = service::Registration {
        full_name,
        email,
        password,
        password_confirm,
        consented: consent.is_some(),
        client: client::current().await,
    };
    service::register(&s.db, &s.config.site_url, registration).await?;
    flash::set(
        FlashKind::Success,
        "Почти готово: мы отправили письмо со ссылкой для подтверждения адреса. Откройте его, затем войдите.",
    );
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public: the token is the credential.
#[server(endpoint = "account/confirm-email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let text = match service::confirm_email(&state()?.db, &token).await? {
        service::Confirmation::Confirmed => "Адрес подтверждён. Теперь можно войти.",
        service::Confirmation::AlreadyConfirmed => "Этот адрес уже подтверждён — можно входить.",
    };
    flash::set(FlashKind::Success, text);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public, and answers the same whether or not the address waits for a link.
#[server(endpoint = "account/confirm-email/resend")]
pub async fn resend_confirmation(email: String) -> Result<(), AppError> {
    let s = state()?;
    service::resend_confirmation(&s.db, &s.config.site_url, &email, client::current().await).await?;
    flash::set(
        FlashKind::Info,
        "Если этот адрес ждёт подтверждения, мы отправили на него новую ссылку. Она действует двое суток.",
    );
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public: this is how one becomes signed in.
#[server(endpoint = "account/login")]
pub async fn login(
    email: String,
    password: String,
    remember: Option<String>,
    /// The page the visitor was stopped at (`?next=` of the sign-in page).
    next: Option<String>,
) -> Result<(), AppError> {
    let s = state()?;
    let attempt = service::LoginAttempt {
        email,
        password,
        remember: remember.is_some(),
        user_agent: user_agent(),
        client: client::current().await,
    };
    match service::login(&s.db, &s.config.site_url, attempt).await? {
        service::SignedIn::Session(u, token) => {
            auth::set_session_cookie(&token, remember.is_some());
            welcome(&u, next.as_deref()).await
        }
        service::SignedIn::CodeDue(ticket) => {
            auth::set_code_ticket_cookie(&ticket);
            match next {
                Some(next) => leptos_axum::redirect(&format!("/login/code?next={}", crate::ui::url_encode(&next))),
                None => leptos_axum::redirect("/login/code"),
            }
            Ok(())
        }
    }
}

/// Where a signed-in person lands: the page they asked for or their home,
/// or the profile when the school requires sign-in codes they have not set
/// up yet.
#[cfg(feature = "ssr")]
async fn welcome(u: &crate::server::entities::user::Model, next: Option<&str>) -> Result<(), AppError> {
    if crate::server::mfa::must_enrol(&state()?.db, u).await? {
        flash::set(FlashKind::Info, "Школа требует вход с кодом для сотрудников: включите его сейчас.");
        leptos_axum::redirect("/my/profile#mfa");
    } else {
        flash::set(FlashKind::Success, format!("Добро пожаловать, {}!", u.full_name));
        leptos_axum::redirect(&crate::domain::role::landing(u.role, next));
    }
    Ok(())
}

/// The second step of signing in, for staff with sign-in codes.
#[server(endpoint = "account/login/code")]
pub async fn login_code(code: String, next: Option<String>) -> Result<(), AppError> {
    let s = state()?;
    let ticket = auth::code_ticket().ok_or_else(|| AppError::Conflict("Время на ввод кода вышло. Войдите ещё раз.".into()))?;
    let (u, token, remember) = service::login_with_code(&s.db, &ticket, &code, user_agent(), client::current().await).await?;
    auth::clear_code_ticket_cookie();
    auth::set_session_cookie(&token, remember);
    welcome(&u, next.as_deref()).await
}

/// What the profile's «Вход с кодом» panel shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MfaStatus {
    pub enabled: bool,
    /// Set up but not confirmed yet: the secret and its QR code (SVG).
    pub pending: Option<(String, String)>,
    pub recovery_codes_left: u64,
    pub required: bool,
}

/// Staff: the state of their sign-in codes.
#[cfg(feature = "ssr")]
async fn mfa_status(db: &sea_orm::DatabaseConnection, u: &crate::server::entities::user::Model) -> Result<MfaStatus, AppError> {
    use crate::server::mfa;
    let pending = mfa::enrolment_of(db, u).await?.map(|e| (e.secret, e.qr_svg));
    Ok(MfaStatus {
        enabled: mfa::is_enabled(u),
        pending,
        recovery_codes_left: mfa::recovery_codes_left(db, u.id).await?,
        required: mfa::staff_must_use_codes(db).await?,
    })
}

/// Staff: starts setting up sign-in codes (a new secret).
#[server(endpoint = "account/mfa/start")]
pub async fn mfa_start() -> Result<(), AppError> {
    let u = auth::require_user().await?;
    crate::server::mfa::start(&state()?.db, &u).await?;
    Ok(())
}

/// Staff: confirms the setup with a code; answers with the recovery codes.
#[server(endpoint = "account/mfa/confirm")]
pub async fn mfa_confirm(code: String) -> Result<Vec<String>, AppError> {
    let u = auth::require_user().await?;
    let codes = crate::server::mfa::confirm(&state()?.db, &u, &code).await?;
    flash::set_for_plain_form(
        FlashKind::Success,
        format!("Вход с кодом включён. Сохраните резервные коды: {}", codes.join(", ")),
    );
    Ok(codes)
}

/// Staff: turns codes off with a current code, unless the school requires them.
#[server(endpoint = "account/mfa/disable")]
pub async fn mfa_disable(code: String) -> Result<(), AppError> {
    use crate::server::mfa;
    let u = auth::require_user().await?;
    let s = state()?;
    if mfa::staff_must_use_codes(&s.db).await? {
        return Err(AppError::Conflict("Школа требует вход с кодом: отключить его нельзя.".into()));
    }
    if !mfa::verify(&s.db, &u, &code, chrono::Utc::now()).await? {
        return Err(AppError::field("code", "Код не подошёл."));
    }
    mfa::reset(&s.db, u.id).await?;
    flash::set_for_plain_form(FlashKind::Success, "Вход с кодом отключён.");
    Ok(())
}

/// The browser's name, kept with the session it opens.
#[cfg(feature = "ssr")]
fn user_agent() -> Option<String> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::USER_AGENT)?.to_str().ok().map(str::to_string))
}

/// Anyone may end their own session.
#[server(endpoint = "account/logout")]
pub async fn logout() -> Result<(), AppError> {
    auth::end_current_session().await?;
    flash::set(FlashKind::Info, "Вы вышли из учётной записи.");
    leptos_axum::redirect("/");
    Ok(())
}

/// Public, and answers the same whether or not the address is known.
#[server(endpoint = "account/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let s = state()?;
    service::request_password_reset(&s.db, &s.config.site_url, &email, client::current().await).await?;
    flash::set(
        FlashKind::Info,
        "Если такой адрес зарегистрирован, мы отправили на него ссылку для смены пароля. Она действует час.",
    );
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public: the token is the credential.
#[server(endpoint = "account/reset")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    service::reset_password(&state()?.db, &token, password, &password_confirm).await?;
    flash::set(FlashKind::Success, "Пароль изменён. Войдите с новым паролем.");
    leptos_axum::redirect("/login");
    Ok(())
}

/// Public: the token is the credential.
#[server(endpoint = "account/confirm-email-change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    service::confirm_email_change(&state()?.db, &token).await?;
    auth::clear_session_cookie();
    flash::set(FlashKind::Success, "Адрес изменён. Войдите с новым адресом.");
    leptos_axum::redirect("/login");
    Ok(())
}

/// Everything the profile page shows, read at once: the panels of
/// teachers and staff come with it rather than from resources of their own
/// (see `ui::route` on where resources are made).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyProfile {
    pub profile: Profile,
    /// A teacher's public profile.
    pub teacher: Option<TeacherProfile>,
    /// Staff's sign-in codes.
    pub mfa: Option<MfaStatus>,
    /// The children whose data would go with this account (no other
    /// guardian, no login of their own): the deletion form names them.
    pub children_leaving: Vec<String>,
}

#[server(endpoint = "account/profile")]
pub async fn get_profile() -> Result<MyProfile, AppError> {
    use crate::domain::Role;
    let u = auth::require_user().await?;
    let db = &state()?.db;
    let pending_email = service::pending_email_change(db, &u).await?;
    let children_leaving = service::children_left_alone(db, &u).await?.into_iter().map(|c| c.full_name).collect();
    let teacher = match u.role {
        Role::Teacher => Some(crate::teaching::service::own_profile(db, &u).await?),
        Role::Student | Role::Admin => None,
    };
    let mfa = match u.role {
        Role::Teacher | Role::Admin => Some(mfa_status(db, &u).await?),
        Role::Student => None,
    };
    let profile = Profile {
        email: u.email,
        full_name: u.full_name,
        phone: u.phone.unwrap_or_default(),
        contacts: u.contacts.unwrap_or_default(),
        about: u.about.unwrap_or_default(),
        avatar_url: u.avatar_key.as_deref().map(|k| crate::server::storage::Shelf::Avatars.url(k)),
        role: u.role,
        email_verified: u.email_verified_at.is_some(),
        pending_email,
    };
    Ok(MyProfile { profile, teacher, mfa, children_leaving })
}

#[server(endpoint = "account/profile/update")]
pub async fn update_profile(
    full_name: String,
    phone: String,
    contacts: String,
    about: String,
) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    // A teacher's name is also their page's address: both change together.
    let txn = crate::server::db::write(&state()?.db).await?;
    service::update_profile(&txn, &u, service::ProfileUpdate { full_name, phone, contacts, about }).await?;
    txn.commit().await?;
    flash::set_for_plain_form(FlashKind::Success, "Профиль сохранён.");
    Ok(())
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let token = service::change_password(&state()?.db, &u, current_password, new_password, &password_confirm).await?;
    auth::set_session_cookie(&token, false);
    flash::set_for_plain_form(FlashKind::Success, "Пароль изменён. На других устройствах нужно войти заново.");
    Ok(())
}

#[server(endpoint = "account/email")]
pub async fn change_email(email_password: String, new_email: String) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let s = state()?;
    service::request_email_change(&s.db, &s.config.site_url, &u, email_password, &new_email, client::current().await).await?;
    flash::set_for_plain_form(FlashKind::Info, "Мы отправили письмо на новый адрес: откройте ссылку, чтобы подтвердить смену.");
    Ok(())
}

#[server(endpoint = "account/avatar/remove")]
pub async fn remove_avatar() -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let s = state()?;
    if let Some(key) = service::remove_avatar(&s.db, &u).await? {
        s.media.remove(crate::server::storage::Shelf::Avatars, &key).await;
    }
    flash::set_for_plain_form(FlashKind::Success, "Фотография удалена.");
    Ok(())
}

#[server(endpoint = "account/delete")]
pub async fn delete_account(delete_password: String, confirm: Option<String>) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    if confirm.is_none() {
        return Err(AppError::field("confirm", "Подтвердите, что понимаете: удаление необратимо."));
    }
    let s = state()?;
    if !crate::server::password::verify(delete_password, Some(u.password_hash.clone())).await {
        return Err(AppError::field("delete_password", "Пароль указан неверно."));
    }
    let files = service::delete_account(&s.db, &s.config.site_url, &u, s.today()).await?;
    crate::server::storage::StoredFile::remove_all(&*s.media, files).await;
    auth::clear_session_cookie();
    flash::set(FlashKind::Info, "Учётная запись удалена. Спасибо, что были с нами.");
    leptos_axum::redirect("/");
    Ok(())
}
