//! Schedule and enrollment through the real router, on SQLite and
//! PostgreSQL: seats under concurrency, the waitlist, periods, cancellation,
//! partners, completion, calendar files and the mail they cause.
#![cfg(feature = "ssr")]
mod common;
use axum::{
    body::Body,
    http::{Request, header},
};
use common::{Browser, ENROLL, TestApp, urlencode};
use kulisy::{
    domain::{EnrollmentStatus, Role, enrollment::PartnerAnswer},
    enrollment::service as enrollments,
    server::auth::SESSION_COOKIE,
};
use tower::ServiceExt;


fn with(mut form: Vec<(&'static str, String)>, name: &'static str, value: &str) -> Vec<(&'static str, String)> {
    form.retain(|(n, _)| *n != name);
    form.push((name, value.into()));
    form
}

async fn student(app: &TestApp, n: usize) -> (kulisy::server::entities::user::Model, Browser<'_>) {
    app.signed_in(&format!("student{n}@example.ru"), &format!("Ученик {n}"), Role::Student).await
}

fn held(rows: &[kulisy::server::entities::enrollment::Model]) -> i32 {
    rows.iter().filter(|e| e.status.holds_seats()).map(|e| i32::from(e.seats)).sum()
}

/// Sends `forms[i]` as student `i`, all at once, each on a task of its own.
async fn all_at_once(app: &TestApp, forms: Vec<Vec<(&'static str, String)>>) -> Vec<u16> {
    let mut cookies = Vec::new();
    for n in 0..forms.len() {
        let (_, b) = student(app, n).await;
        cookies.push(b.session().cloned().unwrap());
    }
    let tasks: Vec<_> = forms
        .into_iter()
        .zip(cookies)
        .map(|(form, cookie)| {
            let router = app.router.clone();
            let body = form.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&");
            tokio::spawn(async move {
                let req = Request::post(ENROLL)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "application/json")
                    .header(header::COOKIE, format!("{SESSION_COOKIE}={cookie}"))
                    .body(Body::from(body))
                    .unwrap();
                router.oneshot(req).await.unwrap().status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

async fn a_hundred_requests_never_oversell_ten_seats(app: TestApp) {
    let course = app.course("Импровизация", 10, 7, 8).await;
    // Even-numbered students ask for the waitlist when full, odd ones do not.
    let forms = (0..100)
        .map(|n| if n % 2 == 0 { with(course.booking("personal"), "waitlist", "on") } else { course.booking("personal") })
        .collect();
    let statuses = all_at_once(&app, forms).await;

    assert!(statuses.iter().all(|s| *s < 500), "no server errors: {statuses:?}");
    let rows = app.enrollments_of(course.id).await;
    let pending = rows.iter().filter(|e| e.status == EnrollmentStatus::Pending).count();
    let waitlisted = rows.iter().filter(|e| e.status == EnrollmentStatus::Waitlisted).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!(held(&rows), 10, "exactly the capacity is held");
    assert_eq!(pending, 10);
    assert_eq!(pending + waitlisted + refused, 100, "every request has one outcome: {statuses:?}");
    assert_eq!(rows.len(), pending + waitlisted, "a refused request leaves nothing behind");
    assert!(waitlisted >= 40 && refused >= 40, "waitlisted {waitlisted}, refused {refused}");
    println!(
        "{:?}: 100 concurrent requests for 10 seats → {pending} pending, {waitlisted} waitlisted, {refused} told it is full",
        app.backend
    );
}

async fn a_pair_takes_two_seats(app: TestApp) {
    let course = app.course("Парная сцена", 10, 7, 8).await;
    let statuses = all_at_once(&app, (0..8).map(|_| course.booking("pair")).collect()).await;
    let rows = app.enrollments_of(course.id).await;
    assert_eq!(rows.len(), 5, "five pairs fill ten seats");
    assert_eq!(held(&rows), 10);
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 3, "{statuses:?}");
}

async fn bad_periods_get_a_message_on_their_field(app: TestApp) {
    let course = app.course("Сценическая речь", 8, 7, 4).await;
    let (_, mut b) = student(&app, 1).await;
    let day = |days: i64| (app.today() + chrono::Duration::days(days)).to_string();
    let cases = [
        ("period_start", day(1), course.term_end.to_string(), "раньше"), // before the term
        ("period_end", course.term_start.to_string(), day(90), "не позже"), // after the term
        ("period_end", day(20), day(10), "не раньше начала"),           // reversed
        ("period_start", day(-1), course.term_end.to_string(), "прошла"), // in the past
        ("period_start", "31.12.2026".to_string(), course.term_end.to_string(), "неверно"),
    ];
    for (field, start, end, words) in cases {
        let form = with(with(course.booking("personal"), "period_start", &start), "period_end", &end);
        let res = b.submit(ENROLL, &form).await;
        assert_eq!(res.status, 422, "{start}..{end}: {}", res.body);
        let errors = res.json();
        let message = errors["Invalid"].as_array().unwrap().iter().find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("no {field} error for {start}..{end}: {}", res.body))["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains(words), "{message}");
    }
    assert!(app.enrollments_of(course.id).await.is_empty(), "nothing written");
}

async fn one_student_one_request_per_period(app: TestApp) {
    let course = app.course("Движение", 10, 7, 8).await;
    let (_, mut b) = student(&app, 1).await;
    let form = course.booking("personal");
    // A double click: the same form twice gives one enrollment.
    assert!(b.submit(ENROLL, &form).await.ok());
    let again = b.submit(ENROLL, &form).await;
    assert!(again.ok(), "{}", again.body);
    assert_eq!(app.enrollments_of(course.id).await.len(), 1);

    // Another request overlapping the first is refused…
    let half = (course.term_start + chrono::Duration::weeks(4)).to_string();
    let overlapping = with(with(form.clone(), "period_start", &half), "format", "pair");
    let res = b.submit(ENROLL, &overlapping).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("пересекающиеся"), "{}", res.body);
    assert_eq!(app.enrollments_of(course.id).await.len(), 1);
}

async fn someone_elses_enrollment_cannot_be_cancelled(app: TestApp) {
    let course = app.course("Вокал", 5, 7, 8).await;
    let (_, mut owner) = student(&app, 1).await;
    let (_, mut stranger) = student(&app, 2).await;
    assert!(owner.submit(ENROLL, &course.booking("personal")).await.ok());
    let id = app.enrollments_of(course.id).await[0].id.to_string();

    let res = stranger.submit("/api/enrollments/cancel", &[("id", id.clone())]).await;
    assert_eq!(res.status, 403);
    assert_eq!(app.enrollments_of(course.id).await[0].status, EnrollmentStatus::Pending);
    let res = app.browser().submit("/api/enrollments/cancel", &[("id", id.clone())]).await;
    assert_eq!(res.status, 401, "signed out");
    assert_eq!(app.enrollments_of(course.id).await[0].status, EnrollmentStatus::Pending);

    assert!(owner.submit("/api/enrollments/cancel", &[("id", id.clone())]).await.ok());
    assert_eq!(app.enrollments_of(course.id).await[0].status, EnrollmentStatus::Cancelled);
    let twice = owner.submit("/api/enrollments/cancel", &[("id", id)]).await;
    assert_eq!(twice.status, 409, "a cancelled request stays cancelled");
}

async fn cancelling_promotes_the_first_waitlisted_request(app: TestApp) {
    let course = app.course("Камера", 2, 7, 8).await;
    let (_, mut first) = student(&app, 1).await;
    let (second_user, mut second) = student(&app, 2).await;
    let (third_user, mut third) = student(&app, 3).await;
    assert!(first.submit(ENROLL, &course.booking("pair")).await.ok());
    let full = second.submit(ENROLL, &course.booking("personal")).await;
    assert_eq!(full.status, 409, "full without the waitlist box: {}", full.body);
    assert!(full.body.contains("лист ожидания"));
    assert!(second.submit(ENROLL, &with(course.booking("personal"), "waitlist", "on")).await.ok());
    assert!(third.submit(ENROLL, &with(course.booking("personal"), "waitlist", "on")).await.ok());
    let rows = app.enrollments_of(course.id).await;
    assert_eq!(rows.iter().map(|e| e.status).collect::<Vec<_>>(),
        [EnrollmentStatus::Pending, EnrollmentStatus::Waitlisted, EnrollmentStatus::Waitlisted]);

    let id = rows[0].id.to_string();
    assert!(first.submit("/api/enrollments/cancel", &[("id", id)]).await.ok());
    let rows = app.enrollments_of(course.id).await;
    assert_eq!(rows[0].status, EnrollmentStatus::Cancelled);
    // The freed pair seats take both waiting students, oldest first.
    assert_eq!(rows[1].status, EnrollmentStatus::Pending);
    assert_eq!(rows[2].status, EnrollmentStatus::Pending);
    let outbox = app.outbox().await;
    for u in [&second_user, &third_user] {
        assert!(outbox.iter().any(|m| m.to_addr == u.email && m.subject == "Освободилось место на курсе"), "{}", u.email);
    }
}

async fn ended_periods_close_by_themselves(app: TestApp) {
    let course = app.course("Мастерство", 10, -70, 8).await; // ended two weeks ago
    let (u, mut b) = student(&app, 1).await;
    let mut ids = Vec::new();
    for status in [EnrollmentStatus::Confirmed, EnrollmentStatus::Pending, EnrollmentStatus::Rejected] {
        ids.push(app.request_of(&course, u.id, status).await.id);
    }
    assert_eq!(enrollments::close_ended(&app.state.db, app.today()).await.unwrap(), 2);
    assert_eq!(enrollments::close_ended(&app.state.db, app.today()).await.unwrap(), 0, "once only");
    let statuses: Vec<_> = app.enrollments_of(course.id).await.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [EnrollmentStatus::Completed, EnrollmentStatus::Cancelled, EnrollmentStatus::Rejected]);

    // The student sees it in the history, and can no longer cancel it.
    let history = b.call("/api/enrollments/mine", &[]).await.json();
    assert_eq!(history["own"].as_array().unwrap().len(), 3);
    assert!(history["own"].as_array().unwrap().iter().all(|e| e["may_cancel"] == false));
    assert_eq!(b.submit("/api/enrollments/cancel", &[("id", ids[0].to_string())]).await.status, 409);
}

async fn a_named_partner_is_invited_and_answers(app: TestApp) {
    let course = app.course("Импровизация в паре", 6, 7, 8).await;
    let (anna, mut a) = student(&app, 1).await;
    let (boris, mut b) = student(&app, 2).await;
    let (_, mut c) = student(&app, 3).await;

    let unknown = a.submit(ENROLL, &with(course.booking("pair"), "partner_email", "nobody@example.ru")).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("не найден"), "{}", unknown.body);
    let myself = a.submit(ENROLL, &with(course.booking("pair"), "partner_email", &anna.email)).await;
    assert_eq!(myself.status, 422);

    assert!(a.submit(ENROLL, &with(course.booking("pair"), "partner_email", &boris.email)).await.ok());
    let e = &app.enrollments_of(course.id).await[0];
    assert_eq!((e.partner_id, e.partner_status), (Some(boris.id), Some(PartnerAnswer::Invited)));
    let outbox = app.outbox().await;
    assert!(outbox.iter().any(|m| m.to_addr == anna.email && m.subject == "Заявка на курс получена"));
    let to_teacher = outbox.iter().find(|m| m.to_addr == course.teacher_email && m.subject == "Новая заявка на курс");
    // The teacher decides at the desk: the letter's button goes there.
    assert!(to_teacher.expect("the teacher is told").body_text.contains("http://kulisy.test:3000/teach"));
    assert!(outbox.iter().any(|m| m.to_addr == boris.email && m.body_text.contains("приглашает вас")));

    // The invitation shows in the partner's history; only the partner answers.
    let history = b.call("/api/enrollments/mine", &[]).await.json();
    assert_eq!(history["as_partner"][0]["may_answer"], true);
    let id = e.id.to_string();
    let answer = |v: &str| vec![("id", id.clone()), ("answer", v.to_string())];
    assert_eq!(c.submit("/api/enrollments/answer", &answer("yes")).await.status, 403);
    assert!(b.submit("/api/enrollments/answer", &answer("yes")).await.ok());
    assert_eq!(b.submit("/api/enrollments/answer", &answer("no")).await.status, 409, "answered once");
    let e = &app.enrollments_of(course.id).await[0];
    assert_eq!(e.partner_status, Some(PartnerAnswer::Accepted));
    assert!(app.outbox().await.iter().any(|m| m.to_addr == anna.email && m.subject == "Ответ партнёра"));
    let mine = a.call("/api/enrollments/mine", &[]).await.json();
    assert_eq!(mine["own"][0]["partner_answer"], "Accepted");
}

async fn only_students_enroll(app: TestApp) {
    let course = app.course("Речь", 6, 7, 8).await;
    let (_, mut teacher) = app.signed_in("t@example.ru", "Педагог", Role::Teacher).await;
    let res = teacher.submit(ENROLL, &course.booking("personal")).await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("только ученики"));
    let res = app.browser().submit(ENROLL, &course.booking("personal")).await;
    assert_eq!(res.status, 401);
    assert!(app.enrollments_of(course.id).await.is_empty());
}

async fn calendar_files_carry_local_times(app: TestApp) {
    use icalendar::{CalendarDateTime, Component, DatePerhapsTime};
    use kulisy::server::entities::enrollment;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let course = app.course("Актёрское мастерство", 10, 7, 4).await;
    let (_, mut b) = student(&app, 1).await;
    assert!(b.submit(ENROLL, &course.booking("personal")).await.ok());
    let e = app.enrollments_of(course.id).await.remove(0);

    let res = b.get(&format!("/my/enrollments/{}/calendar.ics", e.id)).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/calendar"));
    let cal: icalendar::Calendar = res.body.parse().expect("a valid calendar");
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1, "one weekly series");
    let ev = events[0];
    let first_monday = (0..7).map(|d| course.term_start + chrono::Duration::days(d))
        .find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Mon).unwrap();
    match ev.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            assert_eq!(tzid, "Europe/Moscow");
            assert_eq!(date_time, first_monday.and_hms_opt(19, 0, 0).unwrap());
        }
        other => panic!("start in local time expected, got {other:?}"),
    }
    assert_eq!(ev.property_value("DURATION"), Some("PT180M"));
    assert!(ev.property_value("RRULE").unwrap().starts_with("FREQ=WEEKLY;UNTIL="));
    assert_eq!(ev.property_value("LOCATION"), Some("Большой зал"));
    assert!(res.body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow"));
    assert!(res.body.contains("TZOFFSETTO:+0300"));

    // Not for others, nor for nobody.
    let (_, mut other) = student(&app, 2).await;
    assert_eq!(other.get(&format!("/my/enrollments/{}/calendar.ics", e.id)).await.status, 404);
    assert_eq!(app.browser().get(&format!("/my/enrollments/{}/calendar.ics", e.id)).await.status, 303);

    // The feed carries confirmed lessons only, at a secret, revocable address.
    assert!(b.submit("/api/enrollments/feed", &[("change", "on".into())]).await.ok());
    let url = b.call("/api/enrollments/mine", &[]).await.json()["feed_url"].as_str().unwrap().to_string();
    let path = url.strip_prefix("http://kulisy.test:3000").unwrap().to_string();
    let feed = app.get(&path).await;
    assert_eq!(feed.status, 200);
    assert!(!feed.body.contains("BEGIN:VEVENT"), "pending is not in the feed yet");
    let mut row: enrollment::ActiveModel = enrollment::Entity::find_by_id(e.id).one(&app.state.db).await.unwrap().unwrap().into();
    row.status = Set(EnrollmentStatus::Confirmed);
    row.update(&app.state.db).await.unwrap();
    let feed = app.get(&path).await;
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), 1);
    assert!(feed.body.parse::<icalendar::Calendar>().is_ok());
    let forged = path.replace(&path[path.len() - 8..path.len() - 4], "0000");
    assert_eq!(app.get(&forged).await.status, 404);

    assert!(b.submit("/api/enrollments/feed", &[("change", "renew".into())]).await.ok());
    assert_eq!(app.get(&path).await.status, 404, "the old address is dead");
    let renewed = b.call("/api/enrollments/mine", &[]).await.json()["feed_url"].as_str().unwrap().to_string();
    assert_ne!(renewed, url);
    assert!(b.submit("/api/enrollments/feed", &[("change", "off".into())]).await.ok());
    assert_eq!(app.get(renewed.strip_prefix("http://kulisy.test:3000").unwrap()).await.status, 404);
}

async fn leaving_the_school_frees_the_seat(app: TestApp) {
    let course = app.course("Пластика", 1, 7, 8).await;
    let (_, mut a) = student(&app, 2).await;
    let (_, mut w) = student(&app, 3).await;
    assert!(a.submit(ENROLL, &course.booking("personal")).await.ok());
    assert!(w.submit(ENROLL, &with(course.booking("personal"), "waitlist", "on")).await.ok());
    let leaver = app.user("student2@example.ru").await.unwrap();
    kulisy::account::service::delete_account(&app.state.db, &app.state.config.site_url, &leaver, app.today())
        .await
        .unwrap();
    let rows = app.enrollments_of(course.id).await;
    assert_eq!(rows[0].status, EnrollmentStatus::Cancelled);
    assert_eq!(rows[0].student_id, None, "kept as anonymous history");
    assert_eq!(rows[1].status, EnrollmentStatus::Pending, "the waiting student moves up");
}

/// Whether a schedule page lists the course titled `title`.
fn lists(page: &common::TestResponse, title: &str) -> bool {
    page.body.contains(&format!(">{title}</a>"))
}

async fn the_schedule_filters_by_teacher_day_format_and_seats(app: TestApp) {
    // The demo school: «Импровизация» is pair-only on Fridays; «Сценическая
    // речь» is personal-only on Tuesdays and Saturdays.
    let page = app.get("/courses?format=pair").await;
    assert_eq!(page.status, 200);
    assert!(lists(&page, "Импровизация") && !lists(&page, "Сценическая речь"));
    let page = app.get("/courses?day=2").await;
    assert!(lists(&page, "Сценическая речь") && !lists(&page, "Импровизация"));
    // «Работа перед камерой» is full in the demo school (two pairs in four seats).
    let page = app.get("/courses?free=1").await;
    assert!(!lists(&page, "Работа перед камерой") && lists(&page, "Сценическая речь"));
    let everything = app.get("/courses").await;
    assert!(lists(&everything, "Работа перед камерой") && everything.body.contains("Все педагоги"));
    let week = app.get("/courses?view=week").await;
    assert!(week.body.contains("Предыдущая неделя"));
    // The filter form keeps its values, so the shared address shows what it says.
    assert!(app.get("/courses?day=5&format=pair").await.body.contains("<option value=\"5\" selected"));
}

async fn the_wizard_walks_to_a_pending_request(app: TestApp) {
    let course = app.course("Этюды", 10, 7, 8).await;
    let (_, mut b) = student(&app, 1).await;
    let page = b.get(&format!("/courses/{}/enroll", course.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("С каким педагогом"), "starts with the teacher");
    let page = b.get(&format!("/courses/{}/enroll?step=period&teacher_id={}&format=pair", course.id, course.teacher_id)).await;
    assert!(page.body.contains("type=\"date\""), "the period step");
    assert!(page.body.contains("свободно 10 из 10"), "seats for the default period");
    let page = b.get(&format!(
        "/courses/{}/enroll?step=summary&teacher_id={}&format=personal&period_start={}&period_end={}",
        course.id, course.teacher_id, course.term_start, course.term_end
    )).await;
    assert!(page.body.contains("Проверьте заявку") && page.body.contains("Отправить заявку"));
    // A skipped step is asked for first, whatever the address says.
    let page = b.get(&format!("/courses/{}/enroll?step=summary&format=personal", course.id)).await;
    assert!(page.body.contains("С каким педагогом"));
    // Signed out: asked to sign in.
    assert_eq!(app.get(&format!("/courses/{}/enroll", course.id)).await.status, 401);

    // Once the course has its readable address, the wizard answers there,
    // every link and form of it stays there, and the number leads to it.
    kulisy::server::addresses::settle_missing(&app.state.db).await.unwrap();
    let query = format!("step=format&teacher_id={}", course.teacher_id);
    let moved = b.get(&format!("/courses/{}/enroll?{query}", course.id)).await;
    assert_eq!((moved.status.as_u16(), moved.header("location")), (301, format!("/courses/etyudy/enroll?{query}").as_str()));
    let page = b.get(&format!("/courses/etyudy/enroll?{query}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"action="/courses/etyudy/enroll""#), "the step's form");
    assert!(page.body.contains(r#"href="/courses/etyudy/enroll?step=teacher"#), "the step before");
    assert!(page.body.contains(r#"href="/courses/etyudy""#), "the course page");
    assert!(!page.body.contains(&format!("/courses/{}", course.id)), "no numeric address on the page");
    assert_eq!(b.get("/courses/nichego-net/enroll").await.status, 404);
}

both_databases!(
    spawn,
    a_hundred_requests_never_oversell_ten_seats,
    a_pair_takes_two_seats,
    bad_periods_get_a_message_on_their_field,
    one_student_one_request_per_period,
    someone_elses_enrollment_cannot_be_cancelled,
    cancelling_promotes_the_first_waitlisted_request,
    ended_periods_close_by_themselves,
    a_named_partner_is_invited_and_answers,
    only_students_enroll,
    calendar_files_carry_local_times,
    leaving_the_school_frees_the_seat,
    the_wizard_walks_to_a_pending_request,
);
both_databases!(spawn_demo, the_schedule_filters_by_teacher_day_format_and_seats);
