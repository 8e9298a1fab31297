//! What keeps pages fast as the school grows: a handful of SQL statements
//! per page whatever the number of courses, students and enrollments (no
//! N+1), public pages served again from memory, 304s for browsers that have
//! the page, compressed HTML and long-lived assets.
#![cfg(feature = "ssr")]
mod common;
use axum::{body::Body, http::{Request, header}};
use common::{Browser, TestApp};
use kulisy::server::seed;
use std::sync::atomic::Ordering;

/// No page may take more statements than this, finding the signed-in user
/// and reading the school's details (name, contacts) included; the busiest
/// are the public page of a teacher with published reviews (18, the demo's
/// Sokolova: the first course on the schedule since the children's studio
/// began) and the teacher's roster of children (their families: two
/// statements, however many children; their lessons left on passes and the
/// lesson's make-up students: one each).
const HANDFUL: usize = 18;

/// The links on `html` that start with `prefix` and go on with an id or a
/// readable address, each once, in the order they come.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in html.match_indices(prefix) {
        let id: String =
            html[at + prefix.len()..].chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect();
        let link = format!("{prefix}{id}");
        if !id.is_empty() && !found.contains(&link) {
            found.push(link);
        }
    }
    found
}

fn first_link(html: &str, prefix: &str) -> String {
    links(html, prefix).into_iter().next().unwrap_or_else(|| panic!("no {prefix}… link"))
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut b = app.browser();
    b.login(email, seed::DEMO_PASSWORD).await;
    b
}

/// ("who page", statements) for every kind of page, as the people who use it.
async fn statements_per_page(app: &TestApp) -> Vec<(String, usize)> {
    let courses = app.get("/courses").await.body;
    let course = first_link(&courses, "/courses/");
    let teacher_page = first_link(&app.get(&course).await.body, "/teachers/");
    let afisha = app.get("/afisha").await.body;
    let mut visitor = app.browser();
    let mut student = signed_in(app, "anna@kulisy.test").await;
    let mut teacher = signed_in(app, "sokolova@kulisy.test").await;
    let mut admin = signed_in(app, "admin@kulisy.test").await;
    let mut parent = signed_in(app, "parent@kulisy.test").await;
    let desk = teacher.get("/teach").await.body;
    let people = admin.get("/admin/people?role=student").await.body;
    let visitor_pages = [
        "/".to_string(),
        "/courses".to_string(),
        "/courses?view=week".to_string(),
        "/courses?format=pair&free=1".to_string(),
        course,
        teacher_page,
        "/afisha".to_string(),
        first_link(&afisha, "/afisha/"),
    ];
    let student_pages = ["/my/enrollments", "/my/portfolio", "/my/reviews", "/my/profile"].map(String::from);
    let parent_pages = ["/my/enrollments", "/my/family", "/my/passes"].map(String::from);
    // Every roster: the children's course is among them.
    let teacher_pages: Vec<String> = std::iter::once("/teach".to_string()).chain(links(&desk, "/teach/courses/")).collect();
    let admin_pages = [
        "/admin".to_string(),
        "/admin/people".to_string(),
        first_link(&people, "/admin/people/"),
        "/admin/courses".to_string(),
        "/admin/shows".to_string(),
        "/admin/reviews".to_string(),
        "/admin/audit".to_string(),
    ];
    let mut counts = Vec::new();
    for (name, who, pages) in [
        ("visitor", &mut visitor, &visitor_pages[..]),
        ("student", &mut student, &student_pages[..]),
        ("parent", &mut parent, &parent_pages[..]),
        ("teacher", &mut teacher, &teacher_pages[..]),
        ("admin", &mut admin, &admin_pages[..]),
    ] {
        for page in pages {
            let before = app.queries.load(Ordering::SeqCst);
            let res = who.get(page).await;
            assert_eq!(res.status, 200, "{page}");
            counts.push((format!("{name} {page}"), app.queries.load(Ordering::SeqCst) - before));
        }
    }
    counts
}

async fn pages_take_a_handful_of_statements_however_large_the_school(app: TestApp) {
    let small = statements_per_page(&app).await;
    // Ten times the courses, a hundred times the students, a history, families.
    let today = app.state.today();
    seed::add_generated_courses(&app.state.db, 60, today).await.unwrap();
    seed::add_generated_students(&app.state.db, 400).await.unwrap();
    seed::add_enrollment_history(&app.state.db, 3000, today).await.unwrap();
    // Rosters of many minors, and a guardian with many children.
    seed::add_generated_families(&app.state.db, 20, today).await.unwrap();
    let large = statements_per_page(&app).await;
    eprintln!("statements per page: demo school {small:?}, larger school {large:?}");
    // The larger school's teacher has more courses: pages are matched by address.
    let before: std::collections::HashMap<_, _> = small.into_iter().collect();
    for (page, after) in &large {
        assert!(*after <= HANDFUL, "{page}: {after} statements");
        if let Some(before) = before.get(page) {
            assert_eq!(before, after, "{page}: {before} statements in the demo school, {after} in a larger one");
        }
    }
}

/// The schedule is the largest page: each course's card reaches the browser
/// once, in the HTML, and not a second time as hydration data; signed in too.
async fn the_schedule_sends_each_course_once(app: TestApp) {
    use kulisy::server::entities::course;
    let today = app.state.today();
    seed::add_generated_courses(&app.state.db, 60, today).await.unwrap();
    let visible: Vec<course::Model> = kulisy::server::courses::visible().all(&app.state.db).await.unwrap();
    let visible: Vec<_> = visible.into_iter().filter(|c| c.term_end >= today).collect();
    assert!(visible.len() > 60);
    let mut student = signed_in(&app, "anna@kulisy.test").await;
    for html in [app.get("/courses").await.body, student.get("/courses").await.body] {
        for c in &visible {
            // Groups of one course share its title (the children's studio has two).
            let groups = visible.iter().filter(|other| other.title == c.title).count();
            let title = format!(">{}</a>", kulisy::domain::text::escape_html(&c.title));
            assert_eq!(html.matches(title.as_str()).count(), groups, "{}", c.title);
        }
        let data: Vec<&str> = html.split("<script").filter(|s| s.contains("__RESOLVED_RESOURCES")).collect();
        let summary = kulisy::domain::catalogue::summary_of(&visible[0].description);
        assert!(!data.iter().any(|script| script.contains(&summary)), "a course's text in the hydration data");
        let data: usize = data.iter().map(|script| script.len()).sum();
        assert!(data * 20 < html.len(), "hydration data {data} of {} bytes", html.len());
    }
    // The week calendar's days come written too: no course reaches its data.
    for html in [app.get("/courses?view=week").await.body, student.get("/courses?view=week").await.body] {
        assert!(html.contains(r#"class="lesson__title""#));
        let data: String = html.split("<script").filter(|s| s.contains("__RESOLVED_RESOURCES")).collect();
        for field in ["seats_left", "term_start", "slots"] {
            assert!(!data.contains(field), "a course card's {field} in the week's hydration data");
        }
        assert!(data.len() < 4096, "hydration data {} of {} bytes", data.len(), html.len());
    }
}

/// No page names the bundle to fetch: each is complete without it, and the
/// bundle starts on the person's first touch, key, focus or scroll (or at
/// once when the browser holds it) — a visitor's public pages, forms and
/// every signed-in page alike, so nothing competes with a page's first
/// paint on a slow link.
async fn pages_start_the_bundle_when_a_person_acts(app: TestApp) {
    let preloads = |html: &str| html.contains(r#"rel="modulepreload""#) || html.contains(r#"type="application/wasm""#);
    let course = first_link(&app.get("/courses").await.body, "/courses/");
    let mut pages = Vec::new();
    for path in ["/", "/courses", "/afisha", course.as_str(), "/courses?format=pair", "/login", "/register"] {
        pages.push((path.to_string(), app.get(path).await.body));
    }
    let mut student = signed_in(&app, "anna@kulisy.test").await;
    for path in ["/courses", "/my/enrollments", "/my/portfolio", &format!("{course}/enroll")] {
        pages.push((format!("{path}, signed in"), student.get(path).await.body));
    }
    let mut office = signed_in(&app, "admin@kulisy.test").await;
    pages.push(("/admin/people, the office".into(), office.get("/admin/people").await.body));
    for (path, html) in pages {
        assert!(!preloads(&html), "{path} preloads the bundle");
        let loader = html.split("<script").find(|s| s.contains("pointerdown")).unwrap_or_else(|| panic!("{path}: no loader"));
        assert!(loader.contains(".wasm") && loader.contains("kulisy-bundle"), "{path}: {loader}");
    }
}

/// The card of the course titled `title` on a schedule page.
fn card_of<'a>(html: &'a str, title: &str) -> Option<&'a str> {
    html.split("<article").find(|card| card.contains(&format!(">{title}</a>")))
}

/// The schedule's cards are kept between requests while the catalogue's
/// version stays (`server::catalogue`). Every kind of write a card shows
/// moves that version, whichever code makes it: bare SQL here, as another
/// process or a later feature would write, and a booking through the app.
async fn the_kept_schedule_follows_every_write_a_card_shows(app: TestApp) {
    let db = &app.state.db;
    use sea_orm::ConnectionTrait;
    let sql = |statement: String| async move { db.execute_unprepared(&statement).await.unwrap() };
    let mut anna = signed_in(&app, "anna@kulisy.test").await;
    anna.get("/").await; // the welcome message goes
    let course = app.course("Пантомима", 5, 3, 8).await;
    let id = course.id;
    let cards = |html: &str| html.split(r#"<div class="grid">"#).nth(1).and_then(|rest| rest.split("</main>").next()).map(str::to_string);

    let statements = app.queries.load(Ordering::SeqCst);
    let html = anna.get("/courses").await.body;
    let read = app.queries.load(Ordering::SeqCst) - statements;
    let card = card_of(&html, "Пантомима").expect("a new course is on the schedule");
    assert!(card.contains("Свободно 5 из 5") && card.contains("19:00–22:00") && card.contains("Ирина Соколова"), "{card}");
    let statements = app.queries.load(Ordering::SeqCst);
    assert_eq!(cards(&anna.get("/courses").await.body), cards(&html), "nothing changed");
    let kept = app.queries.load(Ordering::SeqCst) - statements;
    assert!(kept + 3 < read, "the cards are not read again while nothing changes: {kept} statements, {read} the first time");

    // A booking through the app, then the seat given back by bare SQL.
    assert!(anna.book(&course, "personal").await.ok());
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима").unwrap().contains("Свободно 4 из 5"));
    sql(format!("DELETE FROM enrollments WHERE course_id = {id}")).await;
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима").unwrap().contains("Свободно 5 из 5"));

    sql(format!("UPDATE course_slots SET duration_minutes = 60 WHERE course_id = {id}")).await;
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима").unwrap().contains("19:00–20:00"));
    sql(format!("UPDATE users SET full_name = 'Ирина Новикова' WHERE id = (SELECT user_id FROM teachers WHERE id = {})", course.teacher_id)).await;
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима").unwrap().contains("Ирина Новикова"));
    sql(format!("UPDATE teachers SET specialization = 'Пантомима и клоунада' WHERE id = {}", course.teacher_id)).await;
    // The teacher filter's list (it travels with the page's data).
    assert!(anna.get("/courses").await.body.contains("Пантомима и клоунада"));
    sql(format!("DELETE FROM course_teachers WHERE course_id = {id}")).await;
    assert!(!card_of(&anna.get("/courses").await.body, "Пантомима").unwrap().contains("Ирина Новикова"));
    sql(format!("UPDATE courses SET title = 'Пантомима и жест' WHERE id = {id}")).await;
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима и жест").is_some());
    sql(format!("UPDATE courses SET archived_at = CURRENT_TIMESTAMP WHERE id = {id}")).await;
    assert!(card_of(&anna.get("/courses").await.body, "Пантомима и жест").is_none(), "an archived course leaves");
}

/// Many signed-in pages rendered at the same moment, each on a task of its
/// own as each connection is: every one arrives whole, titled with the
/// school's name (its title was once formatted from another request's
/// arena under load, and the render panicked).
async fn pages_rendered_at_once_all_arrive(app: TestApp) {
    use tower::ServiceExt as _;
    let anna = signed_in(&app, "anna@kulisy.test").await;
    let cookie = format!("kulisy_session={}", anna.session().expect("signed in"));
    let school = kulisy::server::settings::school(&app.state.db).await.unwrap().name;
    for _ in 0..3 {
        let crowd = (0..24).map(|i| {
            let (router, cookie) = (app.router.clone(), cookie.clone());
            let path = ["/courses", "/my/enrollments", "/afisha"][i % 3];
            tokio::spawn(async move {
                let req = get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
                let res = router.oneshot(req).await.unwrap();
                let status = res.status();
                let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
                (path, status, String::from_utf8_lossy(&body).into_owned())
            })
        });
        for answer in futures::future::join_all(crowd).await {
            let (path, status, body) = answer.expect("the render did not panic");
            assert_eq!(status, 200, "{path}");
            let title = body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
            assert!(title.ends_with(&format!("— {school}")), "{path}: {title}");
        }
    }
}

/// While every turn to render is taken, a page waits for one (and comes
/// when one is free); server functions do not wait for pages.
async fn pages_wait_for_a_turn_to_render(app: TestApp) {
    use std::time::Duration;
    let gate = app.state.renders.clone();
    let turns = futures::future::join_all((0..gate.size()).map(|_| gate.turn())).await;
    let page = tokio::spawn({
        let router = app.router.clone();
        async move {
            use tower::ServiceExt as _;
            router.oneshot(get("/courses").body(Body::empty()).unwrap()).await.unwrap().status()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!page.is_finished(), "a page rendered past a full gate");
    let schedule = app.call("/api/courses/schedule", "").await;
    assert_eq!(schedule.status, 200, "a server function waited for the pages' gate");
    drop(turns);
    let status = tokio::time::timeout(Duration::from_secs(10), page).await.expect("the page got its turn").unwrap();
    assert_eq!(status, 200);
}

fn get(path: &str) -> axum::http::request::Builder {
    Request::get(path)
}

async fn public_pages_are_kept_with_the_policy_of_their_render(app: TestApp) {
    let first = app.get("/courses").await;
    let before = app.queries.load(Ordering::SeqCst);
    let second = app.get("/courses").await;
    assert_eq!(app.queries.load(Ordering::SeqCst), before, "the second visit is served from memory");
    assert_eq!(second.status, 200);
    assert_eq!(first.body, second.body);
    assert_eq!(first.header("etag"), second.header("etag"));
    assert_eq!(second.header("cache-control"), "no-cache");
    // The same bytes for everyone, with the policy of the render that made
    // them: its nonce, which every inline script the application wrote
    // carries; never hashes of whatever happened to be inline.
    let csp = second.header("content-security-policy");
    assert_eq!(csp, first.header("content-security-policy"));
    assert!(!csp.contains("'sha256-"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy");
    let inline: Vec<&str> = second.body.split("<script").skip(1).map(|s| s.split('>').next().unwrap()).filter(|tag| !tag.contains(" src=")).collect();
    assert!(!inline.is_empty());
    for tag in inline {
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "inline script without the nonce: <script{tag}>");
    }

    // A browser that has the page gets a 304, without a policy that would
    // replace the one its copy came with.
    let again = app.send(get("/courses").header(header::IF_NONE_MATCH, first.header("etag")).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert!(again.headers.get(header::CONTENT_SECURITY_POLICY).is_none());

    // Signed in, the page is the person's own and rendered every time.
    let mut anna = signed_in(&app, "anna@kulisy.test").await;
    let before = app.queries.load(Ordering::SeqCst);
    let own = anna.get("/courses").await;
    assert!(app.queries.load(Ordering::SeqCst) > before);
    assert!(own.headers.get(header::ETAG).is_none());
    assert_eq!(own.header("cache-control"), "private, no-cache");
    assert!(own.body.contains("Анна Кузнецова"));
    // Pages that are never the same for everyone are not kept either.
    assert_eq!(app.get("/login").await.header("cache-control"), "private, no-cache");
}

/// A public page nobody has kept yet (after a start) is rendered once however
/// many ask for it at the same moment; the others get what that render kept.
async fn a_page_not_kept_is_rendered_once_for_everyone_asking(app: TestApp) {
    // Each query string is an address of its own to the cache. The first
    // reads the catalogue, which every later render then finds kept.
    assert_eq!(app.get("/courses?from=first").await.status, 200);
    let before = app.queries.load(Ordering::SeqCst);
    assert_eq!(app.get("/courses?from=alone").await.status, 200);
    let one_render = app.queries.load(Ordering::SeqCst) - before;
    assert!(one_render > 0);
    let before = app.queries.load(Ordering::SeqCst);
    // Each on a task of its own, as each connection is.
    let crowd = (0..16).map(|_| {
        let router = app.router.clone();
        tokio::spawn(async move {
            use tower::ServiceExt as _;
            let res = router.oneshot(get("/courses?from=crowd").body(Body::empty()).unwrap()).await.unwrap();
            (res.status(), res.headers().get(header::ETAG).cloned())
        })
    });
    let answers: Vec<_> = futures::future::join_all(crowd).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(app.queries.load(Ordering::SeqCst) - before, one_render, "sixteen requests, one render");
    assert!(answers.iter().all(|a| a.0 == 200 && a.1.is_some() && a.1 == answers[0].1), "{answers:?}");
}

/// A render whose policy header does not reach its response (seen under
/// load) is sent, and kept, with the policy naming the nonce its scripts
/// were given: a kept page without it would run no script for anyone.
async fn a_page_that_lost_its_policy_keeps_the_one_naming_its_scripts_nonce(app: TestApp) {
    use axum::{Extension, response::Html, routing::get};
    use kulisy::server::security::{PageNonce, protect};
    use tower::ServiceExt as _;
    let render = |Extension(nonce): Extension<PageNonce>| async move {
        Html(format!(r#"<!DOCTYPE html><html><body><script nonce="{}">1</script></body></html>"#, nonce.as_str()))
    };
    let router = protect(
        axum::Router::new()
            .route("/afisha", get(render))
            .layer(axum::middleware::from_fn_with_state(app.state.clone(), kulisy::server::http_cache::serve)),
    );
    for attempt in ["rendered", "kept"] {
        let res = router.clone().oneshot(Request::get("/afisha").body(Body::empty()).unwrap()).await.unwrap();
        let policy = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        let nonce = body.split(r#"nonce=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("the script's nonce");
        assert!(policy.contains(&format!("'nonce-{nonce}'")), "{attempt}: {policy}");
    }
}

async fn a_kept_page_is_rendered_anew_after_its_lifetime(app: TestApp) {
    use kulisy::server::entities::course;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
    let link = first_link(&app.get("/courses").await.body, "/courses/");
    let slug = link.trim_start_matches("/courses/");
    let page = app.get(&link).await;
    let row = course::Entity::find().filter(course::Column::Slug.eq(slug)).one(&app.state.db).await.unwrap().unwrap();
    let mut changed: course::ActiveModel = row.into();
    changed.title = Set("Новое название курса".into());
    changed.update(&app.state.db).await.unwrap();
    // Within the lifetime, visitors get the page as it was…
    assert_eq!(app.get(&link).await.header("etag"), page.header("etag"));
    // …and after it, as it is.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let fresh = app.get(&link).await;
    assert_ne!(fresh.header("etag"), page.header("etag"));
    assert!(fresh.body.contains("Новое название курса"));
}

async fn html_is_compressed_and_assets_are_not_kept_without_hashes(app: TestApp) {
    let res = app.send(get("/courses").header(header::ACCEPT_ENCODING, "br, gzip").body(Body::empty()).unwrap()).await;
    assert_eq!(res.header("content-encoding"), "br");
    // Tests run without built, hashed assets: their names do not change
    // with their content, so browsers must ask each time.
    let css = app.get(&format!("/pkg/{}.css", app.state.leptos.output_name)).await;
    if css.status == 200 {
        assert_eq!(css.header("cache-control"), "no-cache");
    }
}

async fn spawn_demo_with_page_cache(backend: common::Backend) -> TestApp {
    let app = TestApp::spawn_with(backend, &[("KULISY_PAGE_CACHE_MS", "300")]).await;
    assert!(seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap());
    app
}

macro_rules! with_page_cache {
    ($($test:ident),+) => {
        $(mod $test {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$test(spawn_demo_with_page_cache(common::Backend::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$test(spawn_demo_with_page_cache(common::Backend::Postgres).await).await }
        })+
    };
}

both_databases!(
    spawn_demo,
    pages_take_a_handful_of_statements_however_large_the_school,
    the_schedule_sends_each_course_once,
    pages_rendered_at_once_all_arrive,
    pages_wait_for_a_turn_to_render,
    pages_start_the_bundle_when_a_person_acts,
    the_kept_schedule_follows_every_write_a_card_shows
);
with_page_cache!(
    public_pages_are_kept_with_the_policy_of_their_render,
    a_page_that_lost_its_policy_keeps_the_one_naming_its_scripts_nonce,
    a_page_not_kept_is_rendered_once_for_everyone_asking,
    a_kept_page_is_rendered_anew_after_its_lifetime,
    html_is_compressed_and_assets_are_not_kept_without_hashes
);
