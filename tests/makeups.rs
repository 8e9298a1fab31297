//! Notices of absence and make-ups through the real router, on SQLite and
//! PostgreSQL: the cut-off a minute either side, an absence told in time
//! costs nothing whatever the school's rule, a make-up booked into another
//! group of the course with a free seat (a full one refused), seen and
//! marked by that group's teacher.
#![cfg(feature = "ssr")]
mod common;
use chrono::{Datelike, Duration, NaiveDateTime};
use common::{Browser, TestApp, TestCourse, passes::{assert_books, pass_now, pass_type, sell}};
use kulisy::{
    domain::{EnrollmentStatus, Role, makeup::PassRules},
    server::entities::{course_slot, makeup_credit},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Moves the course's one weekly slot to the weekday and time of `at`.
async fn slot_at(app: &TestApp, c: &TestCourse, at: NaiveDateTime) {
    let slot = course_slot::Entity::find().filter(course_slot::Column::CourseId.eq(c.id)).one(&app.state.db).await.unwrap().unwrap();
    let mut row: course_slot::ActiveModel = slot.into();
    row.weekday = Set(at.date().weekday().number_from_monday() as i16);
    row.starts_at = Set(at.time());
    row.update(&app.state.db).await.unwrap();
}

fn now(app: &TestApp) -> NaiveDateTime {
    app.state.to_local(chrono::Utc::now())
}

async fn tell(b: &mut Browser<'_>, enrollment: i32, day: chrono::NaiveDate) -> common::TestResponse {
    b.call("/api/passes/absence", &[("member", ""), ("enrollment_id", &enrollment.to_string()), ("date", &day.to_string())]).await
}

async fn a_notice_is_in_time_up_to_the_cut_off(app: TestApp) {
    // Two courses whose lessons start 12 hours and a minute from now, and
    // 12 hours less a minute: the default cut-off is 12 hours.
    let (early, late) = (app.course("Этюды", 10, -30, 20).await, app.course("Речь", 10, -30, 20).await);
    let in_time_at = now(&app) + Duration::hours(12) + Duration::minutes(1);
    let late_at = now(&app) + Duration::hours(12) - Duration::minutes(1);
    slot_at(&app, &early, in_time_at).await;
    slot_at(&app, &late, late_at).await;
    let (masha, _) = app.signed_in("masha@kulisy.test", "Маша", Role::Student).await;
    let mut b = app.browser_as(&masha).await;
    let e1 = app.request_of(&early, masha.id, EnrollmentStatus::Confirmed).await;
    let e2 = app.request_of(&late, masha.id, EnrollmentStatus::Confirmed).await;
    let res = tell(&mut b, e1.id, in_time_at.date()).await;
    assert!(res.ok() && res.body.contains("не спишется"), "{} {}", res.status, res.body);
    let res = tell(&mut b, e2.id, late_at.date()).await;
    assert!(res.ok() && res.body.contains("позже срока"), "{} {}", res.status, res.body);
    assert!(tell(&mut b, e1.id, in_time_at.date()).await.ok(), "telling twice");
    let credits = makeup_credit::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(credits.len(), 1, "a make-up only for the notice in time");
    assert_eq!(credits[0].expires_on, app.today() + Duration::days(30));
    // Not for a day without a lesson, a lesson begun, or someone else's booking.
    assert_eq!(tell(&mut b, e1.id, in_time_at.date() + Duration::days(1)).await.status, 422);
    let (_, mut petya) = app.signed_in("petya@kulisy.test", "Петя", Role::Student).await;
    assert_eq!(tell(&mut petya, e1.id, in_time_at.date()).await.status, 404);
}

async fn an_absence_told_in_time_costs_nothing(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "60", "3200").await;
    let lesson = now(&app) + Duration::days(1);
    slot_at(&app, &c, lesson).await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let p = sell(&app, &mut office, e.student_id.unwrap(), t, app.today() - Duration::days(10)).await;
    assert!(tell(&mut masha, e.id, lesson.date()).await.ok());
    // The school writes off absences without notice; this one was told.
    let rules = PassRules { absence_written_off: true, ..Default::default() };
    let res = office.call("/api/passes/rules/save", &[("absence_written_off", "on"), ("notice_hours", "12"), ("makeup_days", "30")]).await;
    assert!(res.ok(), "{}", res.body);
    assert_eq!(kulisy::server::settings::pass_rules(&app.state.db).await.unwrap(), rules);
    assert_eq!(office.call("/api/passes/rules/save", &[("notice_hours", "200"), ("makeup_days", "0")]).await.status, 422);
    // The lesson is over: the teacher marks her absent, nothing is written off.
    let u = app.user(&c.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&u).await;
    let yesterday = app.today() - Duration::days(1);
    let mark = |day: chrono::NaiveDate| [("enrollment_id", e.id.to_string()), ("date", day.to_string()), ("present", "false".to_string())];
    // A told lesson is in the future here; an untold absence yesterday costs.
    assert!(teacher.submit("/api/teaching/attendance", &mark(yesterday)).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 7, "an absence without notice, by the school's rule");
    let notice = kulisy::server::entities::absence_notice::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    // Mark the told day as if it were past: the notice spares it.
    let mut moved: kulisy::server::entities::absence_notice::ActiveModel = notice.into();
    moved.lesson_date = Set(yesterday - Duration::days(1));
    moved.update(&app.state.db).await.unwrap();
    assert!(teacher.submit("/api/teaching/attendance", &mark(yesterday - Duration::days(1))).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 7, "told in time: nothing written off");
    assert_books(&app).await;
}

/// A second group of the same course (the same title), with its own teacher
/// and one weekly lesson at `at`.
async fn group_at(app: &TestApp, title: &str, capacity: i32, at: NaiveDateTime) -> TestCourse {
    let g = app.course(title, capacity, -30, 20).await;
    slot_at(app, &g, at).await;
    g
}

async fn a_make_up_goes_into_another_group_with_a_free_seat(app: TestApp) {
    let monday = now(&app) + Duration::days(1);
    let thursday = now(&app) + Duration::days(3);
    let a = group_at(&app, "Этюды", 10, monday).await;
    let b = group_at(&app, "Этюды", 1, thursday).await;
    let other = group_at(&app, "Речь", 10, thursday).await;
    let (e, mut masha) = app.enrolled(&a, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    assert!(tell(&mut masha, e.id, monday.date()).await.ok());
    let credit = makeup_credit::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    let book = |course: i32, day: chrono::NaiveDate| {
        [("member", String::new()), ("credit", credit.id.to_string()), ("lesson", format!("{course}:{day}"))]
    };
    // Group B's one seat is taken.
    let (eb, mut petya) = app.enrolled(&b, "petya@kulisy.test", EnrollmentStatus::Confirmed).await;
    let res = masha.submit("/api/passes/makeup", &book(b.id, thursday.date())).await;
    assert_eq!(res.status, 422, "a full lesson: {}", res.body);
    assert!(res.body.contains("мест нет"), "{}", res.body);
    assert_eq!(masha.submit("/api/passes/makeup", &book(other.id, thursday.date())).await.status, 422, "another course");
    assert_eq!(masha.submit("/api/passes/makeup", &book(a.id, monday.date())).await.status, 422, "the missed lesson itself");
    // Petya will be away on Thursday: his seat is free for the make-up.
    assert!(tell(&mut petya, eb.id, thursday.date()).await.ok());
    let shown = masha.call("/api/passes/mine", &[]).await.json();
    let options = shown[0]["makeups"][0]["options"].as_array().unwrap().clone();
    assert!(options.iter().any(|o| o["course_id"] == b.id && o["date"] == thursday.date().to_string()), "{options:?}");
    assert!(masha.submit("/api/passes/makeup", &book(b.id, thursday.date())).await.ok());
    assert_eq!(masha.submit("/api/passes/makeup", &book(b.id, thursday.date())).await.status, 409, "booked once");
    let t = app.user(&b.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&t).await;
    let mark = [("credit", credit.id.to_string()), ("present", "true".to_string())];
    assert_eq!(teacher.submit("/api/teaching/makeup/mark", &mark).await.status, 422, "not yet happened");
    // Group B's teacher expects her on Thursday.
    let roster = teacher.call("/api/teaching/roster", &[("course_id", &b.id.to_string()), ("status", ""), ("date", "")]).await.json();
    assert_eq!(roster["makeups"][0]["date"], thursday.date().to_string(), "{roster}");
    // A week on, as if Thursday were past: group B's teacher sees her on
    // that lesson's roster and marks her; the make-up is spent.
    let past = thursday.date() - Duration::days(7);
    let booked = makeup_credit::Entity::find_by_id(credit.id).one(&app.state.db).await.unwrap().unwrap();
    let mut row: makeup_credit::ActiveModel = booked.into();
    row.booked_date = Set(Some(past));
    row.update(&app.state.db).await.unwrap();
    let roster = teacher.call("/api/teaching/roster", &[("course_id", &b.id.to_string()), ("status", ""), ("date", &past.to_string())]).await.json();
    assert_eq!(roster["makeups"][0]["student_name"], "Мария Ученица", "{roster}");
    let a_teacher = app.user(&a.teacher_email).await.unwrap();
    assert_eq!(app.browser_as(&a_teacher).await.submit("/api/teaching/makeup/mark", &mark).await.status, 404, "another group's teacher");
    assert!(teacher.submit("/api/teaching/makeup/mark", &mark).await.ok());
    let spent = makeup_credit::Entity::find_by_id(credit.id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(spent.attended, Some(true));
    assert_books(&app).await;
}

/// The three letters about passes, each once however often the round runs.
async fn letters_about_passes_go_once(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "2", "10", "1600").await;
    let lesson = now(&app) + Duration::days(1);
    slot_at(&app, &c, lesson).await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    // Ends tomorrow with two lessons left.
    sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(8)).await;
    assert!(tell(&mut masha, e.id, lesson.date()).await.ok());
    let credit = makeup_credit::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    let mut row: makeup_credit::ActiveModel = credit.into();
    row.expires_on = Set(today + Duration::days(2));
    row.update(&app.state.db).await.unwrap();
    let site = app.state.config.site_url.clone();
    let round = || kulisy::passes::service::letters::send_due(&app.state.db, &site, today);
    assert_eq!(round().await.unwrap(), 2, "the pass ends soon, the make-up ends soon");
    assert_eq!(round().await.unwrap(), 0, "once");
    let u = app.user(&c.teacher_email).await.unwrap();
    let mark = [("enrollment_id", e.id.to_string()), ("date", (today - Duration::days(1)).to_string()), ("present", "true".to_string())];
    assert!(app.browser_as(&u).await.submit("/api/teaching/attendance", &mark).await.ok());
    assert_eq!(round().await.unwrap(), 1, "one lesson left");
    assert_eq!(round().await.unwrap(), 0);
    let subjects: Vec<String> = app.outbox().await.into_iter().filter(|m| m.to_addr == "masha@kulisy.test").map(|m| m.subject).collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    assert!(subjects.iter().any(|s| s == "На абонементе осталось одно занятие"));
    assert!(subjects.iter().any(|s| s.starts_with("Абонемент действует до")));
    assert!(subjects.iter().any(|s| s.starts_with("Отработку нужно назначить до")));
}

both_databases!(
    spawn,
    letters_about_passes_go_once,
    a_notice_is_in_time_up_to_the_cut_off,
    an_absence_told_in_time_costs_nothing,
    a_make_up_goes_into_another_group_with_a_free_seat,
);
