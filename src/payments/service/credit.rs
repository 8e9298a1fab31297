//! Lessons on credit in the money books. A lesson attended with no pass to
//! write it off is charged to the family at the course's lesson price (for
//! the booking's format), the charge naming the mark; when a pass later
//! pays that lesson, or the mark no longer costs, a correction undoes the
//! charge — the pass's own invoice carries the money, so nothing is owed
//! twice. Called by the passes' ledger in its transaction, under the
//! student's lock; the account's lock is taken here, after it.
use super::accounts::{account_for, append, lock};
use crate::{
    domain::{ledger::MoneyKind, money::Kopecks},
    error::AppError,
    server::{
        courses,
        entities::{attendance, course_price, enrollment, money_entry},
    },
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Charges the lesson of a mark that went on credit, at its price; a
/// course without a lesson price charges nothing (nobody said what it costs).
pub async fn charge_lesson(db: &impl ConnectionTrait, mark: &attendance::Model, by: Option<i32>) -> Result<(), AppError> {
    let e = enrollment::Entity::find_by_id(mark.enrollment_id).one(db).await?.ok_or(AppError::NotFound)?;
    let Some(student) = e.student_id else { return Ok(()) };
    let price = course_price::Entity::find()
        .filter(course_price::Column::CourseId.eq(e.course_id))
        .filter(course_price::Column::Format.eq(e.format))
        .one(db)
        .await?
        .map(|p| p.lesson_price)
        .unwrap_or(0);
    if price <= 0 {
        return Ok(());
    }
    let title = courses::names(db, [e.course_id]).await?.remove(&e.course_id).map(|n| n.title).unwrap_or_default();
    let account = account_for(db, student).await?;
    lock(db, account.id).await?;
    append(
        db,
        money_entry::ActiveModel {
            account_id: Set(account.id),
            kind: Set(MoneyKind::Charge),
            amount: Set(-price),
            attendance_id: Set(Some(mark.id)),
            reason: Set(Some(format!("Занятие {} в долг · {title} · {}", mark.session_date.format("%d.%m.%Y"), Kopecks(price)))),
            created_by: Set(by),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Undoes the charge of a mark's lesson on credit, if it has one not yet
/// undone: `why` says what paid it or changed it.
pub async fn undo_lesson_charge(db: &impl ConnectionTrait, mark: &attendance::Model, why: &str, by: Option<i32>) -> Result<(), AppError> {
    let entries = money_entry::Entity::find().filter(money_entry::Column::AttendanceId.eq(mark.id)).all(db).await?;
    let Some(charge) = entries.iter().rev().find(|e| e.kind == MoneyKind::Charge) else { return Ok(()) };
    if entries.iter().map(|e| e.amount).sum::<i64>() == 0 {
        return Ok(());
    }
    lock(db, charge.account_id).await?;
    append(
        db,
        money_entry::ActiveModel {
            account_id: Set(charge.account_id),
            kind: Set(MoneyKind::Correction),
            amount: Set(-charge.amount),
            entry_id: Set(Some(charge.id)),
            attendance_id: Set(Some(mark.id)),
            reason: Set(Some(format!("Занятие {}: {why}", mark.session_date.format("%d.%m.%Y")))),
            created_by: Set(by),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}
