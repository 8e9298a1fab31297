//! Who holds the seats of a course: the bookings that count against its
//! capacity, and what is left on the busiest day of a period. Read by the
//! schedule's cards and by every booking rule.
use super::entities::{course, enrollment};
use crate::domain::{
    EnrollmentStatus,
    enrollment::{Period, peak_seats, seats_left},
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Seat-holding bookings (period, seats) of the given courses that reach
/// `from` or later, by course.
pub async fn bookings(
    db: &impl ConnectionTrait,
    course_ids: &[i32],
    from: NaiveDate,
) -> Result<HashMap<i32, Vec<(Period, i32)>>, DbErr> {
    let rows = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.is_in(course_ids.iter().copied()))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::HOLDING_SEATS))
        .filter(enrollment::Column::PeriodEnd.gte(from))
        .all(db)
        .await?;
    let mut by_course: HashMap<i32, Vec<(Period, i32)>> = HashMap::new();
    for e in rows {
        by_course.entry(e.course_id).or_default().push((e.period(), i32::from(e.seats)));
    }
    Ok(by_course)
}

/// Free seats of `course` on the busiest day of `window`.
pub async fn free_seats(db: &impl ConnectionTrait, course: &course::Model, window: Period) -> Result<i32, DbErr> {
    let held = bookings(db, &[course.id], window.start).await?.remove(&course.id).unwrap_or_default();
    Ok(seats_left(course.capacity, i64::from(peak_seats(held, window))))
}
