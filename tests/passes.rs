//! Passes through the real router on SQLite and PostgreSQL: prices and
//! their bad input, the public price list and its JSON-LD, sales sent
//! twice, who may see and do what, freezes. Every test that touches passes
//! ends with the books' invariants (`common::passes::assert_books`).
#![cfg(feature = "ssr")]
mod common;
use chrono::Duration;
use common::{TestApp, passes::{assert_books, pass_now, pass_type, sell}};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::entities::{audit_log, course_price, pass, pass_type as pass_types},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn prices_are_checked_stored_and_published(app: TestApp) {
    let c = app.course("Сценическая речь", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let course_id = c.id.to_string();
    let prices = |lesson: &'static str, trial: &'static str| {
        vec![("course_id", course_id.clone()), ("format", "personal".to_string()), ("lesson_price", lesson.to_string()), ("trial_price", trial.to_string())]
    };
    // Each bad price is refused beside its field, and nothing is stored.
    for (lesson, trial, field) in [
        ("-100", "0", "lesson_price"),
        ("0", "0", "lesson_price"),
        ("1500,555", "0", "lesson_price"),
        ("тысяча", "0", "lesson_price"),
        ("１５００", "0", "lesson_price"),
        ("10000000,01", "0", "lesson_price"),
        ("1500", "-1", "trial_price"),
    ] {
        let res = office.submit("/api/passes/prices", &prices(lesson, trial)).await;
        assert_eq!(res.status, 422, "{lesson} / {trial}: {}", res.body);
        assert!(res.body.contains(field), "{lesson}: the message is beside {field}: {}", res.body);
    }
    assert_eq!(course_price::Entity::find().count(&app.state.db).await.unwrap(), 0);
    for (lessons, days, price, field) in [("0", "30", "100", "lessons"), ("1000", "30", "100", "lessons"), ("8", "0", "100", "valid_days"),
        ("8", "3650", "100", "valid_days"), ("8", "35", "0", "price"), ("8", "35", "abc", "price")] {
        let res = office
            .call("/api/passes/types/add", &[("course_id", &course_id), ("format", "personal"), ("name", "8 занятий"),
                ("lessons", lessons), ("valid_days", days), ("price", price), ("key", "bad-input-0123456789")])
            .await;
        assert_eq!(res.status, 422, "{lessons} {days} {price}: {}", res.body);
        assert!(res.body.contains(field), "{}", res.body);
    }
    assert_eq!(pass_types::Entity::find().count(&app.state.db).await.unwrap(), 0);

    assert!(office.submit("/api/passes/prices", &prices("1 500", "0")).await.ok());
    let stored = course_price::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    assert_eq!((stored.lesson_price, stored.trial_price), (150_000, 0), "kopecks");
    pass_type(&mut office, &c, "8", "35", "3 200,50").await;
    // The add form sent twice (a double click) puts one pass type on sale.
    let twice = [("course_id", course_id.as_str()), ("format", "personal"), ("name", "4 занятия"), ("lessons", "4"),
        ("valid_days", "30"), ("price", "1700"), ("key", "double-click-type-0001")];
    assert!(office.call("/api/passes/types/add", &twice).await.ok());
    assert!(office.call("/api/passes/types/add", &twice).await.ok());
    assert_eq!(pass_types::Entity::find().count(&app.state.db).await.unwrap(), 2, "one of «8 занятий», one of «4 занятия»");
    let audited = audit_log::Entity::find().filter(audit_log::Column::Entity.is_in(["course_price", "pass_type"])).count(&app.state.db).await.unwrap();
    assert_eq!(audited, 3);

    // The course page: «3 200,50 ₽» with a narrow no-break space, a free
    // trial, and schema.org Offers in rubles.
    let page = app.page(&format!("/courses/{}", c.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("3\u{202f}200,50\u{a0}₽"), "the pass's price as people read it");
    assert!(page.body.contains("1\u{202f}500\u{a0}₽"));
    assert!(page.body.contains("бесплатно"));
    assert!(page.body.contains(r#""@type":"Offer""#) && page.body.contains(r#""price":"3200.50""#), "JSON-LD offers");
    assert!(page.body.contains(r#""priceCurrency":"RUB""#));
}

async fn a_sale_sent_twice_sells_one_pass(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (student, _) = app.signed_in("masha@kulisy.test", "Маша", Role::Student).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let form = [("student", student.id.to_string()), ("pass_type", t.to_string()), ("valid_from", String::new()),
        ("key", "double-click-0123456789".to_string())];
    // A double click: two sendings at once, then a retry after a timeout.
    let session = office.cookies.clone();
    let send = || {
        let mut b = app.browser();
        b.cookies = session.clone();
        let form = form.clone();
        async move { b.submit("/api/passes/sell", &form).await }
    };
    let (a, b) = tokio::join!(send(), send());
    assert!(a.ok() && b.ok(), "{} {} / {} {}", a.status, a.body, b.status, b.body);
    assert!(send().await.ok());
    let sold = pass::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(sold.len(), 1, "one pass sold");
    assert_eq!((sold[0].lessons_left, sold[0].price), (8, 320_000));
    assert_eq!(sold[0].valid_until, app.today() + Duration::days(34));
    // The same key for another student is not a sale.
    let (other, _) = app.signed_in("petya@kulisy.test", "Петя", Role::Student).await;
    let mut stolen = form.clone();
    stolen[0].1 = other.id.to_string();
    assert_eq!(office.submit("/api/passes/sell", &stolen).await.status, 400);
    assert_books(&app).await;
}

async fn only_the_office_sells_and_each_sees_their_own(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let masha_id = e.student_id.unwrap();
    let (_, mut petya) = app.enrolled(&c, "petya@kulisy.test", EnrollmentStatus::Confirmed).await;
    let teacher = app.user(&c.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&teacher).await;
    let sale = [("student", masha_id.to_string()), ("pass_type", t.to_string()), ("valid_from", String::new()), ("key", "k".repeat(20))];
    assert_eq!(masha.submit("/api/passes/sell", &sale).await.status, 403);
    assert_eq!(teacher.submit("/api/passes/sell", &sale).await.status, 403);
    // Masha asks for a pass; it waits for the office, who confirms it once paid.
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok(), "asking again");
    let waiting = pass::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].sold_at.is_none() && waiting[0].lessons_left == 0);
    // Petya cannot ask on Masha's behalf.
    assert_eq!(petya.call("/api/passes/request", &[("member", &masha_id.to_string()), ("pass_type", &t.to_string())]).await.status, 403);
    // Nor for himself in a course he left: it is not offered, and asking is refused.
    let left = app.course("Сценречь", 10, -30, 20).await;
    let left_type = pass_type(&mut office, &left, "4", "30", "1600").await;
    let petya_id = app.user("petya@kulisy.test").await.unwrap().id;
    app.request_of(&left, petya_id, EnrollmentStatus::Cancelled).await;
    let offers = petya.call("/api/passes/mine", &[]).await.json();
    assert!(offers[0]["offers"].as_array().unwrap().iter().all(|o| o["pass_type"]["id"] != left_type), "{offers}");
    let refused = petya.call("/api/passes/request", &[("member", ""), ("pass_type", &left_type.to_string())]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Абонемент можно попросить на курс, куда вы записаны."), "{}", refused.body);
    for _ in 0..2 {
        assert!(office.call("/api/passes/confirm", &[("id", &waiting[0].id.to_string())]).await.ok());
    }
    assert_eq!(pass_now(&app, waiting[0].id).await.lessons_left, 8, "confirmed twice, sold once");
    let money = masha.call("/api/payments/mine", &[]).await.json();
    assert_eq!(money[0]["invoices"][0]["status"], "open", "started before payment, its invoice still owed: {money}");
    let mine = masha.call("/api/passes/mine", &[]).await.json();
    assert_eq!(mine[0]["passes"][0]["lessons_left"], 8);
    let theirs = petya.call("/api/passes/mine", &[]).await.json();
    assert_eq!(theirs[0]["passes"].as_array().unwrap().len(), 0, "Petya sees only his own");
    assert_books(&app).await;
}

async fn a_freeze_moves_the_end_and_spares_its_days(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (e, _) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    let p = sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(20)).await;
    let teacher = app.user(&c.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&teacher).await;
    for days in [10, 3] {
        let date = (today - Duration::days(days)).to_string();
        let res = teacher.call("/api/teaching/attendance", &[("enrollment_id", &e.id.to_string()), ("date", &date), ("present", "true")]).await;
        assert!(res.ok(), "{} {}", res.status, res.body);
    }
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 6);
    // Ill from five days ago to yesterday: the lesson three days ago comes
    // back (and, with no other pass, goes on credit), the end moves 5 days.
    let freeze = |from: i64, until: i64, reason: &'static str| {
        vec![("id", p.id.to_string()), ("from", (today - Duration::days(from)).to_string()),
            ("until", (today - Duration::days(until)).to_string()), ("reason", reason.to_string())]
    };
    let res = office.submit("/api/passes/freeze", &freeze(1, 5, "Болезнь")).await;
    assert_eq!(res.status, 422, "the end before the start: {}", res.body);
    assert_eq!(office.submit("/api/passes/freeze", &freeze(5, 1, "")).await.status, 422, "a reason is needed");
    assert!(office.submit("/api/passes/freeze", &freeze(5, 1, "Болезнь")).await.ok());
    let after = pass_now(&app, p.id).await;
    assert_eq!(after.valid_until, p.valid_until + Duration::days(5));
    assert_eq!(after.lessons_left, 7, "the frozen day's lesson returned");
    assert_eq!(office.submit("/api/passes/freeze", &freeze(3, 2, "Ещё раз")).await.status, 422, "the same days twice");
    // The whole course closed for a day: every running pass moves a day.
    let closed = [("course_id", c.id.to_string()), ("from", today.to_string()), ("until", today.to_string()), ("reason", "Праздник".to_string())];
    assert!(office.submit("/api/passes/freeze-course", &closed).await.ok());
    assert_eq!(pass_now(&app, p.id).await.valid_until, after.valid_until + Duration::days(1));
    let audited = audit_log::Entity::find().filter(audit_log::Column::Action.eq("freeze")).count(&app.state.db).await.unwrap();
    assert_eq!(audited, 2);
    assert_books(&app).await;
}


async fn the_office_sees_what_ends_what_is_owed_and_the_month(app: TestApp) {
    let c = app.course("Этюды", 10, -60, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let short = pass_type(&mut office, &c, "4", "10", "1 600,50").await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let (petya_e, _) = app.enrolled(&c, "petya@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    // Masha's pass ends in five days with lessons left; Petya attends on credit.
    sell(&app, &mut office, e.student_id.unwrap(), short, today - Duration::days(4)).await;
    let u = app.user(&c.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&u).await;
    let yesterday = (today - Duration::days(1)).to_string();
    for id in [e.id, petya_e.id] {
        let res = teacher.call("/api/teaching/attendance", &[("enrollment_id", &id.to_string()), ("date", &yesterday), ("present", "true")]).await;
        assert!(res.ok(), "{}", res.body);
    }
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &short.to_string())]).await.ok());
    let month = today.format("%Y-%m").to_string();
    let books = office.call("/api/passes/office", &[("month", &month)]).await.json();
    assert_eq!(books["waiting"][0]["student_name"], "Мария Ученица");
    assert_eq!(books["ending"][0]["lessons_left"], 3);
    assert_eq!(books["credits"].as_array().unwrap().len(), 1);
    let this_month = |field: &str| books["totals"][field].as_i64().unwrap();
    assert_eq!(this_month("passes_sold"), 1);
    assert_eq!(this_month("revenue"), 160_050);
    // Yesterday may be last month: then this month has no lesson written off.
    let in_month = (today - Duration::days(1)).format("%Y-%m").to_string() == month;
    assert_eq!((this_month("written_off"), this_month("on_credit")), if in_month { (1, 1) } else { (0, 0) });
    // The CSV for Excel: a BOM, `;`, a decimal comma; the office only.
    let csv = office.get(&format!("/admin/passes/report.csv?month={month}")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("Этюды;1;1600,50;"), "{}", csv.body);
    assert_eq!(masha.get(&format!("/admin/passes/report.csv?month={month}")).await.status, 403);
    assert_eq!(app.get("/admin/passes/report.csv").await.status, 401);
    // The dashboard's chart counts lessons written off per week.
    let dashboard = office.call("/api/admin/dashboard", &[]).await.json();
    let weekly: i64 = dashboard["weekly_write_offs"].as_array().unwrap().iter().map(|w| w[1].as_i64().unwrap()).sum();
    assert_eq!(weekly, 1);
    assert_books(&app).await;
}

/// A freeze and a mark of a day it covers, sent at the same moment: in
/// either order the lesson is not written off the frozen pass.
async fn a_freeze_during_a_lesson_never_charges_the_frozen_pass(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (e, _) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let today = app.today();
    let p = sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(10)).await;
    let u = app.user(&c.teacher_email).await.unwrap();
    let mut teacher = app.browser_as(&u).await;
    let freeze = [("id", p.id.to_string()), ("from", today.to_string()), ("until", today.to_string()), ("reason", "Болезнь".to_string())];
    let mark = [("enrollment_id", e.id.to_string()), ("date", today.to_string()), ("present", "true".to_string())];
    let (frozen, marked) = tokio::join!(office.submit("/api/passes/freeze", &freeze), teacher.submit("/api/teaching/attendance", &mark));
    assert!(frozen.ok() && marked.ok(), "{} / {}", frozen.body, marked.body);
    let mark = kulisy::server::entities::attendance::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    assert_ne!(mark.charged_pass_id, Some(p.id), "a frozen day is not written off the frozen pass");
    assert!(mark.on_credit, "with no other pass, the lesson is on credit");
    assert_eq!(pass_now(&app, p.id).await.lessons_left, 8);
    assert_books(&app).await;
}

/// The README's parent: Миша's pass with two lessons left and a make-up
/// to book into the studio's Sunday group; the books hold.
async fn the_demo_parent_has_a_pass_and_a_make_up(app: TestApp) {
    let parent = app.user("parent@kulisy.test").await.unwrap();
    let mut b = app.browser_as(&parent).await;
    let mine = b.call("/api/passes/mine", &[]).await.json();
    let misha = mine.as_array().unwrap().iter().find(|m| m["name"] == "Миша Морозов").expect("Миша");
    let bought = misha["passes"].as_array().unwrap().iter().find(|p| p["status"] != "Requested").expect("the pass bought");
    assert_eq!(bought["lessons_left"], 2);
    assert_eq!(bought["lessons_bought"], 4);
    let makeup = &misha["makeups"][0];
    assert!(makeup["options"].as_array().unwrap().iter().any(|o| o["starts_at"] == "12:00:00"), "the Sunday group: {makeup}");
    assert!(app.page("/courses").await.body.contains("Детская театральная студия"));
    assert_books(&app).await;
}

both_databases!(mod demo, spawn_demo, the_demo_parent_has_a_pass_and_a_make_up);

both_databases!(
    spawn,
    a_freeze_during_a_lesson_never_charges_the_frozen_pass,
    the_office_sees_what_ends_what_is_owed_and_the_month,
    prices_are_checked_stored_and_published,
    a_sale_sent_twice_sells_one_pass,
    only_the_office_sells_and_each_sees_their_own,
    a_freeze_moves_the_end_and_spares_its_days,
);
