//! The demo school's passes: prices of the children's courses (a lesson
//! 900 ₽, a free trial, passes of 4 and 8 lessons), a second group of the
//! studio (Sundays, another teacher) to make lessons up in, the studio's
//! Wednesday lesson, and the son's
//! pass of 4 lessons bought three weeks ago with two lessons written off
//! and a make-up credit for next Saturday, told in time. The books are
//! written as the ledger writes them: each write-off names its mark.
use crate::domain::{CourseFormat, pass::EntryKind};
use crate::server::entities::{
    absence_notice, attendance, course, course_price, course_slot, enrollment, makeup_credit, pass, pass_entry, pass_type,
};
use chrono::{Days, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// `courses`: the studio first, then the teenagers' course.
pub(super) async fn seed(db: &impl ConnectionTrait, courses: &[i32], son: i32, teacher_ids: &[i32], today: NaiveDate) -> Result<(), DbErr> {
    let now = Utc::now();
    let studio = course::Entity::find_by_id(courses[0]).one(db).await?.ok_or(DbErr::RecordNotFound("studio".into()))?;
    let second = second_group(db, &studio, teacher_ids[1]).await?;
    // The studio meets on Wednesdays too.
    course_slot::ActiveModel {
        course_id: Set(studio.id),
        weekday: Set(3),
        starts_at: Set(NaiveTime::from_hms_opt(17, 0, 0).expect("five o'clock")),
        duration_minutes: Set(90),
        room: Set("Малая сцена".into()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut types = Vec::new();
    for course_id in courses.iter().copied().chain([second]) {
        course_price::ActiveModel {
            course_id: Set(course_id),
            format: Set(CourseFormat::Personal),
            lesson_price: Set(90_000),
            trial_price: Set(0),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (name, lessons, days, price) in [("4 занятия", 4, 30, 340_000), ("8 занятий", 8, 35, 640_000)] {
            types.push(
                pass_type::ActiveModel {
                    course_id: Set(course_id),
                    format: Set(CourseFormat::Personal),
                    name: Set(name.into()),
                    lessons: Set(lessons),
                    valid_days: Set(days),
                    price: Set(price),
                    on_sale: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?,
            );
        }
    }
    let Some(e) = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(son))
        .filter(enrollment::Column::CourseId.eq(studio.id))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    // «4 занятия» of the studio, from three weeks ago: the last two Saturdays written off.
    let t = &types[0];
    let from = today - Days::new(20);
    let p = pass::ActiveModel { lessons_left: Set(t.lessons - 2), sold_at: Set(Some(now)), ..pass::ActiveModel::of_type(t, son, from) }
        .insert(db)
        .await?;
    let entry = |kind, lessons, mark: Option<&attendance::Model>| pass_entry::ActiveModel {
        pass_id: Set(p.id),
        kind: Set(kind),
        lessons: Set(lessons),
        attendance_id: Set(mark.map(|m| m.id)),
        lesson_date: Set(mark.map(|m| m.session_date)),
        created_at: Set(now),
        ..Default::default()
    };
    entry(EntryKind::Sale, t.lessons, None).insert(db).await?;
    let last_saturday = super::last_weekday(today, chrono::Weekday::Sat);
    for day in [last_saturday - Days::new(7), last_saturday] {
        let mark = attendance::ActiveModel {
            enrollment_id: Set(e.id),
            session_date: Set(day),
            present: Set(true),
            marked_at: Set(now),
            charged_pass_id: Set(Some(p.id)),
            on_credit: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await?;
        entry(EntryKind::WriteOff, -1, Some(&mark)).insert(db).await?;
    }
    // Next Saturday: the family told in time; the make-up waits to be booked.
    let next_saturday = super::next_weekday(today, chrono::Weekday::Sat);
    let notice = absence_notice::ActiveModel {
        enrollment_id: Set(e.id),
        lesson_date: Set(next_saturday),
        in_time: Set(true),
        reported_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    makeup_credit::ActiveModel {
        student_id: Set(son),
        course_id: Set(studio.id),
        notice_id: Set(notice.id),
        missed_date: Set(next_saturday),
        expires_on: Set(today + Days::new(30)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The studio's second group: the same title and ages, on Sundays at noon.
async fn second_group(db: &impl ConnectionTrait, studio: &course::Model, teacher: i32) -> Result<i32, DbErr> {
    let c = course::ActiveModel {
        title: Set(studio.title.clone()),
        description: Set(studio.description.clone()),
        term_start: Set(studio.term_start),
        term_end: Set(studio.term_end),
        age_min: Set(studio.age_min),
        age_max: Set(studio.age_max),
        ..Default::default()
    };
    Ok(super::family::children_course(db, c, teacher, 7, 12).await?.id)
}
