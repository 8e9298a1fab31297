//! Sign-in codes for staff: set up with a code, asked after the password,
//! good once, recovery codes good once, wrong codes lock, the school can
//! require them, the office can reset them, and a password reset never
//! skips them. On SQLite and PostgreSQL.
mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::{Browser, TestApp};
use kulisy::server::{
    auth::MUST_ENROL,
    entities::audit_log,
    mfa::{code_at, step_of, unbase32},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const TEACHER: &str = "sokolova@kulisy.test";
const PASSWORD: &str = "kulisy-demo";

/// Sets up codes for the signed-in `b`; the secret and the recovery codes.
async fn enrol(b: &mut Browser<'_>) -> (Vec<u8>, Vec<String>) {
    assert!(b.call("/api/account/mfa/start", &[]).await.ok());
    let status = b.call("/api/account/profile", &[]).await.json()["mfa"].clone();
    let secret = unbase32(status["pending"][0].as_str().unwrap()).unwrap();
    assert!(status["pending"][1].as_str().unwrap().starts_with("<svg"), "a QR code drawn on the server");
    let step = step_of(Utc::now());
    let wrong = format!("{:06}", (code_at(&secret, step).parse::<u32>().unwrap() + 1) % 1_000_000);
    assert_eq!(b.call("/api/account/mfa/confirm", &[("code", &wrong)]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = b.call("/api/account/mfa/confirm", &[("code", &code_at(&secret, step))]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let codes: Vec<String> = serde_json::from_value(res.json()).unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// The password step: true when a code is asked for (no session yet).
async fn password_step(b: &mut Browser<'_>, email: &str) -> bool {
    let res = b.call("/api/account/login", &[("email", email), ("password", PASSWORD)]).await;
    assert!(res.ok(), "{}", res.body);
    b.cookies.contains_key("kulisy_code") && b.session().is_none()
}

async fn code_step(b: &mut Browser<'_>, code: &str) -> common::TestResponse {
    b.call("/api/account/login/code", &[("code", code)]).await
}

async fn a_code_opens_the_door_once(app: TestApp) {
    let mut t = app.browser();
    t.login(TEACHER, PASSWORD).await;
    let (secret, recovery) = enrol(&mut t).await;
    let step = step_of(Utc::now());

    let mut b = app.browser();
    assert!(password_step(&mut b, TEACHER).await, "the password alone does not sign in");
    assert_eq!(b.call("/api/teaching/desk", &[]).await.status, StatusCode::UNAUTHORIZED);
    // The code used to set up is spent; the next one opens.
    assert_eq!(code_step(&mut b, &code_at(&secret, step)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = code_step(&mut b, &code_at(&secret, step + 1)).await;
    assert!(res.ok(), "{}", res.body);
    assert!(b.session().is_some());
    assert_eq!(b.call("/api/teaching/desk", &[]).await.status, 200);

    // The same code again, on another device: refused. A recovery code: once.
    let mut c = app.browser();
    assert!(password_step(&mut c, TEACHER).await);
    assert_eq!(code_step(&mut c, &code_at(&secret, step + 1)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(code_step(&mut c, &recovery[0].to_uppercase()).await.ok(), "recovery codes ignore case");
    let mut d = app.browser();
    assert!(password_step(&mut d, TEACHER).await);
    assert_eq!(code_step(&mut d, &recovery[0]).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Wrong codes slow their source like wrong passwords: then even a good one waits …
    let mut d = d.seen_from("203.0.113.7");
    for _ in 0..3 {
        assert_eq!(code_step(&mut d, "000000").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let waiting = code_step(&mut d, &recovery[1]).await;
    assert_eq!(waiting.status, StatusCode::TOO_MANY_REQUESTS, "{}", waiting.body);
    // … but only from where the guesses came.
    let mut d = d.seen_from("198.51.100.20");
    assert!(code_step(&mut d, &recovery[1]).await.ok());
    // A code without a password step is nothing.
    assert_eq!(code_step(&mut app.browser(), &recovery[2]).await.status, StatusCode::CONFLICT);
}

async fn the_school_requires_codes_and_the_office_resets_them(app: TestApp) {
    let mut admin = app.browser();
    admin.login("admin@kulisy.test", PASSWORD).await;
    assert!(admin.call("/api/admin/settings/mfa", &[("required", "on")]).await.ok());
    let teacher = app.user(TEACHER).await.unwrap();

    // Without codes the teacher may sign in, but only to set them up.
    let mut t = app.browser();
    t.login(TEACHER, PASSWORD).await;
    let desk = t.call("/api/teaching/desk", &[]).await;
    assert_eq!(desk.status, StatusCode::CONFLICT);
    assert!(desk.body.contains(&MUST_ENROL[..40]), "{}", desk.body);
    // The admin is staff too: codes first.
    assert_eq!(admin.call("/api/admin/people", &[]).await.status, StatusCode::CONFLICT);
    let (secret, _) = enrol(&mut t).await;
    assert_eq!(t.call("/api/teaching/desk", &[]).await.status, 200);
    let code = code_at(&secret, step_of(Utc::now()) + 1);
    let off = t.call("/api/account/mfa/disable", &[("code", &code)]).await;
    assert_eq!(off.status, StatusCode::CONFLICT, "required codes cannot be turned off");

    // A password reset leads to the code step, never past it.
    assert!(app.browser().call("/api/account/forgot", &[("email", TEACHER)]).await.ok());
    let token = app.token_mailed_to(TEACHER, "reset-password").await;
    let reset = app.browser().call("/api/account/reset", &[("token", &token), ("password", "new-password-42"), ("password_confirm", "new-password-42")]).await;
    assert!(reset.ok(), "{}", reset.body);
    let mut b = app.browser();
    let res = b.call("/api/account/login", &[("email", TEACHER), ("password", "new-password-42")]).await;
    assert!(res.ok() && b.session().is_none() && b.cookies.contains_key("kulisy_code"), "{}", res.body);

    // The office resets the teacher's codes (a lost phone); it is on the record.
    let (_, mut office) = app.signed_in("office@example.ru", "Второй администратор", kulisy::domain::Role::Admin).await;
    let (office_secret, _) = enrol(&mut office).await;
    let _ = office_secret;
    assert!(office.call("/api/admin/person/mfa-reset", &[("id", &teacher.id.to_string())]).await.ok());
    let after = app.user(TEACHER).await.unwrap();
    assert!(after.totp_secret.is_none() && after.totp_enabled_at.is_none());
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("mfa_reset"))
        .filter(audit_log::Column::EntityId.eq(teacher.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(audit_log::Entity::find().filter(audit_log::Column::Entity.eq("setting")).one(&app.state.db).await.unwrap().is_some());
}

async fn students_have_no_codes_to_set_up(app: TestApp) {
    let mut s = app.browser();
    s.login("anna@kulisy.test", PASSWORD).await;
    assert_eq!(s.call("/api/account/mfa/start", &[]).await.status, StatusCode::FORBIDDEN);
    assert!(s.call("/api/account/profile", &[]).await.json()["mfa"].is_null(), "no codes panel for students");
}

both_databases!(
    spawn_demo,
    a_code_opens_the_door_once,
    the_school_requires_codes_and_the_office_resets_them,
    students_have_no_codes_to_set_up,
);
