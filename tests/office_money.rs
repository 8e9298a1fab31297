//! The office's money through the real router on SQLite and PostgreSQL:
//! invoices it writes for anything, once, with a letter to the family; revenue by day, month, course and way of paying
//! with refunds beside it, the same numbers in the CSV for Excel; a lesson
//! counts for the teacher who marked it (or the course's only teacher),
//! paid by the rate the office set; a teacher sees only their own line.
#![cfg(feature = "ssr")]
mod common;
use chrono::{Duration, NaiveDate};
use common::{Browser, TestApp, TestCourse, money::assert_money_books, passes::pass_type};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::entities::{audit_log, course_teacher, enrollment, invoice, money_entry},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn key(name: &str) -> String {
    format!("{name}-{}", rand::random::<u64>())
}

fn period(from: NaiveDate, to: NaiveDate) -> [(&'static str, String); 2] {
    [("from", from.to_string()), ("to", to.to_string())]
}

/// A CSV for Excel read back: its BOM checked, its lines split into fields.
fn csv_lines(body: &str) -> Vec<Vec<String>> {
    let text = body.strip_prefix('\u{feff}').expect("a BOM for Excel");
    text.split("\r\n").filter(|l| !l.is_empty()).map(|l| l.split(';').map(str::to_string).collect()).collect()
}

async fn revenue_is_reported_by_day_month_course_and_method(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (_, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
    let inv = invoice::Entity::find().one(&app.state.db).await.unwrap().unwrap().id.to_string();
    let today = app.today();
    let yesterday = today - Duration::days(1);
    let pay = |amount: &str, day: NaiveDate, method: &str, receipt: &str| {
        vec![("invoice", inv.clone()), ("amount", amount.to_string()), ("paid_on", day.to_string()), ("method", method.to_string()),
             ("receipt_number", receipt.to_string()), ("key", key("pay"))]
    };
    assert!(office.submit("/api/payments/record", &pay("1000", yesterday, "cash", "ФД 1")).await.ok());
    assert!(office.submit("/api/payments/record", &pay("2200", today, "transfer", "")).await.ok());
    let cash = money_entry::Entity::find().filter(money_entry::Column::PaidOn.eq(yesterday)).one(&app.state.db).await.unwrap().unwrap();
    let refund = [("entry", cash.id.to_string()), ("amount", "250,50".into()), ("reason", "Пропуск; по болезни".into()), ("key", key("r"))];
    assert!(office.submit("/api/payments/refund", &refund).await.ok());

    let since = today - Duration::days(40);
    let r = office.submit("/api/payments/reports", &period(since, today)).await.json();
    let row = |list: &str, label: &str| r[list].as_array().unwrap().iter().find(|x| x["label"] == label).cloned().unwrap_or_else(|| panic!("{list} {label}: {r}"));
    let cash_row = row("by_method", "Наличные");
    assert_eq!((cash_row["payments"].as_i64(), cash_row["refunds"].as_i64()), (Some(100_000), Some(25_050)));
    assert_eq!(row("by_method", "Банковский перевод")["payments"], 220_000);
    let course = row("by_course", "Этюды");
    assert_eq!((course["payments"].as_i64(), course["refunds"].as_i64()), (Some(320_000), Some(25_050)));
    let days = r["by_day"].as_array().unwrap();
    assert_eq!(days.len(), 2, "yesterday's cash, today's transfer and refund: {days:?}");
    let months: i64 = r["by_month"].as_array().unwrap().iter().map(|m| m["payments"].as_i64().unwrap()).sum();
    assert_eq!(months, 320_000, "every month of the period listed, the money in the months it arrived");
    assert_eq!(r["refunds"][0]["amount"], 25_050);
    assert_eq!(r["refunds"][0]["reason"], "Пропуск; по болезни");
    assert_eq!(r["debtors"][0]["debt"], 25_050, "the refund owed again");
    // A period before any of it is empty.
    let before = office.submit("/api/payments/reports", &period(since - Duration::days(40), since)).await.json();
    assert!(before["by_day"].as_array().unwrap().is_empty() && before["by_course"].as_array().unwrap().is_empty(), "{before}");

    // The CSV holds the same numbers, for the office only.
    let csv = format!("/admin/reports/methods.csv?from={since}&to={today}");
    let res = office.get(&csv).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/csv") && res.header("cache-control") == "no-store");
    let lines = csv_lines(&res.body);
    assert_eq!(lines[0], ["Способ оплаты", "Поступило, ₽", "Возвраты, ₽", "Итого, ₽"]);
    assert!(lines.contains(&vec!["Наличные".into(), "1000,00".into(), "250,50".into(), "749,50".into()]), "{lines:?}");
    assert_eq!(lines.last().unwrap(), &["Итого", "3200,00", "250,50", "2949,50"]);
    let refunds = office.get(&format!("/admin/reports/refunds.csv?from={since}&to={today}")).await.body;
    assert!(refunds.contains("\"Пропуск; по болезни\""), "a `;` in a reason stays in its field: {refunds}");
    for report in ["days", "months", "courses", "debts", "payroll"] {
        assert_eq!(office.get(&format!("/admin/reports/{report}.csv")).await.status, 200, "{report}");
    }
    assert_eq!(office.get("/admin/reports/passwords.csv").await.status, 404);
    assert_eq!(masha.get(&csv).await.status, 403);
    assert_eq!(app.browser().get(&csv).await.status, 401);
    assert_money_books(&app).await;
}

async fn the_office_invoices_anything_once_and_the_family_is_told(app: TestApp) {
    let (office_user, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let (masha, mut b) = app.signed_in("masha@kulisy.test", "Мария Ученица", Role::Student).await;
    let today = app.today();
    let form = |description: &str, amount: &str, due_on: &str, key: &str| {
        vec![("person", masha.id.to_string()), ("description", description.to_string()), ("amount", amount.to_string()),
             ("due_on", due_on.to_string()), ("key", key.to_string())]
    };
    let k = key("issue");
    for (description, amount, due_on, field) in [("", "1500", "", "description"), ("Костюм\u{7}", "1500", "", "description"),
        ("Костюм", "0", "", "amount"), ("Костюм", "-1", "", "amount"), ("Костюм", "1500", &(today - Duration::days(1)).to_string(), "due_on"),
        ("Костюм", "1500", "завтра", "due_on")] {
        let res = office.submit("/api/payments/invoice/issue", &form(description, amount, due_on, &k)).await;
        assert!(res.status == 422 && res.body.contains(field), "{description} {amount} {due_on}: {}", res.body);
    }
    assert_eq!(office.submit("/api/payments/invoice/issue", &form("Костюм", "1500", "", "short")).await.status, 400, "a key the page never made");
    // Staff have no money here: neither an invoice nor an advance.
    let teacher = app.course("Этюды", 10, -30, 20).await.teacher_email;
    let teacher = app.user(&teacher).await.unwrap().id.to_string();
    let to_teacher = [("person", teacher.clone()), ("description", "Костюм".into()), ("amount", "100".into()), ("due_on", String::new()), ("key", key("t"))];
    assert_eq!(office.submit("/api/payments/invoice/issue", &to_teacher).await.status, 409);
    let advance = [("person", teacher), ("amount", "100".into()), ("method", "transfer".into()), ("key", key("a"))];
    assert_eq!(office.submit("/api/payments/record", &advance).await.status, 409);
    assert_eq!(invoice::Entity::find().count(&app.state.db).await.unwrap(), 0, "nothing half-written");
    let good = form("Костюм <b>Золушки</b>", "1 500,50", "", &k);
    let mut second_tab = app.browser_as(&office_user).await;
    let (a, c) = futures::join!(office.submit("/api/payments/invoice/issue", &good), second_tab.submit("/api/payments/invoice/issue", &good));
    assert!(a.ok() && c.ok(), "{} {}", a.body, c.body);
    let all = invoice::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(all.len(), 1, "one form, one invoice");
    assert_eq!((all[0].total, all[0].due_on), (150_050, today + Duration::days(5)));
    let mine = b.call("/api/payments/mine", &[]).await.json();
    assert_eq!(mine[0]["balance"], -150_050);
    let letters: Vec<_> = app.outbox().await.into_iter().filter(|m| m.to_addr == "masha@kulisy.test").collect();
    assert_eq!(letters.len(), 1, "told once");
    assert!(letters[0].body_text.contains(&format!("/my/invoices/{}", all[0].id)) && letters[0].body_text.contains("1\u{202f}500,50"), "{}", letters[0].body_text);
    let page = b.get(&format!("/my/invoices/{}", all[0].id)).await;
    assert!(page.body.contains("Костюм &lt;b&gt;Золушки&lt;/b&gt;") && !page.body.contains("<b>Золушки"), "markup stays text");
    let audited = audit_log::Entity::find().filter(audit_log::Column::Entity.eq("invoice")).count(&app.state.db).await.unwrap();
    assert_eq!(audited, 1);
    assert_money_books(&app).await;
}

async fn mark(b: &mut Browser<'_>, e: &enrollment::Model, date: NaiveDate, present: bool) {
    let res = b
        .call("/api/teaching/attendance", &[("enrollment_id", &e.id.to_string()), ("date", &date.to_string()), ("present", &present.to_string())])
        .await;
    assert!(res.ok(), "{} {}", res.status, res.body);
}

async fn teacher_of<'a>(app: &'a TestApp, course: &TestCourse) -> Browser<'a> {
    app.browser_as(&app.user(&course.teacher_email).await.unwrap()).await
}

async fn payroll_pays_each_teacher_for_the_lessons_they_marked(app: TestApp) {
    let db = &app.state.db;
    let (studio, stage) = (app.course("Этюды", 10, -60, 20).await, app.course("Сцена", 10, -60, 20).await);
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let (e1, _) = app.enrolled(&studio, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    let (e2, _) = app.enrolled(&studio, "petya@kulisy.test", EnrollmentStatus::Confirmed).await;
    let (e3, mut student) = app.enrolled(&stage, "olya@kulisy.test", EnrollmentStatus::Confirmed).await;
    // Irina teaches «Этюды» and, beside its own teacher, «Сцена».
    course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: sea_orm::Set(stage.id), teacher_id: sea_orm::Set(studio.teacher_id) })
        .exec_without_returning(db)
        .await
        .unwrap();
    let mut irina = teacher_of(&app, &studio).await;
    let mut oleg = teacher_of(&app, &stage).await;
    let today = app.today();
    let (a, b) = (today - Duration::days(14), today - Duration::days(7));
    mark(&mut irina, &e1, a, true).await;
    mark(&mut irina, &e2, a, false).await;
    mark(&mut irina, &e1, b, true).await;
    mark(&mut irina, &e2, b, true).await;
    mark(&mut irina, &e3, b, true).await;
    mark(&mut office, &e3, a, true).await; // the office, in a course of two teachers: nobody's lesson

    // Rates: refused beside their fields, then set and audited.
    let rate = |teacher: i32, basis: &str, rate: &str| vec![("teacher", teacher.to_string()), ("basis", basis.to_string()), ("rate", rate.to_string())];
    for (basis, typed, field) in [("hour", "100", "basis"), ("student", "-5", "rate"), ("student", "сто", "rate"), ("lesson", "1,005", "rate")] {
        let res = office.submit("/api/payments/payroll/rate", &rate(studio.teacher_id, basis, typed)).await;
        assert!(res.status == 422 && res.body.contains(field), "{basis} {typed}: {}", res.body);
    }
    assert_eq!(office.submit("/api/payments/payroll/rate", &rate(999_999, "lesson", "1")).await.status, 404);
    assert!(office.submit("/api/payments/payroll/rate", &rate(studio.teacher_id, "lesson", "900")).await.ok());
    assert!(office.submit("/api/payments/payroll/rate", &rate(studio.teacher_id, "student", "250")).await.ok(), "changed");
    assert!(office.submit("/api/payments/payroll/rate", &rate(stage.teacher_id, "lesson", "1 500")).await.ok());
    let audited = audit_log::Entity::find().filter(audit_log::Column::Entity.eq("teacher_pay_rate")).count(db).await.unwrap();
    assert_eq!(audited, 3);
    assert_eq!(irina.submit("/api/payments/payroll/rate", &rate(studio.teacher_id, "lesson", "100000")).await.status, 403);

    let month = period(today - Duration::days(30), today);
    let p = office.submit("/api/payments/payroll", &month).await.json();
    let i = line_of(&p, studio.teacher_id);
    assert_eq!((i["lessons"].as_i64(), i["visits"].as_i64(), i["pay"].as_i64()), (Some(3), Some(4), Some(100_000)), "{i}");
    let o = line_of(&p, stage.teacher_id);
    assert_eq!((o["lessons"].as_i64(), o["pay"].as_i64()), (Some(0), Some(0)), "{o}");
    assert_eq!(p["unassigned"], 1);
    let earlier = office.submit("/api/payments/payroll", &period(today - Duration::days(60), today - Duration::days(31))).await.json();
    assert_eq!(line_of(&earlier, studio.teacher_id)["lessons"], 0);

    // Each teacher sees their own line and lessons; a student sees nothing.
    let mine = irina.submit("/api/payments/payroll/mine", &month).await.json();
    assert_eq!((mine["row"]["pay"].as_i64(), mine["lessons"].as_array().unwrap().len()), (Some(100_000), 3), "{mine}");
    assert_eq!(oleg.submit("/api/payments/payroll/mine", &month).await.json()["row"]["lessons"], 0);
    assert_eq!(student.submit("/api/payments/payroll/mine", &month).await.status, 403);
    assert_eq!(irina.submit("/api/payments/payroll", &month).await.status, 403);

    // The CSV, as Excel opens it.
    let res = office.get(&format!("/admin/reports/payroll.csv?from={}&to={today}", today - Duration::days(30))).await;
    let lines = csv_lines(&res.body);
    assert_eq!(lines[0][0], "Педагог");
    assert!(lines.iter().any(|l| l[1] == "за ученика на занятии" && l[2] == "250,00" && l[3] == "3" && l[4] == "4" && l[5] == "1000,00"), "{lines:?}");
    assert_eq!(lines.last().unwrap()[0], "Итого");
    assert_eq!(lines.last().unwrap()[5], "1000,00");
}

fn line_of(p: &serde_json::Value, t: i32) -> serde_json::Value {
    p["rows"].as_array().unwrap().iter().find(|r| r["teacher_id"] == t).cloned().unwrap()
}

/// The demo school has a month of payroll: rates for each teacher, the
/// movement course's Wednesdays marked by its teacher, the studio's Saturdays.
async fn the_demo_school_has_a_month_of_payroll(app: TestApp) {
    let admin = app.user("admin@kulisy.test").await.unwrap();
    let mut office = app.browser_as(&admin).await;
    let today = app.today();
    let p = office.submit("/api/payments/payroll", &period(today - Duration::days(30), today)).await.json();
    let by_name = |name: &str| p["rows"].as_array().unwrap().iter().find(|r| r["name"].as_str().unwrap().contains(name)).cloned().unwrap();
    let orlova = by_name("Орлова");
    assert_eq!((orlova["lessons"].as_i64(), orlova["visits"].as_i64(), orlova["pay"].as_i64()), (Some(2), Some(3), Some(360_000)), "{orlova}");
    let sokolova = by_name("Соколова");
    assert_eq!((sokolova["lessons"].as_i64(), sokolova["pay"].as_i64()), (Some(2), Some(80_000)), "{sokolova}");
    assert_eq!(p["unassigned"], 0);
    let page = office.get(&format!("/admin/payroll?from={}&to={today}", today - Duration::days(30))).await;
    assert!(page.status == 200 && page.body.contains("Екатерина Сергеевна Орлова") && page.body.contains("3\u{202f}600\u{a0}₽"), "{}", page.body);
    let sokolova_login = app.user("sokolova@kulisy.test").await.unwrap();
    let mine = app.browser_as(&sokolova_login).await.get("/teach/pay").await;
    assert!(mine.status == 200 && mine.body.contains("Моя зарплата"), "{}", mine.body);
    assert!(!mine.body.contains("Орлова"), "a teacher sees only their own line");
    assert_money_books(&app).await;
}

both_databases!(mod demo, spawn_demo, the_demo_school_has_a_month_of_payroll);

both_databases!(
    spawn,
    the_office_invoices_anything_once_and_the_family_is_told,
    revenue_is_reported_by_day_month_course_and_method,
    payroll_pays_each_teacher_for_the_lessons_they_marked,
);
