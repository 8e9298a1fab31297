//! A large school for benchmarks and load tests, grown on top of the demo
//! school: many courses, many students, years of finished requests.
use crate::server::entities::{course, course_slot, course_teacher, enrollment, teacher, user};
use crate::domain::{CourseFormat, EnrollmentStatus, Role};
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// Adds `n` generated courses to a seeded school, each with two weekly
/// slots, a teacher and a few bookings: a large schedule for benchmarks.
pub async fn add_generated_courses(db: &DatabaseConnection, n: usize, today: NaiveDate) -> Result<(), DbErr> {
    let teachers: Vec<i32> = teacher::Entity::find().all(db).await?.into_iter().map(|t| t.id).collect();
    let students: Vec<i32> = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Student))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if teachers.is_empty() {
        return Err(DbErr::Custom("seed the demo school first".into()));
    }
    let now = Utc::now();
    let txn = crate::server::db::write(db).await?;
    for i in 0..n {
        let term_start = today + Duration::days((i % 30) as i64 - 7);
        let term_end = term_start + Duration::weeks(8 + (i % 8) as i64);
        let course_id = course::Entity::insert(course::ActiveModel {
            title: Set(format!("Мастерская № {}", i + 1)),
            description: Set("Сгенерированный курс для нагрузочного теста.\n\nВторой абзац описания.".into()),
            capacity: Set(6 + (i % 10) as i32),
            term_start: Set(term_start),
            term_end: Set(term_end),
            offers_personal: Set(i % 3 != 0),
            offers_pair: Set(true),
            is_published: Set(true),
            seat_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        course_teacher::Entity::insert(course_teacher::ActiveModel {
            course_id: Set(course_id),
            teacher_id: Set(teachers[i % teachers.len()]),
        })
        .exec_without_returning(&txn)
        .await?;
        for (k, weekday) in [(i % 7) as i16 + 1, ((i + 3) % 7) as i16 + 1].into_iter().enumerate() {
            course_slot::Entity::insert(course_slot::ActiveModel {
                course_id: Set(course_id),
                weekday: Set(weekday),
                starts_at: Set(NaiveTime::from_hms_opt(10 + ((i + k) % 10) as u32, 0, 0).expect("valid time")),
                duration_minutes: Set(90),
                room: Set(format!("Класс № {}", 1 + i % 5)),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        for (k, student) in students.iter().take(i % 4).enumerate() {
            enrollment::Entity::insert(enrollment::ActiveModel {
                student_id: Set(Some(*student)),
                course_id: Set(course_id),
                teacher_id: Set(Some(teachers[i % teachers.len()])),
                format: Set(CourseFormat::Personal),
                period_start: Set(term_start + Duration::weeks(k as i64)),
                period_end: Set(term_end),
                status: Set(if k % 2 == 0 { EnrollmentStatus::Confirmed } else { EnrollmentStatus::Pending }),
                seats: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    crate::server::addresses::settle_missing(db).await
}

/// Adds `n` generated students (no usable password): a large school for
/// the people list benchmark.
pub async fn add_generated_students(db: &DatabaseConnection, n: usize) -> Result<(), DbErr> {
    const NAMES: [&str; 8] = ["Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Захар"];
    const SURNAMES: [&str; 6] = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов"];
    let txn = crate::server::db::write(db).await?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|i| {
            let email = crate::domain::Email::parse(&format!("student{i:05}@example.ru")).expect("valid address");
            let name = format!("{} {} {i}", NAMES[i % NAMES.len()], SURNAMES[i % SURNAMES.len()]);
            user::new_account(&email, "!".into(), Role::Student, name, true)
        });
        user::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    txn.commit().await
}

/// Adds `n` enrollments of the past (a school's history: completed,
/// cancelled and rejected requests of earlier years), spread over the adult
/// students and the courses already there (the families' children have
/// rosters of their own: `add_generated_families`). They hold no seats, but
/// every query over enrollments has to step past them.
pub async fn add_enrollment_history(db: &DatabaseConnection, n: usize, today: NaiveDate) -> Result<(), DbErr> {
    let students: Vec<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(Role::Student))
        .filter(user::Column::BirthDate.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let courses: Vec<i32> = course::Entity::find().select_only().column(course::Column::Id).into_tuple().all(db).await?;
    let teachers: Vec<i32> = teacher::Entity::find().select_only().column(teacher::Column::Id).into_tuple().all(db).await?;
    if students.is_empty() || courses.is_empty() || teachers.is_empty() {
        return Err(DbErr::Custom("add students and courses first".into()));
    }
    let now = Utc::now();
    let txn = crate::server::db::write(db).await?;
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|&i| {
            let start = today - Duration::days(60 + (i % 1000) as i64);
            let status = match i % 10 {
                0..=6 => EnrollmentStatus::Completed,
                7 | 8 => EnrollmentStatus::Cancelled,
                _ => EnrollmentStatus::Rejected,
            };
            enrollment::ActiveModel {
                student_id: Set(Some(students[i % students.len()])),
                course_id: Set(courses[(i / 7) % courses.len()]),
                teacher_id: Set(Some(teachers[i % teachers.len()])),
                format: Set(CourseFormat::Personal),
                period_start: Set(start),
                period_end: Set(start + Duration::weeks(6)),
                status: Set(status),
                seats: Set(1),
                reason: Set((status == EnrollmentStatus::Rejected).then(|| "Группа набрана.".to_string())),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        enrollment::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    txn.commit().await
}

/// Adds `n` families of a guardian and two children, and `n` more children
/// to the demo parent's family, every child confirmed on each of the
/// school's age-grouped courses: rosters full of minors and a guardian
/// with many children, for the statement counts.
pub async fn add_generated_families(db: &DatabaseConnection, n: usize, today: NaiveDate) -> Result<(), DbErr> {
    use crate::server::{entities::{family, family_child, family_guardian}, families};
    use sea_orm::ActiveModelTrait;
    let aged: Vec<course::Model> = course::Entity::find()
        .filter(course::Column::AgeMax.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|c| c.ages().fits(8) && c.ages().fits(9))
        .collect();
    let parent = user::Entity::find().filter(user::Column::Email.eq(super::family::PARENT)).one(db).await?;
    let demo_family = match parent {
        Some(p) => families::family_guarded_by(db, p.id).await?,
        None => None,
    };
    let (Some(demo_family), false) = (demo_family, aged.is_empty()) else {
        return Err(DbErr::Custom("seed the demo school first".into()));
    };
    let now = Utc::now();
    let txn = crate::server::db::write(db).await?;
    let mut children = Vec::with_capacity(3 * n);
    for i in 0..n {
        let email = crate::domain::Email::parse(&format!("guardian{i:04}@example.ru")).expect("valid address");
        let guardian = user::new_account(&email, "!".into(), Role::Student, format!("Родитель {i}"), true).insert(&txn).await?;
        let family = family::ActiveModel { created_at: Set(now), ..Default::default() }.insert(&txn).await?;
        family_guardian::ActiveModel { family_id: Set(family.id), user_id: Set(guardian.id), created_at: Set(now), ..Default::default() }
            .insert(&txn)
            .await?;
        for (k, family_id) in [family.id, family.id, demo_family].into_iter().enumerate() {
            let born = today - Duration::days(365 * (8 + k as i64 % 2) + 30);
            let child = families::new_child_account(format!("Ребёнок {i}-{k}"), born).insert(&txn).await?;
            family_child::ActiveModel {
                family_id: Set(family_id),
                child_id: Set(child.id),
                teacher_notes: Set(Some("Заметка для педагога".into())),
                consented_at: Set(now),
                consented_by: Set(Some(guardian.id)),
                policy_version: Set("generated".into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            children.push(child.id);
        }
    }
    for c in &aged {
        let teacher_id: Option<i32> = course_teacher::Entity::find()
            .filter(course_teacher::Column::CourseId.eq(c.id))
            .select_only()
            .column(course_teacher::Column::TeacherId)
            .into_tuple()
            .one(&txn)
            .await?;
        let rows = children.iter().map(|&child| enrollment::ActiveModel {
            student_id: Set(Some(child)),
            course_id: Set(c.id),
            teacher_id: Set(teacher_id),
            format: Set(CourseFormat::Personal),
            period_start: Set(c.term_start),
            period_end: Set(c.term_end),
            status: Set(EnrollmentStatus::Confirmed),
            seats: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        enrollment::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        // Room for them all: the seats stay honest.
        let mut bigger: course::ActiveModel = c.clone().into();
        bigger.capacity = Set(c.capacity + children.len() as i32);
        bigger.update(&txn).await?;
    }
    txn.commit().await
}
