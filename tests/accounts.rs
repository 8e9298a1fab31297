//! Accounts end to end through the real router: registration, confirmation,
//! login and lockout, reset links, profile, photo, password and e-mail
//! changes, deletion and export. Each test runs on SQLite and PostgreSQL.
#![cfg(feature = "ssr")]
mod common;
use axum::{body::Body, http::Request};
use common::{Browser, TestApp};
use kulisy::{domain::Role, server::entities::user};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

const PASSWORD: &str = "Вишнёвый сад 1904";

async fn register(b: &mut Browser<'_>, name: &str, email: &str) -> common::TestResponse {
    b.call("/api/account/register", &[
        ("full_name", name), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on"),
    ]).await
}

/// A confirmed student, signed in.
async fn student<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut b = app.browser();
    assert!(register(&mut b, "Анна Кузнецова", email).await.ok());
    let token = app.token_mailed_to(email, "/confirm-email").await;
    assert!(b.call("/api/account/confirm-email", &[("token", &token)]).await.ok());
    b.login(email, PASSWORD).await;
    b
}

async fn registration_checks_every_field(app: TestApp) {
    let mut b = app.browser();
    let res = b.call("/api/account/register", &[
        ("full_name", "  "), ("email", "not-an-address"), ("password", "short"), ("password_confirm", "other"),
    ]).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let body = res.json();
    let fields: Vec<&str> = body["Invalid"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["full_name", "email", "password", "password_confirm", "consent"]);
    assert!(res.body.contains("не короче 8 символов"));
    // A common password is refused too.
    let res = b.call("/api/account/register", &[
        ("full_name", "Анна"), ("email", "anna@example.ru"), ("password", "qwerty123"), ("password_confirm", "qwerty123"), ("consent", "on"),
    ]).await;
    assert_eq!(res.status, 422);
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 0, "nothing created");
    assert!(app.outbox().await.is_empty());
}

async fn a_taken_address_gets_mail_not_a_second_account(app: TestApp) {
    let mut b = app.browser();
    let first = register(&mut b, "Анна", "Anna@Example.ru").await;
    let second = register(&mut b, "Самозванец", "anna@example.ru ").await;
    assert!(first.ok() && second.ok());
    assert_eq!((first.status, first.body.clone()), (second.status, second.body.clone()), "no enumeration");
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 1);
    let mails = app.outbox().await;
    assert_eq!(mails.len(), 2);
    assert!(mails[0].subject.contains("Подтвердите адрес"));
    assert!(mails[1].subject.contains("Попытка регистрации"));
    assert_eq!(app.user("anna@example.ru").await.unwrap().full_name, "Анна");
}

async fn the_address_is_confirmed_before_the_first_login(app: TestApp) {
    let mut b = app.browser();
    register(&mut b, "Дмитрий", "dima@example.ru").await;
    let res = b.call("/api/account/login", &[("email", "dima@example.ru"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("не подтверждён"));
    assert!(b.session().is_none());
    // The link from the newest letter confirms; opened again, it only says
    // the address is confirmed already.
    let token = app.token_mailed_to("dima@example.ru", "/confirm-email").await;
    assert!(b.call("/api/account/confirm-email", &[("token", &token)]).await.ok());
    assert!(b.call("/api/account/confirm-email", &[("token", &token)]).await.ok());
    b.login("dima@example.ru", PASSWORD).await;
    assert!(b.viewer().await.is_some());
}

async fn wrong_password_and_unknown_address_look_the_same(app: TestApp) {
    let _anna = student(&app, "anna@example.ru").await;
    let mut b = app.browser();
    let t0 = std::time::Instant::now();
    let unknown = b.call("/api/account/login", &[("email", "nobody@example.ru"), ("password", PASSWORD)]).await;
    let t_unknown = t0.elapsed();
    let t1 = std::time::Instant::now();
    let wrong = b.call("/api/account/login", &[("email", "anna@example.ru"), ("password", "не тот пароль")]).await;
    let t_wrong = t1.elapsed();
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.body, wrong.body);
    assert!(b.session().is_none());
    // Both pay for an argon2 verification (the second also for one more
    // failure from this address): neither answers in a fraction of the other.
    assert!(t_unknown * 4 > t_wrong, "unknown {t_unknown:?} vs wrong {t_wrong:?}");
}

async fn the_session_id_changes_at_login_and_dies_at_logout(app: TestApp) {
    let _ = student(&app, "anna@example.ru").await;
    let mut b = app.browser();
    // A value planted by an attacker is never adopted.
    b.cookies.insert("kulisy_session".into(), "a".repeat(64));
    b.login("anna@example.ru", PASSWORD).await;
    let first = b.session().cloned().unwrap();
    assert_ne!(first, "a".repeat(64));
    b.login("anna@example.ru", PASSWORD).await;
    let second = b.session().cloned().unwrap();
    assert_ne!(first, second);
    assert!(b.viewer().await.is_some());

    let res = b.call("/api/account/logout", &[]).await;
    assert!(res.ok());
    assert!(b.session().is_none(), "cookie cleared");
    // The old cookie is dead on the server too.
    let mut replay = app.browser();
    replay.cookies.insert("kulisy_session".into(), second);
    assert_eq!(replay.viewer().await, None);
}

async fn failures_slow_their_source_not_the_account(app: TestApp) {
    let _ = student(&app, "anna@example.ru").await;
    let mut guesser = app.browser().seen_from("203.0.113.7");
    let login = |email: &'static str, password: &'static str| [("email", email), ("password", password)];
    for _ in 0..3 {
        let res = guesser.call("/api/account/login", &login("anna@example.ru", "wrong wrong")).await;
        assert_eq!(res.status, 409);
    }
    // The guesser must now wait, even with the right password …
    let waiting = guesser.call("/api/account/login", &login("anna@example.ru", PASSWORD)).await;
    assert_eq!(waiting.status, 429, "{}", waiting.body);
    assert_eq!(waiting.json(), "TooManyRequests");
    assert!(guesser.session().is_none());
    // … and the same wait falls on an address that has no account.
    for _ in 0..3 {
        guesser.call("/api/account/login", &login("nobody@example.ru", "wrong wrong")).await;
    }
    assert_eq!(guesser.call("/api/account/login", &login("nobody@example.ru", PASSWORD)).await.status, 429);
    // The owner, from their own device, signs in as usual meanwhile.
    let mut owner = app.browser().seen_from("198.51.100.20");
    owner.login("anna@example.ru", PASSWORD).await;

    // A client that keeps failing on many accounts is stopped as a whole.
    let mut sprayer = app.browser().seen_from("203.0.113.99");
    for n in 0..30 {
        let email = format!("victim{n}@example.ru");
        sprayer.call("/api/account/login", &[("email", email.as_str()), ("password", "wrong wrong")]).await;
    }
    assert_eq!(sprayer.call("/api/account/login", &login("anna@example.ru", PASSWORD)).await.status, 429);
    owner.call("/api/account/logout", &[]).await;
    owner.login("anna@example.ru", PASSWORD).await;

    // Reset still works for the account being guessed at.
    let mut b = app.browser();
    assert!(b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await.ok());
    let token = app.token_mailed_to("anna@example.ru", "/reset-password").await;
    let res = b.call("/api/account/reset", &[("token", &token), ("password", "Новый пароль 2026"), ("password_confirm", "Новый пароль 2026")]).await;
    assert!(res.ok(), "{}", res.body);
    assert!(b.session().is_none(), "a reset does not sign in");
    b.login("anna@example.ru", "Новый пароль 2026").await;
}

async fn bad_reset_tokens_change_nothing(app: TestApp) {
    let mut anna = student(&app, "anna@example.ru").await;
    let hash_before = app.user("anna@example.ru").await.unwrap().password_hash;
    let mut b = app.browser();

    // Tampered.
    b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await;
    let token = app.token_mailed_to("anna@example.ru", "/reset-password").await;
    let mut tampered = token.clone();
    tampered.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
    for bad in [tampered.as_str(), "", "zzzz"] {
        let res = b.call("/api/account/reset", &[("token", bad), ("password", "Другой пароль 1"), ("password_confirm", "Другой пароль 1")]).await;
        assert_eq!(res.status, 410, "{bad:?}: {}", res.body);
        assert_eq!(res.json(), serde_json::json!("LinkExpired"));
    }

    // Expired.
    use kulisy::server::entities::account_token;
    for t in account_token::Entity::find().all(&app.state.db).await.unwrap() {
        let mut t: account_token::ActiveModel = t.into();
        t.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        t.update(&app.state.db).await.unwrap();
    }
    let res = b.call("/api/account/reset", &[("token", &token), ("password", "Другой пароль 1"), ("password_confirm", "Другой пароль 1")]).await;
    assert_eq!(res.status, 410);

    // Issued before a password change.
    b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await;
    let older = app.token_mailed_to("anna@example.ru", "/reset-password").await;
    let res = anna.call("/api/account/password", &[("current_password", PASSWORD), ("new_password", "Сменён 2026 год"), ("password_confirm", "Сменён 2026 год")]).await;
    assert!(res.ok(), "{}", res.body);
    let hash_after_change = app.user("anna@example.ru").await.unwrap().password_hash;
    assert_ne!(hash_after_change, hash_before);
    let res = b.call("/api/account/reset", &[("token", &older), ("password", "Другой пароль 1"), ("password_confirm", "Другой пароль 1")]).await;
    assert_eq!(res.status, 410);

    // Used once, then never again.
    b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await;
    let fresh = app.token_mailed_to("anna@example.ru", "/reset-password").await;
    let ok = b.call("/api/account/reset", &[("token", &fresh), ("password", "Третий пароль 3"), ("password_confirm", "Третий пароль 3")]).await;
    assert!(ok.ok());
    let hash_after_reset = app.user("anna@example.ru").await.unwrap().password_hash;
    let again = b.call("/api/account/reset", &[("token", &fresh), ("password", "Четвёртый пароль"), ("password_confirm", "Четвёртый пароль")]).await;
    assert_eq!(again.status, 410);
    assert_eq!(app.user("anna@example.ru").await.unwrap().password_hash, hash_after_reset, "nothing changed");
}

async fn reset_links_use_site_url_whatever_the_host_header(app: TestApp) {
    let _ = student(&app, "anna@example.ru").await;
    let mut b = app.browser();
    let res = b.send(
        Request::post("/api/account/forgot")
            .header("host", "evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json"),
        Body::from("email=anna%40example.ru"),
    ).await;
    assert!(res.ok());
    let mail = app.outbox().await.pop().unwrap();
    assert!(mail.body_text.contains("http://kulisy.test:3000/reset-password?token="), "{}", mail.body_text);
    assert!(!mail.body_text.contains("evil.example"));
}

/// The pages behind e-mailed links (their address holds a token) let the
/// browser name them to this site only; a form posted there before the wasm
/// bundle loaded, and refused, comes back to its page with the reason.
async fn a_refused_plain_form_returns_to_its_mailed_link_page(app: TestApp) {
    let site = "http://127.0.0.1:3000";
    let forms = [
        ("/confirm-email?token=dead", "/api/account/confirm-email", "token=dead"),
        ("/confirm-email-change?token=dead", "/api/account/confirm-email-change", "token=dead"),
        (
            "/reset-password?token=dead",
            "/api/account/reset",
            "token=dead&password=Tri+sestry+1901&password_confirm=Tri+sestry+1901",
        ),
    ];
    for (page, endpoint, form) in forms {
        let shown = app.get(page).await;
        assert_eq!(shown.header("referrer-policy"), "same-origin", "{page}: the token goes to no other site");
        let posted = app
            .send(
                Request::post(endpoint)
                    .header("host", "127.0.0.1:3000")
                    .header("referer", format!("{site}{page}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "text/html")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert!(posted.status.is_redirection(), "{page}: {}", posted.status);
        let back = posted.header("location").strip_prefix(site).unwrap_or_else(|| panic!("{page}: {}", posted.header("location")));
        assert!(back.starts_with(page), "{page}: back to {back}");
        let again = app.get(back).await;
        assert!(again.body.contains("Ссылка недействительна или устарела"), "{page}: the reason is on the page");
    }
}

async fn an_unknown_address_gets_the_same_reset_answer(app: TestApp) {
    let _ = student(&app, "anna@example.ru").await;
    let mails = app.outbox().await.len();
    let mut b = app.browser();
    let known = b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await;
    let unknown = b.call("/api/account/forgot", &[("email", "ghost@example.ru")]).await;
    assert_eq!((known.status, known.body), (unknown.status, unknown.body));
    assert_eq!(app.outbox().await.len(), mails + 1, "only the real owner gets mail");
}

async fn a_reset_ends_every_session_and_says_so_by_mail(app: TestApp) {
    let mut phone = student(&app, "anna@example.ru").await;
    let mut laptop = app.browser();
    laptop.login("anna@example.ru", PASSWORD).await;
    let mut b = app.browser();
    b.call("/api/account/forgot", &[("email", "anna@example.ru")]).await;
    let token = app.token_mailed_to("anna@example.ru", "/reset-password").await;
    assert!(b.call("/api/account/reset", &[("token", &token), ("password", "Новый пароль 2026"), ("password_confirm", "Новый пароль 2026")]).await.ok());
    assert_eq!(phone.viewer().await, None);
    assert_eq!(laptop.viewer().await, None);
    assert!(app.outbox().await.last().unwrap().subject.contains("Пароль изменён"));
}

async fn changing_the_password_keeps_this_session_only(app: TestApp) {
    let mut here = student(&app, "anna@example.ru").await;
    let mut elsewhere = app.browser();
    elsewhere.login("anna@example.ru", PASSWORD).await;
    let wrong = here.call("/api/account/password", &[("current_password", "не тот"), ("new_password", "Новый пароль 2026"), ("password_confirm", "Новый пароль 2026")]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("current_password"));
    let res = here.call("/api/account/password", &[("current_password", PASSWORD), ("new_password", "Новый пароль 2026"), ("password_confirm", "Новый пароль 2026")]).await;
    assert!(res.ok(), "{}", res.body);
    assert!(here.viewer().await.is_some(), "this device stays signed in");
    assert_eq!(elsewhere.viewer().await, None, "others are signed out");
}

async fn a_profile_update_cannot_change_the_role(app: TestApp) {
    let mut b = student(&app, "anna@example.ru").await;
    let res = b.call("/api/account/profile/update", &[
        ("full_name", "Анна Сергеевна"), ("phone", "+7 903 111-22-33"), ("contacts", "t.me/anna"),
        ("about", "<script>alert(1)</script>"), ("role", "admin"), ("id", "1"),
    ]).await;
    let u = app.user("anna@example.ru").await.unwrap();
    assert_eq!(u.role, Role::Student, "{}", res.body);
    if res.ok() {
        assert_eq!(u.full_name, "Анна Сергеевна");
    }
    // The fields alone save fine, and text is kept as text.
    let res = b.call("/api/account/profile/update", &[
        ("full_name", "Анна Сергеевна"), ("phone", "+7 903 111-22-33"), ("contacts", "t.me/anna"), ("about", "</textarea><script>alert(1)</script>"),
    ]).await;
    assert!(res.ok(), "{}", res.body);
    let page = b.get("/my/profile").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert(1)"), "markup from a user never reaches the page");
    assert!(page.body.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    let bad = b.call("/api/account/profile/update", &[("full_name", ""), ("phone", "звоните"), ("contacts", ""), ("about", "")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("full_name") && bad.body.contains("phone"));
}

async fn pages_and_functions_need_a_session(app: TestApp) {
    let mut b = app.browser();
    assert_eq!(b.call("/api/account/profile", &[]).await.status, 401);
    assert_eq!(b.call("/api/account/profile/update", &[("full_name", "x"), ("phone", ""), ("contacts", ""), ("about", "")]).await.status, 401);
    let page = b.get("/my/profile").await;
    assert_eq!(page.status, 401);
    assert!(page.body.contains("Войдите"));
}

fn avatar_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.config.data_dir.join("uploads/avatars")).map(|d| d.count()).unwrap_or(0)
}

async fn upload(b: &mut Browser<'_>, file_name: &str, bytes: &[u8]) -> common::TestResponse {
    let (content_type, body) = common::multipart("photo", file_name, bytes);
    b.send(Request::post("/my/avatar").header("content-type", content_type), Body::from(body)).await
}

async fn profile_photos_are_checked_by_their_bytes(app: TestApp) {
    let mut b = student(&app, "anna@example.ru").await;
    for (name, bytes) in [
        ("photo.jpg", b"<html><script>alert(1)</script></html>".to_vec()),
        ("shell.php.jpg", b"<?php system($_GET['c']); ?>".to_vec()),
    ] {
        let res = upload(&mut b, name, &bytes).await;
        assert_eq!(res.status, 303);
        assert!(b.cookies.get("kulisy_flash").is_some_and(|f| f.starts_with("e.")), "error flash for {name}");
        assert_eq!(app.user("anna@example.ru").await.unwrap().avatar_key, None);
        assert_eq!(avatar_files(&app), 0, "nothing stored for {name}");
    }
    let oversized = vec![0u8; kulisy::server::photos::PROFILE_PHOTO_MAX_BYTES + 1];
    let res = upload(&mut b, "big.jpg", &oversized).await;
    assert!(res.status == 303 || res.status == 413, "{}", res.status);
    assert_eq!(avatar_files(&app), 0);

    let res = upload(&mut b, "../../etc/passwd.png", &common::png_bytes(900, 600)).await;
    assert_eq!(res.status, 303);
    let key = app.user("anna@example.ru").await.unwrap().avatar_key.expect("stored");
    assert!(kulisy::server::storage::is_generated_key(&key), "generated name, not the sent one");
    let served = app.get(&format!("/media/avatars/{key}")).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.header("content-type"), "image/jpeg");
    assert_eq!(served.header("x-content-type-options"), "nosniff");

    // A new photo replaces the old file; removing leaves none.
    upload(&mut b, "again.png", &common::png_bytes(300, 300)).await;
    assert_eq!(avatar_files(&app), 1);
    assert!(b.call("/api/account/avatar/remove", &[]).await.ok());
    assert_eq!(avatar_files(&app), 0);
    assert_eq!(app.get("/media/avatars/..%2F..%2Fsecret.key").await.status, 404);
}

async fn deleting_an_account_ends_sessions_and_anonymises_history(app: TestApp) {
    let db = &app.state.db;
    assert!(kulisy::server::seed::ensure_demo_school(db, app.state.config.time_zone).await.unwrap());
    let mut anna = app.browser();
    anna.login("anna@kulisy.test", kulisy::server::seed::DEMO_PASSWORD).await;
    let anna_id = app.user("anna@kulisy.test").await.unwrap().id;
    use kulisy::server::entities::enrollment;
    use sea_orm::{ColumnTrait, QueryFilter};
    let held = enrollment::Entity::find().filter(enrollment::Column::StudentId.eq(anna_id)).count(db).await.unwrap();
    assert!(held > 0);

    let export = anna.get("/my/export.json").await;
    assert_eq!(export.status, 200);
    assert_eq!(export.json()["account"]["email"], "anna@kulisy.test");
    assert_eq!(export.json()["enrollments"].as_array().unwrap().len() as u64, held);

    let no_confirm = anna.call("/api/account/delete", &[("delete_password", kulisy::server::seed::DEMO_PASSWORD)]).await;
    assert_eq!(no_confirm.status, 422);
    let wrong = anna.call("/api/account/delete", &[("delete_password", "wrong"), ("confirm", "yes")]).await;
    assert_eq!(wrong.status, 422);
    let session = anna.session().cloned().unwrap();
    let res = anna.call("/api/account/delete", &[("delete_password", kulisy::server::seed::DEMO_PASSWORD), ("confirm", "yes")]).await;
    assert!(res.ok(), "{}", res.body);
    assert!(app.user("anna@kulisy.test").await.is_none());
    let mut replay = app.browser();
    replay.cookies.insert("kulisy_session".into(), session);
    assert_eq!(replay.viewer().await, None);
    let orphaned = enrollment::Entity::find().filter(enrollment::Column::StudentId.is_null()).count(db).await.unwrap();
    assert_eq!(orphaned, held, "history stays, without the name");

    // The last admin cannot delete itself.
    let mut admin = app.browser();
    admin.login("admin@kulisy.test", kulisy::server::seed::DEMO_PASSWORD).await;
    let res = admin.call("/api/account/delete", &[("delete_password", kulisy::server::seed::DEMO_PASSWORD), ("confirm", "yes")]).await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("последний администратор"));
    assert!(app.user("admin@kulisy.test").await.is_some());
}

async fn changing_the_email_needs_the_new_address_confirmed(app: TestApp) {
    let mut b = student(&app, "anna@example.ru").await;
    let res = b.call("/api/account/email", &[("email_password", PASSWORD), ("new_email", "anna.new@example.ru")]).await;
    assert!(res.ok(), "{}", res.body);
    assert_eq!(app.user("anna@example.ru").await.unwrap().email, "anna@example.ru", "not yet");
    let token = app.token_mailed_to("anna.new@example.ru", "/confirm-email-change").await;
    assert!(b.call("/api/account/confirm-email-change", &[("token", &token)]).await.ok());
    assert!(app.user("anna@example.ru").await.is_none());
    assert!(app.user("anna.new@example.ru").await.is_some());
    assert_eq!(b.viewer().await, None, "signed out everywhere");
    b.login("anna.new@example.ru", PASSWORD).await;
}

async fn mail_is_delivered_from_the_outbox_and_retried(app: TestApp) {
    use kulisy::server::mail::{Transport, deliver_due};
    let _ = student(&app, "anna@example.ru").await;
    let queued = app.outbox().await.len();
    // A mail server that is down: nothing lost, attempts counted, retried later.
    let down = Transport::Smtp(
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1").port(1).build(),
    );
    assert_eq!(deliver_due(&app.state.db, &down, &app.state.config.mail_from).await.unwrap(), 0);
    let after = app.outbox().await;
    assert!(after.iter().all(|m| m.status == "queued" && m.attempts == 1 && m.last_error.is_some()));
    assert!(after.iter().all(|m| m.next_attempt_at > chrono::Utc::now()));
    // Due again later: delivered as .eml files.
    use kulisy::server::entities::outbox;
    for m in after {
        let mut m: outbox::ActiveModel = m.into();
        m.next_attempt_at = Set(chrono::Utc::now());
        m.update(&app.state.db).await.unwrap();
    }
    let dir = app.state.config.data_dir.join("outbox");
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(deliver_due(&app.state.db, &Transport::Files(dir.clone()), &app.state.config.mail_from).await.unwrap(), queued);
    assert!(app.outbox().await.iter().all(|m| m.status == "sent"));
    let eml: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(eml.len(), queued);
    let text = std::fs::read_to_string(&eml[0]).unwrap();
    assert!(text.contains("multipart/alternative") && text.contains("text/html"));
    // Each letter names itself by its outbox row: a resend is the same letter.
    let ids: std::collections::HashSet<String> = eml
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let line = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).expect("Message-ID").to_string();
            assert!(line.contains("<kulisy.") && line.trim_end().ends_with("@kulisy.test>"), "{line}");
            line
        })
        .collect();
    assert_eq!(ids.len(), queued, "one Message-ID per letter");
}

both_databases!(
    spawn,
    registration_checks_every_field,
    a_taken_address_gets_mail_not_a_second_account,
    the_address_is_confirmed_before_the_first_login,
    wrong_password_and_unknown_address_look_the_same,
    the_session_id_changes_at_login_and_dies_at_logout,
    failures_slow_their_source_not_the_account,
    bad_reset_tokens_change_nothing,
    reset_links_use_site_url_whatever_the_host_header,
    a_refused_plain_form_returns_to_its_mailed_link_page,
    an_unknown_address_gets_the_same_reset_answer,
    a_reset_ends_every_session_and_says_so_by_mail,
    changing_the_password_keeps_this_session_only,
    a_profile_update_cannot_change_the_role,
    pages_and_functions_need_a_session,
    profile_photos_are_checked_by_their_bytes,
    deleting_an_account_ends_sessions_and_anonymises_history,
    changing_the_email_needs_the_new_address_confirmed,
    mail_is_delivered_from_the_outbox_and_retried,
);

async fn only_admins_reach_the_office(app: TestApp) {
    assert!(kulisy::server::seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap());
    let demo = kulisy::server::seed::DEMO_PASSWORD;
    let mut visitor = app.browser();
    assert_eq!(visitor.call("/api/admin/dashboard", &[]).await.status, 401);
    for email in ["anna@kulisy.test", "sokolova@kulisy.test"] {
        let mut b = app.browser();
        b.login(email, demo).await;
        assert_eq!(b.call("/api/admin/dashboard", &[]).await.status, 403, "{email}");
        assert_eq!(b.get("/admin").await.status, 403, "{email}");
    }
    let mut admin = app.browser();
    admin.login("admin@kulisy.test", demo).await;
    let counts = admin.call("/api/admin/dashboard", &[]).await;
    assert_eq!(counts.status, 200);
    assert_eq!(counts.json()["counts"]["teachers"], 3);
    assert_eq!(counts.json()["counts"]["courses"], 9);
    assert_eq!(counts.json()["counts"]["pending_requests"], 4);
    assert_eq!(counts.json()["seats"].as_array().unwrap().len(), 9);
    assert_eq!(counts.json()["weekly_requests"].as_array().unwrap().len(), 8);

    // A demotion takes effect on the very next request.
    let u = app.user("admin@kulisy.test").await.unwrap();
    let mut demoted: user::ActiveModel = u.into();
    demoted.role = Set(Role::Student);
    demoted.update(&app.state.db).await.unwrap();
    assert_eq!(admin.call("/api/admin/dashboard", &[]).await.status, 403);
}

both_databases!(spawn, only_admins_reach_the_office);
