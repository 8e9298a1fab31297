//! A class for the attendance benchmark (`make bench-attendance`): a
//! course of the demo's first teacher that began two months ago, with
//! `n` confirmed students, each holding a paid pass of eight lessons.
use crate::domain::{CourseFormat, EnrollmentStatus, Role, pass::EntryKind};
use crate::server::entities::{course, course_slot, course_teacher, enrollment, pass, pass_entry, teacher, user};
use chrono::{Days, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};

/// The class's course and its students' requests.
pub async fn add_class_with_passes(db: &DatabaseConnection, n: usize, today: NaiveDate) -> Result<(i32, Vec<i32>), DbErr> {
    let now = Utc::now();
    let txn = crate::server::db::write(db).await?;
    let teacher = teacher::Entity::find().one(&txn).await?.ok_or(DbErr::RecordNotFound("a teacher".into()))?;
    let (term_start, term_end) = (today - Days::new(60), today + Days::new(60));
    let c = course::ActiveModel {
        title: Set("Класс для замера посещаемости".into()),
        description: Set(String::new()),
        capacity: Set(n as i32),
        term_start: Set(term_start),
        term_end: Set(term_end),
        offers_personal: Set(true),
        offers_pair: Set(false),
        is_published: Set(false),
        seat_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(c.id), teacher_id: Set(teacher.id) })
        .exec_without_returning(&txn)
        .await?;
    for weekday in 1..=7 {
        course_slot::ActiveModel {
            course_id: Set(c.id),
            weekday: Set(weekday),
            starts_at: Set(NaiveTime::from_hms_opt(18, 0, 0).expect("six o'clock")),
            duration_minutes: Set(90),
            room: Set("Большой зал".into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut enrollments = Vec::with_capacity(n);
    for i in 0..n {
        let email = crate::domain::Email::parse(&format!("class{i:03}.{}@example.ru", c.id)).expect("a valid address");
        let u = user::new_account(&email, "!".into(), Role::Student, format!("Ученик замера {i}"), true).insert(&txn).await?;
        let e = enrollment::ActiveModel {
            student_id: Set(Some(u.id)),
            course_id: Set(c.id),
            teacher_id: Set(Some(teacher.id)),
            format: Set(CourseFormat::Personal),
            period_start: Set(term_start),
            period_end: Set(term_end),
            status: Set(EnrollmentStatus::Confirmed),
            seats: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let p = pass::ActiveModel {
            student_id: Set(Some(u.id)),
            course_id: Set(Some(c.id)),
            format: Set(CourseFormat::Personal),
            name: Set("8 занятий".into()),
            lessons_bought: Set(8),
            price: Set(320_000),
            valid_from: Set(today - Days::new(30)),
            valid_until: Set(today + Days::new(30)),
            lessons_left: Set(8),
            sold_at: Set(Some(now)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        pass_entry::ActiveModel { pass_id: Set(p.id), kind: Set(EntryKind::Sale), lessons: Set(8), created_at: Set(now), ..Default::default() }
            .insert(&txn)
            .await?;
        enrollments.push(e.id);
    }
    txn.commit().await?;
    Ok((c.id, enrollments))
}
