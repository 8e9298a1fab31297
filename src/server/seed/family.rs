//! The demo school's family: a mother with a nine-year-old son, who has no
//! login of his own, and a fifteen-year-old daughter, who has one; and two
//! courses for children's ages, with a confirmed and a pending request;
//! the son's pass and make-up are `seed::passes`.
use crate::domain::{CourseFormat, Email, EnrollmentStatus, Role};
use crate::server::{
    entities::{course, course_slot, course_teacher, enrollment, family, family_child, family_guardian, user},
    families,
};
use chrono::{Duration, Months, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

pub const PARENT: &str = "parent@kulisy.test";
pub const TEEN: &str = "teen@kulisy.test";

/// (title, description, ages, indexes into the teachers, weekday, hour)
const CHILDREN_COURSES: [(&str, &str, (i16, i16), usize, i16, u32); 2] = [
    (
        "Детская театральная студия",
        "Театральные игры, этюды и первый спектакль для детей 7–10 лет. Учимся не бояться сцены, слышать партнёра и фантазировать.\n\nРодителей приглашаем на открытый урок в конце месяца.",
        (7, 10), 0, 6, 11,
    ),
    (
        "Подростковая театральная мастерская",
        "Для 13–17 лет: актёрский тренинг, сценическая речь и работа над пьесой. В конце сезона — спектакль на малой сцене.",
        (13, 17), 1, 3, 16,
    ),
];

async fn person(db: &impl ConnectionTrait, account: user::ActiveModel) -> Result<user::Model, DbErr> {
    account.insert(db).await
}

/// The family, its children's courses; answers the children's courses and
/// the son (whose passes `passes::seed` writes).
pub(super) async fn seed(
    db: &impl ConnectionTrait,
    password_hash: &str,
    teacher_ids: &[i32],
    today: NaiveDate,
) -> Result<(Vec<i32>, i32), DbErr> {
    let now = Utc::now();
    let years_ago = |years: u32, days: i64| today.checked_sub_months(Months::new(12 * years)).expect("a past date") - Duration::days(days);
    let login = |email: &str, name: &str, phone: Option<&str>| {
        let email = Email::parse(email).expect("demo addresses are valid");
        let mut account = user::new_account(&email, password_hash.to_string(), Role::Student, name.into(), true);
        account.phone = Set(phone.map(str::to_string));
        account
    };
    let parent = person(db, login(PARENT, "Елена Морозова", Some("+7 903 555-66-77"))).await?;
    let mut teen = login(TEEN, "Вера Морозова", None);
    teen.birth_date = Set(Some(years_ago(15, 40)));
    let teen = person(db, teen).await?;
    let son = person(db, families::new_child_account("Миша Морозов".into(), years_ago(9, 120))).await?;

    let family = family::ActiveModel { created_at: Set(now), ..Default::default() }.insert(db).await?;
    family_guardian::ActiveModel { family_id: Set(family.id), user_id: Set(parent.id), created_at: Set(now), ..Default::default() }
        .insert(db)
        .await?;
    let policy_version = crate::server::settings::privacy_policy_version(db).await?;
    for (child, notes, photos) in [
        (&son, Some("Аллергия на орехи. После занятий забирает бабушка, Нина Петровна."), false),
        (&teen, None, true),
    ] {
        family_child::ActiveModel {
            family_id: Set(family.id),
            child_id: Set(child.id),
            teacher_notes: Set(notes.map(str::to_string)),
            consented_at: Set(now),
            consented_by: Set(Some(parent.id)),
            policy_version: Set(policy_version.clone()),
            photos_consented_at: Set(photos.then_some(now)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }

    let mut courses = Vec::new();
    for ((title, description, (age_min, age_max), teacher, weekday, hour), (student, status)) in
        CHILDREN_COURSES.into_iter().zip([(&son, EnrollmentStatus::Confirmed), (&teen, EnrollmentStatus::Pending)])
    {
        // The studio started six weeks ago (the son has lessons behind him); the teenagers' course starts soon.
        let (term_start, term_end) = match status {
            EnrollmentStatus::Confirmed => (today - Duration::weeks(6), today + Duration::weeks(10)),
            _ => (today + Duration::days(5), today + Duration::weeks(16)),
        };
        let c = course::ActiveModel {
            title: Set(title.into()),
            description: Set(description.into()),
            term_start: Set(term_start),
            term_end: Set(term_end),
            age_min: Set(Some(age_min)),
            age_max: Set(Some(age_max)),
            ..Default::default()
        };
        let c = children_course(db, c, teacher_ids[teacher], weekday, hour).await?;
        enrollment::ActiveModel {
            student_id: Set(Some(student.id)),
            course_id: Set(c.id),
            teacher_id: Set(Some(teacher_ids[teacher])),
            format: Set(CourseFormat::Personal),
            period_start: Set(term_start),
            period_end: Set(term_end),
            status: Set(status),
            seats: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        courses.push(c.id);
    }
    Ok((courses, son.id))
}

/// A children's group as the demo keeps them, from its title, description,
/// ages and term: ten personal seats, published, with `teacher` and one
/// weekly lesson of 90 minutes on the small stage.
pub(super) async fn children_course(
    db: &impl ConnectionTrait,
    c: course::ActiveModel,
    teacher: i32,
    weekday: i16,
    hour: u32,
) -> Result<course::Model, DbErr> {
    let now = Utc::now();
    let c = course::ActiveModel {
        capacity: Set(10),
        offers_personal: Set(true),
        offers_pair: Set(false),
        is_published: Set(true),
        seat_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..c
    }
    .insert(db)
    .await?;
    course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(c.id), teacher_id: Set(teacher) })
        .exec_without_returning(db)
        .await?;
    course_slot::ActiveModel {
        course_id: Set(c.id),
        weekday: Set(weekday),
        starts_at: Set(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid time")),
        duration_minutes: Set(90),
        room: Set("Малая сцена".into()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(c)
}
