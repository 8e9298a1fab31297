//! Operations and the security baseline: health, migrations, seeding,
//! headers, origin checks, body limits and flash messages.
#![cfg(feature = "ssr")]
mod common;
use axum::{body::Body, http::Request};
use common::TestApp;
use kulisy::server::{db, entities, seed};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn healthz_reports_the_database(app: TestApp) {
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["database"], "reachable");

    app.state.db.clone().close().await.unwrap();
    let res = app.get("/healthz").await;
    assert_eq!(res.status, 503);
    assert_eq!(res.json()["database"], "unreachable");
}

async fn migrations_are_idempotent(app: TestApp) {
    // Already migrated once by the harness; running again changes nothing.
    db::migrate(&app.state.db).await.expect("second run");
    db::migrate(&app.state.db).await.expect("third run");
    assert_eq!(entities::user::Entity::find().count(&app.state.db).await.unwrap(), 0);
}

async fn the_demo_school_is_seeded_once(app: TestApp) {
    let db = &app.state.db;
    let tz = app.state.config.time_zone;
    assert!(seed::ensure_demo_school(db, tz).await.unwrap());
    assert!(!seed::ensure_demo_school(db, tz).await.unwrap(), "second start seeds nothing");

    use entities::*;
    use kulisy::domain::Role;
    use sea_orm::{ColumnTrait, QueryFilter};
    let count_role = |role| user::Entity::find().filter(user::Column::Role.eq(role)).count(db);
    assert_eq!(count_role(Role::Admin).await.unwrap(), 1);
    assert_eq!(count_role(Role::Teacher).await.unwrap(), 3);
    assert!(count_role(Role::Student).await.unwrap() >= 3);
    assert_eq!(teacher::Entity::find().count(db).await.unwrap(), 3);
    assert_eq!(course::Entity::find().count(db).await.unwrap(), 9);
    assert_eq!(show::Entity::find().count(db).await.unwrap(), 4);
    assert!(course_slot::Entity::find().count(db).await.unwrap() >= 6);

    // Capacities and formats differ, and every course has a teacher and a slot.
    let courses = course::Entity::find().all(db).await.unwrap();
    let capacities: std::collections::HashSet<_> = courses.iter().map(|c| c.capacity).collect();
    assert!(capacities.len() >= 4);
    assert!(courses.iter().any(|c| c.offers_pair && !c.offers_personal));
    assert!(courses.iter().any(|c| c.offers_personal && !c.offers_pair));
    for c in &courses {
        assert!(c.term_start < c.term_end);
        let teachers = course_teacher::Entity::find()
            .filter(course_teacher::Column::CourseId.eq(c.id))
            .count(db)
            .await
            .unwrap();
        assert!(teachers >= 1, "{} has no teacher", c.title);
    }
    // Every demo login printed at start exists and opens with the demo password.
    for (email, role) in seed::DEMO_LOGINS {
        let u = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{email} missing"));
        assert_eq!(u.role, role);
        assert!(kulisy::server::password::verify_blocking(seed::DEMO_PASSWORD, &u.password_hash));
    }
}

async fn pages_carry_the_security_headers(app: TestApp) {
    let res = app.get("/").await;
    let csp = res.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    // The policy's nonce is the one on the page's scripts.
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce in CSP");
    assert!(nonce.len() >= 16);
    assert!(res.body.contains(&format!(r#"<script type="module" nonce="{nonce}""#)));
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert_eq!(res.header("referrer-policy"), "strict-origin-when-cross-origin");
    // A fresh nonce for every page.
    let again = app.get("/").await;
    assert_ne!(again.header("content-security-policy"), csp);

    let health = app.get("/healthz").await;
    assert!(health.header("content-security-policy").starts_with("default-src 'none'"));
    assert_eq!(health.header("x-content-type-options"), "nosniff");
}

async fn cross_origin_writes_are_refused(app: TestApp) {
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut req = Request::post("/api/courses/schedule")
            .header("host", "127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(s) = site {
            req = req.header("sec-fetch-site", s);
        }
        req.body(Body::empty()).unwrap()
    };
    let evil = app.send(post(Some("https://evil.example"), Some("cross-site"))).await;
    assert_eq!(evil.status, 403);
    assert!(evil.body.contains("другого сайта"));
    assert_eq!(app.send(post(Some("https://evil.example"), None)).await.status, 403);
    assert_eq!(app.send(post(Some("http://127.0.0.1:3000"), Some("same-origin"))).await.status, 200);
    assert_eq!(app.send(post(Some("http://127.0.0.1:3000"), None)).await.status, 200);
}

async fn oversized_bodies_are_refused(app: TestApp) {
    let big = "x=".to_string() + &"a".repeat(kulisy::server::security::MAX_BODY_BYTES + 10);
    // Announced by Content-Length, as browsers do: refused before reading.
    let announced = Request::post("/api/courses/schedule")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(app.send(announced).await.status, 413);
    // Streamed without a length: cut off at the limit, refused as a bad request.
    let streamed = app.call("/api/courses/schedule", &big).await;
    assert_eq!(streamed.status, 400, "{}", streamed.body);
}

async fn a_flash_message_shows_once(app: TestApp) {
    let req = Request::get("/courses")
        .header("cookie", "kulisy_flash=s.%D0%97%D0%B0%D0%BF%D0%B8%D1%81%D1%8C+%D0%BE%D1%82%D0%BF%D1%80%D0%B0%D0%B2%D0%BB%D0%B5%D0%BD%D0%B0")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Запись отправлена"), "flash shown");
    assert!(res.body.contains("flash--success"));
    let cleared = res
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("kulisy_flash=;") && c.contains("Max-Age=0"));
    assert!(cleared, "the cookie is cleared after showing");

    // A forged message is shown as text, never as markup.
    let req = Request::get("/")
        .header("cookie", "kulisy_flash=e.%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert!(!res.body.contains("<script>alert(1)"));
    assert!(res.body.contains("&lt;script&gt;alert(1)"));
}

/// The policy a page gets names the nonce its scripts were given, even
/// when the render's own header does not reach the response: the nonce is
/// made before anything renders and handed to the render with the request.
/// Anything that is not a page may load nothing.
#[tokio::test]
async fn a_page_without_the_render_policy_still_gets_its_nonce() {
    use axum::{Router, extract::Request as AxumRequest, response::Html, routing::get};
    use kulisy::server::security::{self, PageNonce};
    use tower::ServiceExt;
    let page = |req: AxumRequest| async move {
        let nonce = req.extensions().get::<PageNonce>().expect("a nonce for every request").as_str().to_owned();
        Html(format!("<script nonce=\"{nonce}\">start()</script>"))
    };
    let router = security::protect(Router::new().route("/page", get(page)).route("/data", get(|| async { "{}" })));
    let res = router.clone().oneshot(Request::get("/page").body(Body::empty()).unwrap()).await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("the page policy");
    assert!(String::from_utf8_lossy(&body).contains(&format!("nonce=\"{nonce}\"")), "{csp}");

    let res = router.oneshot(Request::get("/data").body(Body::empty()).unwrap()).await.unwrap();
    assert!(res.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
}

both_databases!(
    spawn,
    healthz_reports_the_database,
    migrations_are_idempotent,
    the_demo_school_is_seeded_once,
    pages_carry_the_security_headers,
    cross_origin_writes_are_refused,
    oversized_bodies_are_refused,
    a_flash_message_shows_once,
);
