//! Selling passes: the office sells one to a student; a student or a
//! guardian asks for one and the office confirms the sale once paid. A
//! sale writes its lessons into the pass's ledger and pays the student's
//! lessons on credit first, in one transaction under the student's lock.
use super::ledger::{append, pay_credits};
use crate::{
    domain::{
        UserId,
        pass::{EntryKind, valid_until},
    },
    enrollment::service::lock_person,
    error::AppError,
    server::{
        audit,
        entities::{pass, pass_entry, pass_type},
        guards::{ActingFor, Office},
    },
};
use chrono::{Days, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

/// A money form's key: what the page made, 16 to 64 letters, digits, `-`, `_`.
pub fn form_key(raw: &str) -> Result<String, AppError> {
    let ok = (16..=64).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| raw.to_string()).ok_or(AppError::BadRequest)
}

/// The first day of a sold pass: from a month back to a year ahead.
fn start_day(raw: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    const MESSAGE: &str = "Начало действия — дата не раньше месяца назад и не позже года вперёд.";
    let day = match raw.trim() {
        "" => today,
        typed => crate::domain::iso::parse_date(typed).ok_or_else(|| AppError::field("valid_from", MESSAGE))?,
    };
    let earliest = today.checked_sub_days(Days::new(31)).unwrap_or(today);
    let latest = today.checked_add_days(Days::new(366)).unwrap_or(today);
    if day < earliest || day > latest {
        return Err(AppError::field("valid_from", MESSAGE));
    }
    Ok(day)
}

async fn on_sale(db: &impl ConnectionTrait, id: i32) -> Result<pass_type::Model, AppError> {
    pass_type::Entity::find_by_id(id)
        .filter(pass_type::Column::OnSale.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("pass_type", "Выберите абонемент из тех, что в продаже."))
}

/// Writes the sale into the ledger and lets the pass pay the credit first.
async fn record_sale(db: &impl ConnectionTrait, p: pass::Model, by: i32) -> Result<pass::Model, AppError> {
    append(
        db,
        pass_entry::ActiveModel {
            pass_id: Set(p.id),
            kind: Set(EntryKind::Sale),
            lessons: Set(p.lessons_bought),
            created_by: Set(Some(by)),
            ..Default::default()
        },
    )
    .await?;
    let p = pass::Entity::find_by_id(p.id).one(db).await?.ok_or(AppError::NotFound)?;
    pay_credits(db, &p, Some(by)).await?;
    Ok(p)
}

/// The office sells a pass of `pass_type` to `student`, starting on
/// `valid_from`. The same form sent twice (its `key`) sells one pass.
pub async fn sell(
    db: &DatabaseConnection,
    office: &Office,
    student: UserId,
    pass_type_id: i32,
    valid_from: &str,
    key: &str,
    today: NaiveDate,
) -> Result<i32, AppError> {
    let key = form_key(key)?;
    let from = start_day(valid_from, today)?;
    let txn = crate::server::db::write(db).await?;
    if !lock_person(&txn, student.0).await? {
        return Err(AppError::NotFound);
    }
    if let Some(done) = pass::Entity::find().filter(pass::Column::IdempotencyKey.eq(&key)).one(&txn).await? {
        // A retry of a sale that went through: the same pass, nothing sold again.
        return if done.student_id == Some(student.0) { Ok(done.id) } else { Err(AppError::BadRequest) };
    }
    let t = on_sale(&txn, pass_type_id).await?;
    let p = pass::ActiveModel {
        sold_by: Set(Some(office.id)),
        sold_at: Set(Some(Utc::now())),
        idempotency_key: Set(Some(key)),
        ..pass::ActiveModel::of_type(&t, student.0, from)
    }
    .insert(&txn)
    .await?;
    let p = record_sale(&txn, p, office.id).await?;
    let changes = json!({ "student_id": [null, student.0], "pass_type_id": [null, t.id], "lessons": [null, t.lessons],
        "price": [null, t.price], "valid_from": [null, from], "valid_until": [null, p.valid_until] });
    audit::record(&txn, office, "create", "pass", Some(p.id), changes).await?;
    txn.commit().await?;
    Ok(p.id)
}

/// A student (or a guardian for a child) asks for a pass of a course they
/// attend; it waits for payment (its invoice is written in the caller's
/// transaction: `payments::service::invoices::ask_for_pass`). Asking again
/// for the same pass type while one waits gives the waiting one. Under the
/// student's lock.
pub async fn request(db: &impl ConnectionTrait, member: &ActingFor, pass_type_id: i32, today: NaiveDate) -> Result<pass::Model, AppError> {
    lock_person(db, member.id).await?;
    let t = on_sale(db, pass_type_id).await?;
    let attends = crate::server::entities::enrollment::Entity::find()
        .filter(crate::server::entities::enrollment::Column::StudentId.eq(member.id))
        .filter(crate::server::entities::enrollment::Column::CourseId.eq(t.course_id))
        .filter(crate::server::entities::enrollment::Column::Status.is_in(crate::domain::EnrollmentStatus::HOLDING_SEATS))
        .one(db)
        .await?
        .is_some();
    if !attends {
        return Err(AppError::field("pass_type", "Абонемент можно попросить на курс, куда вы записаны."));
    }
    let waiting = pass::Entity::find()
        .filter(pass::Column::StudentId.eq(member.id))
        .filter(pass::Column::PassTypeId.eq(t.id))
        .filter(pass::Column::SoldAt.is_null())
        .one(db)
        .await?;
    if let Some(w) = waiting {
        return Ok(w);
    }
    Ok(pass::ActiveModel { requested_by: Set(Some(member.by().id)), ..pass::ActiveModel::of_type(&t, member.id, today) }
        .insert(db)
        .await?)
}

/// The office confirms a requested pass as paid: it starts today. A second
/// confirmation finds it sold and changes nothing.
pub async fn confirm_request(db: &DatabaseConnection, office: &Office, pass_id: i32, today: NaiveDate) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let p = pass::Entity::find_by_id(pass_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let student = p.student_id.ok_or(AppError::NotFound)?;
    lock_person(&txn, student).await?;
    if activate(&txn, pass_id, office.id, today).await? {
        audit::record(&txn, office, "update", "pass", Some(pass_id), json!({ "sold": [false, true], "valid_from": [null, today] })).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A requested pass is paid: it starts `today` and its lessons go into its
/// ledger, in the caller's transaction under the student's lock. Answers
/// whether it changed (a pass sold already stays as it is).
pub async fn activate(db: &impl ConnectionTrait, pass_id: i32, by: i32, today: NaiveDate) -> Result<bool, AppError> {
    let p = pass::Entity::find_by_id(pass_id).one(db).await?.ok_or(AppError::NotFound)?;
    if p.sold_at.is_some() {
        return Ok(false);
    }
    let days = (p.valid_until - p.valid_from).num_days() as i32 + 1;
    let mut row: pass::ActiveModel = p.into();
    row.valid_from = Set(today);
    row.valid_until = Set(valid_until(today, days));
    row.sold_by = Set(Some(by));
    row.sold_at = Set(Some(Utc::now()));
    let p = row.update(db).await?;
    record_sale(db, p, by).await?;
    Ok(true)
}
