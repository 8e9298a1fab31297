//! Who holds the seats of a course: the bookings that count against its
//! capacity, and what is left on the busiest day of a period. Read by the
//! schedule's cards and by every booking rule.
use super::entities::{course, enrollment};
use crate::domain::{
    EnrollmentStatus,
    enrollment::{Period, peak_seats, seats_left},
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Seat-holding bookings (period, seats) of the given courses that reach
/// `from` or later, by course.
pub async fn bookings(
    db: &impl ConnectionTrait,
    course_ids: &[i32],
    from: NaiveDate,
) -> Result<HashMap<i32, Vec<(Period, i32)>>, DbErr> {
    // Only the four columns the count needs: whole rows (with their dates
    // and times to parse) cost the schedule page more than the rest of its reads.
    let rows: Vec<(i32, NaiveDate, NaiveDate, i16)> = enrollment::Entity::find()
        .select_only()
        .columns([
            enrollment::Column::CourseId,
            enrollment::Column::PeriodStart,
            enrollment::Column::PeriodEnd,
            enrollment::Column::Seats,
        ])
        .filter(enrollment::Column::CourseId.is_in(course_ids.iter().copied()))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::HOLDING_SEATS))
        .filter(enrollment::Column::PeriodEnd.gte(from))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_course: HashMap<i32, Vec<(Period, i32)>> = HashMap::new();
    for (course_id, start, end, seats) in rows {
        by_course.entry(course_id).or_default().push((Period { start, end }, i32::from(seats)));
    }
    Ok(by_course)
}

/// Free seats of `course` on the busiest day of `window`.
pub async fn free_seats(db: &impl ConnectionTrait, course: &course::Model, window: Period) -> Result<i32, DbErr> {
    let held = bookings(db, &[course.id], window.start).await?.remove(&course.id).unwrap_or_default();
    Ok(seats_left(course.capacity, i64::from(peak_seats(held, window))))
}
