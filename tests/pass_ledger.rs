//! Lessons written off by attendance, on SQLite and PostgreSQL: a mark
//! charges one lesson exactly once, a changed mark returns it, an absence
//! costs only by the school's rule, a lesson without a pass goes on credit
//! that the next pass pays first, and a storm of marks by two teachers
//! leaves every pass with what its final marks say.
#![cfg(feature = "ssr")]
mod common;
use chrono::{Duration, NaiveDate};
use common::{Browser, TestApp, TestCourse, passes::{assert_books, pass_now, pass_type, sell}};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::entities::{attendance, course_teacher, enrollment, teacher},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

async fn teacher_of<'a>(app: &'a TestApp, course: &TestCourse) -> Browser<'a> {
    let u = app.user(&course.teacher_email).await.unwrap();
    app.browser_as(&u).await
}

async fn mark(b: &mut Browser<'_>, e: &enrollment::Model, date: NaiveDate, present: bool) -> common::TestResponse {
    b.call("/api/teaching/attendance", &[("enrollment_id", &e.id.to_string()), ("date", &date.to_string()), ("present", &present.to_string())])
        .await
}

async fn a_mark_writes_off_once_and_a_change_returns_it(app: TestApp) {
    let c = app.course("Этюды", 10, -60, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    let p = sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(14)).await;
    let mut teacher = teacher_of(&app, &c).await;
    let (monday, thursday) = (today - Duration::days(7), today - Duration::days(3));
    assert!(mark(&mut teacher, &e, monday, true).await.ok());
    assert!(mark(&mut teacher, &e, monday, true).await.ok(), "the same mark again");
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 7);
    assert!(mark(&mut teacher, &e, monday, false).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 8, "a changed mark returns its lesson");
    assert!(mark(&mut teacher, &e, monday, true).await.ok());
    assert!(mark(&mut teacher, &e, thursday, true).await.ok());
    // An absence without notice costs nothing by default…
    let friday = today - Duration::days(2);
    assert!(mark(&mut teacher, &e, friday, false).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 6);
    // …and a lesson where the school says so.
    let rules = kulisy::domain::makeup::PassRules { absence_written_off: true, ..Default::default() };
    kulisy::server::settings::put(&app.state.db, kulisy::server::settings::PASS_RULES, &serde_json::to_string(&rules).unwrap()).await.unwrap();
    let saturday = today - Duration::days(1);
    assert!(mark(&mut teacher, &e, saturday, false).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 5);
    // The student sees 5 of 8 with both dates and each write-off's lesson day.
    let mine = masha.call("/api/passes/mine", &[]).await.json();
    let shown = &mine[0]["passes"][0];
    assert_eq!((shown["lessons_left"].as_i64(), shown["lessons_bought"].as_i64()), (Some(5), Some(8)));
    assert_eq!(shown["valid_from"], (today - Duration::days(14)).to_string());
    let days: Vec<&str> = shown["history"].as_array().unwrap().iter().filter_map(|h| h["lesson_date"].as_str()).collect();
    assert!(days.contains(&monday.to_string().as_str()) && days.contains(&saturday.to_string().as_str()), "{days:?}");
    // The roster tells the teacher the lessons left.
    let roster = teacher.call("/api/teaching/roster", &[("course_id", &c.id.to_string()), ("status", ""), ("date", "")]).await.json();
    assert_eq!(roster["students"][0]["lessons_left"], 5);
    assert_books(&app).await;
}

async fn a_lesson_without_a_pass_is_on_credit_until_the_next_pass(app: TestApp) {
    let c = app.course("Этюды", 10, -60, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let prices = [("course_id", c.id.to_string()), ("format", "personal".into()), ("lesson_price", "500".into()), ("trial_price", "0".into())];
    assert!(office.submit("/api/passes/prices", &prices).await.ok());
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    let mut teacher = teacher_of(&app, &c).await;
    for days in [9, 6, 6] {
        assert!(mark(&mut teacher, &e, today - Duration::days(days), true).await.ok());
    }
    // Each lesson on credit is owed at the lesson's price, once.
    let money = masha.call("/api/payments/mine", &[]).await.json();
    assert_eq!(money[0]["balance"], -100_000, "{money}");
    let charges: Vec<&str> = money[0]["entries"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
    assert!(charges.len() == 2 && charges.iter().all(|r| r.contains("в долг") && r.contains("Этюды")), "{charges:?}");
    // A credit lesson marked absent is not owed any more.
    let day = today - Duration::days(6);
    assert!(mark(&mut teacher, &e, day, false).await.ok());
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], -50_000);
    assert!(mark(&mut teacher, &e, day, true).await.ok());
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], -100_000);
    let roster = teacher.call("/api/teaching/roster", &[("course_id", &c.id.to_string()), ("status", ""), ("date", "")]).await.json();
    assert_eq!((roster["students"][0]["lessons_left"].as_i64(), roster["students"][0]["on_credit"].as_i64()), (Some(0), Some(2)));
    assert_eq!(masha.call("/api/passes/mine", &[]).await.json()[0]["credits"].as_array().unwrap().len(), 2);
    // The next pass pays the two lessons first, whatever its start.
    let p = sell(&app, &mut office, e.student_id.unwrap(), t, today).await;
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 6);
    assert_eq!(masha.call("/api/passes/mine", &[]).await.json()[0]["credits"].as_array().unwrap().len(), 0);
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], 0, "the pass paid them: the charges undone");
    // Unmarking a paid credit lesson gives it back to the pass.
    assert!(mark(&mut teacher, &e, today - Duration::days(9), false).await.ok());
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 7);
    assert_books(&app).await;
    common::money::assert_money_books(&app).await;
}

/// A second teacher of the course, signed in.
async fn second_teacher<'a>(app: &'a TestApp, c: &TestCourse) -> Browser<'a> {
    let (u, b) = app.signed_in("second@kulisy.test", "Второй Педагог", Role::Teacher).await;
    let now = chrono::Utc::now();
    let t = teacher::ActiveModel {
        user_id: Set(u.id),
        specialization: Set("Речь".into()),
        bio: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(c.id), teacher_id: Set(t.id) })
        .exec_without_returning(&app.state.db)
        .await
        .unwrap();
    b
}

async fn a_storm_of_marks_leaves_each_pass_as_its_final_marks_say(app: TestApp) {
    let c = app.course("Этюды", 20, -60, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "60", "3200").await;
    let today = app.today();
    let mut students = Vec::new();
    for i in 0..10 {
        let (e, _) = app.enrolled(&c, &format!("s{i}@kulisy.test"), EnrollmentStatus::Confirmed).await;
        let p = sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(30)).await;
        students.push((e, p));
    }
    let sessions = [today - Duration::days(7), today - Duration::days(3)];
    let first = teacher_of(&app, &c).await.cookies;
    let second = second_teacher(&app, &c).await.cookies;
    // 50 marks and unmarks at once: by two teachers, over 10 students and
    // two lessons, the same student and lesson marked by both at a time.
    let calls = (0..50).map(|i| {
        let (e, _) = &students[i % 10];
        let mut b = app.browser();
        b.cookies = if i % 2 == 0 { first.clone() } else { second.clone() };
        let (id, date, present) = (e.id.to_string(), sessions[(i / 10) % 2].to_string(), (i / 20) % 2 == 0);
        async move {
            let res = b.call("/api/teaching/attendance", &[("enrollment_id", &id), ("date", &date), ("present", &present.to_string())]).await;
            assert!(res.ok(), "{} {}", res.status, res.body);
        }
    });
    futures::future::join_all(calls).await;
    for (e, p) in &students {
        let present = attendance::Entity::find()
            .filter(attendance::Column::EnrollmentId.eq(e.id))
            .filter(attendance::Column::Present.eq(true))
            .all(&app.state.db)
            .await
            .unwrap()
            .len() as i32;
        assert_eq!(pass_now(&app, p.id).await.lessons_left, 8 - present, "student of enrollment {}", e.id);
    }
    assert_books(&app).await;
}

async fn a_whole_lesson_is_marked_in_one_request(app: TestApp) {
    let c = app.course("Этюды", 40, -60, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "60", "3200").await;
    let today = app.today();
    let mut rows = Vec::new();
    for i in 0..30 {
        let (e, _) = app.enrolled(&c, &format!("s{i}@kulisy.test"), EnrollmentStatus::Confirmed).await;
        if i < 20 {
            sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(30)).await;
        }
        rows.push(e);
    }
    let mut teacher = teacher_of(&app, &c).await;
    let date = (today - Duration::days(2)).to_string();
    // Every student in `marked`, the even ones in `attended`, as the roster's form sends them.
    let mut form = vec![("date".to_string(), date.clone())];
    for (i, e) in rows.iter().enumerate() {
        form.push(("marked[]".to_string(), e.id.to_string()));
        if i % 2 == 0 {
            form.push(("attended[]".to_string(), e.id.to_string()));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = teacher.call("/api/teaching/attendance/session", &pairs).await;
    assert!(res.ok(), "{} {}", res.status, res.body);
    let marks = attendance::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(marks.len(), 30);
    assert_eq!(marks.iter().filter(|m| m.present).count(), 15);
    assert_eq!(marks.iter().filter(|m| m.on_credit).count(), 5, "the even ones without a pass");
    // Another course's teacher marks nothing here.
    let other = app.course("Чужой курс", 10, -60, 20).await;
    let mut stranger = teacher_of(&app, &other).await;
    assert_eq!(stranger.call("/api/teaching/attendance/session", &pairs).await.status, 404);
    assert_books(&app).await;
}

both_databases!(
    spawn,
    a_mark_writes_off_once_and_a_change_returns_it,
    a_lesson_without_a_pass_is_on_credit_until_the_next_pass,
    a_storm_of_marks_leaves_each_pass_as_its_final_marks_say,
    a_whole_lesson_is_marked_in_one_request,
);
