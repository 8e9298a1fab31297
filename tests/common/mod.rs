//! The harness every server-side test uses: the real router over a fresh
//! database, on SQLite (a temporary file) and on PostgreSQL (a new database
//! on the local server). `both_databases!(test_fn)` runs a test on each.
#![allow(dead_code)] // each test binary uses a different part of it

pub mod family;
pub mod files;
pub mod money;
pub mod passes;

use axum::{Router, body::Body, http::{Request, Response, StatusCode, header}};
use http_body_util::BodyExt;
use kulisy::server::{AppState, Config, build_router, db, seed};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the PostgreSQL test server is; the suite fails, never skips, when it
/// cannot be reached.
pub fn postgres_server_url() -> String {
    std::env::var("KULISY_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub backend: Backend,
    /// Every SQL statement the app has run so far (see `queries_during`).
    pub queries: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// The S3 server the app keeps its files in, when it is not the local folder.
    pub s3: Option<std::sync::Arc<S3Server>>,
    _db: DbGuard,
}

/// A real S3 server for one test: s3s-fs (installed by scripts/bootstrap.sh;
/// it checks SigV4 signatures, does multipart uploads and ranges) on a free
/// port over a fresh folder with one bucket; stopped when dropped.
pub struct S3Server {
    child: std::process::Child,
    pub root: tempfile::TempDir,
    pub port: u16,
    secret: String,
}

pub const S3_BUCKET: &str = "kulisy-test";

impl S3Server {
    pub fn start() -> S3Server {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(root.path().join(S3_BUCKET)).expect("bucket");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let secret = format!("{:032x}", rand::random::<u128>());
        let child = std::process::Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", "kulisy", "--secret-key", &secret])
            .arg(root.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("s3s-fs is not installed: run scripts/bootstrap.sh test");
        let server = S3Server { child, root, port, secret };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("s3s-fs did not start on port {port}");
    }

    /// The app's settings for this server's bucket.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("KULISY_MEDIA", "s3".into()),
            ("KULISY_S3_ENDPOINT", format!("http://127.0.0.1:{}", self.port)),
            ("KULISY_S3_BUCKET", S3_BUCKET.into()),
            ("KULISY_S3_ACCESS_KEY", "kulisy".into()),
            ("KULISY_S3_SECRET_KEY", self.secret.clone()),
        ]
    }

    /// The folder in which the server keeps a shelf's objects.
    pub fn shelf(&self, shelf: &str) -> std::path::PathBuf {
        self.root.path().join(S3_BUCKET).join(shelf)
    }

    /// The objects on a shelf, as the server keeps them.
    pub fn objects(&self, shelf: &str) -> Vec<String> {
        files_in(&self.shelf(shelf))
    }

    /// Multipart uploads begun and neither completed nor aborted (s3s-fs
    /// keeps each as `.upload-<id>.json` beside its parts).
    pub fn unfinished_uploads(&self) -> Vec<String> {
        files_in(self.root.path()).into_iter().filter(|n| n.starts_with(".upload")).collect()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

/// Removes the test's database when the test ends.
pub enum DbGuard {
    Sqlite(tempfile::TempDir),
    Postgres { name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { name } = self {
            let name = name.clone();
            // Drop runs outside any runtime we may block; use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(format!("{}/postgres", postgres_server_url())).await {
                        let _ = admin
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A new empty database on `backend`, removed when the guard drops.
pub async fn fresh_database(backend: Backend) -> (String, DbGuard) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("kulisy.db").display());
            (url, DbGuard::Sqlite(dir))
        }
        Backend::Postgres => {
            let server = postgres_server_url();
            let admin = Database::connect(format!("{server}/postgres")).await.unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL at {server} is unreachable ({e}). The suite runs every server \
                     test on PostgreSQL too: start it (see README) or set KULISY_TEST_PG."
                )
            });
            let name = format!("kulisy_test_{}", rand::random::<u64>());
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
            (format!("{server}/{name}"), DbGuard::Postgres { name })
        }
    }
}

pub fn test_config(database_url: String, data_dir: &std::path::Path) -> Config {
    test_config_with(database_url, data_dir, &[])
}

/// The test configuration with some variables set (`KULISY_VIDEO_MAX_MB`…).
pub fn test_config_with(database_url: String, data_dir: &std::path::Path, extra: &[(&str, &str)]) -> Config {
    let mut vars = vec![
        ("DATABASE_URL", database_url),
        ("KULISY_DATA", data_dir.display().to_string()),
        ("SITE_URL", "http://kulisy.test:3000".to_string()),
        // Tests look at a page right after changing it, faster than anyone
        // could; the page cache has tests of its own (tests/performance.rs).
        ("KULISY_PAGE_CACHE_MS", "0".to_string()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    Config::from_lookup(
        |k| vars.iter().rfind(|(name, _)| *name == k).map(|(_, v)| v.clone()),
        "127.0.0.1:3000".parse().unwrap(),
    )
    .expect("test configuration")
}

impl TestApp {
    /// A migrated, empty school.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, &[]).await
    }

    /// A migrated, empty school keeping its files on an S3 server of its own.
    pub async fn spawn_s3(backend: Backend) -> TestApp {
        Self::spawn_s3_with(backend, &[]).await
    }

    pub async fn spawn_s3_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
        let s3 = S3Server::start();
        let own = s3.settings();
        let mut all: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
        all.extend_from_slice(settings);
        let mut app = Self::spawn_with(backend, &all).await;
        app.s3 = Some(std::sync::Arc::new(s3));
        app
    }

    /// A migrated, empty school with some settings of its own.
    pub async fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> TestApp {
        let (url, guard) = fresh_database(backend).await;
        let data_dir = tempfile::tempdir().expect("temp dir").keep();
        let config = test_config_with(url, &data_dir, settings);
        let mut conn: DatabaseConnection = db::connect(&config.database_url).await.expect("connect");
        db::migrate(&conn).await.expect("migrate");
        let queries = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = queries.clone();
        // KULISY_TEST_LOG_SQL=1 prints every statement, to see where a count comes from.
        let log = std::env::var_os("KULISY_TEST_LOG_SQL").is_some();
        conn.set_metric_callback(move |info| {
            counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if log {
                eprintln!("SQL {}", info.statement);
            }
        });
        let leptos = kulisy::server::app::with_built_assets(
            leptos::config::get_configuration(Some("Leptos.toml")).expect("Leptos.toml").leptos_options,
        );
        let state = AppState::new(conn, config, leptos);
        TestApp { router: build_router(state.clone()), state, backend, queries, s3: None, _db: guard }
    }

    /// The same school and database, served by an app with `settings` changed.
    pub fn with_settings(mut self, settings: &[(&str, &str)]) -> TestApp {
        let config = test_config_with(self.state.config.database_url.clone(), &self.state.config.data_dir, settings);
        self.state = AppState::new(self.state.db.clone(), config, self.state.leptos.clone());
        self.router = build_router(self.state.clone());
        self
    }

    /// A school with the demo data of the first start.
    pub async fn spawn_demo(backend: Backend) -> TestApp {
        let app = Self::spawn(backend).await;
        assert!(seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap());
        app
    }

    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let res: Response<Body> = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// A page as a browser shows it: redirects within the site followed
    /// (at most five); the answer of the last address.
    pub async fn page(&self, path: &str) -> TestResponse {
        let mut path = path.to_string();
        for _ in 0..5 {
            let res = self.get(&path).await;
            if !res.status.is_redirection() {
                return res;
            }
            path = res.header("location").to_string();
            assert!(path.starts_with('/'), "a redirect off the site: {path}");
        }
        panic!("more than five redirects from {path}");
    }

    /// Calls a server function the way the browser's `fetch` does (JSON over
    /// POST is what leptos' default `PostUrl` codec sends form-encoded).
    pub async fn call(&self, path: &str, form: &str) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
    }
}

/// Runs `async fn $test(app: TestApp)`-style tests on both databases:
/// `both_databases!(spawn, my_test);` makes `my_test::sqlite` and
/// `my_test::postgres`, each with a fresh app from `TestApp::$spawn`.
#[macro_export]
macro_rules! both_databases {
    // The same tests again with another kind of app, in a module of their own.
    (mod $group:ident, $spawn:ident, $($test:ident),+ $(,)?) => {
        mod $group {
            use super::*;
            $crate::both_databases!($spawn, $($test),+);
        }
    };
    ($spawn:ident, $($test:ident),+ $(,)?) => {
        $(
            mod $test {
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$test(common::TestApp::$spawn(common::Backend::Sqlite).await).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$test(common::TestApp::$spawn(common::Backend::Postgres).await).await
                }
            }
        )+
    };
}

/// A browser of sorts: keeps the cookies the app sets, sends them back.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// The TCP peer the server sees: 127.0.0.1 unless [`Browser::from_address`] says otherwise.
    pub peer: std::net::SocketAddr,
}

impl TestApp {
    pub fn browser(&self) -> Browser<'_> {
        Browser { app: self, cookies: Default::default(), peer: "127.0.0.1:40000".parse().unwrap() }
    }

    /// Every queued or sent message, oldest first.
    pub async fn outbox(&self) -> Vec<kulisy::server::entities::outbox::Model> {
        use sea_orm::{EntityTrait, QueryOrder};
        kulisy::server::entities::outbox::Entity::find()
            .order_by_asc(kulisy::server::entities::outbox::Column::Id)
            .all(&self.state.db)
            .await
            .unwrap()
    }

    /// The token of the link to `path` in the newest message to `to`.
    pub async fn token_mailed_to(&self, to: &str, path: &str) -> String {
        let mail = self.outbox().await.into_iter().rev().find(|m| m.to_addr == to)
            .unwrap_or_else(|| panic!("no mail to {to}"));
        let marker = format!("{path}?token=");
        let start = mail.body_text.find(&marker).unwrap_or_else(|| panic!("no {path} link in: {}", mail.body_text));
        mail.body_text[start + marker.len()..].chars().take_while(|c| c.is_ascii_hexdigit()).collect()
    }

    pub async fn user(&self, email: &str) -> Option<kulisy::server::entities::user::Model> {
        use kulisy::server::entities::user;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user::Entity::find().filter(user::Column::Email.eq(email)).one(&self.state.db).await.unwrap()
    }
}

impl Browser<'_> {
    /// The same browser as seen from another client address.
    pub fn seen_from(mut self, ip: &str) -> Self {
        self.peer = std::net::SocketAddr::new(ip.parse().unwrap(), 40000);
        self
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn remember(&mut self, res: &TestResponse) {
        for value in res.headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    pub async fn send(&mut self, req: axum::http::request::Builder, body: Body) -> TestResponse {
        let mut req = req.header(header::COOKIE, self.cookie_header()).body(body).unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(self.peer));
        let res = self.app.send(req).await;
        self.remember(&res);
        res
    }

    /// Calls a server function as the page's JavaScript would.
    pub async fn call(&mut self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json"),
            Body::from(body),
        )
        .await
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path), Body::empty()).await
    }

    pub fn session(&self) -> Option<&String> {
        self.cookies.get("kulisy_session")
    }

    /// Signs in and asserts it worked.
    pub async fn login(&mut self, email: &str, password: &str) {
        let res = self.call("/api/account/login", &[("email", email), ("password", password)]).await;
        assert!(res.ok(), "login of {email} failed: {} {}", res.status, res.body);
        assert!(self.session().is_some(), "no session cookie after login");
    }

    /// The signed-in user's id as the server sees it, if any.
    pub async fn viewer(&mut self) -> Option<i64> {
        let res = self.call("/api/account/viewer", &[]).await;
        assert_eq!(res.status, 200, "{}", res.body);
        res.json()["id"].as_i64()
    }

    /// Calls a server function with a form of owned values (a booking …).
    pub async fn submit(&mut self, path: &str, form: &[(&'static str, String)]) -> TestResponse {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.call(path, &pairs).await
    }

    /// Sends the wizard's last step for `course` (see [`TestCourse::booking`]).
    pub async fn book(&mut self, course: &TestCourse, format: &str) -> TestResponse {
        self.submit(ENROLL, &course.booking(format)).await
    }
}

/// Where the wizard's last step is sent.
pub const ENROLL: &str = "/api/enrollments/enroll";

impl TestResponse {
    /// A server function that succeeded: 200, or a redirect it asked for.
    pub fn ok(&self) -> bool {
        self.status.is_success() || self.status.is_redirection()
    }
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A course made for a test: one teacher, one weekly slot (Monday 19:00,
/// three hours), published.
pub struct TestCourse {
    pub id: i32,
    pub teacher_id: i32,
    pub teacher_email: String,
    pub term_start: chrono::NaiveDate,
    pub term_end: chrono::NaiveDate,
}

impl TestCourse {
    /// The wizard's final form for this course: the whole term, its teacher.
    pub fn booking(&self, format: &str) -> Vec<(&'static str, String)> {
        vec![
            ("course_id", self.id.to_string()),
            ("member", String::new()),
            ("teacher_id", self.teacher_id.to_string()),
            ("format", format.into()),
            ("partner_email", String::new()),
            ("period_start", self.term_start.to_string()),
            ("period_end", self.term_end.to_string()),
        ]
    }
}

impl TestApp {
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.today()
    }

    /// A user made straight in the database with a live session, and a
    /// browser carrying that session (no argon2 work: the tests that need
    /// many students stay fast).
    pub async fn signed_in(&self, email: &str, name: &str, role: kulisy::domain::Role) -> (kulisy::server::entities::user::Model, Browser<'_>) {
        use sea_orm::ActiveModelTrait;
        let email = kulisy::domain::Email::parse(email).unwrap();
        let u = kulisy::server::entities::user::new_account(&email, "not a hash".into(), role, name.into(), true)
            .insert(&self.state.db)
            .await
            .unwrap();
        let b = self.browser_as(&u).await;
        (u, b)
    }

    /// A browser with a fresh session of `u`.
    pub async fn browser_as(&self, u: &kulisy::server::entities::user::Model) -> Browser<'_> {
        let token = kulisy::server::auth::start_session(&self.state.db, u, false, None).await.unwrap();
        let mut b = self.browser();
        b.cookies.insert(kulisy::server::auth::SESSION_COOKIE.into(), token);
        b
    }

    /// A published course with `capacity` seats whose term starts in
    /// `starts_in` days and lasts `weeks` weeks.
    pub async fn course(&self, title: &str, capacity: i32, starts_in: i64, weeks: i64) -> TestCourse {
        use kulisy::server::entities::*;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        let now = chrono::Utc::now();
        let db = &self.state.db;
        let teacher_email = format!("teacher{}@example.ru", rand::random::<u32>());
        let email = kulisy::domain::Email::parse(&teacher_email).unwrap();
        let u = user::new_account(&email, "not a hash".into(), kulisy::domain::Role::Teacher, "Ирина Соколова".into(), true)
            .insert(db)
            .await
            .unwrap();
        let t = teacher::ActiveModel {
            user_id: Set(u.id),
            specialization: Set("Актёрское мастерство".into()),
            bio: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let term_start = self.today() + chrono::Duration::days(starts_in);
        let term_end = term_start + chrono::Duration::weeks(weeks) - chrono::Duration::days(1);
        let c = course::ActiveModel {
            title: Set(title.into()),
            description: Set("Описание курса.".into()),
            capacity: Set(capacity),
            term_start: Set(term_start),
            term_end: Set(term_end),
            offers_personal: Set(true),
            offers_pair: Set(true),
            is_published: Set(true),
            seat_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(c.id), teacher_id: Set(t.id) })
            .exec_without_returning(db)
            .await
            .unwrap();
        course_slot::ActiveModel {
            course_id: Set(c.id),
            weekday: Set(1),
            starts_at: Set(chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap()),
            duration_minutes: Set(180),
            room: Set("Большой зал".into()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        TestCourse { id: c.id, teacher_id: t.id, teacher_email, term_start, term_end }
    }

    /// Every enrollment of a course, oldest first.
    /// A student with a request for `course` in `status`, written directly.
    pub async fn enrolled(
        &self,
        course: &TestCourse,
        email: &str,
        status: kulisy::domain::EnrollmentStatus,
    ) -> (kulisy::server::entities::enrollment::Model, Browser<'_>) {
        let (u, b) = self.signed_in(email, "Мария Ученица", kulisy::domain::Role::Student).await;
        (self.request_of(course, u.id, status).await, b)
    }

    /// A personal request of `student_id` for the whole term, written directly.
    pub async fn request_of(
        &self,
        course: &TestCourse,
        student_id: i32,
        status: kulisy::domain::EnrollmentStatus,
    ) -> kulisy::server::entities::enrollment::Model {
        use kulisy::server::entities::enrollment;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let now = chrono::Utc::now();
        enrollment::ActiveModel {
            student_id: Set(Some(student_id)),
            course_id: Set(course.id),
            teacher_id: Set(Some(course.teacher_id)),
            format: Set(kulisy::domain::CourseFormat::Personal),
            period_start: Set(course.term_start),
            period_end: Set(course.term_end),
            status: Set(status),
            seats: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .unwrap()
    }

    pub async fn enrollments_of(&self, course_id: i32) -> Vec<kulisy::server::entities::enrollment::Model> {
        use kulisy::server::entities::enrollment;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        enrollment::Entity::find()
            .filter(enrollment::Column::CourseId.eq(course_id))
            .order_by_asc(enrollment::Column::Id)
            .all(&self.state.db)
            .await
            .unwrap()
    }
}

/// A multipart body with one file field, as a browser's form sends it.
pub fn multipart(field_name: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "kulisyboundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field_name}\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
    ).into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A real image of the given size, as PNG.
pub fn png_bytes(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([91, 18, 34]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}


/// A photo as a phone takes a portrait: a `w` × `h` landscape JPEG, its top
/// half red and its bottom half blue, with an EXIF note to turn it a quarter
/// clockwise (orientation 6) before showing.
pub fn jpeg_turned_by_exif(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| if y < h / 2 { image::Rgb([220, 0, 0]) } else { image::Rgb([0, 0, 220]) });
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    // TIFF, little-endian, one IFD with one entry: Orientation (0x0112), SHORT, 1, value 6.
    let tiff: &[u8] = &[b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
    let payload = [b"Exif\0\0".as_slice(), tiff].concat();
    let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    // APP1 right after the start-of-image marker.
    [&jpeg[..2], &[0xFF, 0xE1], &length, &payload, &jpeg[2..]].concat()
}
