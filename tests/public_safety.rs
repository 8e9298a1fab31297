//! The school in front of a hostile public: markup typed into every text
//! that reaches a page or a letter, control characters, the words of error
//! answers, cross-site requests, letters and password checks on demand,
//! clients behind a proxy, and races between writers (issue #14).
#![cfg(feature = "ssr")]
mod common;
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::{Backend, TestApp, urlencode};
use kulisy::{
    domain::{EnrollmentStatus, Role, text::CONTROL_CHARACTERS},
    server::{entities::*, guards::Office, seed},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};

/// Markup an attacker types wherever text is accepted.
const PAYLOAD: &str = concat!(
    "Иван</title><script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
    "</script><a href=\"javascript:alert(3)\">ссылка</a>",
);

/// Fails when anything of [`PAYLOAD`] became an element or attribute.
fn assert_inert(what: &str, html: &str) {
    let lower = html.to_lowercase();
    for born in ["<script>alert", "<img src=x", "<meta http-equiv=refresh", "<a href=\"javascript"] {
        assert!(!lower.contains(born), "{what}: the payload became markup ({born})");
    }
    // `href="javascript:` may stand in text (quotes need no escaping there),
    // never inside a tag.
    for (at, _) in lower.match_indices("href=\"javascript:") {
        let before = &lower[..at];
        assert!(before.rfind('>') > before.rfind('<'), "{what}: a javascript: link was made");
    }
    // Only the application's own scripts: every inline one carries the nonce.
    for tag in html.split("<script").skip(1).map(|s| s.split('>').next().unwrap_or_default()) {
        assert!(tag.contains(" src=") || tag.contains("nonce="), "{what}: a script without the nonce: <script{tag}>");
    }
}

impl TestApp {
    /// The demo school with public pages kept for a minute, as in production.
    async fn spawn_demo_kept(backend: Backend) -> TestApp {
        let app = TestApp::spawn_with(backend, &[("KULISY_PAGE_CACHE_MS", "60000")]).await;
        assert!(seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap());
        app
    }

    /// A school behind one nginx on this machine.
    async fn spawn_behind_proxy(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, &[("KULISY_TRUSTED_PROXIES", "127.0.0.1")]).await
    }
}

/// Every text of the demo school that people type becomes [`PAYLOAD`].
async fn type_payload_everywhere(app: &TestApp) {
    let db = &app.state.db;
    let text = || Expr::value(PAYLOAD);
    user::Entity::update_many()
        .col_expr(user::Column::FullName, text())
        .col_expr(user::Column::Contacts, text())
        .col_expr(user::Column::About, text())
        .exec(db)
        .await
        .unwrap();
    teacher::Entity::update_many().col_expr(teacher::Column::Specialization, text()).col_expr(teacher::Column::Bio, text()).exec(db).await.unwrap();
    show::Entity::update_many()
        .col_expr(show::Column::Title, text())
        .col_expr(show::Column::Venue, text())
        .col_expr(show::Column::Description, text())
        .exec(db)
        .await
        .unwrap();
    course::Entity::update_many().col_expr(course::Column::Title, text()).col_expr(course::Column::Description, text()).exec(db).await.unwrap();
    // A room is at most 100 characters: the script part of the payload.
    course_slot::Entity::update_many().col_expr(course_slot::Column::Room, Expr::value(&PAYLOAD[..41])).exec(db).await.unwrap();
    portfolio_item::Entity::update_many()
        .col_expr(portfolio_item::Column::Title, text())
        .col_expr(portfolio_item::Column::Description, text())
        .col_expr(portfolio_item::Column::IsPublic, Expr::value(true))
        .exec(db)
        .await
        .unwrap();
    review::Entity::update_many().col_expr(review::Column::Body, text()).col_expr(review::Column::ModerationNote, text()).exec(db).await.unwrap();
    enrollment::Entity::update_many().col_expr(enrollment::Column::Reason, text()).exec(db).await.unwrap();
}

async fn markup_typed_anywhere_never_becomes_markup(app: TestApp) {
    type_payload_everywhere(&app).await;
    let db = &app.state.db;
    let courses: Vec<i32> = course::Entity::find().all(db).await.unwrap().iter().map(|c| c.id).collect();
    let shows: Vec<i32> = show::Entity::find().all(db).await.unwrap().iter().map(|s| s.id).collect();
    let teachers: Vec<i32> = teacher::Entity::find().all(db).await.unwrap().iter().map(|t| t.id).collect();
    let owners: Vec<i32> = portfolio_item::Entity::find().all(db).await.unwrap().iter().map(|i| i.owner_id).collect();
    assert!(!owners.is_empty(), "the demo school has portfolio items");

    // What a visitor gets: rendered, then the kept copy of the same page.
    let mut public = vec!["/".to_string(), "/courses".into(), "/afisha".into()];
    public.extend(courses.iter().map(|id| format!("/courses/{id}")));
    public.extend(shows.iter().map(|id| format!("/afisha/{id}")));
    public.extend(teachers.iter().map(|id| format!("/teachers/{id}")));
    public.extend(owners.iter().map(|id| format!("/students/{id}/portfolio")));
    for path in &public {
        for visit in ["rendered", "kept"] {
            let page = app.page(path).await;
            assert_eq!(page.status, 200, "{path}");
            assert_inert(&format!("{visit} {path}"), &page.body);
            let policy = page.header("content-security-policy");
            assert!(policy.contains("'nonce-") && !policy.contains("'sha256-") && !policy.contains("unsafe-inline"), "{path}: {policy}");
        }
    }
    // A teacher's page names the teacher: escaped, in the title too.
    let teacher_page = app.page(&format!("/teachers/{}", teachers[0])).await;
    assert!(teacher_page.body.contains("<title>Иван&lt;/title&gt;&lt;script&gt;"), "the title shows the name as text");

    // What signed-in people see.
    let mut office = app.browser();
    office.login("admin@kulisy.test", seed::DEMO_PASSWORD).await;
    let mut office_pages = vec!["/admin".to_string(), "/admin/people".into(), "/admin/shows".into(), "/admin/courses".into(), "/admin/reviews".into(), "/admin/audit".into()];
    office_pages.extend(courses.iter().map(|id| format!("/admin/courses/{id}")));
    let people: Vec<i32> = user::Entity::find().all(db).await.unwrap().iter().map(|u| u.id).collect();
    office_pages.extend(people.iter().map(|id| format!("/admin/people/{id}")));
    for path in &office_pages {
        let page = office.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_inert(&format!("office {path}"), &page.body);
    }
    for (email, role) in seed::DEMO_LOGINS {
        if role == Role::Admin {
            continue;
        }
        let mut b = app.browser();
        b.login(email, seed::DEMO_PASSWORD).await;
        let pages: &[&str] = match role {
            Role::Teacher => &["/teach", "/my/profile"],
            _ => &["/my/enrollments", "/my/portfolio", "/my/reviews", "/my/family", "/my/profile", "/courses"],
        };
        for path in pages {
            let page = b.get(path).await;
            assert_eq!(page.status, 200, "{email} {path}");
            assert_inert(&format!("{email} {path}"), &page.body);
        }
    }

    // Letters that name people and courses.
    for (email, _) in seed::DEMO_LOGINS {
        assert!(app.browser().call("/api/account/forgot", &[("email", email)]).await.ok());
    }
    let letters = app.outbox().await;
    assert!(letters.len() >= seed::DEMO_LOGINS.len());
    for letter in letters {
        assert_inert(&format!("letter to {}", letter.to_addr), &letter.body_html);
        assert!(!letter.subject.contains('<'), "{}", letter.subject);
    }
}

/// One field of one form, sent with a control character in it.
struct Field {
    path: &'static str,
    form: Vec<(&'static str, String)>,
    field: &'static str,
}

async fn control_characters_are_refused_in_every_text_field(app: TestApp) {
    let db = &app.state.db;
    let course = app.course("Этюды", 10, 7, 8).await;
    let (student, mut anna) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let (_, mut office) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let teacher_user = user::Entity::find().filter(user::Column::Email.eq(course.teacher_email.clone())).one(db).await.unwrap().unwrap();
    let mut teacher = app.browser_as(&teacher_user).await;
    let pending = app.request_of(&course, student.id, EnrollmentStatus::Pending).await;
    let confirmed = app.request_of(&course, student.id, EnrollmentStatus::Confirmed).await;
    let ok = |s: &str| s.to_string();
    let profile = |name: &str, contacts: &str, about: &str| vec![("full_name", ok(name)), ("phone", ok("")), ("contacts", ok(contacts)), ("about", ok(about))];
    for bad in ["\0", "\u{1}", "\u{1b}[2J", "\u{7f}", "\u{202e}"] {
        let with = |base: &str| format!("{base}{bad}x");
        let mut student_fields = vec![
            Field { path: "/api/account/profile/update", form: profile(&with("Анна"), "", ""), field: "full_name" },
            Field { path: "/api/account/profile/update", form: profile("Анна", &with("tg"), ""), field: "contacts" },
            Field { path: "/api/account/profile/update", form: profile("Анна", "", &with("о себе")), field: "about" },
            Field {
                path: "/api/reviews/save",
                form: vec![("enrollment_id", confirmed.id.to_string()), ("rating", ok("5")), ("body", with("Очень хороший курс"))],
                field: "body",
            },
        ];
        let mut teacher_fields = vec![
            Field { path: "/api/teaching/profile/update", form: vec![("specialization", with("Речь")), ("bio", ok(""))], field: "specialization" },
            Field { path: "/api/teaching/profile/update", form: vec![("specialization", ok("Речь")), ("bio", with("Био"))], field: "bio" },
            Field {
                path: "/api/teaching/decide",
                form: vec![("id", pending.id.to_string()), ("decision", ok("reject")), ("reason", with("Нет мест"))],
                field: "reason",
            },
        ];
        let show = |title: &str, venue: &str, description: &str| {
            vec![("id", ok("")), ("title", ok(title)), ("starts_at", ok("2030-01-15T19:00")), ("venue", ok(venue)), ("description", ok(description))]
        };
        let mut office_fields = vec![
            Field { path: "/api/admin/shows/save", form: show(&with("Чайка"), "Зал", ""), field: "title" },
            Field { path: "/api/admin/shows/save", form: show("Чайка", &with("Зал"), ""), field: "venue" },
            Field { path: "/api/admin/shows/save", form: show("Чайка", "Зал", &with("Описание")), field: "description" },
            Field {
                path: "/api/admin/teachers/create",
                form: vec![("full_name", with("Пётр")), ("email", ok("petr@example.ru")), ("specialization", ok("Речь")), ("bio", ok(""))],
                field: "full_name",
            },
            Field {
                path: "/api/admin/teacher/update",
                form: vec![("teacher_id", course.teacher_id.to_string()), ("specialization", ok("Речь")), ("bio", with("Био"))],
                field: "bio",
            },
            Field { path: "/api/admin/people", form: vec![("query[search]", with("Анна"))], field: "search" },
            Field { path: "/api/admin/shows", form: vec![("query[search]", with("Чайка"))], field: "search" },
            Field { path: "/api/admin/courses", form: vec![("query[search]", with("Этюды"))], field: "search" },
            Field { path: "/api/admin/audit", form: vec![("query[actor]", with("Офис"))], field: "actor" },
        ];
        let rounds = [(&mut anna, &mut student_fields), (&mut teacher, &mut teacher_fields), (&mut office, &mut office_fields)];
        for (browser, fields) in rounds {
            for f in fields.iter() {
                let form: Vec<(&str, &str)> = f.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let res = browser.call(f.path, &form).await;
                assert_eq!(res.status, 422, "{} {:?}: {}", f.path, bad, res.body);
                let errors = res.json()["Invalid"].clone();
                let message = errors.as_array().unwrap().iter().find(|e| e["field"] == f.field).map(|e| e["message"].clone());
                assert_eq!(message.and_then(|m| m.as_str().map(str::to_string)).as_deref(), Some(CONTROL_CHARACTERS), "{} {}", f.path, res.body);
            }
        }
    }
    // Nothing was stored, nothing half-written.
    assert_eq!(user::Entity::find_by_id(student.id).one(db).await.unwrap().unwrap().full_name, "Анна");
    assert_eq!(show::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(review::Entity::find().count(db).await.unwrap(), 0);
    assert_eq!(enrollment::Entity::find_by_id(pending.id).one(db).await.unwrap().unwrap().status, EnrollmentStatus::Pending);
    assert!(user::Entity::find().filter(user::Column::Email.eq("petr@example.ru")).one(db).await.unwrap().is_none());
}

async fn error_answers_speak_russian_and_hide_internals(app: TestApp) {
    let (_, mut anna) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let cases = [
        ("/my/enrollments/abc/calendar.ics", StatusCode::BAD_REQUEST),
        ("/calendar/abc/feed.ics", StatusCode::BAD_REQUEST),
        ("/media/portfolio/nothing-here.jpg", StatusCode::NOT_FOUND),
    ];
    for (path, status) in cases {
        let res = anna.get(path).await;
        assert_eq!(res.status, status, "{path}: {}", res.body);
        assert!(res.body.chars().any(|c| ('а'..='я').contains(&c)), "{path}: {}", res.body);
        for internal in ["Invalid URL", "Cannot parse", "i32", "deserialize"] {
            assert!(!res.body.contains(internal), "{path}: {}", res.body);
        }
    }
    let wrong_method = app.send(Request::delete("/healthz").header("sec-fetch-site", "same-origin").body(Body::empty()).unwrap()).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.body.contains("не принимается"), "{}", wrong_method.body);
}

/// A profile save as a browser sends it, with these provenance headers.
fn profile_post(cookie: &str, headers: &[(&str, &str)], content_type: &str, accept: &str) -> Request<Body> {
    let mut req = Request::post("/api/account/profile/update")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, accept);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.body(Body::from("full_name=%D0%92%D0%B7%D0%BB%D0%BE%D0%BC&phone=&contacts=&about=")).unwrap()
}

async fn cross_site_writes_are_refused_and_redirects_stay_home(app: TestApp) {
    let (anna, b) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let cookie = format!("kulisy_session={}", b.session().unwrap());
    let form = "application/x-www-form-urlencoded";
    let refused = [
        vec![("referer", "https://evil.example/page")],
        vec![("referer", "https://127.0.0.1:3000.evil.example/")],
        vec![("origin", "https://evil.example")],
        vec![("sec-fetch-site", "cross-site"), ("referer", "http://127.0.0.1:3000/")],
    ];
    for headers in &refused {
        let res = app.send(profile_post(&cookie, headers, form, "application/json")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    // No provenance at all: a form passes, text/plain never does.
    let res = app.send(profile_post(&cookie, &[], "text/plain", "application/json")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.user("anna@example.ru").await.unwrap().full_name, anna.full_name, "nothing changed");
    let own = app.send(profile_post(&cookie, &[("referer", "http://127.0.0.1:3000/my/profile")], form, "application/json")).await;
    assert!(own.status.is_success(), "{}", own.body);
    assert_eq!(app.user("anna@example.ru").await.unwrap().full_name, "Взлом");

    // A failed plain form goes back to the page it came from, and only to
    // a page of this site, whatever Referer it names.
    let plain = |referer: &'static str| {
        Request::post("/api/account/login")
            .header(header::HOST, "127.0.0.1:3000")
            .header("sec-fetch-site", "same-origin")
            .header(header::REFERER, referer)
            .header(header::CONTENT_TYPE, form)
            .header(header::ACCEPT, "text/html")
            .body(Body::from("email=nobody%40example.ru&password=wrong-password"))
            .unwrap()
    };
    let home = app.send(plain("http://127.0.0.1:3000/login")).await;
    assert!(home.status.is_redirection(), "{}", home.status);
    assert!(home.header("location").starts_with("http://127.0.0.1:3000/login") || home.header("location").starts_with("/login"), "{}", home.header("location"));
    for foreign in ["https://evil.example/login", "//evil.example/login"] {
        let res = app.send(plain(foreign)).await;
        assert!(res.status.is_redirection(), "{}", res.status);
        assert_eq!(res.header("location"), "/", "{foreign}");
    }
}

async fn letters_on_demand_are_limited_and_answers_do_not_tell(app: TestApp) {
    let (_, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let shared = &app;
    let forgot = move |email: &'static str| async move { shared.browser().call("/api/account/forgot", &[("email", email)]).await };
    let answers = futures::future::join_all((0..50).map(|_| forgot("anna@example.ru"))).await;
    let unknown = forgot("ghost@example.ru").await;
    for a in &answers {
        assert_eq!((a.status, &a.body), (unknown.status, &unknown.body), "the same answer either way");
    }
    let to_anna = app.outbox().await.into_iter().filter(|m| m.to_addr == "anna@example.ru").count();
    assert_eq!(to_anna, 3, "three letters an hour to one address, not fifty");

    // Registering a taken address mails its owner, a few times at most.
    for n in 0..10 {
        let res = app
            .browser()
            .seen_from(&format!("198.51.100.{n}"))
            .call("/api/account/register", &[("full_name", "Кто-то"), ("email", "anna@example.ru"), ("password", "Сцена и кулисы"), ("password_confirm", "Сцена и кулисы"), ("consent", "on")])
            .await;
        assert!(res.ok(), "{}", res.body);
    }
    assert_eq!(app.outbox().await.into_iter().filter(|m| m.to_addr == "anna@example.ru").count(), 3);

    // One client cannot make the school write to the whole world.
    let mut spammer = app.browser().seen_from("203.0.113.50");
    for n in 0..60 {
        let email = format!("victim{n}@example.ru");
        spammer.call("/api/account/forgot", &[("email", email.as_str())]).await;
    }
    let known: Vec<_> = (0..60).map(|n| format!("victim{n}@example.ru")).collect();
    // None of those addresses has an account: nothing was sent, and the
    // counters stopped at the client's limit.
    assert!(app.outbox().await.iter().all(|m| !known.contains(&m.to_addr)));
}

async fn registrations_per_client_are_limited_before_hashing(app: TestApp) {
    let mut b = app.browser().seen_from("203.0.113.60");
    let mut answers = Vec::new();
    for n in 0..25 {
        let email = format!("new{n}@example.ru");
        let res = b
            .call("/api/account/register", &[("full_name", "Новый"), ("email", email.as_str()), ("password", "Сцена и кулисы"), ("password_confirm", "Сцена и кулисы"), ("consent", "on")])
            .await;
        answers.push(res.status);
    }
    assert_eq!(answers.iter().filter(|s| s.is_success()).count(), 20, "{answers:?}");
    assert!(answers[20..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{answers:?}");
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 20);
    // Another client registers as usual.
    let res = app
        .browser()
        .seen_from("198.51.100.60")
        .call("/api/account/register", &[("full_name", "Другой"), ("email", "other@example.ru"), ("password", "Сцена и кулисы"), ("password_confirm", "Сцена и кулисы"), ("consent", "on")])
        .await;
    assert!(res.ok(), "{}", res.body);
}

async fn over_long_passwords_are_refused_before_hashing(app: TestApp) {
    use kulisy::server::password;
    let long = "a".repeat(1 << 20); // a megabyte
    // Even its own hash does not open: such input never reaches argon2.
    let hash = tokio::task::spawn_blocking({
        let long = long.clone();
        move || password::hash_blocking(&long)
    })
    .await
    .unwrap();
    assert!(!password::verify(long.clone(), Some(hash)).await);
    assert!(!password::may_be_a_password(&long));
    assert!(password::may_be_a_password(&"я".repeat(128)));
    let (_, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let res = app.browser().call("/api/account/login", &[("email", "anna@example.ru"), ("password", long.as_str())]).await;
    assert_eq!(res.status, 409, "{}", res.body);
    let long = &long[..300_000]; // two of them within the body limit
    let res = app
        .browser()
        .call("/api/account/register", &[("full_name", "Анна"), ("email", "b@example.ru"), ("password", long), ("password_confirm", long), ("consent", "on")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("не длиннее 128 символов"), "{}", res.body);
}

/// A sign-in through the proxy at 127.0.0.1 for the client `forwarded_for`.
async fn login_via_proxy(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> StatusCode {
    let mut req = Request::post("/api/account/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(Body::from(format!("email={}&password={}", urlencode(email), urlencode(password))))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 50000))));
    app.send(req).await.status
}

async fn behind_a_trusted_proxy_each_client_counts_for_itself(app: TestApp) {
    let db = app.state.db.clone();
    let u = kulisy::server::entities::user::new_account(
        &kulisy::domain::Email::parse("anna@example.ru").unwrap(),
        kulisy::server::password::hash_blocking("Сцена и кулисы"),
        Role::Student,
        "Анна".into(),
        true,
    );
    sea_orm::ActiveModelTrait::insert(u, &db).await.unwrap();
    // Someone behind the proxy sprays guesses over many accounts …
    for n in 0..30 {
        let status = login_via_proxy(&app, "203.0.113.7", &format!("victim{n}@example.ru"), "wrong-password").await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    assert_eq!(login_via_proxy(&app, "203.0.113.7", "anna@example.ru", "Сцена и кулисы").await, StatusCode::TOO_MANY_REQUESTS);
    // … and only they are stopped: everyone else comes through the same proxy.
    assert_eq!(login_via_proxy(&app, "198.51.100.1", "anna@example.ru", "Сцена и кулисы").await, StatusCode::OK);
    // A client cannot dodge by writing another address before the proxy's.
    assert_eq!(login_via_proxy(&app, "198.51.100.1, 203.0.113.7", "anna@example.ru", "Сцена и кулисы").await, StatusCode::TOO_MANY_REQUESTS);

    // A second app process on the same database sees the same counts.
    let config = kulisy::server::Config::clone(&app.state.config);
    let other = kulisy::server::build_router(kulisy::server::AppState::new(db.clone(), config, app.state.leptos.clone()));
    let mut req = Request::post("/api/account/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", "203.0.113.7")
        .body(Body::from("email=anna%40example.ru&password=whatever"))
        .unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 50001))));
    let res = tower::ServiceExt::oneshot(other, req).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn an_untrusted_peer_cannot_choose_its_address(app: TestApp) {
    // No proxy is trusted: the header is anyone's to write, and ignored.
    for n in 0..30 {
        let status = login_via_proxy(&app, &format!("198.51.100.{n}"), &format!("victim{n}@example.ru"), "wrong-password").await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    assert_eq!(login_via_proxy(&app, "192.0.2.200", "victim@example.ru", "wrong-password").await, StatusCode::TOO_MANY_REQUESTS);
}

async fn raising_capacity_promotes_the_waitlist_first(app: TestApp) {
    use kulisy::{admin::service::courses, domain::CourseId};
    let course = app.course("Этюды", 2, 7, 8).await;
    let (office, _) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let office = Office::check(&app.state.db, &office).await.unwrap();
    let mut held = Vec::new();
    for n in 0..2 {
        let (u, _) = app.signed_in(&format!("held{n}@example.ru"), "Ученик", Role::Student).await;
        held.push(app.request_of(&course, u.id, EnrollmentStatus::Pending).await.id);
    }
    let mut waiting = Vec::new();
    for n in 0..2 {
        let (u, _) = app.signed_in(&format!("wait{n}@example.ru"), "Ученик", Role::Student).await;
        waiting.push(app.request_of(&course, u.id, EnrollmentStatus::Waitlisted).await.id);
    }
    let mut form = courses::editor(&app.state.db, Some(CourseId(course.id))).await.unwrap().form;
    form.capacity = "4".into();
    courses::save(&app.state.db, &app.state.config, &office, Some(CourseId(course.id)), &form, app.today()).await.unwrap();
    for e in app.enrollments_of(course.id).await {
        assert_eq!(e.status, EnrollmentStatus::Pending, "request {} after the capacity grew", e.id);
    }
    // The waiting students are told.
    let letters = app.outbox().await;
    for n in 0..2 {
        assert!(letters.iter().any(|m| m.to_addr == format!("wait{n}@example.ru") && m.subject == "Освободилось место на курсе"));
    }
}

async fn deleting_an_account_and_booking_for_it_take_turns(app: TestApp) {
    use kulisy::{admin::service as admin, enrollment::{RawChoice, service as enrollments}, domain::{CourseId, UserId}, server::guards::{ActingFor, Student}};
    let (office, _) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let office = Office::check(&app.state.db, &office).await.unwrap();
    let course = app.course("Этюды", 100, 7, 8).await;
    let (mut booked, mut refused, mut other) = (0, 0, Vec::new());
    for round in 0..50u64 {
        let (student, _) = app.signed_in(&format!("s{round}@example.ru"), "Ученик", Role::Student).await;
        let choice = RawChoice {
            member: String::new(),
            teacher_id: course.teacher_id.to_string(),
            format: "personal".into(),
            partner_email: String::new(),
            partner_member: String::new(),
            period_start: course.term_start.to_string(),
            period_end: course.term_end.to_string(),
        };
        let (db, site, today) = (app.state.db.clone(), app.state.config.site_url.clone(), app.today());
        let booking = tokio::spawn({
            let (db, site, course_id) = (db.clone(), site.clone(), course.id);
            let student = Student::check(&student).unwrap();
            async move {
                let me = ActingFor::check(&db, &student, None, today).await?;
                enrollments::book(&db, &site, &me, CourseId(course_id), &choice, false, today).await
            }
        });
        // The deletion starts up to 9 ms later, so that either may come first.
        let head_start = std::time::Duration::from_millis(round % 10);
        let deletion = tokio::spawn({
            let (db, site, office, id) = (db.clone(), site.clone(), office.clone(), student.id);
            async move {
                tokio::time::sleep(head_start).await;
                admin::delete_person(&db, &site, &office, UserId(id), today).await
            }
        });
        let (booking, deletion) = (booking.await.unwrap(), deletion.await.unwrap());
        assert!(deletion.is_ok(), "round {round}: the deletion failed: {deletion:?}");
        match booking {
            Ok(enrollments::Outcome::Pending) => booked += 1,
            Err(kulisy::error::AppError::Unauthenticated) => refused += 1,
            outcome => other.push(format!("{outcome:?}")),
        }
    }
    assert!(other.is_empty(), "only a booking or a clean refusal: {other:?}");
    // Whoever won, no seat is held by nobody.
    let orphans = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.is_null())
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::HOLDING_SEATS))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(orphans, 0);
    println!("deletion against booking, 50 rounds on {:?}: booked then withdrawn {booked}, refused {refused}", app.backend);
}

async fn a_burst_of_mixed_writes_never_answers_5xx(app: TestApp) {
    let course = app.course("Этюды", 5, 7, 8).await;
    let (_, office) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let office_cookie = format!("kulisy_session={}", office.session().unwrap());
    let mut students = Vec::new();
    for n in 0..40 {
        let (u, b) = app.signed_in(&format!("s{n}@example.ru"), "Ученик", Role::Student).await;
        students.push((u, format!("kulisy_session={}", b.session().unwrap())));
    }
    let post = |path: &str, cookie: Option<&str>, peer: u8, body: String| {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = cookie {
            req = req.header(header::COOKIE, cookie);
        }
        let mut req = req.body(Body::from(body)).unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([198, 51, 100, peer], 40000))));
        req
    };
    let mut requests = Vec::new();
    for n in 0..20u8 {
        let (u, cookie) = &students[usize::from(n)];
        requests.push(post(
            "/api/account/register",
            None,
            n,
            format!("full_name=%D0%9D%D0%BE%D0%B2%D1%8B%D0%B9&email=new{n}%40example.ru&password=scena-i-kulisy&password_confirm=scena-i-kulisy&consent=on"),
        ));
        requests.push(post("/api/account/forgot", None, 100 + n, format!("email=s{n}%40example.ru")));
        requests.push(post("/api/account/profile/update", Some(cookie), 150 + n, format!("full_name=Ученик{n}&phone=&contacts=&about=")));
        requests.push(post(
            "/api/enrollments/enroll",
            Some(cookie),
            200 + n,
            format!(
                "course_id={}&teacher_id={}&format=personal&partner_email=&period_start={}&period_end={}&waitlist=on",
                course.id, course.teacher_id, course.term_start, course.term_end
            ),
        ));
        let leaving = &students[usize::from(n) + 20].0;
        requests.push(post("/api/admin/person/delete", Some(&office_cookie), 220 + n, format!("id={}&confirm=on", leaving.id)));
        let _ = u;
    }
    assert_eq!(requests.len(), 100);
    let answers = futures::future::join_all(requests.into_iter().map(|r| app.send(r))).await;
    let server_errors: Vec<String> = answers.iter().filter(|a| a.status.is_server_error()).map(|a| format!("{} {}", a.status, a.body)).collect();
    println!("100 mixed writes at once on {:?}: {} answered 5xx", app.backend, server_errors.len());
    assert!(server_errors.is_empty(), "{server_errors:?}");
    assert_eq!(enrollment::Entity::find().filter(enrollment::Column::Status.eq(EnrollmentStatus::Pending)).count(&app.state.db).await.unwrap(), 5, "never oversold");
}

async fn a_failing_store_says_to_try_later(app: TestApp) {
    let (_, mut anna) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    // The upload folder cannot be written (full, read-only, gone).
    let incoming = app.state.config.data_dir.join("uploads").join("incoming");
    let _ = std::fs::remove_dir_all(&incoming);
    std::fs::create_dir_all(incoming.parent().unwrap()).unwrap();
    std::fs::write(&incoming, b"not a folder").unwrap();
    let (content_type, body) = common::multipart("file", "clip.mp4", b"\0\0\0\x18ftypisom\0\0\0\0isommp41");
    let mut body_with_kind = b"--kulisyboundary\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nvideo\r\n--kulisyboundary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nEtude\r\n".to_vec();
    body_with_kind.extend_from_slice(&body);
    let res = anna
        .send(
            Request::post("/my/portfolio/items")
                .header(header::CONTENT_TYPE, content_type)
                .header("x-kulisy-upload", "script"),
            Body::from(body_with_kind),
        )
        .await;
    std::fs::remove_file(&incoming).unwrap();
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert_eq!(res.json()["message"], kulisy::server::storage::NOT_STORED);
    assert_eq!(portfolio_item::Entity::find().count(&app.state.db).await.unwrap(), 0);
}

async fn data_past_its_period_is_swept(app: TestApp) {
    use kulisy::server::{mail, retention, tokens};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let db = &app.state.db;
    let (anna, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let now = chrono::Utc::now();
    let days = chrono::Duration::days;
    // Sessions, links and letters: one of each old enough to go.
    let _fresh_session = app.browser_as(&anna).await;
    let old_session = app.browser_as(&anna).await;
    let old_id = kulisy::server::crypto::token_hash(old_session.session().unwrap());
    session::Entity::update_many()
        .col_expr(session::Column::ExpiresAt, Expr::value(now - days(2)))
        .filter(session::Column::Id.eq(old_id.clone()))
        .exec(db)
        .await
        .unwrap();
    tokens::issue(db, &anna, tokens::Purpose::ResetPassword, None).await.unwrap();
    tokens::issue(db, &anna, tokens::Purpose::ConfirmEmail, None).await.unwrap();
    let first = account_token::Entity::find().all(db).await.unwrap()[0].id;
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now - days(8)))
        .filter(account_token::Column::Id.eq(first))
        .exec(db)
        .await
        .unwrap();
    for n in 0..3 {
        mail::enqueue(db, mail::compose(&format!("l{n}@example.ru"), "Анна", "Письмо", &["Текст."], None)).await.unwrap();
    }
    let letters = app.outbox().await;
    let mut old_sent: outbox::ActiveModel = letters[0].clone().into();
    old_sent.status = Set("sent".into());
    old_sent.sent_at = Set(Some(now - days(31)));
    old_sent.update(db).await.unwrap();
    let mut new_sent: outbox::ActiveModel = letters[1].clone().into();
    new_sent.status = Set("sent".into());
    new_sent.sent_at = Set(Some(now - days(1)));
    new_sent.update(db).await.unwrap();

    let swept = retention::sweep(db, now).await.unwrap();
    assert_eq!((swept.sessions, swept.tokens, swept.letters), (1, 1, 1), "{swept:?}");
    assert!(session::Entity::find_by_id(old_id).one(db).await.unwrap().is_none());
    assert_eq!(session::Entity::find().count(db).await.unwrap(), 2, "the live ones stay");
    assert_eq!(account_token::Entity::find().count(db).await.unwrap(), 1);
    let kept: Vec<String> = app.outbox().await.into_iter().map(|m| m.to_addr).collect();
    assert_eq!(kept, ["l1@example.ru", "l2@example.ru"], "queued and recently sent letters stay");
    assert_eq!(retention::sweep(db, now).await.unwrap(), retention::Swept::default(), "nothing twice");
}

async fn cookies_are_secure_on_https_and_personal_json_is_not_stored(app: TestApp) {
    let https = {
        let mut config = kulisy::server::Config::clone(&app.state.config);
        config.site_url = "https://kulisy.example/".parse().unwrap();
        kulisy::server::build_router(kulisy::server::AppState::new(app.state.db.clone(), config, app.state.leptos.clone()))
    };
    let login = |password: &str| {
        Request::post("/api/account/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(format!("email=office%40example.ru&password={}", urlencode(password))))
            .unwrap()
    };
    let office = kulisy::server::entities::user::new_account(
        &kulisy::domain::Email::parse("office@example.ru").unwrap(),
        kulisy::server::password::hash_blocking("Сцена и кулисы"),
        Role::Admin,
        "Офис".into(),
        true,
    );
    sea_orm::ActiveModelTrait::insert(office, &app.state.db).await.unwrap();
    let res = tower::ServiceExt::oneshot(https.clone(), login("Сцена и кулисы")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{:?}", http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes());
    let cookies: Vec<String> = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
    // The session and the welcome message alike.
    for name in ["kulisy_session=", "kulisy_flash="] {
        assert!(cookies.iter().any(|c| c.starts_with(name)), "{name} {cookies:?}");
    }
    assert!(cookies.iter().all(|c| c.contains("; Secure")), "{cookies:?}");
    // Plain http (development): no Secure, or the browser would drop them.
    let res = app.send(login("Сцена и кулисы")).await;
    assert!(!res.header("set-cookie").contains("Secure"));

    // Personal answers are never kept by a cache.
    let mut b = app.browser();
    b.login("office@example.ru", "Сцена и кулисы").await;
    let profile = b.call("/api/account/profile", &[]).await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.header("cache-control"), "no-store");
    assert_eq!(b.get("/my/export.json").await.header("cache-control"), "no-store");
}

async fn half_sent_requests_are_cut_off(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(kulisy::server::listen::serve(listener, router, std::time::Duration::from_millis(500), std::future::pending()));
    // A whole request is answered.
    let mut whole = tokio::net::TcpStream::connect(addr).await.unwrap();
    whole.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    whole.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Half a request, then silence: the server hangs up.
    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(10), half.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "a half-sent request held its connection");
    assert!(!String::from_utf8_lossy(&rest).contains(" 200 "), "nothing was served");
    // An idle connection is closed too.
    let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(10), idle.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "an idle connection stayed open");
}

/// Health within a second even while the database hangs (not refuses: a
/// refusal answers at once): PostgreSQL behind a proxy that stops passing
/// bytes but keeps the connections open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_within_a_second_while_the_database_hangs() {
    use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let frozen = Arc::new(AtomicBool::new(false));
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_port = proxy.local_addr().unwrap().port();
    let server = common::postgres_server_url();
    let upstream = server.rsplit('@').next().unwrap().to_string();
    tokio::spawn({
        let frozen = frozen.clone();
        async move {
            loop {
                let (client, _) = proxy.accept().await.unwrap();
                let db = tokio::net::TcpStream::connect(&upstream).await.unwrap();
                let (cr, cw) = client.into_split();
                let (dr, dw) = db.into_split();
                let pass = |frozen: Arc<AtomicBool>| {
                    move |mut from: tokio::net::tcp::OwnedReadHalf, mut to: tokio::net::tcp::OwnedWriteHalf| async move {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = from.read(&mut buf).await.unwrap_or(0);
                            if n == 0 {
                                return;
                            }
                            while frozen.load(Ordering::SeqCst) {
                                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                            }
                            if to.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    }
                };
                tokio::spawn(pass(frozen.clone())(cr, dw));
                tokio::spawn(pass(frozen.clone())(dr, cw));
            }
        }
    });
    let (url, _guard) = common::fresh_database(Backend::Postgres).await;
    let via_proxy = url.replacen(&server, &format!("postgres://postgres@127.0.0.1:{proxy_port}"), 1);
    let conn = kulisy::server::db::connect(&via_proxy).await.unwrap();
    kulisy::server::db::migrate(&conn).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    let config = common::test_config(via_proxy, data.path());
    let leptos = leptos::config::get_configuration(Some("Leptos.toml")).unwrap().leptos_options;
    let router = kulisy::server::build_router(kulisy::server::AppState::new(conn, config, leptos));
    let health = || tower::ServiceExt::oneshot(router.clone(), Request::get("/healthz").body(Body::empty()).unwrap());
    assert_eq!(health().await.unwrap().status(), StatusCode::OK);
    frozen.store(true, Ordering::SeqCst);
    let answered = tokio::time::timeout(std::time::Duration::from_secs(3), health()).await;
    let res = answered.expect("/healthz kept waiting for a database that hangs").unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    frozen.store(false, Ordering::SeqCst);
}

async fn registration_asks_consent_to_a_policy_the_office_writes(app: TestApp) {
    use kulisy::server::settings::DEFAULT_PRIVACY_POLICY;
    let form = |consent: Option<&'static str>| {
        let mut form = vec![("full_name", "Анна"), ("email", "anna@example.ru"), ("password", "Сцена и кулисы"), ("password_confirm", "Сцена и кулисы")];
        form.extend(consent.map(|c| ("consent", c)));
        form
    };
    let refused = app.browser().call("/api/account/register", &form(None)).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["Invalid"][0]["field"], "consent");
    assert!(app.user("anna@example.ru").await.is_none());
    let before = chrono::Utc::now();
    assert!(app.browser().call("/api/account/register", &form(Some("on"))).await.ok());
    let consented = app.user("anna@example.ru").await.unwrap().consented_at.expect("the time of consent is kept");
    assert!(consented >= before - chrono::Duration::seconds(1));

    // The registration page links to the policy; the policy page shows it.
    let page = app.get("/register").await;
    assert!(page.body.contains("name=\"consent\"") && page.body.contains("href=\"/privacy\""));
    let first = DEFAULT_PRIVACY_POLICY.split("\n\n").next().unwrap();
    assert!(app.get("/privacy").await.body.contains(first));

    // The office writes the school's own; nobody else may.
    let (_, mut student) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    assert_eq!(student.call("/api/admin/settings/privacy", &[("policy", "Ничего не храним.")]).await.status, 403);
    let (_, mut office) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let bad = office.call("/api/admin/settings/privacy", &[("policy", "Текст\0")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(office.call("/api/admin/settings/privacy", &[("policy", "   ")]).await.status, 422);
    let own = "Школа хранит данные учеников <b>в России</b>.\n\nСрок хранения — пока есть учётная запись.";
    assert!(office.call("/api/admin/settings/privacy", &[("policy", own)]).await.ok());
    let page = app.get("/privacy").await.body;
    assert!(page.contains("<p>Школа хранит данные учеников &lt;b&gt;в России&lt;/b&gt;.</p>"), "{page}");
    assert!(page.contains("<p>Срок хранения — пока есть учётная запись.</p>"));
    let audit = audit_log::Entity::find().all(&app.state.db).await.unwrap();
    assert!(audit.iter().any(|a| a.entity == "setting" && a.changes.contains("privacy_policy")), "on the record");
}

/// A choice from a fixed list (a role, a format, a decision, yes or no)
/// that is none of them is a bad request, refused while the request is
/// parsed: never read as some default, never half applied.
async fn a_choice_outside_its_list_is_a_bad_request(app: TestApp) {
    let (_, mut office) = app.signed_in("office@example.ru", "Офис", Role::Admin).await;
    let (student, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let course = app.course("Сценречь", 4, 1, 8).await;
    let (id, course_id) = (student.id.to_string(), course.id.to_string());
    let calls: [(&str, Vec<(&str, &str)>); 7] = [
        ("/api/admin/people/role", vec![("id", &id), ("role", "director")]),
        ("/api/admin/people/active", vec![("id", &id), ("active", "maybe")]),
        ("/api/teaching/decide", vec![("id", "1"), ("decision", "postpone")]),
        ("/api/teaching/attendance", vec![("enrollment_id", "1"), ("date", "2026-01-05"), ("present", "sometimes")]),
        ("/api/reviews/moderate", vec![("id", "1"), ("action", "burn")]),
        ("/api/reviews/queue", vec![("status", "secret")]),
        ("/api/enrollments/seats", vec![("course_id", &course_id), ("format", "trio"), ("period_start", ""), ("period_end", "")]),
    ];
    for (path, form) in calls {
        let res = office.call(path, &form).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}: {}", res.body);
    }
    let anna = app.user("anna@example.ru").await.unwrap();
    assert_eq!((anna.role, anna.is_active), (Role::Student, true), "nothing changed");
}

both_databases!(spawn_demo_kept, markup_typed_anywhere_never_becomes_markup);
both_databases!(
    spawn,
    control_characters_are_refused_in_every_text_field,
    error_answers_speak_russian_and_hide_internals,
    cross_site_writes_are_refused_and_redirects_stay_home,
    letters_on_demand_are_limited_and_answers_do_not_tell,
    registrations_per_client_are_limited_before_hashing,
    over_long_passwords_are_refused_before_hashing,
    an_untrusted_peer_cannot_choose_its_address,
    raising_capacity_promotes_the_waitlist_first,
    deleting_an_account_and_booking_for_it_take_turns,
    a_burst_of_mixed_writes_never_answers_5xx,
    a_failing_store_says_to_try_later,
    data_past_its_period_is_swept,
    cookies_are_secure_on_https_and_personal_json_is_not_stored,
    half_sent_requests_are_cut_off,
    registration_asks_consent_to_a_policy_the_office_writes,
    a_choice_outside_its_list_is_a_bad_request,
);
both_databases!(spawn_behind_proxy, behind_a_trusted_proxy_each_client_counts_for_itself);
