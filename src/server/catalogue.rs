//! Queries behind the public pages. Each list is built from a fixed number of
//! queries however many courses there are (no query per row).
use super::entities::{course, course_slot, course_teacher, enrollment, show, teacher, user};
use crate::domain::{
    CourseCard, CourseDetail, EnrollmentStatus, ShowCard, ShowDetail, Slot, TeacherRef,
    catalogue::summary_of,
    enrollment::{Period, peak_seats, seats_left},
};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use std::collections::HashMap;

fn visible_courses() -> sea_orm::Select<course::Entity> {
    course::Entity::find()
        .filter(course::Column::IsPublished.eq(true))
        .filter(course::Column::ArchivedAt.is_null())
}

/// Published courses whose term has not ended, soonest first.
pub async fn courses(
    db: &DatabaseConnection,
    today: NaiveDate,
    limit: Option<u64>,
) -> Result<Vec<CourseCard>, DbErr> {
    let rows = visible_courses()
        .filter(course::Column::TermEnd.gte(today))
        .order_by_asc(course::Column::TermStart)
        .order_by_asc(course::Column::Title)
        .limit(limit)
        .all(db)
        .await?;
    cards(db, rows, today).await
}

/// One page of the courses not archived, published or not, for the office:
/// found by title (case-insensitive in any alphabet, so matched here rather
/// than by SQLite's ASCII-only `lower`), newest term or title first.
pub async fn office_courses(
    db: &DatabaseConnection,
    today: NaiveDate,
    q: &crate::admin::wire::ListQuery,
) -> Result<crate::admin::wire::Page<CourseCard>, AppError> {
    use crate::admin::wire::Page;
    let needle = super::search::search_words(&q.search)?.to_lowercase();
    let mut found: Vec<(i32, String, NaiveDate)> = course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Title)
        .column(course::Column::TermStart)
        .filter(course::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .filter(|(_, title, _): &(i32, String, NaiveDate)| title.to_lowercase().contains(&needle))
        .collect();
    match q.sort.as_str() {
        "title" => found.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
        _ => found.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1))),
    }
    let page = Page::cut(found.into_iter().map(|c| c.0).collect(), q.page);
    let mut rows = course::Entity::find().filter(course::Column::Id.is_in(page.items.iter().copied())).all(db).await?;
    rows.sort_by_key(|c| page.items.iter().position(|id| *id == c.id));
    Ok(Page { items: cards(db, rows, today).await?, page: page.page, pages: page.pages, total: page.total })
}

pub async fn course(
    db: &DatabaseConnection,
    id: i32,
    today: NaiveDate,
) -> Result<Option<CourseDetail>, DbErr> {
    let Some(row) = visible_courses().filter(course::Column::Id.eq(id)).one(db).await? else {
        return Ok(None);
    };
    let description = row.description.clone();
    let card = cards(db, vec![row], today).await?.pop();
    Ok(card.map(|card| CourseDetail { card, description }))
}

#[derive(FromQueryResult)]
struct CourseTeacherRow {
    course_id: i32,
    teacher_id: i32,
    full_name: String,
    specialization: String,
}

pub async fn cards(
    db: &DatabaseConnection,
    courses: Vec<course::Model>,
    today: NaiveDate,
) -> Result<Vec<CourseCard>, DbErr> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = courses.iter().map(|c| c.id).collect();

    let mut slots: HashMap<i32, Vec<Slot>> = HashMap::new();
    for s in course_slot::Entity::find()
        .filter(course_slot::Column::CourseId.is_in(ids.iter().copied()))
        .order_by_asc(course_slot::Column::Weekday)
        .order_by_asc(course_slot::Column::StartsAt)
        .all(db)
        .await?
    {
        slots.entry(s.course_id).or_default().push(Slot {
            weekday: s.weekday.clamp(1, 7) as u8,
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes.max(0) as u32,
            room: s.room,
        });
    }

    let mut teachers: HashMap<i32, Vec<TeacherRef>> = HashMap::new();
    for t in course_teacher::Entity::find()
        .select_only()
        .column(course_teacher::Column::CourseId)
        .column(course_teacher::Column::TeacherId)
        .column(user::Column::FullName)
        .column(teacher::Column::Specialization)
        .join(JoinType::InnerJoin, course_teacher::Relation::Teacher.def())
        .join(JoinType::InnerJoin, teacher::Relation::User.def())
        .filter(course_teacher::Column::CourseId.is_in(ids.iter().copied()))
        .order_by_asc(user::Column::FullName)
        .into_model::<CourseTeacherRow>()
        .all(db)
        .await?
    {
        teachers.entry(t.course_id).or_default().push(TeacherRef {
            id: t.teacher_id,
            name: t.full_name,
            specialization: t.specialization,
        });
    }

    let mut bookings = super::seats::bookings(db, &ids, today).await?;

    Ok(courses
        .into_iter()
        .map(|c| CourseCard {
            id: c.id,
            summary: summary_of(&c.description),
            formats: c.formats(),
            // Free on the busiest day of what is left of the term.
            seats_left: seats_left(
                c.capacity,
                i64::from(peak_seats(
                    bookings.remove(&c.id).unwrap_or_default(),
                    Period { start: c.term_start.max(today), end: c.term_end },
                )),
            ),
            capacity: c.capacity,
            term_start: c.term_start,
            term_end: c.term_end,
            slots: slots.remove(&c.id).unwrap_or_default(),
            teachers: teachers.remove(&c.id).unwrap_or_default(),
            published: c.is_published,
            title: c.title,
        })
        .collect())
}

fn show_card(s: &show::Model, to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime) -> ShowCard {
    ShowCard {
        id: s.id,
        title: s.title.clone(),
        starts_at: to_local(s.starts_at),
        venue: s.venue.clone(),
        summary: summary_of(&s.description),
        poster_url: s.poster_key.as_deref().map(|k| super::storage::Shelf::Posters.url(k)),
    }
}

/// Shows that have not started yet, soonest first.
pub async fn upcoming_shows(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: Option<u64>,
    to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> Result<Vec<ShowCard>, DbErr> {
    Ok(show::Entity::find()
        .filter(show::Column::StartsAt.gte(now))
        .order_by_asc(show::Column::StartsAt)
        .limit(limit)
        .all(db)
        .await?
        .iter()
        .map(|s| show_card(s, &to_local))
        .collect())
}

pub async fn show(
    db: &DatabaseConnection,
    id: i32,
    to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> Result<Option<ShowDetail>, DbErr> {
    Ok(show::Entity::find_by_id(id).one(db).await?.map(|s| ShowDetail {
        card: show_card(&s, to_local),
        description: s.description,
    }))
}

/// Head counts for the office's dashboard.
pub async fn school_counts(db: &DatabaseConnection) -> Result<crate::admin::wire::SchoolCounts, DbErr> {
    use super::entities::review;
    use crate::domain::Role;
    use sea_orm::{
        ConnectionTrait, QueryTrait,
        sea_query::{Expr, Query, SelectStatement},
    };
    // One statement with a subquery per count.
    fn count(rows: SelectStatement) -> Expr {
        let mut rows = rows;
        rows.clear_selects().expr(Expr::cust("COUNT(*)"));
        Expr::SubQuery(None, Box::new(rows.into()))
    }
    let by_role = |role: Role| user::Entity::find().filter(user::Column::Role.eq(role)).into_query();
    let pending = enrollment::Entity::find().filter(enrollment::Column::Status.eq(EnrollmentStatus::Pending));
    let to_moderate = review::Entity::find().filter(review::Column::Status.eq(crate::domain::review::ReviewStatus::Pending));
    let counts = Query::select()
        .expr_as(count(by_role(Role::Student)), "students")
        .expr_as(count(by_role(Role::Teacher)), "teachers")
        .expr_as(count(visible_courses().into_query()), "courses")
        .expr_as(count(pending.into_query()), "pending_requests")
        .expr_as(count(to_moderate.into_query()), "reviews_to_moderate")
        .to_owned();
    let row = db.query_one(&counts).await?.ok_or_else(|| DbErr::RecordNotFound("counts".into()))?;
    let get = |name: &str| row.try_get::<i64>("", name).map(|n| n.max(0) as u64);
    Ok(crate::admin::wire::SchoolCounts {
        students: get("students")?,
        teachers: get("teachers")?,
        courses: get("courses")?,
        pending_requests: get("pending_requests")?,
        reviews_to_moderate: get("reviews_to_moderate")?,
    })
}

/// The office's dashboard: head counts, seats per course on the schedule
/// and requests per week over the last eight weeks.
pub async fn dashboard(db: &DatabaseConnection, today: NaiveDate) -> Result<crate::admin::wire::Dashboard, crate::error::AppError> {
    use chrono::Days;
    let seats = courses(db, today, None)
        .await?
        .into_iter()
        .map(|c| (c.title, c.capacity - c.seats_left, c.capacity))
        .collect();
    let first_week = crate::domain::catalogue::monday_of(today) - Days::new(7 * 7);
    let since = first_week.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let mut weekly: Vec<(NaiveDate, u64)> = (0..8).map(|w| (first_week + Days::new(7 * w), 0)).collect();
    for e in enrollment::Entity::find().filter(enrollment::Column::CreatedAt.gte(since)).all(db).await? {
        let week = crate::domain::catalogue::monday_of(e.created_at.date_naive());
        if let Some(slot) = weekly.iter_mut().find(|(w, _)| *w == week) {
            slot.1 += 1;
        }
    }
    Ok(crate::admin::wire::Dashboard {
        counts: school_counts(db).await?,
        seats,
        weekly_requests: weekly,
        staff_mfa_required: super::mfa::staff_must_use_codes(db).await?,
        privacy_policy: super::settings::privacy_policy(db).await?,
    })
}

/// Titles of courses by id, for lists that name them.
pub async fn course_titles(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, DbErr> {
    Ok(course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Title)
        .filter(course::Column::Id.is_in(ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
