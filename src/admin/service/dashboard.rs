//! The office's dashboard: head counts and the school's week in numbers.
use crate::admin::wire::{Dashboard, SchoolCounts};
use crate::domain::{EnrollmentStatus, Role, catalogue::monday_of, pass::EntryKind, report::Period, review::ReviewStatus};
use crate::error::AppError;
use crate::server::{courses, entities::{enrollment, pass_entry, review, user}};
use chrono::{Datelike, Days, Months, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryTrait,
    sea_query::{Expr, Query, SelectStatement},
};

/// Head counts for the office's dashboard.
pub async fn school_counts(db: &DatabaseConnection) -> Result<SchoolCounts, DbErr> {
    // One statement with a subquery per count.
    fn count(rows: SelectStatement) -> Expr {
        let mut rows = rows;
        rows.clear_selects().expr(Expr::cust("COUNT(*)"));
        Expr::SubQuery(None, Box::new(rows.into()))
    }
    let by_role = |role: Role| user::Entity::find().filter(user::Column::Role.eq(role)).into_query();
    let pending = enrollment::Entity::find().filter(enrollment::Column::Status.eq(EnrollmentStatus::Pending));
    let to_moderate = review::Entity::find().filter(review::Column::Status.eq(ReviewStatus::Pending));
    let counts = Query::select()
        .expr_as(count(by_role(Role::Student)), "students")
        .expr_as(count(by_role(Role::Teacher)), "teachers")
        .expr_as(count(courses::visible().into_query()), "courses")
        .expr_as(count(pending.into_query()), "pending_requests")
        .expr_as(count(to_moderate.into_query()), "reviews_to_moderate")
        .to_owned();
    let row = db.query_one(&counts).await?.ok_or_else(|| DbErr::RecordNotFound("counts".into()))?;
    let get = |name: &str| row.try_get::<i64>("", name).map(|n| n.max(0) as u64);
    Ok(SchoolCounts {
        students: get("students")?,
        teachers: get("teachers")?,
        courses: get("courses")?,
        pending_requests: get("pending_requests")?,
        reviews_to_moderate: get("reviews_to_moderate")?,
    })
}

/// The office's dashboard: head counts, seats per course on the schedule
/// and requests per week over the last eight weeks, revenue per month over
/// the last twelve.
pub async fn dashboard(db: &DatabaseConnection, today: NaiveDate, tz: chrono_tz::Tz) -> Result<Dashboard, AppError> {
    let seats = crate::schedule::service::courses(db, today, None)
        .await?
        .into_iter()
        .map(|c| (c.title, c.capacity - c.seats_left, c.capacity))
        .collect();
    let first_week = monday_of(today) - Days::new(7 * 7);
    let since = first_week.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let weeks: Vec<(NaiveDate, u64)> = (0..8).map(|w| (first_week + Days::new(7 * w), 0)).collect();
    let mut weekly = weeks.clone();
    for e in enrollment::Entity::find().filter(enrollment::Column::CreatedAt.gte(since)).all(db).await? {
        let week = monday_of(e.created_at.date_naive());
        if let Some(slot) = weekly.iter_mut().find(|(w, _)| *w == week) {
            slot.1 += 1;
        }
    }
    let mut write_offs: Vec<(NaiveDate, i64)> = weeks.iter().map(|(w, _)| (*w, 0)).collect();
    let entries = pass_entry::Entity::find()
        .filter(pass_entry::Column::Kind.is_in([EntryKind::WriteOff, EntryKind::Return]))
        .filter(pass_entry::Column::LessonDate.gte(first_week))
        .all(db)
        .await?;
    for e in entries {
        let Some(day) = e.lesson_date else { continue };
        if let Some(slot) = write_offs.iter_mut().find(|(w, _)| *w == monday_of(day)) {
            // A write-off is −1 and its return +1: the net lessons taken.
            slot.1 -= i64::from(e.lessons);
        }
    }
    let year = Period { from: today.with_day(1).expect("the first of a month") - Months::new(11), to: today };
    let monthly_revenue = crate::payments::service::reports::by_month(db, year, tz).await?.into_iter().map(|(m, r)| (m, r.net())).collect();
    Ok(Dashboard {
        monthly_revenue,
        weekly_write_offs: write_offs.into_iter().map(|(w, n)| (w, n.max(0) as u64)).collect(),
        counts: school_counts(db).await?,
        seats,
        weekly_requests: weekly,
        staff_mfa_required: crate::server::mfa::staff_must_use_codes(db).await?,
        privacy_policy: crate::server::settings::privacy_policy(db).await?,
    })
}
