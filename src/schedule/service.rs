//! The schedule's reads: course cards and one course. Each list is built from a fixed number of
//! Each list takes a fixed number of queries however many courses it holds.
use crate::server::addresses::Kind;
use crate::domain::ids::{CourseId, TeacherId};
use crate::server::entities::{course, course_slot, course_teacher, teacher, user};
use crate::domain::{
    CourseCard, CourseDetail, Slot, TeacherRef,
    catalogue::{Listing, summary_of},
    enrollment::{Period, peak_seats, seats_left},
};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use std::collections::HashMap;

/// The schedule everyone sees today: its cards, written, and its teachers.
pub async fn listing(db: &DatabaseConnection, today: NaiveDate) -> Result<Listing, DbErr> {
    let courses = courses(db, today, None).await?;
    let mut teachers: Vec<TeacherRef> = courses.iter().flat_map(|c| c.teachers.iter().cloned()).collect();
    teachers.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    teachers.dedup_by_key(|t| t.id);
    let courses = courses.into_iter().map(|c| { let html = super::card::card_html(&c); (c, html) }).collect();
    Ok(Listing { courses, teachers })
}

/// Published courses whose term has not ended, soonest first.
pub async fn courses(
    db: &DatabaseConnection,
    today: NaiveDate,
    limit: Option<u64>,
) -> Result<Vec<CourseCard>, DbErr> {
    let rows = crate::server::courses::visible()
        .filter(course::Column::TermEnd.gte(today))
        .order_by_asc(course::Column::TermStart)
        .order_by_asc(course::Column::Title)
        .limit(limit)
        .all(db)
        .await?;
    cards(db, rows, today).await
}

pub async fn course(
    db: &DatabaseConnection,
    id: CourseId,
    today: NaiveDate,
) -> Result<Option<CourseDetail>, DbErr> {
    let Some(row) = crate::server::courses::visible().filter(course::Column::Id.eq(id)).one(db).await? else {
        return Ok(None);
    };
    let description = row.description.clone();
    let card = cards(db, vec![row], today).await?.pop();
    Ok(card.map(|card| CourseDetail { card, description, prices: Vec::new(), structured_data: String::new() }))
}

#[derive(FromQueryResult)]
struct CourseTeacherRow {
    course_id: i32,
    teacher_id: i32,
    full_name: String,
    specialization: String,
    slug: Option<String>,
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
        .column(teacher::Column::Slug)
        .join(JoinType::InnerJoin, course_teacher::Relation::Teacher.def())
        .join(JoinType::InnerJoin, teacher::Relation::User.def())
        .filter(course_teacher::Column::CourseId.is_in(ids.iter().copied()))
        .order_by_asc(user::Column::FullName)
        .into_model::<CourseTeacherRow>()
        .all(db)
        .await?
    {
        teachers.entry(t.course_id).or_default().push(TeacherRef {
            id: TeacherId(t.teacher_id),
            name: t.full_name,
            specialization: t.specialization,
            path: Kind::Teacher.page(t.slug.as_deref(), t.teacher_id),
        });
    }

    let mut bookings = crate::server::seats::bookings(db, &ids, today).await?;

    Ok(courses
        .into_iter()
        .map(|c| CourseCard {
            id: CourseId(c.id),
            path: Kind::Course.page(c.slug.as_deref(), c.id),
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
            ages: c.ages(),
            title: c.title,
        })
        .collect())
}
