//! Sign-in codes for staff: TOTP (RFC 6238: HMAC-SHA1, 30-second steps,
//! six digits) with single-use recovery codes, and the school's setting
//! that makes codes mandatory for teachers and administrators.
//!
//! A code is accepted for the current step and one step either side (clocks
//! drift), and only for a step later than the last one accepted: the same
//! code cannot sign in twice. Wrong codes count like wrong passwords.
use super::{
    crypto,
    entities::{mfa_recovery_code, user},
    settings,
};
use crate::{domain::Role, error::AppError};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
    sea_query::{Expr, ExprTrait},
};

const STEP_SECONDS: i64 = 30;
const RECOVERY_CODES: usize = 10;

/// RFC 4648 base32 without padding, as authenticator apps read secrets.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn unbase32(text: &str) -> Option<Vec<u8>> {
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u32 - 'A' as u32,
            c @ '2'..='7' => c as u32 - '2' as u32 + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The six-digit code of `secret` for time step `step`.
pub fn code_at(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let number = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    format!("{:06}", number % 1_000_000)
}

pub fn step_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECONDS)
}

/// The step `code` belongs to, if it is right near `now` and newer than `last`.
pub fn matching_step(secret: &[u8], code: &str, now: DateTime<Utc>, last: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 6 {
        return None;
    }
    let now = step_of(now);
    (now - 1..=now + 1).find(|&step| last.is_none_or(|l| step > l) && code_at(secret, step) == code)
}

/// The `otpauth://` address an authenticator app reads from the QR code;
/// the app lists the code under `issuer`, the school's name.
fn otpauth_uri(issuer: &str, secret: &str, account: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!("otpauth://totp/{}:{}?secret={secret}&issuer={}&digits=6&period=30", enc(issuer), enc(account), enc(issuer))
}

/// The QR code of the authenticator app's address.
pub fn qr_svg(text: &str) -> String {
    super::qr::svg(text, "QR-код для приложения-аутентификатора")
}

/// What the profile shows while codes are being set up.
pub struct Enrolment {
    pub secret: String,
    pub qr_svg: String,
}

fn is_staff(u: &user::Model) -> bool {
    matches!(u.role, Role::Teacher | Role::Admin)
}

pub fn is_enabled(u: &user::Model) -> bool {
    u.totp_secret.is_some() && u.totp_enabled_at.is_some()
}

/// The setup in progress, if codes are set up but not confirmed yet.
pub async fn enrolment_of(db: &impl ConnectionTrait, u: &user::Model) -> Result<Option<Enrolment>, DbErr> {
    let (Some(secret), None) = (&u.totp_secret, u.totp_enabled_at) else { return Ok(None) };
    // The school's name labels the entry in the authenticator app.
    let school = super::settings::school(db).await?.name;
    Ok(Some(Enrolment { qr_svg: qr_svg(&otpauth_uri(&school, secret, &u.email)), secret: secret.clone() }))
}

/// Starts setting up codes: a new secret, not in force until confirmed.
pub async fn start(db: &DatabaseConnection, u: &user::Model) -> Result<Enrolment, AppError> {
    if !is_staff(u) {
        return Err(AppError::Forbidden);
    }
    if is_enabled(u) {
        return Err(AppError::Conflict("Вход с кодом уже включён.".into()));
    }
    let secret = base32(&rand::random::<[u8; 20]>());
    let mut row: user::ActiveModel = u.clone().into();
    row.totp_secret = Set(Some(secret));
    row.totp_enabled_at = Set(None);
    row.totp_last_step = Set(None);
    let u = row.update(db).await?;
    enrolment_of(db, &u).await?.ok_or(AppError::Internal)
}

fn new_recovery_code() -> String {
    let raw = base32(&rand::random::<[u8; 7]>()).to_lowercase();
    format!("{}-{}", &raw[..5], &raw[5..10])
}

fn recovery_hash(code: &str) -> String {
    crypto::token_hash(&code.trim().to_lowercase().replace([' ', '-'], ""))
}

async fn replace_recovery_codes(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<String>, AppError> {
    mfa_recovery_code::Entity::delete_many().filter(mfa_recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    let now = Utc::now();
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    for code in &codes {
        mfa_recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(recovery_hash(code)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(codes)
}

/// Confirms the setup with a code from the app; returns the recovery codes
/// (shown once, kept only as hashes).
pub async fn confirm(db: &DatabaseConnection, u: &user::Model, code: &str) -> Result<Vec<String>, AppError> {
    let secret = match (&u.totp_secret, u.totp_enabled_at) {
        (Some(s), None) => unbase32(s).ok_or(AppError::Internal)?,
        (_, Some(_)) => return Err(AppError::Conflict("Вход с кодом уже включён.".into())),
        (None, None) => return Err(AppError::Conflict("Сначала начните настройку заново.".into())),
    };
    let step = matching_step(&secret, code, Utc::now(), None)
        .ok_or_else(|| AppError::field("code", "Код не подошёл. Проверьте время на телефоне и введите новый код."))?;
    let txn = super::db::write(db).await?;
    let mut row: user::ActiveModel = u.clone().into();
    row.totp_enabled_at = Set(Some(Utc::now()));
    row.totp_last_step = Set(Some(step));
    row.update(&txn).await?;
    let codes = replace_recovery_codes(&txn, u.id).await?;
    txn.commit().await?;
    Ok(codes)
}

/// Checks a sign-in code or a recovery code of `u`, spending it. The checks
/// are conditional updates: two requests with one code, one succeeds.
pub async fn verify(db: &DatabaseConnection, u: &user::Model, code: &str, now: DateTime<Utc>) -> Result<bool, AppError> {
    let Some(secret) = u.totp_secret.as_deref().filter(|_| is_enabled(u)).and_then(unbase32) else {
        return Ok(false);
    };
    if let Some(step) = matching_step(&secret, code, now, u.totp_last_step) {
        let spent = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Expr::value(step))
            .filter(user::Column::Id.eq(u.id))
            .filter(user::Column::TotpLastStep.is_null().or(user::Column::TotpLastStep.lt(step)))
            .exec(db)
            .await?;
        return Ok(spent.rows_affected == 1);
    }
    let spent = mfa_recovery_code::Entity::update_many()
        .col_expr(mfa_recovery_code::Column::UsedAt, Expr::value(now))
        .filter(mfa_recovery_code::Column::UserId.eq(u.id))
        .filter(mfa_recovery_code::Column::CodeHash.eq(recovery_hash(code)))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(spent.rows_affected == 1)
}

/// Turns codes off for `u` (an admin's reset, or the person themselves).
pub async fn reset(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(Option::<String>::None))
        .col_expr(user::Column::TotpEnabledAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::TotpLastStep, Expr::value(Option::<i64>::None))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    mfa_recovery_code::Entity::delete_many().filter(mfa_recovery_code::Column::UserId.eq(user_id)).exec(db).await?;
    Ok(())
}

/// Recovery codes still unused.
pub async fn recovery_codes_left(db: &DatabaseConnection, user_id: i32) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(mfa_recovery_code::Entity::find()
        .filter(mfa_recovery_code::Column::UserId.eq(user_id))
        .filter(mfa_recovery_code::Column::UsedAt.is_null())
        .count(db)
        .await?)
}

pub async fn staff_must_use_codes(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(settings::get(db, settings::STAFF_MFA_REQUIRED).await?.is_some_and(|v| v == "true"))
}

pub async fn set_staff_must_use_codes(db: &impl ConnectionTrait, on: bool) -> Result<(), AppError> {
    Ok(settings::put(db, settings::STAFF_MFA_REQUIRED, &on.to_string()).await?)
}

/// Whether `u` must set up codes before doing anything as staff.
pub async fn must_enrol(db: &impl ConnectionTrait, u: &user::Model) -> Result<bool, AppError> {
    Ok(is_staff(u) && !is_enabled(u) && staff_must_use_codes(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238() {
        // RFC 6238, appendix B: the SHA-1 seed, eight digits there; the last six here.
        let secret = b"12345678901234567890";
        for (time, eight) in [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")] {
            assert_eq!(code_at(secret, time / 30), eight[2..]);
        }
    }

    #[test]
    fn base32_round_trips() {
        let bytes: Vec<u8> = (0..=40).collect();
        assert_eq!(unbase32(&base32(&bytes)).unwrap(), bytes);
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(unbase32("mzxw 6ytb oi").unwrap(), b"foobar");
        assert!(unbase32("not base32!").is_none());
    }

    #[test]
    fn a_code_counts_once_and_only_near_now() {
        let secret = b"12345678901234567890";
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let step = step_of(now);
        let code = code_at(secret, step);
        assert_eq!(matching_step(secret, &code, now, None), Some(step));
        assert_eq!(matching_step(secret, &format!("{} {}", &code[..3], &code[3..]), now, None), Some(step));
        assert_eq!(matching_step(secret, &code, now, Some(step)), None, "spent");
        assert_eq!(matching_step(secret, &code_at(secret, step - 1), now, None), Some(step - 1), "a step behind");
        assert_eq!(matching_step(secret, &code_at(secret, step - 3), now, None), None, "too old");
        assert_eq!(matching_step(secret, "12345", now, None), None);
    }

    #[test]
    fn the_qr_code_is_an_svg_drawing() {
        let svg = qr_svg(&otpauth_uri("Кулисы", "JBSWY3DPEHPK3PXP", "sokolova@kulisy.test"));
        assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"));
        assert!(otpauth_uri("Кулисы", "ABC", "a@b.ru").starts_with("otpauth://totp/"));
    }
}
