//! Where a new person used to stumble (issue #15), through the real router
//! on SQLite and PostgreSQL: dead e-mailed links offer the way forward,
//! signing in leads back to the page asked for (or to the role's work), and
//! a refused page shows the refusal alone. The browser walks the same ways
//! in `end2end/tests/walkthrough.spec.ts`.
#![cfg(feature = "ssr")]
mod common;
use common::TestApp;
use kulisy::domain::Role;

const PASSWORD: &str = "Вишнёвый сад 1904";

async fn register(b: &mut common::Browser<'_>, email: &str) {
    let res = b.call("/api/account/register", &[
        ("full_name", "Дмитрий Орлов"), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD), ("consent", "on"),
    ]).await;
    assert!(res.ok(), "{}", res.body);
}

async fn letters_to(app: &TestApp, email: &str) -> usize {
    app.outbox().await.iter().filter(|m| m.to_addr == email).count()
}

async fn a_dead_confirmation_link_offers_a_new_one(app: TestApp) {
    let mut b = app.browser();
    register(&mut b, "dima@example.ru").await;
    let first = app.token_mailed_to("dima@example.ru", "/confirm-email").await;
    // Signing in before confirming sends a new link; the first one dies.
    assert_eq!(b.call("/api/account/login", &[("email", "dima@example.ru"), ("password", PASSWORD)]).await.status, 409);
    let second = app.token_mailed_to("dima@example.ru", "/confirm-email").await;
    assert_ne!(first, second);
    let dead = b.call("/api/account/confirm-email", &[("token", &first)]).await;
    assert_eq!(dead.status, 410, "{}", dead.body);
    assert_eq!(dead.json(), serde_json::json!("LinkExpired"), "the page knows to offer a new letter");
    assert!(app.user("dima@example.ru").await.unwrap().email_verified_at.is_none());

    // The way forward: a new letter, asked for right there.
    let before = letters_to(&app, "dima@example.ru").await;
    let resent = b.call("/api/account/confirm-email/resend", &[("email", "Dima@Example.ru ")]).await;
    assert!(resent.ok(), "{}", resent.body);
    assert_eq!(letters_to(&app, "dima@example.ru").await, before + 1);
    let third = app.token_mailed_to("dima@example.ru", "/confirm-email").await;
    assert_eq!(b.call("/api/account/confirm-email", &[("token", &second)]).await.status, 410, "replaced by the new one");
    assert!(b.call("/api/account/confirm-email", &[("token", &third)]).await.ok());
    assert!(app.user("dima@example.ru").await.unwrap().email_verified_at.is_some());

    // Older links of a confirmed address simply say so.
    for old in [&first, &second, &third] {
        let res = b.call("/api/account/confirm-email", &[("token", old)]).await;
        assert!(res.ok(), "{}: {}", res.status, res.body);
        assert!(res.header("set-cookie").contains("kulisy_flash"), "says so in a message");
    }
    b.login("dima@example.ru", PASSWORD).await;
}

async fn asking_for_a_new_confirmation_never_tells_who_is_registered(app: TestApp) {
    let mut b = app.browser();
    register(&mut b, "dima@example.ru").await;
    let token = app.token_mailed_to("dima@example.ru", "/confirm-email").await;
    assert!(b.call("/api/account/confirm-email", &[("token", &token)]).await.ok());
    let letters = app.outbox().await.len();
    let confirmed = b.call("/api/account/confirm-email/resend", &[("email", "dima@example.ru")]).await;
    let unknown = b.call("/api/account/confirm-email/resend", &[("email", "nobody@example.ru")]).await;
    assert_eq!((confirmed.status, confirmed.body.clone()), (unknown.status, unknown.body.clone()));
    assert_eq!(app.outbox().await.len(), letters, "no letter to a confirmed or unknown address");
    let bad = b.call("/api/account/confirm-email/resend", &[("email", "not an address")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["Invalid"][0]["field"] == "email");
}

async fn new_confirmation_letters_are_limited(app: TestApp) {
    let mut b = app.browser();
    register(&mut b, "dima@example.ru").await;
    let registration = letters_to(&app, "dima@example.ru").await;
    for _ in 0..10 {
        assert!(b.call("/api/account/confirm-email/resend", &[("email", "dima@example.ru")]).await.ok());
    }
    let asked_for = letters_to(&app, "dima@example.ru").await - registration;
    assert_eq!(asked_for, 3, "letters asked for to one address within an hour");
}

async fn dead_reset_and_change_links_say_so_the_same_way(app: TestApp) {
    let (_anna, mut b) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    for (path, form) in [
        ("/api/account/reset", vec![("token", "00"), ("password", "Новый пароль 2026"), ("password_confirm", "Новый пароль 2026")]),
        ("/api/account/confirm-email-change", vec![("token", "00")]),
        ("/api/account/confirm-email", vec![("token", "")]),
    ] {
        let res = b.call(path, &form).await;
        assert_eq!(res.status, 410, "{path}: {}", res.body);
        assert_eq!(res.json(), serde_json::json!("LinkExpired"), "{path}");
    }
}

/// The address a sign-in leads to, with `next` as the sign-in page had it.
async fn landing(app: &TestApp, email: &str, next: Option<&str>) -> String {
    let mut b = app.browser();
    let mut form = vec![("email", email), ("password", kulisy::server::seed::DEMO_PASSWORD)];
    if let Some(next) = next {
        form.push(("next", next));
    }
    let res = b.call("/api/account/login", &form).await;
    assert!(res.ok(), "{}", res.body);
    res.header("location").to_string()
}

async fn signing_in_leads_to_the_page_asked_for_or_to_the_work(app: TestApp) {
    assert_eq!(landing(&app, "admin@kulisy.test", None).await, "/admin");
    assert_eq!(landing(&app, "lebedev@kulisy.test", None).await, "/teach");
    assert_eq!(landing(&app, "anna@kulisy.test", None).await, "/my/enrollments");
    assert_eq!(landing(&app, "anna@kulisy.test", Some("")).await, "/my/enrollments");
    assert_eq!(landing(&app, "anna@kulisy.test", Some("/my/portfolio?tab=video")).await, "/my/portfolio?tab=video");
    for foreign in ["https://evil.example/", "//evil.example", "/\\evil.example", "/login"] {
        assert_eq!(landing(&app, "anna@kulisy.test", Some(foreign)).await, "/my/enrollments", "{foreign}");
    }
    // A page that stops a visitor offers the sign-in that leads back to it.
    let page = app.get("/my/portfolio").await;
    assert_eq!(page.status, 401);
    assert!(page.body.contains("/login?next=%2Fmy%2Fportfolio"), "{}", page.body);
}

async fn a_refused_page_shows_the_refusal_alone(app: TestApp) {
    let mut anna = app.browser();
    anna.login("anna@kulisy.test", kulisy::server::seed::DEMO_PASSWORD).await;
    let mut teacher = app.browser();
    teacher.login("lebedev@kulisy.test", kulisy::server::seed::DEMO_PASSWORD).await;
    let mut visitor = app.browser();
    // What only the audience of each page may see above the refusal.
    let pages: [(&str, &[&str]); 5] = [
        ("/admin/people", &["Добавить педагога", "Разделы администрирования"]),
        ("/admin/courses/1", &["Разделы администрирования", "Удалить курс"]),
        ("/admin/people/1", &["Разделы администрирования"]),
        ("/teach", &["Кабинет педагога</h1>"]),
        ("/my/reviews", &["Мои отзывы</h1>"]),
    ];
    for (path, private) in pages {
        for (who, b, status) in [("visitor", &mut visitor, 401), ("student", &mut anna, 403), ("teacher", &mut teacher, 403)] {
            let res = b.get(path).await;
            if res.status == 200 {
                continue; // this page is theirs
            }
            assert_eq!(res.status, status, "{who} {path}");
            for text in private {
                assert!(!res.body.contains(text), "{who} sees {text:?} on {path}");
            }
            let sign_in = format!("/login?next={}", common::urlencode(path));
            assert!(res.body.contains(&sign_in), "{who} {path}: the way to sign in as someone else");
        }
    }
}

fn school_form(name: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("name", name),
        ("address", "Казань, ул. Баумана, 1"),
        ("phone", "+7 (843) 200-00-00"),
        ("email", "hello@rampa.ru"),
        ("map_url", "https://yandex.ru/maps/-/CHabc"),
        ("social", "https://vk.com/rampa\nhttps://t.me/rampa_school"),
    ]
}

async fn the_office_sets_the_schools_details_and_every_page_and_letter_shows_them(app: TestApp) {
    let demo = kulisy::server::seed::DEMO_PASSWORD;
    let mut anna = app.browser();
    anna.login("anna@kulisy.test", demo).await;
    assert_eq!(anna.call("/api/admin/settings/school", &school_form("Рампа")).await.status, 403);
    let mut office = app.browser();
    office.login("admin@kulisy.test", demo).await;
    let bad = office.call("/api/admin/settings/school", &[
        ("name", ""), ("address", ""), ("phone", "звоните"), ("email", "нет"), ("map_url", "javascript:alert(1)"), ("social", "http://vk.com"),
    ]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["Invalid"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["name", "phone", "email", "map_url", "social"]);
    assert!(app.get("/courses").await.body.contains("— Кулисы</title>"), "nothing half-written");

    let saved = office.call("/api/admin/settings/school", &school_form("Рампа")).await;
    assert!(saved.ok(), "{}", saved.body);
    let page = app.get("/courses").await;
    assert!(page.body.contains("<title>Курсы и расписание — Рампа</title>"), "{}", page.body);
    for shown in ["Казань, ул. Баумана, 1", "href=\"tel:+78432000000\"", "mailto:hello@rampa.ru", "https://yandex.ru/maps/-/CHabc", ">ВКонтакте<", ">Telegram<"] {
        assert!(page.body.contains(shown), "footer shows {shown}");
    }
    assert!(!page.body.contains("120-45-00") && !page.body.contains("Театральная, 5"), "no fixed details left");
    assert!(app.get("/").await.body.contains("Рампа"), "home page's heading");

    // Letters are signed with the details of the moment they are written.
    assert!(app.browser().call("/api/account/forgot", &[("email", "dmitry@kulisy.test")]).await.ok());
    let letter = app.outbox().await.into_iter().rev().find(|m| m.to_addr == "dmitry@kulisy.test").unwrap();
    assert!(letter.body_text.contains("— Театральная школа «Рампа»"), "{}", letter.body_text);
    assert!(letter.body_text.contains("+7 (843) 200-00-00") && letter.body_html.contains("hello@rampa.ru"));
    assert!(!letter.body_text.contains("Кулис"), "{}", letter.body_text);

    // The name is text wherever it lands: title, header, footer, letters.
    let payload = "<img src=x onerror=alert(1)>Рампа";
    assert!(office.call("/api/admin/settings/school", &school_form(payload)).await.ok());
    let page = app.get("/afisha").await;
    assert!(!page.body.contains("<img src=x"), "markup in the name stays text");
    assert!(page.body.contains("&lt;img src=x onerror=alert(1)&gt;Рампа"));
    assert!(app.browser().call("/api/account/forgot", &[("email", "maria@kulisy.test")]).await.ok());
    let letter = app.outbox().await.into_iter().rev().find(|m| m.to_addr == "maria@kulisy.test").unwrap();
    assert!(!letter.body_html.contains("<img src=x") && letter.body_html.contains("&lt;img"));
}

both_databases!(
    spawn,
    a_dead_confirmation_link_offers_a_new_one,
    asking_for_a_new_confirmation_never_tells_who_is_registered,
    new_confirmation_letters_are_limited,
    dead_reset_and_change_links_say_so_the_same_way,
);
both_databases!(
    spawn_demo,
    signing_in_leads_to_the_page_asked_for_or_to_the_work,
    a_refused_page_shows_the_refusal_alone,
    the_office_sets_the_schools_details_and_every_page_and_letter_shows_them,
);
