//! Freezes: the office stops a pass for a period (illness, holiday) — its
//! end moves by the frozen days and no lesson of those days is written off
//! it — or every pass of a course at once (the school is closed). A lesson
//! already written off a day the freeze now covers is returned and charged
//! again by the rules (another pass, or credit). Each freeze is audited.
use super::ledger::{Books, append, freezes_of, return_charge, settle};
use crate::{
    domain::{
        CourseId,
        pass::{EntryKind, Freeze, extended},
    },
    enrollment::service::lock_person,
    error::AppError,
    server::{
        audit,
        entities::{attendance, pass, pass_entry},
        guards::Office,
    },
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

/// The period and reason the office typed.
pub fn parse(from: &str, until: &str, reason: &str) -> Result<(Freeze, String), AppError> {
    let day = |raw: &str, field| crate::domain::iso::parse_date(raw.trim()).ok_or_else(|| AppError::field(field, "Укажите дату."));
    let freeze = Freeze::new(day(from, "from")?, day(until, "until")?).map_err(|m| AppError::field("until", m))?;
    let reason = crate::domain::text::required(
        reason,
        200,
        crate::domain::text::Lines::One,
        "Укажите причину: болезнь, отпуск, праздники.",
        "Причина — не длиннее 200 символов.",
    )
    .map_err(|m| AppError::field("reason", m))?;
    Ok((freeze, reason))
}

/// Freezes one pass, under its student's lock, in the caller's transaction
/// (which checked it shares no day with the pass's earlier freezes).
async fn freeze_one(db: &impl ConnectionTrait, office: &Office, p: pass::Model, freeze: Freeze, reason: &str) -> Result<(), AppError> {
    let (Some(student), Some(course)) = (p.student_id, p.course_id) else { return Ok(()) };
    let before = p.valid_until;
    let until = extended(p.valid_until, freeze);
    let mut row: pass::ActiveModel = p.clone().into();
    row.valid_until = Set(until);
    row.update(db).await?;
    append(
        db,
        pass_entry::ActiveModel {
            pass_id: Set(p.id),
            kind: Set(EntryKind::Freeze),
            lessons: Set(0),
            freeze_from: Set(Some(freeze.from)),
            freeze_until: Set(Some(freeze.until)),
            reason: Set(Some(reason.to_string())),
            created_by: Set(Some(office.id)),
            ..Default::default()
        },
    )
    .await?;
    // Lessons written off this pass on frozen days go back and are charged again.
    let charged = attendance::Entity::find()
        .filter(attendance::Column::ChargedPassId.eq(p.id))
        .filter(attendance::Column::SessionDate.between(freeze.from, freeze.until))
        .all(db)
        .await?;
    if !charged.is_empty() {
        let rules = crate::server::settings::pass_rules(db).await?;
        for mark in charged {
            let told = super::makeups::told_in_time(db, [mark.enrollment_id], mark.session_date).await?;
            let mark = return_charge(db, mark, Some(office.id)).await?.update(db).await?;
            let mut books = Books::of(db, student, course).await?;
            settle(db, &mut books, mark, super::makeups::absence_costs(rules, !told.is_empty()), Some(office.id)).await?;
        }
    }
    let changes = json!({ "valid_until": [before, until], "freeze": [null, [freeze.from, freeze.until]], "reason": [null, reason] });
    audit::record(db, office, "freeze", "pass", Some(p.id), changes).await?;
    Ok(())
}

/// Freezes one pass.
pub async fn freeze_pass(db: &DatabaseConnection, office: &Office, pass_id: i32, freeze: Freeze, reason: &str) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let p = pass::Entity::find_by_id(pass_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let student = p.student_id.ok_or(AppError::NotFound)?;
    lock_person(&txn, student).await?;
    let p = pass::Entity::find_by_id(pass_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if p.sold_at.is_none() {
        return Err(AppError::Conflict("Абонемент ещё не продан: замораживать нечего.".into()));
    }
    if overlaps(&freezes_of(&txn, [p.id]).await?.remove(&p.id).unwrap_or_default(), freeze) {
        return Err(AppError::field("from", "Эти дни абонемента уже заморожены."));
    }
    freeze_one(&txn, office, p, freeze, reason).await?;
    txn.commit().await?;
    Ok(())
}

/// Freezes every sold pass of a course that is still running on the
/// freeze's first day (the school is closed for a holiday). Answers how
/// many passes were frozen.
pub async fn freeze_course(db: &DatabaseConnection, office: &Office, course: CourseId, freeze: Freeze, reason: &str) -> Result<usize, AppError> {
    let txn = crate::server::db::write(db).await?;
    let running = |db| {
        pass::Entity::find()
            .filter(pass::Column::CourseId.eq(course))
            .filter(pass::Column::SoldAt.is_not_null())
            .filter(pass::Column::ValidUntil.gte(freeze.from))
            .all(db)
    };
    let mut students: Vec<i32> = running(&txn).await?.iter().filter_map(|p| p.student_id).collect();
    students.sort_unstable();
    students.dedup();
    for s in students {
        lock_person(&txn, s).await?;
    }
    let passes = running(&txn).await?;
    let mut earlier = freezes_of(&txn, passes.iter().map(|p| p.id)).await?;
    let mut frozen = 0;
    for p in passes {
        // A pass already frozen on these days (a child ill over the holiday) keeps its freeze.
        if !overlaps(&earlier.remove(&p.id).unwrap_or_default(), freeze) {
            freeze_one(&txn, office, p, freeze, reason).await?;
            frozen += 1;
        }
    }
    txn.commit().await?;
    Ok(frozen)
}

/// Whether a freeze shares days with one before: the same days frozen
/// twice would move the end twice.
fn overlaps(existing: &[Freeze], freeze: Freeze) -> bool {
    existing.iter().any(|f| f.from <= freeze.until && freeze.from <= f.until)
}
