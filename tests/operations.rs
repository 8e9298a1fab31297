//! What operators see and rely on when the school runs on several hosts:
//! request ids, `/metrics`, validators every process shares, and migrations
//! that run once however many processes start together. (The guards for a
//! request that hangs or panics, and its log lines: `request_guards.rs`.)
#![cfg(feature = "ssr")]
mod common;
use axum::{Router, body::Body, http::Request};
use common::{Backend, TestApp};
use kulisy::server::{db, entities::outbox, mail};
use tower::ServiceExt;

/// The value of the first sample of `metric` whose labels include all of
/// `labels`, in Prometheus' text format.
fn sample(text: &str, metric: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| line.split(['{', ' ']).next() == Some(metric))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next()?.parse().ok())
}

async fn every_answer_carries_a_request_id(app: TestApp) {
    let res = app.get("/courses").await;
    let id = res.header("x-request-id");
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(app.get("/courses").await.header("x-request-id"), id, "a new id per request");

    // The proxy's id is carried through, so its log and ours meet.
    let from_proxy = "9b2c6a1e-5f4d-4c3b-8a7e-0d1f2e3c4b5a";
    let res = app.send(Request::get("/courses").header("x-request-id", from_proxy).body(Body::empty()).unwrap()).await;
    assert_eq!(res.header("x-request-id"), from_proxy);
    // One that could forge a log line is replaced.
    for hostile in ["abc def\" status=200", "x", &"a".repeat(200)] {
        let res = app.send(Request::get("/courses").header("x-request-id", hostile).body(Body::empty()).unwrap()).await;
        assert_eq!(res.header("x-request-id").len(), 32, "{hostile}");
    }
}

async fn metrics_count_requests_by_route_for_the_operators_only(app: TestApp) {
    let mut local = app.browser();
    let before = local.get("/metrics").await;
    assert_eq!(before.status, 200);
    assert!(before.header("content-type").starts_with("text/plain; version=0.0.4"));
    let course = app.course("Сценическая речь", 6, 7, 8).await;
    let hits = |text: &str| sample(text, "kulisy_http_requests_total", &["route=\"/courses/{id}\"", "status=\"200\""]).unwrap_or(0.0);
    let page = app.page(&format!("/courses/{}", course.id)).await;
    assert_eq!(page.status, 200);
    app.get("/courses/no-such-course-at-all-9f8e7d").await;
    let after = local.get("/metrics").await.body;
    assert!(hits(&after) >= hits(&before.body) + 1.0, "{after}");
    assert!(sample(&after, "kulisy_http_request_duration_seconds_count", &["route=\"/courses/{id}\""]).is_some());
    // Labels are templates, never what a client typed.
    assert!(!after.contains("no-such-course"), "{after}");

    // The database's numbers: a queued letter and its age, the pool.
    mail::enqueue(&app.state.db, mail::compose("anna@example.ru", "Анна", "Проверка", &["Текст."], None)).await.unwrap();
    let text = local.get("/metrics").await.body;
    assert_eq!(sample(&text, "kulisy_outbox_queued", &[]), Some(1.0), "{text}");
    assert!(sample(&text, "kulisy_outbox_oldest_seconds", &[]).is_some());
    assert_eq!(sample(&text, "kulisy_letters_failed", &[]), Some(0.0));
    assert!(sample(&text, "kulisy_db_pool_connections", &[]).unwrap() >= 1.0);
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let letter = outbox::Entity::find().one(&app.state.db).await.unwrap().unwrap();
        let mut letter: outbox::ActiveModel = letter.into();
        letter.status = Set("failed".into());
        letter.update(&app.state.db).await.unwrap();
    }
    let text = local.get("/metrics").await.body;
    assert_eq!(sample(&text, "kulisy_outbox_queued", &[]), Some(0.0));
    assert_eq!(sample(&text, "kulisy_letters_failed", &[]), Some(1.0));

    // Anyone else finds nothing there, directly or through the proxy.
    assert_eq!(app.browser().seen_from("203.0.113.9").get("/metrics").await.status, 404);
}

async fn a_visitor_through_the_proxy_cannot_read_the_metrics(app: TestApp) {
    // The proxy is on this machine, but the client is who counts.
    let mut through_proxy = app.browser();
    let res = through_proxy
        .send(Request::get("/metrics").header("x-forwarded-for", "198.51.100.7"), Body::empty())
        .await;
    assert_eq!(res.status, 404);
    let mut prometheus = app.browser().seen_from("10.1.2.3");
    assert_eq!(prometheus.get("/metrics").await.status, 200, "KULISY_METRICS_FROM lets the scraper in");
}

impl TestApp {
    /// A school behind nginx on this machine, scraped from the operators' network.
    async fn spawn_with_proxy(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &[("KULISY_TRUSTED_PROXIES", "127.0.0.1"), ("KULISY_METRICS_FROM", "127.0.0.1, 10.1.0.0/16")]).await
    }
}

both_databases!(spawn, every_answer_carries_a_request_id, metrics_count_requests_by_route_for_the_operators_only);
both_databases!(spawn_with_proxy, a_visitor_through_the_proxy_cannot_read_the_metrics);
both_databases!(spawn_kept, a_browsers_copy_of_a_page_is_known_to_every_process);

/// Another app process on the same database and settings.
fn another_process(app: &TestApp) -> Router {
    let config = kulisy::server::Config::clone(&app.state.config);
    kulisy::server::build_router(kulisy::server::AppState::new(app.state.db.clone(), config, app.state.leptos.clone()))
}

async fn get_from(process: &Router, path: &str, etag: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(path);
    if let Some(etag) = etag {
        req = req.header("if-none-match", etag);
    }
    process.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap()
}

/// A browser that holds a kept page is answered 304 by whichever process
/// it reaches, and a page whose data changed is sent again.
async fn a_browsers_copy_of_a_page_is_known_to_every_process(app: TestApp) {
    kulisy::server::seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap();
    let (a, b) = (app.router.clone(), another_process(&app));
    let course = app.page("/courses/1").await;
    assert_eq!(course.status, 200);
    let show = app.page("/afisha").await.body.split("href=\"/afisha/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let course_path = app.get("/courses/1").await.header("location").to_owned();
    for path in ["/", "/courses", "/afisha", &course_path, &format!("/afisha/{show}")] {
        let first = get_from(&a, path, None).await;
        assert_eq!(first.status(), 200, "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let res = get_from(&b, path, Some(&etag)).await;
        assert_eq!(res.status(), 304, "{path}: the other process does not know the copy {etag}");
        assert!(res.headers().get("content-security-policy").is_none(), "a 304 keeps the copy's own policy");
    }
    let etag = get_from(&a, "/courses", None).await.headers()["etag"].to_str().unwrap().to_owned();
    use sea_orm::ConnectionTrait;
    app.state.db.execute_unprepared("UPDATE courses SET title = 'Новое название курса' WHERE id = 1").await.unwrap();
    let c = another_process(&app);
    let res = get_from(&c, "/courses", Some(&etag)).await;
    assert_eq!(res.status(), 200, "a changed page is sent again");
    assert_ne!(res.headers()["etag"].to_str().unwrap(), etag);
}

impl TestApp {
    /// Public pages kept for a minute, as in production.
    async fn spawn_kept(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &[("KULISY_PAGE_CACHE_MS", "60000")]).await
    }
}

/// Several processes starting at the same moment on a new PostgreSQL
/// database: each migrates and seeds the demo school, none fails, each
/// migration is applied once and the school is seeded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_run_once_when_processes_start_together() {
    let (url, _guard) = common::fresh_database(Backend::Postgres).await;
    let mut starts = Vec::new();
    for _ in 0..4 {
        let url = url.clone();
        starts.push(tokio::spawn(async move {
            let conn = db::connect(&url).await.unwrap();
            db::migrate(&conn).await?;
            db::one_at_a_time(&conn, kulisy::server::seed::ensure_demo_school(&conn, chrono_tz::Europe::Moscow)).await
        }));
    }
    let mut seeded = 0;
    for start in starts {
        seeded += usize::from(start.await.unwrap().expect("every process starts"));
    }
    assert_eq!(seeded, 1, "one process seeds, the others find the school there");
    use sea_orm::{ConnectionTrait, Statement};
    let conn = db::connect(&url).await.unwrap();
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS applied, COUNT(DISTINCT version) AS distinct_versions FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let applied: i64 = row.try_get("", "applied").unwrap();
    assert_eq!(applied, row.try_get::<i64>("", "distinct_versions").unwrap());
    assert_eq!(applied as usize, <migration::Migrator as migration::MigratorTrait>::migrations().len());
}
