//! Notices of absence and make-ups. A student (or guardian) tells the
//! school ahead that they will miss one lesson; told at least the school's
//! hours ahead, nothing is written off for it and a make-up credit is
//! given, which the student books into another lesson of the course —
//! another weekday slot, or another group of the same title — that has a
//! free seat. The teacher of that lesson sees them on the roster; their
//! mark there spends the credit, not a pass.
use crate::{
    domain::{CourseId, EnrollmentId, EnrollmentStatus, enrollment::Period, makeup::PassRules},
    enrollment::service::{lock_course, lock_person},
    error::AppError,
    server::{
        entities::{absence_notice, course, course_slot, enrollment, makeup_credit},
        guards::{ActingFor, TeacherScope},
        seats::free_seats,
    },
};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter,
};

/// When a course's lesson on `day` starts: its earliest slot that weekday.
pub fn lesson_start(slots: &[course_slot::Model], course: i32, day: NaiveDate) -> Option<NaiveTime> {
    let weekday = day.weekday().number_from_monday() as i16;
    slots.iter().filter(|s| s.course_id == course && s.weekday == weekday).map(|s| s.starts_at).min()
}

async fn slots_of(db: &impl ConnectionTrait, courses: impl IntoIterator<Item = i32>) -> Result<Vec<course_slot::Model>, AppError> {
    Ok(course_slot::Entity::find().filter(course_slot::Column::CourseId.is_in(courses)).all(db).await?)
}

/// Tells the school the member will miss the lesson of `enrollment` on
/// `day`. Answers whether it came in time for a make-up. Telling again
/// changes nothing.
pub async fn report_absence(
    db: &DatabaseConnection,
    member: &ActingFor,
    enrollment_id: EnrollmentId,
    day: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let e = enrollment::Entity::find_by_id(enrollment_id)
        .one(db)
        .await?
        .filter(|e| e.student_id == Some(member.id))
        .ok_or(AppError::NotFound)?;
    if e.status != EnrollmentStatus::Confirmed || day < e.period_start || day > e.period_end {
        return Err(AppError::field("date", "В этот день у вас нет занятия по этой записи."));
    }
    let slots = slots_of(db, [e.course_id]).await?;
    let starts = lesson_start(&slots, e.course_id, day).ok_or_else(|| AppError::field("date", "В этот день занятия нет."))?;
    let starts = day.and_time(starts);
    if now >= starts {
        return Err(AppError::field("date", "Занятие уже началось: предупредить можно только о будущем."));
    }
    let rules = crate::server::settings::pass_rules(db).await?;
    let txn = crate::server::db::write(db).await?;
    lock_person(&txn, member.id).await?;
    let told = absence_notice::Entity::find()
        .filter(absence_notice::Column::EnrollmentId.eq(e.id))
        .filter(absence_notice::Column::LessonDate.eq(day))
        .one(&txn)
        .await?;
    if let Some(told) = told {
        return Ok(told.in_time);
    }
    let in_time = rules.in_time(starts, now);
    let notice = absence_notice::ActiveModel {
        enrollment_id: Set(e.id),
        lesson_date: Set(day),
        in_time: Set(in_time),
        reported_by: Set(Some(member.by().id)),
        reported_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if in_time {
        makeup_credit::ActiveModel {
            student_id: Set(member.id),
            course_id: Set(e.course_id),
            notice_id: Set(notice.id),
            missed_date: Set(day),
            expires_on: Set(rules.makeup_until(now.date())),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(in_time)
}

/// The courses a make-up of `course` may be taken in: the course itself
/// (another weekday slot) and the groups of the same title.
pub async fn makeup_courses(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<course::Model>, AppError> {
    let Some(c) = course::Entity::find_by_id(course_id).one(db).await? else { return Ok(Vec::new()) };
    Ok(crate::server::courses::visible().filter(course::Column::Title.eq(c.title)).all(db).await?)
}

/// Whether the member already has a regular lesson of `course` on `day`.
async fn attends(db: &impl ConnectionTrait, student: i32, course: i32, day: NaiveDate) -> Result<bool, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(student))
        .filter(enrollment::Column::CourseId.eq(course))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Confirmed))
        .filter(enrollment::Column::PeriodStart.lte(day))
        .filter(enrollment::Column::PeriodEnd.gte(day))
        .count(db)
        .await?
        > 0)
}

/// Books a make-up credit into the lesson of `target` on `day`, if a seat
/// is free there: the course's free seats that day, less the make-ups
/// already booked, plus the seats of those who told they will be away.
pub async fn book_makeup(
    db: &DatabaseConnection,
    member: &ActingFor,
    credit_id: i32,
    target: CourseId,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    lock_person(&txn, member.id).await?;
    let credit = makeup_credit::Entity::find_by_id(credit_id)
        .one(&txn)
        .await?
        .filter(|c| c.student_id == member.id)
        .ok_or(AppError::NotFound)?;
    if credit.booked_date.is_some() {
        return Err(AppError::Conflict("Эта отработка уже назначена.".into()));
    }
    if day < today || day > credit.expires_on {
        return Err(AppError::field("lesson", "Отработку можно назначить до конца её срока, не в прошлом."));
    }
    let allowed = makeup_courses(&txn, credit.course_id).await?;
    if !allowed.iter().any(|c| c.id == target.0) {
        return Err(AppError::field("lesson", "Отработка — только на занятии этого же курса."));
    }
    let slots = slots_of(&txn, [target.0]).await?;
    let c = lock_course(&txn, target.0).await?;
    let missed_here = target.0 == credit.course_id && day == credit.missed_date;
    if lesson_start(&slots, target.0, day).is_none() || day < c.term_start || day > c.term_end || missed_here {
        return Err(AppError::field("lesson", "В этот день у курса нет занятия для отработки."));
    }
    if attends(&txn, member.id, target.0, day).await? {
        return Err(AppError::field("lesson", "На это занятие вы и так записаны — выберите другое."));
    }
    let booked = makeup_credit::Entity::find()
        .filter(makeup_credit::Column::BookedCourseId.eq(target.0))
        .filter(makeup_credit::Column::BookedDate.eq(day))
        .count(&txn)
        .await? as i32;
    let away = absence_notice::Entity::find()
        .filter(absence_notice::Column::LessonDate.eq(day))
        .filter(absence_notice::Column::EnrollmentId.is_in(
            enrollment::Entity::find()
                .filter(enrollment::Column::CourseId.eq(target.0))
                .all(&txn)
                .await?
                .into_iter()
                .map(|e| e.id),
        ))
        .count(&txn)
        .await? as i32;
    if free_seats(&txn, &c, Period { start: day, end: day }).await? - booked + away <= 0 {
        return Err(AppError::field("lesson", "На это занятие мест нет — выберите другое."));
    }
    let mut row: makeup_credit::ActiveModel = credit.into();
    row.booked_course_id = Set(Some(target.0));
    row.booked_date = Set(Some(day));
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The teacher's mark of a make-up student: present spends the credit.
pub async fn mark_makeup(db: &DatabaseConnection, scope: &TeacherScope, credit_id: i32, present: bool, today: NaiveDate) -> Result<(), AppError> {
    let credit = makeup_credit::Entity::find_by_id(credit_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (Some(course), Some(day)) = (credit.booked_course_id, credit.booked_date) else { return Err(AppError::NotFound) };
    if !scope.covers(CourseId(course)) {
        return Err(AppError::NotFound);
    }
    if day > today {
        return Err(AppError::field("date", "Занятие ещё не прошло."));
    }
    let mut row: makeup_credit::ActiveModel = credit.into();
    row.attended = Set(Some(present));
    row.marked_by = Set(Some(scope.id));
    row.update(db).await?;
    Ok(())
}

/// Whether a lesson missed on `day` was told of in time: then an absence
/// costs nothing, whatever the school's rule.
pub async fn told_in_time(db: &impl ConnectionTrait, enrollments: impl IntoIterator<Item = i32>, day: NaiveDate) -> Result<Vec<i32>, AppError> {
    Ok(absence_notice::Entity::find()
        .filter(absence_notice::Column::EnrollmentId.is_in(enrollments))
        .filter(absence_notice::Column::LessonDate.eq(day))
        .filter(absence_notice::Column::InTime.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|n| n.enrollment_id)
        .collect())
}

/// Whether an absence costs a lesson: the school's rule, unless told in time.
pub fn absence_costs(rules: PassRules, told_in_time: bool) -> bool {
    rules.absence_written_off && !told_in_time
}

/// The make-up students booked into a course's lesson on `day` (a past
/// one, to mark) and into its lessons to come (to expect), by date.
pub async fn guests(db: &impl ConnectionTrait, course: CourseId, day: Option<NaiveDate>, today: NaiveDate) -> Result<Vec<crate::passes::wire::MakeupGuest>, AppError> {
    let mut credits = makeup_credit::Entity::find()
        .filter(makeup_credit::Column::BookedCourseId.eq(course))
        .filter(makeup_credit::Column::BookedDate.gte(day.unwrap_or(today).min(today)))
        .all(db)
        .await?;
    credits.retain(|c| c.booked_date.is_some_and(|d| Some(d) == day || d > today));
    credits.sort_by_key(|c| (c.booked_date, c.id));
    if credits.is_empty() {
        return Ok(Vec::new());
    }
    let names: std::collections::HashMap<i32, String> = crate::server::entities::user::Entity::find()
        .filter(crate::server::entities::user::Column::Id.is_in(credits.iter().map(|c| c.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    Ok(credits
        .into_iter()
        .map(|c| crate::passes::wire::MakeupGuest {
            credit_id: c.id,
            date: c.booked_date.unwrap_or(today),
            student_name: names.get(&c.student_id).cloned().unwrap_or_default(),
            attended: c.attended,
        })
        .collect())
}
