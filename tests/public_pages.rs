//! The public site, rendered on the server over the demo school.
#![cfg(feature = "ssr")]
mod common;
use common::TestApp;

async fn home_page_holds_the_content_in_its_html(app: TestApp) {
    let res = app.get("/").await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/html"));
    let html = &res.body;
    assert!(html.contains(r#"<html lang="ru""#), "{html}");
    assert!(html.contains("<title>Кулисы — театральная школа</title>"));
    assert!(html.contains(r#"<meta name="description""#));
    // Next shows and open courses, straight from the database.
    assert!(html.contains("Вишнёвый сад"));
    assert!(html.contains("Сценическая речь"));
    // Three of each at most.
    assert!(!html.contains("Двенадцатая ночь"), "only the next three shows");
}

async fn afisha_lists_upcoming_shows_with_russian_dates(app: TestApp) {
    let res = app.get("/afisha").await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("<title>Афиша — Кулисы</title>"));
    for title in ["Вишнёвый сад", "Ревизор", "Вечер этюдов", "Двенадцатая ночь"] {
        assert!(res.body.contains(title), "{title} missing");
    }
    let months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
        "сентября", "октября", "ноября", "декабря"];
    assert!(months.iter().any(|m| res.body.contains(m)), "dates are written in Russian");
    assert!(res.body.contains(", 19:00"), "24-hour local time");
}

async fn a_show_has_its_own_page(app: TestApp) {
    let afisha = app.get("/afisha").await.body;
    let id = afisha.split("/afisha/").nth(1).and_then(|s| s.split('"').next()).expect("a show link");
    let res = app.get(&format!("/afisha/{id}")).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Учебная сцена") || res.body.contains("Малая сцена") || res.body.contains("Дом культуры"));
    assert_eq!(app.get("/afisha/999999").await.status, 404);
    assert_eq!(app.get("/afisha/not-a-number").await.status, 404);
}

async fn catalogue_shows_schedule_teachers_formats_and_seats(app: TestApp) {
    let res = app.get("/courses").await;
    assert_eq!(res.status, 200);
    let html = &res.body;
    assert!(html.contains("<title>Курсы и расписание — Кулисы</title>"));
    for title in ["Актёрское мастерство: основы", "Сценическая речь", "Импровизация", "Работа перед камерой"] {
        assert!(html.contains(title), "{title} missing");
    }
    // A confirmed and a pending personal request hold two of the 12 seats;
    // two pairs fill the 4-seat camera course.
    assert!(html.contains("Свободно 10 из 12"));
    assert!(html.contains("Мест нет — лист ожидания"));
    assert!(html.contains("Ирина Викторовна Соколова"));
    assert!(html.contains("Персональное · Парное"));
    assert!(html.contains("19:00–22:00"), "Monday slot of the basics course");
}

async fn a_course_page_shows_the_weekly_schedule(app: TestApp) {
    let list = app.get("/courses").await.body;
    let id = list
        .split("/courses/")
        .skip(1)
        .find(|s| s.contains("Сценическая речь"))
        .and_then(|s| s.split('"').next())
        .expect("link to the speech course")
        .to_string();
    let res = app.get(&format!("/courses/{id}")).await;
    assert_eq!(res.status, 200);
    let html = &res.body;
    assert!(html.contains("<title>Сценическая речь — Кулисы</title>"));
    assert!(html.contains("Вторник") && html.contains("18:30–20:00") && html.contains("Класс № 2"));
    assert!(html.contains("Суббота") && html.contains("12:00–13:30"));
    assert!(html.contains("Михаил Андреевич Лебедев"));
    assert!(html.contains("Свободно 7 из 8"));
    assert_eq!(app.get("/courses/424242").await.status, 404);
}

async fn unknown_pages_answer_404_in_russian(app: TestApp) {
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status, 404);
    assert!(res.body.contains("Страница не найдена"));
    assert!(res.body.contains(r#"<meta name="robots" content="noindex""#));
}

async fn server_functions_answer_json(app: TestApp) {
    let res = app.call("/api/courses/schedule", "").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let schedule = res.json();
    // As a list the cards come written (once: the page does not send them again as data).
    assert_eq!(schedule["shown"], 9);
    assert_eq!(schedule["cards"].as_str().map(|html| html.matches("<article").count()), Some(9));
    let pairs = app.call("/api/courses/schedule", "query[format]=pair").await.json();
    assert_eq!(pairs["shown"], 5);
    assert_eq!(pairs["cards"].as_str().map(|html| html.matches("<article").count()), Some(5));
    // As a week, the days come written: seven of them, each with its lessons.
    let week = app.call("/api/courses/schedule", "query[view]=Week").await.json();
    assert_eq!(week["shown"], 9);
    let days = week["cards"].as_str().unwrap_or_default();
    assert_eq!(days.matches(r#"<section class="week__day"#).count(), 7, "{days}");
    // The movement course began before this week (its Wednesday lessons).
    assert!(days.contains(r#"<a class="lesson__title" href="/courses/scenicheskoe-dvizhenie-i-plastika">Сценическое движение и пластика</a>"#), "{days}");
    let missing = app.call("/api/courses/get", "address=987654").await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert!(missing.body.contains("NotFound"));
}

async fn database_failures_show_a_safe_message(app: TestApp) {
    use sea_orm::ConnectionTrait;
    app.state.db.execute_unprepared("DROP TABLE course_slots").await.unwrap();
    let res = app.get("/courses").await;
    assert_eq!(res.status, 500);
    assert!(res.body.contains("Что-то пошло не так"));
    assert!(!res.body.contains("course_slots"), "internal detail leaked");
    let api = app.call("/api/courses/schedule", "").await;
    assert_eq!(api.status, 500);
    assert!(!api.body.contains("course_slots"), "internal detail leaked: {}", api.body);
}

both_databases!(
    spawn_demo,
    home_page_holds_the_content_in_its_html,
    afisha_lists_upcoming_shows_with_russian_dates,
    a_show_has_its_own_page,
    catalogue_shows_schedule_teachers_formats_and_seats,
    a_course_page_shows_the_weekly_schedule,
    unknown_pages_answer_404_in_russian,
    server_functions_answer_json,
    database_failures_show_a_safe_message,
);

async fn an_empty_school_says_so(app: TestApp) {
    let res = app.get("/courses").await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Набор на новые курсы скоро откроется"));
    assert!(app.get("/afisha").await.body.contains("Ближайших спектаклей пока нет"));
}

both_databases!(spawn, an_empty_school_says_so);
