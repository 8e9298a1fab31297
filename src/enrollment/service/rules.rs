//! What every change of a request shares: the locks that make seat counts
//! safe, the course that takes requests, the state machine's step, and the
//! waitlist's promotion when seats free up.
use super::letters::{Details, applicant, notify_teacher, tell};
use crate::server::{
    entities::{course, enrollment, user},
    seats::free_seats,
    links,
};
use crate::{
    domain::{
        EnrollmentStatus,
        enrollment::{Event, Period},
    },
    error::AppError,
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

/// Takes the course's write lock for the rest of the transaction and
/// returns the course as it is now.
pub(crate) async fn lock_course(db: &impl ConnectionTrait, course_id: i32) -> Result<course::Model, AppError> {
    course::Entity::update_many()
        .col_expr(course::Column::SeatVersion, Expr::col(course::Column::SeatVersion).add(1))
        .filter(course::Column::Id.eq(course_id))
        .exec(db)
        .await?;
    course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Holds a person's row until the transaction ends, so that deleting their
/// account and booking for them take turns: whichever comes second sees
/// what the first did (a booking finds no person; a deletion finds the
/// booking and withdraws it). Taken before any course's lock, in every
/// transaction that takes both. False when the person is gone.
pub(crate) async fn lock_person(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, DbErr> {
    let touched = user::Entity::update_many()
        .col_expr(user::Column::SessionEpoch, Expr::col(user::Column::SessionEpoch))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(touched.rows_affected == 1)
}

/// A course that takes requests: published, not archived, term not over.
pub(super) async fn open_course(db: &impl ConnectionTrait, id: i32, today: NaiveDate) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(id)
        .filter(course::Column::IsPublished.eq(true))
        .filter(course::Column::ArchivedAt.is_null())
        .filter(course::Column::TermEnd.gte(today))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn term(c: &course::Model) -> Period {
    Period { start: c.term_start, end: c.term_end }
}

/// Moves `e` along the state machine by `event`, recording `reason` and,
/// for a decision, who made it.
pub(crate) async fn apply(
    db: &impl ConnectionTrait,
    e: enrollment::Model,
    event: Event,
    reason: Option<&str>,
    decided_by: Option<i32>,
) -> Result<enrollment::Model, AppError> {
    let next = e.status.after(event).ok_or(AppError::BadRequest)?;
    let mut row: enrollment::ActiveModel = e.into();
    row.status = Set(next);
    if let Some(reason) = reason {
        row.reason = Set(Some(reason.into()));
    }
    if let Some(actor) = decided_by {
        row.decided_by = Set(Some(actor));
        row.decided_at = Set(Some(Utc::now()));
    }
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}

/// Moves waitlisted requests of `course`, oldest first, to `pending` while
/// they fit. Runs inside the transaction that freed the seats, under the
/// course's lock.
pub async fn promote_waitlist(
    txn: &impl ConnectionTrait,
    site: &url::Url,
    course: &course::Model,
    today: NaiveDate,
) -> Result<Vec<i32>, AppError> {
    let waiting = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(course.id))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Waitlisted))
        .filter(enrollment::Column::PeriodEnd.gte(today))
        .order_by_asc(enrollment::Column::CreatedAt)
        .order_by_asc(enrollment::Column::Id)
        .all(txn)
        .await?;
    let mut promoted = Vec::new();
    for w in waiting {
        if free_seats(txn, course, w.period()).await? < i32::from(w.seats) {
            continue;
        }
        let w = apply(txn, w, Event::Promote, None, None).await?;
        promoted.push(w.id);
        let student = match w.student_id {
            Some(id) => user::Entity::find_by_id(id).one(txn).await?,
            None => None,
        };
        let Some(student) = student else { continue };
        let about = Details::of(course, None, &w, None);
        let history = links::to(site, links::HISTORY);
        tell(txn, student.id, &student, "Освободилось место на курсе", &[
            &format!("На курсе «{}» освободилось место. Ваша заявка из листа ожидания передана педагогу.", course.title),
            &about.text(),
        ], &history).await?;
        notify_teacher(txn, site, w.teacher_id, course, &about, &applicant(&student)).await?;
    }
    // Counted when written: a transaction that fails after this leaves the
    // count high by its promotions (the metric is a rate for operators).
    crate::server::metrics::promoted(promoted.len() as u64);
    Ok(promoted)
}
