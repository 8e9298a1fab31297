//! A teacher's decision on a request, and a partner's answer to an invitation.
use crate::domain::ids::CourseId;
use crate::domain::ids::EnrollmentId;
use super::{
    letters::{Details, letters, tell},
    rules::{apply, lock_course, promote_waitlist},
};
use crate::server::{
    Config,
    entities::{course, enrollment, user},
    mail,
    links,
    teachers::teacher_names,
};
use crate::{
    domain::{
        EnrollmentStatus,
        enrollment::{Event, PartnerAnswer, peak_seats},
        text::{self, Lines},
    },
    error::AppError,
};
use crate::server::guards::TeacherScope;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Expr,
};

/// What a teacher (or an admin) decides about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Reject { reason: String },
    /// Ends a confirmed enrollment early, e.g. after the final showing.
    Complete,
}

/// The longest reason a teacher may write.
pub const REASON_MAX_CHARS: usize = 1000;

/// Applies a teacher's decision to request `id` of a course within `scope`. Under the course's lock the request is
/// read again, so a decision meets the request as it is now: a second
/// decision, or a cancellation a moment earlier, ends in a clear message.
pub async fn decide(
    db: &DatabaseConnection,
    config: &Config,
    scope: &TeacherScope,
    id: EnrollmentId,
    decision: Decision,
    today: NaiveDate,
) -> Result<(), AppError> {
    let reason = match &decision {
        Decision::Reject { reason } => {
            let reason = text::required(
                reason,
                REASON_MAX_CHARS,
                Lines::Many,
                "Укажите причину: ученик её увидит.",
                "Причина слишком длинная: не больше 1000 символов.",
            );
            Some(reason.map_err(|m| AppError::field("reason", m))?)
        }
        _ => None,
    };
    let e = enrollment::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !scope.covers(CourseId(e.course_id)) {
        return Err(AppError::NotFound);
    }
    let txn = crate::server::db::write(db).await?;
    let course = lock_course(&txn, e.course_id).await?;
    let e = enrollment::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let (event, expected) = match decision {
        Decision::Confirm => (Event::Confirm, EnrollmentStatus::Pending),
        Decision::Reject { .. } => (Event::Reject, EnrollmentStatus::Pending),
        Decision::Complete => (Event::Complete, EnrollmentStatus::Confirmed),
    };
    if e.status != expected {
        return Err(AppError::Conflict(format!(
            "Заявка уже в статусе «{}»: возможно, ученик её отменил или решение уже принято. Обновите страницу.",
            e.status.label().to_lowercase()
        )));
    }
    if event == Event::Confirm {
        // Confirmed seats never exceed the capacity, even if it was lowered
        // after the request was made.
        let confirmed = enrollment::Entity::find()
            .filter(enrollment::Column::CourseId.eq(course.id))
            .filter(enrollment::Column::Status.eq(EnrollmentStatus::Confirmed))
            .filter(enrollment::Column::PeriodEnd.gte(e.period_start))
            .all(&txn)
            .await?;
        let taken = peak_seats(confirmed.iter().map(|c| (c.period(), i32::from(c.seats))), e.period());
        if taken + i32::from(e.seats) > course.capacity {
            return Err(AppError::Conflict("На этот период все места уже подтверждены другим ученикам.".into()));
        }
    }
    let freed = event == Event::Reject;
    let e = apply(&txn, e, event, reason.as_deref(), Some(scope.id)).await?;

    let student = match e.student_id {
        Some(sid) => user::Entity::find_by_id(sid).one(&txn).await?,
        None => None,
    };
    if let Some(student) = student {
        let teacher = match e.teacher_id {
            Some(t) => teacher_names(&txn, [t]).await?.remove(&t),
            None => None,
        };
        let about = Details::of(&course, teacher.as_deref(), &e, None).text();
        let history = links::to(&config.site_url, links::HISTORY);
        let school = crate::server::settings::school(&txn).await?;
        let (subject, paragraphs): (&str, Vec<String>) = match event {
            Event::Confirm => ("Заявка подтверждена", vec![
                format!("Педагог подтвердил вашу запись на курс «{}». До встречи на занятиях!", course.title),
                about,
                "Расписание занятий — в приложенном файле: откройте его, чтобы добавить занятия в календарь.".into(),
            ]),
            Event::Reject => ("Заявка отклонена", vec![
                format!("К сожалению, педагог отклонил вашу заявку на курс «{}».", course.title),
                format!("Причина: {}", reason.as_deref().unwrap_or_default()),
                about,
                "Посмотрите другие курсы в расписании — будем рады видеть вас.".into(),
            ]),
            _ => ("Курс завершён", vec![
                format!("Ваше обучение на курсе «{}» завершено. Спасибо, что были с нами!", course.title),
                about,
                "Поделитесь впечатлениями: отзыв можно оставить в разделе «Мои записи».".into(),
            ]),
        };
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let calendar = if event == Event::Confirm {
            let series = crate::enrollment::service::calendar::series_of(&txn, &config.site_url, &school, std::slice::from_ref(&e), today).await?;
            let name = format!("{} — занятия", school.name);
            Some(crate::enrollment::service::calendar::calendar(&name, config.time_zone, &series, Utc::now()))
        } else {
            None
        };
        for mut mail in letters(&txn, student.id, &student, subject, &paragraphs, &history).await? {
            if let Some(ics) = &calendar {
                mail.attachment = Some(("kulisy.ics".into(), "text/calendar; charset=utf-8; method=PUBLISH".into(), ics.clone()));
            }
            mail::enqueue_signed(&txn, mail, &school).await?;
        }
    }
    if freed {
        promote_waitlist(&txn, &config.site_url, &course, today).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The named partner accepts or declines the invitation.
pub async fn answer_invitation(
    db: &DatabaseConnection,
    site: &url::Url,
    partner: &user::Model,
    id: EnrollmentId,
    accept: bool,
) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let e = enrollment::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if e.partner_id != Some(partner.id) {
        return Err(AppError::Forbidden);
    }
    if e.partner_status != Some(PartnerAnswer::Invited) || !EnrollmentStatus::ACTIVE.contains(&e.status) {
        return Err(AppError::Conflict("На это приглашение уже ответили, или заявка больше не действует.".into()));
    }
    let answer = if accept { PartnerAnswer::Accepted } else { PartnerAnswer::Declined };
    // Conditional on the old answer: two answers at once apply only one.
    let changed = enrollment::Entity::update_many()
        .col_expr(enrollment::Column::PartnerStatus, Expr::value(answer))
        .col_expr(enrollment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(enrollment::Column::Id.eq(id))
        .filter(enrollment::Column::PartnerStatus.eq(PartnerAnswer::Invited))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(AppError::Conflict("На это приглашение уже ответили.".into()));
    }
    if let Some(student_id) = e.student_id
        && let Some(student) = user::Entity::find_by_id(student_id).one(&txn).await?
        && let Some(course) = course::Entity::find_by_id(e.course_id).one(&txn).await?
    {
        let verb = if accept { "согласился(-ась)" } else { "отказался(-ась)" };
        let history = links::to(site, links::HISTORY);
        tell(&txn, student.id, &student, "Ответ партнёра", &[
            &format!("{} {verb} заниматься с вами в паре на курсе «{}».", partner.full_name, course.title),
        ], &history).await?;
    }
    txn.commit().await?;
    Ok(())
}
