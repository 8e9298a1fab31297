//! What a member sees of absences and make-ups: their lessons of the
//! coming two weeks (to warn of an absence) and their make-up credits with
//! the lessons each may be booked into — in a fixed number of statements
//! however many members.
use super::makeups::lesson_start;
use crate::{
    domain::EnrollmentStatus,
    error::AppError,
    passes::wire::{MakeupOption, MakeupView, UpcomingLesson},
    server::entities::{absence_notice, course, course_slot, enrollment, makeup_credit},
};
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Query};
use std::collections::HashMap;

/// How far ahead the lessons are listed.
const AHEAD_DAYS: u64 = 14;

#[derive(Default)]
pub struct Absences {
    pub upcoming: Vec<UpcomingLesson>,
    pub makeups: Vec<MakeupView>,
}

fn days_from(today: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let end = last.min(today + Days::new(AHEAD_DAYS - 1));
    today.iter_days().take_while(move |d| *d <= end)
}

/// `enrollments` are the students' requests, as [`super::views`] read them.
pub async fn absences_of(
    db: &impl ConnectionTrait,
    students: &[i32],
    enrollments: &[enrollment::Model],
    today: NaiveDate,
) -> Result<HashMap<i32, Absences>, AppError> {
    let enrollments: Vec<&enrollment::Model> =
        enrollments.iter().filter(|e| e.status == EnrollmentStatus::Confirmed && e.period_end >= today).collect();
    let credits = makeup_credit::Entity::find()
        .filter(makeup_credit::Column::StudentId.is_in(students.iter().copied()))
        .filter(makeup_credit::Column::ExpiresOn.gte(today))
        .order_by_asc(makeup_credit::Column::ExpiresOn)
        .all(db)
        .await?;
    // The courses of the lessons and of the credits, and their groups of the same title.
    let own: Vec<i32> = enrollments.iter().map(|e| e.course_id).chain(credits.iter().map(|c| c.course_id)).collect();
    let titles = Query::select().column(course::Column::Title).from(course::Entity).and_where(course::Column::Id.is_in(own)).to_owned();
    let courses: HashMap<i32, course::Model> = crate::server::courses::visible()
        .filter(course::Column::Title.in_subquery(titles))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let slots = course_slot::Entity::find().filter(course_slot::Column::CourseId.is_in(courses.keys().copied())).all(db).await?;
    let notices = absence_notice::Entity::find()
        .filter(absence_notice::Column::EnrollmentId.is_in(enrollments.iter().map(|e| e.id)))
        .filter(absence_notice::Column::LessonDate.gte(today))
        .all(db)
        .await?;
    let title = |id: i32| courses.get(&id).map(|c| c.title.clone()).unwrap_or_default();
    let mut all: HashMap<i32, Absences> = students.iter().map(|&s| (s, Absences::default())).collect();
    for e in &enrollments {
        let Some(mine) = e.student_id.and_then(|s| all.get_mut(&s)) else { continue };
        for day in days_from(today.max(e.period_start), e.period_end) {
            if let Some(starts_at) = lesson_start(&slots, e.course_id, day) {
                let told = notices.iter().find(|n| n.enrollment_id == e.id && n.lesson_date == day).map(|n| n.in_time);
                mine.upcoming.push(UpcomingLesson { enrollment_id: e.id, course_title: title(e.course_id), date: day, starts_at, told });
            }
        }
    }
    for c in credits {
        let missed_on = c.missed_date;
        let option = |course_id: i32, date: NaiveDate| {
            lesson_start(&slots, course_id, date).map(|starts_at| MakeupOption { course_id, course_title: title(course_id), date, starts_at })
        };
        let booked = c.booked_course_id.zip(c.booked_date).and_then(|(course_id, date)| option(course_id, date));
        let attends = |course_id: i32, day: NaiveDate| {
            enrollments.iter().any(|e| e.student_id == Some(c.student_id) && e.course_id == course_id && e.period_start <= day && day <= e.period_end)
        };
        let same_title = courses.get(&c.course_id).map(|m| m.title.clone());
        let mut options: Vec<MakeupOption> = if booked.is_some() {
            Vec::new()
        } else {
            courses
                .values()
                .filter(|g| Some(&g.title) == same_title.as_ref())
                .flat_map(|g| days_from(today.max(g.term_start), g.term_end.min(c.expires_on)).map(move |d| (g.id, d)))
                .filter(|&(g, d)| !(g == c.course_id && d == missed_on) && !attends(g, d))
                .filter_map(|(g, d)| option(g, d))
                .collect()
        };
        options.sort_by_key(|o| (o.date, o.starts_at, o.course_id));
        if let Some(mine) = all.get_mut(&c.student_id) {
            mine.makeups.push(MakeupView {
                id: c.id,
                course_title: title(c.course_id),
                missed: missed_on,
                expires_on: c.expires_on,
                booked,
                attended: c.attended,
                options,
            });
        }
    }
    for a in all.values_mut() {
        a.upcoming.sort_by_key(|u| (u.date, u.starts_at));
    }
    Ok(all)
}
