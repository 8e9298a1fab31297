//! A student books, cancels, or leaves the school.
use crate::domain::ids::{CourseId, EnrollmentId};
use super::{
    letters::{Details, applicant, notify_teacher, tell},
    rules::{apply, lock_course, lock_person, open_course, promote_waitlist, term},
    wizard::check_choice,
};
use crate::server::{
    guards::ActingFor,
    entities::{enrollment, user},
    mail,
    seats::free_seats,
    links,
    teachers,
};
use crate::{
    domain::{
        EnrollmentStatus,
        enrollment::{Event, PartnerAnswer, Period},
    },
    enrollment::wire::RawChoice,
    error::AppError,
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DbErr, EntityTrait, QueryFilter,
    sea_query::Expr,
};

/// What became of a booking request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Waitlisted,
    /// The same request was already made (a double click, a resent form).
    AlreadyRequested,
}

pub const COURSE_FULL: &str = "На выбранный период мест нет. Можно встать в лист ожидания: \
     как только место освободится, заявка уйдёт педагогу.";

/// Active requests in `course` overlapping `period` that involve `user_id`,
/// as the student or as a partner who has not declined.
async fn overlapping(
    db: &impl ConnectionTrait,
    course_id: i32,
    user_id: i32,
    period: Period,
) -> Result<Vec<enrollment::Model>, DbErr> {
    enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(course_id))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::ACTIVE))
        .filter(enrollment::Column::PeriodStart.lte(period.end))
        .filter(enrollment::Column::PeriodEnd.gte(period.start))
        .filter(
            Condition::any().add(enrollment::Column::StudentId.eq(user_id)).add(
                Condition::all()
                    .add(enrollment::Column::PartnerId.eq(user_id))
                    .add(enrollment::Column::PartnerStatus.ne(PartnerAnswer::Declined)),
            ),
        )
        .all(db)
        .await
}

/// Books seats for the member `student` names (the person themselves or
/// their child): a pending request when the period has room, a waitlisted
/// one when it has none and `join_waitlist` is set. Seats, the waitlist and
/// the duplicate rules apply to the member.
pub async fn book(
    db: &DatabaseConnection,
    site: &url::Url,
    student: &ActingFor,
    course_id: CourseId,
    raw: &RawChoice,
    join_waitlist: bool,
    today: NaiveDate,
) -> Result<Outcome, AppError> {
    let course = open_course(db, course_id.0, today).await?;
    let mut checked = check_choice(db, student, &course, raw, today).await?;
    if checked.teacher.is_none() && raw.teacher_id.trim().is_empty() {
        checked.problem("teacher_id", "Выберите педагога.");
    }
    if checked.format.is_none() && raw.format.is_empty() {
        checked.problem("format", "Выберите формат занятий.");
    }
    if checked.period.is_none()
        && raw.period_start.trim().is_empty()
        && raw.period_end.trim().is_empty()
        && let Err(problems) = Period::check(None, None, term(&course), today)
    {
        checked.errors.extend(problems);
    }
    let (Some(teacher), Some(format), Some(period), true) =
        (checked.teacher, checked.format, checked.period, checked.errors.is_empty())
    else {
        return Err(AppError::Invalid(checked.errors));
    };
    let (partner, family_partner) = (checked.partner, checked.family_partner);

    let txn = crate::server::db::write(db).await?;
    if !lock_person(&txn, student.id).await? {
        return Err(AppError::Unauthenticated);
    }
    let course = lock_course(&txn, course.id).await?;
    let mine = overlapping(&txn, course.id, student.id, period).await?;
    if let Some(same) = mine.iter().find(|e| {
        e.student_id == Some(student.id)
            && e.teacher_id == Some(teacher.id.0)
            && e.format == format
            && e.partner_id == partner.as_ref().map(|p| p.id)
            && e.period() == period
    }) {
        return Ok(if same.status == EnrollmentStatus::Waitlisted && !join_waitlist {
            Outcome::Waitlisted
        } else {
            Outcome::AlreadyRequested
        });
    }
    if !mine.is_empty() {
        return Err(AppError::field(
            "period_start",
            "У вас уже есть заявка на этот курс на пересекающиеся даты — она в истории записей.",
        ));
    }
    if let Some(p) = &partner
        && !overlapping(&txn, course.id, p.id, period).await?.is_empty()
    {
        return Err(AppError::field(
            if family_partner { "partner_member" } else { "partner_email" },
            "У этого ученика уже есть заявка на этот курс на пересекающиеся даты.",
        ));
    }

    let fits = free_seats(&txn, &course, period).await? >= format.seats();
    let status = match (fits, join_waitlist) {
        (true, _) => EnrollmentStatus::Pending,
        (false, true) => EnrollmentStatus::Waitlisted,
        (false, false) => return Err(AppError::Conflict(COURSE_FULL.into())),
    };
    let now = Utc::now();
    let row = enrollment::ActiveModel {
        student_id: Set(Some(student.id)),
        course_id: Set(course.id),
        teacher_id: Set(Some(teacher.id.0)),
        format: Set(format),
        partner_id: Set(partner.as_ref().map(|p| p.id)),
        partner_status: Set(partner.as_ref().map(|_| if family_partner { PartnerAnswer::Accepted } else { PartnerAnswer::Invited })),
        period_start: Set(period.start),
        period_end: Set(period.end),
        status: Set(status),
        seats: Set(format.seats() as i16),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;

    let about = Details::of(&course, Some(&teacher.name), &row, partner.as_ref().map(|p| p.full_name.as_str()));
    let history = links::to(site, links::HISTORY);
    match status {
        EnrollmentStatus::Waitlisted => tell(&txn, student.id, student, "Вы в листе ожидания", &[
            &format!("На выбранный период на курсе «{}» сейчас нет мест, и мы поставили вас в лист ожидания.", course.title),
            &about.text(),
            "Как только место освободится, заявка автоматически уйдёт педагогу — мы напишем.",
        ], &history).await?,
        _ => tell(&txn, student.id, student, "Заявка на курс получена", &[
            &format!("Мы получили вашу заявку на курс «{}». Педагог рассмотрит её в ближайшее время.", course.title),
            &about.text(),
        ], &history).await?,
    };
    if status == EnrollmentStatus::Pending {
        notify_teacher(&txn, site, row.teacher_id, &course, &about, &applicant(student)).await?;
    }
    if let Some(p) = partner.as_ref().filter(|_| !family_partner) {
        tell(&txn, p.id, p, "Вас приглашают заниматься в паре", &[
            &format!("{} приглашает вас заниматься в паре на курсе «{}».", student.name, course.title),
            &about.text(),
            "Примите или отклоните приглашение в разделе «Мои записи».",
        ], &history).await?;
    }
    txn.commit().await?;
    crate::server::metrics::booked();
    Ok(match status {
        EnrollmentStatus::Waitlisted => Outcome::Waitlisted,
        _ => Outcome::Pending,
    })
}

/// Withdraws a request: the student's own, or their child's by a guardian
/// (`ActingFor` checked for the request's student); seats it held go to the waitlist.
pub async fn cancel(
    db: &DatabaseConnection,
    site: &url::Url,
    student: &ActingFor,
    id: EnrollmentId,
    today: NaiveDate,
) -> Result<(), AppError> {
    let e = enrollment::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if e.student_id != Some(student.id) {
        return Err(AppError::Forbidden);
    }
    let txn = crate::server::db::write(db).await?;
    let course = lock_course(&txn, e.course_id).await?;
    // Read again under the lock: a teacher may have decided meanwhile.
    let e = enrollment::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if !e.status.student_may_cancel(e.period_start, today) {
        return Err(AppError::Conflict(match e.status {
            EnrollmentStatus::Pending | EnrollmentStatus::Confirmed => {
                "Занятия по этой заявке уже начались: чтобы отказаться, свяжитесь со школой.".into()
            }
            _ => format!("Заявку в статусе «{}» отменить нельзя.", e.status.label().to_lowercase()),
        }));
    }
    let freed = e.status.holds_seats();
    let e = apply(&txn, e, Event::Cancel, None, None).await?;
    if freed {
        let about = Details::of(&course, None, &e, None);
        let link = links::to(site, links::DESK);
        if let Some(teacher_id) = e.teacher_id
            && let Some((_, t)) = teachers::one(&txn, teacher_id).await?
        {
            mail::enqueue(&txn, mail::compose(
                &t.email, &t.full_name, "Ученик отменил заявку",
                &[&format!("{} отменил(а) заявку на курс «{}».", student.name, course.title), &about.text()],
                Some(("Открыть кабинет", &link)),
            )).await?;
        }
        promote_waitlist(&txn, site, &course, today).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The student a request is for (`NotFound` for an unknown request or one
/// whose student left): whom a cancellation must be allowed to act for.
pub async fn student_of(db: &DatabaseConnection, id: EnrollmentId) -> Result<crate::domain::UserId, AppError> {
    let e = enrollment::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    e.student_id.map(crate::domain::UserId).ok_or(AppError::NotFound)
}

/// Cancels every active request of a user who leaves the school, and
/// declines the invitations they had; freed seats go to the waitlist.
pub async fn withdraw_everything_of(
    txn: &impl ConnectionTrait,
    site: &url::Url,
    u: &user::Model,
    today: NaiveDate,
) -> Result<(), AppError> {
    let active = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(u.id))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::ACTIVE))
        .all(txn)
        .await?;
    let mut courses: Vec<i32> = active.iter().map(|e| e.course_id).collect();
    courses.sort_unstable();
    courses.dedup();
    for course_id in courses {
        let course = lock_course(txn, course_id).await?;
        for e in active.iter().filter(|e| e.course_id == course_id) {
            apply(txn, e.clone(), Event::Cancel, Some("Ученик удалил учётную запись."), None).await?;
        }
        promote_waitlist(txn, site, &course, today).await?;
    }
    enrollment::Entity::update_many()
        .col_expr(enrollment::Column::PartnerStatus, Expr::value(PartnerAnswer::Declined))
        .filter(enrollment::Column::PartnerId.eq(u.id))
        .filter(enrollment::Column::PartnerStatus.eq(PartnerAnswer::Invited))
        .exec(txn)
        .await?;
    Ok(())
}
