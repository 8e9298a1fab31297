//! The teacher's workspace through the real router, on SQLite and
//! PostgreSQL: who may act on which course, decisions and their races,
//! mail per decision, attendance, the public teacher page.
#![cfg(feature = "ssr")]
mod common;
use common::{Browser, TestApp, TestCourse};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::entities::{course, enrollment},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

const DECIDE: &str = "/api/teaching/decide";

async fn book<'a>(app: &'a TestApp, course: &TestCourse, n: usize) -> (i32, Browser<'a>) {
    let (_, mut b) = app.signed_in(&format!("s{n}@example.ru"), &format!("Ученик {n}"), Role::Student).await;
    let mut form = course.booking("personal");
    form.push(("waitlist", "on".into()));
    let res = b.submit(common::ENROLL, &form).await;
    assert!(res.ok(), "{}", res.body);
    let id = app.enrollments_of(course.id).await.last().unwrap().id;
    (id, b)
}

async fn teacher_of<'a>(app: &'a TestApp, course: &TestCourse) -> Browser<'a> {
    let u = app.user(&course.teacher_email).await.unwrap();
    app.browser_as(&u).await
}

async fn decide(b: &mut Browser<'_>, id: i32, decision: &str, reason: &str) -> common::TestResponse {
    b.call(DECIDE, &[("id", &id.to_string()), ("decision", decision), ("reason", reason)]).await
}

async fn status_of(app: &TestApp, id: i32) -> EnrollmentStatus {
    enrollment::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap().status
}

async fn a_teacher_acts_only_on_own_courses(app: TestApp) {
    let mine = app.course("Мой курс", 5, 7, 8).await;
    let theirs = app.course("Чужой курс", 5, 7, 8).await;
    let (id, _) = book(&app, &theirs, 1).await;
    let mut me = teacher_of(&app, &mine).await;

    let roster = me.call("/api/teaching/roster", &[("course_id", theirs.id.to_string().as_str()), ("status", ""), ("date", "")]).await;
    assert_eq!(roster.status, 404);
    for decision in ["confirm", "reject", "complete"] {
        assert_eq!(decide(&mut me, id, decision, "нет").await.status, 404, "{decision}");
    }
    assert_eq!(status_of(&app, id).await, EnrollmentStatus::Pending, "nothing changed");
    let desk = me.call("/api/teaching/desk", &[]).await.json();
    assert!(desk["requests"].as_array().unwrap().is_empty(), "another course's request is not shown");
    assert_eq!(desk["courses"].as_array().unwrap().len(), 1);

    // The course's own teacher sees it and may act.
    let mut owner = teacher_of(&app, &theirs).await;
    let desk = owner.call("/api/teaching/desk", &[]).await.json();
    assert_eq!(desk["requests"][0]["id"], id);
    assert!(decide(&mut owner, id, "confirm", "").await.ok());
    assert_eq!(status_of(&app, id).await, EnrollmentStatus::Confirmed);
}

async fn students_cannot_use_teacher_functions(app: TestApp) {
    let c = app.course("Курс", 5, 7, 8).await;
    let (id, mut student) = book(&app, &c, 1).await;
    assert_eq!(student.call("/api/teaching/desk", &[]).await.status, 403);
    assert_eq!(decide(&mut student, id, "confirm", "").await.status, 403);
    assert_eq!(app.browser().call("/api/teaching/desk", &[]).await.status, 401);
    assert_eq!(status_of(&app, id).await, EnrollmentStatus::Pending);
}

async fn a_request_cancelled_meanwhile_is_not_confirmed(app: TestApp) {
    let c = app.course("Курс", 5, 7, 8).await;
    let (id, mut student) = book(&app, &c, 1).await;
    let mut teacher = teacher_of(&app, &c).await;
    assert!(student.call("/api/enrollments/cancel", &[("id", &id.to_string())]).await.ok());
    let res = decide(&mut teacher, id, "confirm", "").await;
    assert_eq!(res.status, 409);
    assert!(res.body.contains("отменено"), "{}", res.body);
    assert_eq!(status_of(&app, id).await, EnrollmentStatus::Cancelled);
}

async fn two_confirms_of_the_last_seat_give_one_success(app: TestApp) {
    let c = app.course("Курс", 2, 7, 8).await;
    let (first, _) = book(&app, &c, 1).await;
    let (second, _) = book(&app, &c, 2).await;
    // The office lowered the capacity after both asked.
    let mut row: course::ActiveModel = course::Entity::find_by_id(c.id).one(&app.state.db).await.unwrap().unwrap().into();
    row.capacity = Set(1);
    row.update(&app.state.db).await.unwrap();

    let mut a = teacher_of(&app, &c).await;
    let mut b = teacher_of(&app, &c).await;
    let (r1, r2) = tokio::join!(decide(&mut a, first, "confirm", ""), decide(&mut b, second, "confirm", ""));
    let mut statuses = [r1.status.as_u16(), r2.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", r1.body, r2.body);
    let confirmed = [status_of(&app, first).await, status_of(&app, second).await]
        .into_iter()
        .filter(|s| *s == EnrollmentStatus::Confirmed)
        .count();
    assert_eq!(confirmed, 1);

    // The same request confirmed from two tabs at once: one succeeds.
    let other = app.course("Другой", 3, 7, 8).await;
    let (third, _) = book(&app, &other, 3).await;
    let (mut t1, mut t2) = (teacher_of(&app, &other).await, teacher_of(&app, &other).await);
    let (r1, r2) = tokio::join!(decide(&mut t1, third, "confirm", ""), decide(&mut t2, third, "confirm", ""));
    let mut statuses = [r1.status.as_u16(), r2.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
}

async fn rejecting_needs_a_reason_and_frees_the_seat(app: TestApp) {
    let c = app.course("Курс", 1, 7, 8).await;
    let (first, _) = book(&app, &c, 1).await;
    let (waiting, _) = book(&app, &c, 2).await;
    assert_eq!(status_of(&app, waiting).await, EnrollmentStatus::Waitlisted);
    let mut teacher = teacher_of(&app, &c).await;

    let res = decide(&mut teacher, first, "reject", "   ").await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("reason") && res.body.contains("Укажите причину"), "{}", res.body);
    assert_eq!(status_of(&app, first).await, EnrollmentStatus::Pending);

    assert!(decide(&mut teacher, first, "reject", "Группа уже сыграна, ждём вас в следующем наборе.").await.ok());
    let e = enrollment::Entity::find_by_id(first).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(e.status, EnrollmentStatus::Rejected);
    assert_eq!(e.reason.as_deref(), Some("Группа уже сыграна, ждём вас в следующем наборе."));
    assert!(e.decided_by.is_some() && e.decided_at.is_some());
    assert_eq!(status_of(&app, waiting).await, EnrollmentStatus::Pending, "the waitlist moves up");
}

async fn each_decision_sends_exactly_one_letter(app: TestApp) {
    let c = app.course("Курс", 5, 7, 8).await;
    let (confirmed, _) = book(&app, &c, 1).await;
    let (rejected, _) = book(&app, &c, 2).await;
    let mut teacher = teacher_of(&app, &c).await;
    let before = app.outbox().await.len();

    assert!(decide(&mut teacher, confirmed, "confirm", "").await.ok());
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), before + 1);
    let letter = outbox.last().unwrap();
    assert_eq!((letter.to_addr.as_str(), letter.subject.as_str()), ("s1@example.ru", "Заявка подтверждена"));
    assert_eq!(letter.attachment_name.as_deref(), Some("kulisy.ics"));
    assert!(letter.attachment_body.as_deref().unwrap().parse::<icalendar::Calendar>().is_ok());

    assert!(decide(&mut teacher, rejected, "reject", "Нет мест в нужное время").await.ok());
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), before + 2);
    assert!(outbox.last().unwrap().body_text.contains("Причина: Нет мест в нужное время"));

    assert!(decide(&mut teacher, confirmed, "complete", "").await.ok());
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), before + 3);
    assert_eq!(outbox.last().unwrap().subject, "Курс завершён");
    assert_eq!(status_of(&app, confirmed).await, EnrollmentStatus::Completed);
}

async fn attendance_is_marked_and_shown_to_the_student(app: TestApp) {
    let c = app.course("Курс", 5, -21, 8).await; // started three weeks ago
    // Booked before the term began (the wizard would not allow it now).
    let (student, mut b) = app.signed_in("s1@example.ru", "Ученик", Role::Student).await;
    let now = chrono::Utc::now();
    let e = enrollment::ActiveModel {
        student_id: Set(Some(student.id)),
        course_id: Set(c.id),
        teacher_id: Set(Some(c.teacher_id)),
        format: Set(kulisy::domain::CourseFormat::Personal),
        period_start: Set(c.term_start),
        period_end: Set(c.term_end),
        status: Set(EnrollmentStatus::Confirmed),
        seats: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let mut teacher = teacher_of(&app, &c).await;
    let roster = teacher.call("/api/teaching/roster", &[("course_id", c.id.to_string().as_str()), ("status", "confirmed"), ("date", "")]).await.json();
    let sessions = roster["sessions"].as_array().unwrap();
    assert!(sessions.len() >= 3, "three Mondays have passed: {sessions:?}");
    let last = sessions[0].as_str().unwrap().to_string();
    let earlier = sessions[1].as_str().unwrap().to_string();

    let mark = |date: &str, present: &str| [("enrollment_id", e.id.to_string()), ("date", date.to_string()), ("present", present.to_string())];
    for (date, present) in [(&last, "true"), (&earlier, "false"), (&last, "false"), (&last, "true")] {
        let form = mark(date, present);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(teacher.call("/api/teaching/attendance", &pairs).await.ok());
    }
    let future = (app.today() + chrono::Duration::days(7)).to_string();
    let form = mark(&future, "true");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(teacher.call("/api/teaching/attendance", &pairs).await.status, 422, "not yet happened");
    let other = app.course("Чужой", 5, 7, 8).await;
    let mut stranger = teacher_of(&app, &other).await;
    let form = mark(&last, "false");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(stranger.call("/api/teaching/attendance", &pairs).await.status, 404);

    let history = b.call("/api/enrollments/mine", &[]).await.json();
    let marks = history["own"][0]["attendance"].as_array().unwrap().clone();
    assert_eq!(marks.len(), 2, "one mark per date, the last one counts: {marks:?}");
    assert_eq!(marks[1], serde_json::json!([last, true]));
    assert_eq!(marks[0], serde_json::json!([earlier, false]));
}

async fn the_public_teacher_page_lists_their_courses(app: TestApp) {
    let c = app.course("Сценическое фехтование", 5, 7, 8).await;
    let mut teacher = teacher_of(&app, &c).await;
    let res = teacher.call("/api/teaching/profile/update", &[("specialization", "Сценический бой"), ("bio", "Мастер клинка <b>и</b> шпаги.")]).await;
    assert!(res.ok(), "{}", res.body);
    let page = app.get(&format!("/teachers/{}", c.teacher_id)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Сценический бой") && page.body.contains("Сценическое фехтование"));
    assert!(page.body.contains("Мастер клинка &lt;b&gt;и&lt;/b&gt; шпаги."), "escaped");
    let empty = teacher.call("/api/teaching/profile/update", &[("specialization", " "), ("bio", "")]).await;
    assert_eq!(empty.status, 422);
    assert_eq!(app.get("/teachers/987654").await.status, 404);
}

/// The profile page reads the teacher's own public profile with the rest of
/// the profile, and a student's has none.
async fn a_teachers_profile_carries_their_public_profile(app: TestApp) {
    let c = app.course("Сценическое фехтование", 5, 7, 8).await;
    let mut teacher = teacher_of(&app, &c).await;
    let res = teacher.call("/api/teaching/profile/update", &[("specialization", "Сценический бой"), ("bio", "Клинок и шпага.")]).await;
    assert!(res.ok(), "{}", res.body);
    let mine = teacher.call("/api/account/profile", &[]).await.json();
    assert_eq!(mine["teacher"]["id"], c.teacher_id);
    assert_eq!(mine["teacher"]["specialization"], "Сценический бой");
    assert_eq!(mine["mfa"]["enabled"], false, "teachers may set up sign-in codes");
    let page = teacher.get("/my/profile").await;
    assert!(page.body.contains("Профиль педагога") && page.body.contains("value=\"Сценический бой\""), "{}", page.body);

    let (_, mut student) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let theirs = student.call("/api/account/profile", &[]).await.json();
    assert!(theirs["teacher"].is_null() && theirs["mfa"].is_null(), "{theirs}");
    assert!(!student.get("/my/profile").await.body.contains("Профиль педагога"));
}

both_databases!(
    spawn,
    a_teacher_acts_only_on_own_courses,
    students_cannot_use_teacher_functions,
    a_request_cancelled_meanwhile_is_not_confirmed,
    two_confirms_of_the_last_seat_give_one_success,
    rejecting_needs_a_reason_and_frees_the_seat,
    each_decision_sends_exactly_one_letter,
    attendance_is_marked_and_shown_to_the_student,
    the_public_teacher_page_lists_their_courses,
    a_teachers_profile_carries_their_public_profile,
);
