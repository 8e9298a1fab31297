//! Running for years, on more than one process: reminders and letters go
//! out exactly once however many processes look for them at once.
//! Every test runs on SQLite and PostgreSQL.
mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use common::TestApp;
use kulisy::{
    domain::EnrollmentStatus,
    server::{entities::{course_slot, outbox}, mail, reminders},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// `hour`:00 in the school's zone on `day`.
fn at(app: &TestApp, day: NaiveDate, hour: u32) -> DateTime<Utc> {
    app.state.config.time_zone.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}

/// The first Monday after today (the test course meets on Mondays at 19:00).
fn next_monday(app: &TestApp) -> NaiveDate {
    let mut d = app.today() + Duration::days(1);
    while d.weekday() != chrono::Weekday::Mon {
        d += Duration::days(1);
    }
    d
}

async fn letters_to(app: &TestApp, to: &str) -> Vec<outbox::Model> {
    app.outbox().await.into_iter().filter(|m| m.to_addr == to).collect()
}

async fn a_session_is_reminded_once_whoever_looks(app: TestApp) {
    let course = app.course("Сценическая речь", 10, -7, 8).await;
    let (_, _) = app.enrolled(&course, "masha@example.ru", EnrollmentStatus::Confirmed).await;
    let (_, _) = app.enrolled(&course, "petya@example.ru", EnrollmentStatus::Pending).await;
    let monday = next_monday(&app);
    let config = &app.state.config;
    // Two days ahead: too early.
    reminders::send_due(&app.state.db, config, at(&app, monday - Duration::days(2), 17)).await.unwrap();
    assert!(letters_to(&app, "masha@example.ru").await.is_empty());
    // Monday 17:00: the 19:00 session is near. Three processes look at once.
    let now = at(&app, monday, 17);
    let db = &app.state.db;
    let (a, b, c) = tokio::join!(
        reminders::send_due(db, config, now),
        reminders::send_due(db, config, now),
        reminders::send_due(db, config, now),
    );
    for r in [a, b, c] {
        r.unwrap();
    }
    reminders::send_due(db, config, now + Duration::minutes(1)).await.unwrap();
    let letters = letters_to(&app, "masha@example.ru").await;
    assert_eq!(letters.len(), 1, "once, whoever looked");
    assert!(letters[0].body_text.contains("Сценическая речь") && letters[0].body_text.contains("19:00"), "{}", letters[0].body_text);
    assert!(letters_to(&app, "petya@example.ru").await.is_empty(), "pending requests get no reminder");
}

async fn a_rescheduled_course_is_reminded_at_its_new_time(app: TestApp) {
    let course = app.course("Пластика", 10, -7, 8).await;
    app.enrolled(&course, "masha@example.ru", EnrollmentStatus::Confirmed).await;
    let monday = next_monday(&app);
    let (db, config) = (&app.state.db, &app.state.config);
    let sunday_evening = at(&app, monday - Duration::days(1), 17);
    assert_eq!(reminders::send_due(db, config, sunday_evening).await.unwrap(), 0, "19:00 on Monday is 26 hours away");
    // The office moves the lesson to 12:00: now it is within a day.
    let slot = course_slot::Entity::find().filter(course_slot::Column::CourseId.eq(course.id)).one(db).await.unwrap().unwrap();
    let mut slot: course_slot::ActiveModel = slot.into();
    slot.starts_at = Set(chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap());
    slot.update(db).await.unwrap();
    assert_eq!(reminders::send_due(db, config, sunday_evening).await.unwrap(), 1);
    let letters = letters_to(&app, "masha@example.ru").await;
    assert!(letters[0].body_text.contains("12:00"), "{}", letters[0].body_text);
    assert_eq!(reminders::send_due(db, config, at(&app, monday, 17)).await.unwrap(), 0, "nothing at the old time");
}

async fn teachers_get_one_digest_a_day(app: TestApp) {
    let course = app.course("Импровизация", 10, 7, 8).await;
    app.enrolled(&course, "masha@example.ru", EnrollmentStatus::Pending).await;
    app.enrolled(&course, "petya@example.ru", EnrollmentStatus::Pending).await;
    let (db, config) = (&app.state.db, &app.state.config);
    let today = app.today();
    assert_eq!(reminders::send_due(db, config, at(&app, today, 7)).await.unwrap(), 0, "before the digest hour");
    assert_eq!(reminders::send_due(db, config, at(&app, today, 9)).await.unwrap(), 1);
    assert_eq!(reminders::send_due(db, config, at(&app, today, 15)).await.unwrap(), 0, "once a day");
    let letters = letters_to(&app, &course.teacher_email).await;
    assert_eq!(letters.len(), 1);
    assert!(letters[0].body_text.contains("2 заявки ждут"), "{}", letters[0].body_text);
    assert_eq!(reminders::send_due(db, config, at(&app, today + Duration::days(1), 9)).await.unwrap(), 1, "the next day again");
}

async fn each_letter_goes_out_once_from_several_processes(app: TestApp) {
    let db = &app.state.db;
    for n in 0..30 {
        mail::enqueue(db, mail::compose(&format!("s{n}@example.ru"), "Ученик", "Письмо", &["Текст."], None)).await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let transport = mail::Transport::Files(dir.path().to_path_buf());
    let (a, b, c) = tokio::join!(
        mail::deliver_due(db, &transport, &app.state.config.mail_from),
        mail::deliver_due(db, &transport, &app.state.config.mail_from),
        mail::deliver_due(db, &transport, &app.state.config.mail_from),
    );
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 30);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 30, "one file per letter");
    assert!(app.outbox().await.iter().all(|m| m.status == "sent"));
    assert_eq!(mail::deliver_due(db, &transport, &app.state.config.mail_from).await.unwrap(), 0);
}

both_databases!(
    spawn,
    a_session_is_reminded_once_whoever_looks,
    a_rescheduled_course_is_reminded_at_its_new_time,
    teachers_get_one_digest_a_day,
    each_letter_goes_out_once_from_several_processes,
);
