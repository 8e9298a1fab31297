//! What the passes' tests share: a course's pass type put on sale and sold
//! through the office's real forms, and the books' invariants.
use super::{Browser, TestApp, TestCourse};
use kulisy::{
    domain::pass::EntryKind,
    server::entities::{attendance, pass, pass_entry},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Puts a pass type of `lessons` lessons for `days` days at `price` rubles on
/// sale for the course's personal format; its id.
pub async fn pass_type(office: &mut Browser<'_>, course: &TestCourse, lessons: &str, days: &str, price: &str) -> i32 {
    let course_id = course.id.to_string();
    let key = format!("type-{}", rand::random::<u64>());
    let res = office
        .call(
            "/api/passes/types/add",
            &[("course_id", &course_id), ("format", "personal"), ("name", &format!("{lessons} занятий")), ("lessons", lessons),
              ("valid_days", days), ("price", price), ("key", &key)],
        )
        .await;
    assert!(res.ok(), "{} {}", res.status, res.body);
    let pricing = office.call("/api/passes/pricing", &[("course_id", &course_id)]).await.json();
    let types = pricing["prices"]["pass_types"].as_array().unwrap();
    types.last().unwrap()["id"].as_i64().unwrap() as i32
}

/// Sells a pass of `pass_type` to `student` starting on `from`; the pass.
pub async fn sell(app: &TestApp, office: &mut Browser<'_>, student: i32, pass_type: i32, from: chrono::NaiveDate) -> pass::Model {
    let key = format!("sale-{}", rand::random::<u64>());
    let res = office
        .call("/api/passes/sell", &[("student", &student.to_string()), ("pass_type", &pass_type.to_string()),
            ("valid_from", &from.to_string()), ("key", &key)])
        .await;
    assert!(res.ok(), "{} {}", res.status, res.body);
    pass::Entity::find().filter(pass::Column::IdempotencyKey.eq(key)).one(&app.state.db).await.unwrap().expect("sold")
}

pub async fn pass_now(app: &TestApp, id: i32) -> pass::Model {
    pass::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap()
}

/// The books' invariants over every pass of the school: lessons left are
/// the sum of the ledger (bought − written off + returned), never
/// negative; the lessons a pass has net written off are exactly the marks
/// charged to it; no mark is both charged and on credit.
pub async fn assert_books(app: &TestApp) {
    let db = &app.state.db;
    let entries = pass_entry::Entity::find().all(db).await.unwrap();
    let marks = attendance::Entity::find().all(db).await.unwrap();
    for p in pass::Entity::find().all(db).await.unwrap() {
        let mine: Vec<&pass_entry::Model> = entries.iter().filter(|e| e.pass_id == p.id).collect();
        let sum: i32 = mine.iter().map(|e| e.lessons).sum();
        let of = |kind| mine.iter().filter(|e| e.kind == kind).count() as i32;
        assert_eq!(p.lessons_left, sum, "pass {}: lessons left = the sum of its entries", p.id);
        assert!(p.lessons_left >= 0, "pass {}: never negative", p.id);
        let bought = if p.sold_at.is_some() { p.lessons_bought } else { 0 };
        assert_eq!(p.lessons_left, bought - of(EntryKind::WriteOff) + of(EntryKind::Return), "pass {}", p.id);
        let charged = marks.iter().filter(|m| m.charged_pass_id == Some(p.id)).count() as i32;
        assert_eq!(of(EntryKind::WriteOff) - of(EntryKind::Return), charged, "pass {}: net write-offs = marks charged", p.id);
    }
    assert!(marks.iter().all(|m| !(m.on_credit && m.charged_pass_id.is_some())), "a mark both charged and on credit");
}
