//! Enrollment rules: booking seats, the waitlist, cancellation, partner
//! answers and completion. Status changes follow the state machine of
//! `domain::enrollment`.
//!
//! Every change that depends on a seat count runs in one transaction whose
//! first statement bumps `courses.seat_version`. That write takes the
//! course's lock — the row lock on PostgreSQL, the database write lock on
//! SQLite — so counting seats and inserting or promoting cannot interleave
//! between two requests, and a course is never oversold.
use super::{
    Config,
    entities::{course, enrollment, teacher, user},
    mail::{self, Mail},
    seats::free_seats,
    links,
    teachers::{self, teacher_names},
};
use crate::{
    domain::{
        CourseFormat, Email, EnrollmentStatus, Role, TeacherRef,
        enrollment::{Event, PartnerAnswer, Period, peak_seats},
        ru,
        text::{self, Lines},
    },
    enrollment::wire::{Draft, EnrollmentView, MyEnrollments, RawChoice, SeatsView, Step, parse_date},
    error::{AppError, FieldError},
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use std::collections::HashMap;

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

/// Takes the course's write lock for the rest of the transaction and
/// returns the course as it is now.
pub(super) async fn lock_course(db: &impl ConnectionTrait, course_id: i32) -> Result<course::Model, AppError> {
    course::Entity::update_many()
        .col_expr(course::Column::SeatVersion, Expr::col(course::Column::SeatVersion).add(1))
        .filter(course::Column::Id.eq(course_id))
        .exec(db)
        .await?;
    course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Holds a person's row until the transaction ends, so that deleting their
/// account and booking for them take turns: whichever comes second sees
/// what the first did (a booking finds no person; a deletion finds the
/// booking and withdraws it). Taken before any course's lock, in every
/// transaction that takes both. False when the person is gone.
pub(super) async fn lock_person(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, DbErr> {
    let touched = user::Entity::update_many()
        .col_expr(user::Column::SessionEpoch, Expr::col(user::Column::SessionEpoch))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(touched.rows_affected == 1)
}

/// A course that takes requests: published, not archived, term not over.
async fn open_course(db: &impl ConnectionTrait, id: i32, today: NaiveDate) -> Result<course::Model, AppError> {
    course::Entity::find_by_id(id)
        .filter(course::Column::IsPublished.eq(true))
        .filter(course::Column::ArchivedAt.is_null())
        .filter(course::Column::TermEnd.gte(today))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn term(c: &course::Model) -> Period {
    Period { start: c.term_start, end: c.term_end }
}

/// The wizard's choices after checking; `None` where nothing was chosen yet.
struct Checked {
    teacher: Option<TeacherRef>,
    format: Option<CourseFormat>,
    partner: Option<user::Model>,
    period: Option<Period>,
    errors: Vec<FieldError>,
}

impl Checked {
    fn problem(&mut self, field: &str, message: &str) {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
    }
}

async fn course_teachers(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<(teacher::Model, user::Model)>, DbErr> {
    teachers::with_accounts(db, Some(teachers::of_course(db, course_id).await?)).await
}

/// Checks each choice that was made; missing ones stay `None` without error.
async fn check_choice(
    db: &impl ConnectionTrait,
    student: &user::Model,
    course: &course::Model,
    raw: &RawChoice,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let mut c = Checked { teacher: None, format: None, partner: None, period: None, errors: Vec::new() };

    if !raw.teacher_id.trim().is_empty() {
        let wanted = raw.teacher_id.trim().parse::<i32>().ok();
        let teachers = course_teachers(db, course.id).await?;
        match teachers.into_iter().find(|(t, _)| Some(t.id) == wanted) {
            Some((t, u)) => c.teacher = Some(TeacherRef { id: t.id, name: u.full_name, specialization: t.specialization }),
            None => c.problem("teacher_id", "Выберите педагога из списка."),
        }
    }

    match raw.format.as_str() {
        "" => {}
        "personal" if course.offers_personal => c.format = Some(CourseFormat::Personal),
        "pair" if course.offers_pair => c.format = Some(CourseFormat::Pair),
        _ => c.problem("format", "Этот формат на курсе не предлагается: выберите другой."),
    }

    let partner_email = raw.partner_email.trim();
    if c.format == Some(CourseFormat::Pair) && !partner_email.is_empty() {
        match Email::parse(partner_email) {
            Err(message) => c.problem("partner_email", message),
            Ok(email) if email.as_str() == student.email => {
                c.problem("partner_email", "Укажите адрес партнёра, а не свой.")
            }
            Ok(email) => {
                let found = user::Entity::find()
                    .filter(user::Column::Email.eq(email.as_str()))
                    .filter(user::Column::Role.eq(Role::Student))
                    .filter(user::Column::IsActive.eq(true))
                    .one(db)
                    .await?;
                match found {
                    Some(partner) => c.partner = Some(partner),
                    None => c.problem(
                        "partner_email",
                        "Ученик с таким адресом не найден: партнёр должен быть зарегистрирован в школе. \
                         Можно оставить поле пустым — партнёра подберёт педагог.",
                    ),
                }
            }
        }
    }

    let (start, end) = (raw.period_start.trim(), raw.period_end.trim());
    if !start.is_empty() || !end.is_empty() {
        let mut bad_date = false;
        for (field, text) in [("period_start", start), ("period_end", end)] {
            if !text.is_empty() && parse_date(text).is_none() {
                c.problem(field, "Дата указана неверно.");
                bad_date = true;
            }
        }
        if !bad_date {
            match Period::check(parse_date(start), parse_date(end), term(course), today) {
                Ok(p) => c.period = Some(p),
                Err(problems) => c.errors.extend(problems),
            }
        }
    }
    Ok(c)
}

fn only_students(u: &user::Model) -> Result<(), AppError> {
    if u.role == Role::Student {
        Ok(())
    } else {
        Err(AppError::Conflict("Записываться на курсы могут только ученики школы.".into()))
    }
}

/// The wizard's state: what is chosen, what is wrong, which step is next
/// and how many seats the chosen period has.
pub async fn draft(
    db: &DatabaseConnection,
    student: &user::Model,
    course_id: i32,
    raw: &RawChoice,
    today: NaiveDate,
) -> Result<Draft, AppError> {
    only_students(student)?;
    let course = open_course(db, course_id, today).await?;
    let checked = check_choice(db, student, &course, raw, today).await?;
    let has_error = |step: Step| checked.errors.iter().any(|e| step.fields().contains(&e.field.as_str()));
    let first_open_step = if checked.teacher.is_none() || has_error(Step::Teacher) {
        Step::Teacher
    } else if checked.format.is_none() || has_error(Step::Format) {
        Step::Format
    } else if checked.period.is_none() || has_error(Step::Period) {
        Step::Period
    } else {
        Step::Summary
    };
    let period = checked.period.unwrap_or_else(|| Period::default_for(term(&course), today));
    let format = checked.format.unwrap_or(CourseFormat::Personal);
    let free = free_seats(db, &course, period).await?;
    let card = super::catalogue::course(db, course.id, today).await?.ok_or(AppError::NotFound)?.card;
    Ok(Draft {
        course: card,
        teacher_id: checked.teacher.map(|t| t.id),
        format: checked.format,
        partner_email: raw.partner_email.trim().to_string(),
        partner_name: checked.partner.map(|p| p.full_name),
        period,
        errors: checked.errors,
        first_open_step,
        seats: SeatsView { free, capacity: course.capacity, fits: free >= format.seats() },
    })
}

/// Free seats for the live availability of the wizard's period step.
pub async fn seats_for(
    db: &DatabaseConnection,
    course_id: i32,
    format: &str,
    start: &str,
    end: &str,
    today: NaiveDate,
) -> Result<Option<SeatsView>, AppError> {
    let course = open_course(db, course_id, today).await?;
    // Dates being picked are often not a period yet: no count, no error.
    let Ok(period) = Period::check(parse_date(start), parse_date(end), term(&course), today) else {
        return Ok(None);
    };
    let seats = if format == "pair" { CourseFormat::Pair } else { CourseFormat::Personal }.seats();
    let free = free_seats(db, &course, period).await?;
    Ok(Some(SeatsView { free, capacity: course.capacity, fits: free >= seats }))
}

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

/// Books seats for `student`: a pending request when the period has room,
/// a waitlisted one when it has none and `join_waitlist` is set.
pub async fn book(
    db: &DatabaseConnection,
    site: &url::Url,
    student: &user::Model,
    course_id: i32,
    raw: &RawChoice,
    join_waitlist: bool,
    today: NaiveDate,
) -> Result<Outcome, AppError> {
    only_students(student)?;
    let course = open_course(db, course_id, today).await?;
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
    let partner = checked.partner;

    let txn = super::db::write(db).await?;
    if !lock_person(&txn, student.id).await? {
        return Err(AppError::Unauthenticated);
    }
    let course = lock_course(&txn, course.id).await?;
    let mine = overlapping(&txn, course.id, student.id, period).await?;
    if let Some(same) = mine.iter().find(|e| {
        e.student_id == Some(student.id)
            && e.teacher_id == Some(teacher.id)
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
            "partner_email",
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
        teacher_id: Set(Some(teacher.id)),
        format: Set(format),
        partner_id: Set(partner.as_ref().map(|p| p.id)),
        partner_status: Set(partner.as_ref().map(|_| PartnerAnswer::Invited)),
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
    let to_student = match status {
        EnrollmentStatus::Waitlisted => letter(student, "Вы в листе ожидания", &[
            &format!("На выбранный период на курсе «{}» сейчас нет мест, и мы поставили вас в лист ожидания.", course.title),
            &about.text(),
            "Как только место освободится, заявка автоматически уйдёт педагогу — мы напишем.",
        ], &history),
        _ => letter(student, "Заявка на курс получена", &[
            &format!("Мы получили вашу заявку на курс «{}». Педагог рассмотрит её в ближайшее время.", course.title),
            &about.text(),
        ], &history),
    };
    mail::enqueue(&txn, to_student).await?;
    if status == EnrollmentStatus::Pending {
        notify_teacher(&txn, site, row.teacher_id, &course, &about, student).await?;
    }
    if let Some(p) = &partner {
        mail::enqueue(&txn, letter(p, "Вас приглашают заниматься в паре", &[
            &format!("{} приглашает вас заниматься в паре на курсе «{}».", student.full_name, course.title),
            &about.text(),
            "Примите или отклоните приглашение в разделе «Мои записи».",
        ], &history)).await?;
    }
    txn.commit().await?;
    Ok(match status {
        EnrollmentStatus::Waitlisted => Outcome::Waitlisted,
        _ => Outcome::Pending,
    })
}

/// The lines every letter about an enrollment carries.
struct Details {
    lines: Vec<String>,
}

impl Details {
    fn of(course: &course::Model, teacher: Option<&str>, e: &enrollment::Model, partner: Option<&str>) -> Details {
        let mut lines = vec![format!("Курс: {}", course.title)];
        if let Some(t) = teacher {
            lines.push(format!("Педагог: {t}"));
        }
        lines.push(format!("Формат: {}", e.format.label().to_lowercase()));
        if let Some(p) = partner {
            lines.push(format!("Партнёр: {p}"));
        }
        lines.push(format!("Период: {}", ru::date_range(e.period_start, e.period_end)));
        Details { lines }
    }

    fn text(&self) -> String {
        self.lines.join("\n")
    }
}

fn letter(to: &user::Model, subject: &str, paragraphs: &[&str], history: &str) -> Mail {
    mail::compose(&to.email, &to.full_name, subject, paragraphs, Some(("Мои записи", history)))
}

async fn notify_teacher(
    db: &impl ConnectionTrait,
    site: &url::Url,
    teacher_id: Option<i32>,
    course: &course::Model,
    about: &Details,
    student: &user::Model,
) -> Result<(), DbErr> {
    let Some(teacher_id) = teacher_id else { return Ok(()) };
    let Some((_, t)) = teachers::one(db, teacher_id).await? else {
        return Ok(());
    };
    let link = links::to(site, links::DESK);
    mail::enqueue(db, mail::compose(
        &t.email, &t.full_name, "Новая заявка на курс",
        &[&format!("{} ({}) записывается на курс «{}».", student.full_name, student.email, course.title), &about.text(),
          "Подтвердите или отклоните заявку в личном кабинете."],
        Some(("Открыть кабинет", &link)),
    )).await
}

/// Moves `e` along the state machine by `event`, recording `reason` and,
/// for a decision, who made it.
pub(super) async fn apply(
    db: &impl ConnectionTrait,
    e: enrollment::Model,
    event: Event,
    reason: Option<&str>,
    decided_by: Option<i32>,
) -> Result<enrollment::Model, AppError> {
    let next = e.status.after(event).ok_or(AppError::BadRequest)?;
    let mut row: enrollment::ActiveModel = e.into();
    row.status = Set(next);
    if let Some(reason) = reason {
        row.reason = Set(Some(reason.into()));
    }
    if let Some(actor) = decided_by {
        row.decided_by = Set(Some(actor));
        row.decided_at = Set(Some(Utc::now()));
    }
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}

/// Withdraws the student's own request; seats it held go to the waitlist.
pub async fn cancel(
    db: &DatabaseConnection,
    site: &url::Url,
    student: &user::Model,
    id: i32,
    today: NaiveDate,
) -> Result<(), AppError> {
    let e = enrollment::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if e.student_id != Some(student.id) {
        return Err(AppError::Forbidden);
    }
    let txn = super::db::write(db).await?;
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
                &[&format!("{} отменил(а) заявку на курс «{}».", student.full_name, course.title), &about.text()],
                Some(("Открыть кабинет", &link)),
            )).await?;
        }
        promote_waitlist(&txn, site, &course, today).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Moves waitlisted requests of `course`, oldest first, to `pending` while
/// they fit. Runs inside the transaction that freed the seats, under the
/// course's lock.
pub async fn promote_waitlist(
    txn: &impl ConnectionTrait,
    site: &url::Url,
    course: &course::Model,
    today: NaiveDate,
) -> Result<Vec<i32>, AppError> {
    let waiting = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(course.id))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Waitlisted))
        .filter(enrollment::Column::PeriodEnd.gte(today))
        .order_by_asc(enrollment::Column::CreatedAt)
        .order_by_asc(enrollment::Column::Id)
        .all(txn)
        .await?;
    let mut promoted = Vec::new();
    for w in waiting {
        if free_seats(txn, course, w.period()).await? < i32::from(w.seats) {
            continue;
        }
        let w = apply(txn, w, Event::Promote, None, None).await?;
        promoted.push(w.id);
        let student = match w.student_id {
            Some(id) => user::Entity::find_by_id(id).one(txn).await?,
            None => None,
        };
        let Some(student) = student else { continue };
        let about = Details::of(course, None, &w, None);
        let history = links::to(site, links::HISTORY);
        mail::enqueue(txn, letter(&student, "Освободилось место на курсе", &[
            &format!("На курсе «{}» освободилось место. Ваша заявка из листа ожидания передана педагогу.", course.title),
            &about.text(),
        ], &history)).await?;
        notify_teacher(txn, site, w.teacher_id, course, &about, &student).await?;
    }
    Ok(promoted)
}

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

/// Applies a teacher's decision to request `id` of a course the caller may
/// act on (`may_act_on` says which). Under the course's lock the request is
/// read again, so a decision meets the request as it is now: a second
/// decision, or a cancellation a moment earlier, ends in a clear message.
pub async fn decide(
    db: &DatabaseConnection,
    config: &Config,
    actor: &user::Model,
    may_act_on: impl Fn(i32) -> bool,
    id: i32,
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
    if !may_act_on(e.course_id) {
        return Err(AppError::NotFound);
    }
    let txn = super::db::write(db).await?;
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
    let e = apply(&txn, e, event, reason.as_deref(), Some(actor.id)).await?;

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
        let school = super::settings::school(&txn).await?;
        let mail = match event {
            Event::Confirm => {
                let mut mail = letter(&student, "Заявка подтверждена", &[
                    &format!("Педагог подтвердил вашу запись на курс «{}». До встречи на занятиях!", course.title),
                    &about,
                    "Расписание занятий — в приложенном файле: откройте его, чтобы добавить занятия в календарь.",
                ], &history);
                let series = super::calendar::series_of(&txn, &config.site_url, &school, std::slice::from_ref(&e)).await?;
                let name = format!("{} — занятия", school.name);
                let ics = super::calendar::calendar(&name, config.time_zone, &series, Utc::now());
                mail.attachment = Some(("kulisy.ics".into(), "text/calendar; charset=utf-8; method=PUBLISH".into(), ics));
                mail
            }
            Event::Reject => letter(&student, "Заявка отклонена", &[
                &format!("К сожалению, педагог отклонил вашу заявку на курс «{}».", course.title),
                &format!("Причина: {}", reason.as_deref().unwrap_or_default()),
                &about,
                "Посмотрите другие курсы в расписании — будем рады видеть вас.",
            ], &history),
            _ => letter(&student, "Курс завершён", &[
                &format!("Ваше обучение на курсе «{}» завершено. Спасибо, что были с нами!", course.title),
                &about,
                "Поделитесь впечатлениями: отзыв можно оставить в разделе «Мои записи».",
            ], &history),
        };
        mail::enqueue_signed(&txn, mail, &school).await?;
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
    id: i32,
    accept: bool,
) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
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
        mail::enqueue(&txn, letter(&student, "Ответ партнёра", &[
            &format!("{} {verb} заниматься с вами в паре на курсе «{}».", partner.full_name, course.title),
        ], &history)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Closes requests whose period is over: confirmed ones are completed,
/// undecided ones expire. Returns how many changed.
pub async fn close_ended(db: &DatabaseConnection, today: NaiveDate) -> Result<u64, DbErr> {
    let mut changed = 0;
    let transitions = [
        (EnrollmentStatus::Confirmed, Event::Complete, None),
        (EnrollmentStatus::Pending, Event::Expire, Some("Заявку не успели рассмотреть до конца периода.")),
        (EnrollmentStatus::Waitlisted, Event::Expire, Some("Место так и не освободилось.")),
    ];
    for (from, event, reason) in transitions {
        let Some(to) = from.after(event) else { continue };
        let mut update = enrollment::Entity::update_many()
            .col_expr(enrollment::Column::Status, Expr::value(to))
            .col_expr(enrollment::Column::UpdatedAt, Expr::value(Utc::now()));
        if let Some(reason) = reason {
            update = update.col_expr(enrollment::Column::Reason, Expr::value(reason));
        }
        // The status in the filter makes each row change once, whoever else
        // is deciding on it at the same moment.
        changed += update
            .filter(enrollment::Column::Status.eq(from))
            .filter(enrollment::Column::PeriodEnd.lt(today))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(changed)
}

/// Closes ended periods at start and then every ten minutes.
pub fn spawn_closer(db: DatabaseConnection, tz: chrono_tz::Tz) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let today = Utc::now().with_timezone(&tz).date_naive();
            match close_ended(&db, today).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "closed enrollments whose period ended"),
                Err(e) => tracing::error!(error = %e, "closing ended enrollments"),
            }
        }
    });
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

/// The history page: the user's own requests and the invitations they got.
pub async fn history(
    db: &DatabaseConnection,
    u: &user::Model,
    today: NaiveDate,
    config: &Config,
) -> Result<MyEnrollments, AppError> {
    let rows = enrollment::Entity::find()
        .filter(
            Condition::any()
                .add(enrollment::Column::StudentId.eq(u.id))
                .add(enrollment::Column::PartnerId.eq(u.id)),
        )
        .order_by_desc(enrollment::Column::PeriodStart)
        .order_by_desc(enrollment::Column::Id)
        .all(db)
        .await?;

    let titles = super::catalogue::course_titles(db, rows.iter().map(|e| e.course_id)).await?;
    let teacher_names = teacher_names(db, rows.iter().filter_map(|e| e.teacher_id)).await?;
    let people: Vec<i32> = rows.iter().flat_map(|e| [e.student_id, e.partner_id]).flatten().collect();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();

    let mut attendance: HashMap<i32, Vec<(NaiveDate, bool)>> = HashMap::new();
    for mark in super::entities::attendance::Entity::find()
        .filter(super::entities::attendance::Column::EnrollmentId.is_in(rows.iter().map(|e| e.id)))
        .order_by_asc(super::entities::attendance::Column::SessionDate)
        .all(db)
        .await?
    {
        attendance.entry(mark.enrollment_id).or_default().push((mark.session_date, mark.present));
    }

    let (mut own, mut as_partner) = (Vec::new(), Vec::new());
    for e in rows {
        let mine = e.student_id == Some(u.id);
        let view = EnrollmentView {
            id: e.id,
            course_id: e.course_id,
            course_title: titles.get(&e.course_id).cloned().unwrap_or_default(),
            teacher_name: e.teacher_id.and_then(|t| teacher_names.get(&t).cloned()),
            student_name: e.student_id.and_then(|s| names.get(&s).cloned()),
            format: e.format,
            partner_name: e.partner_id.and_then(|p| names.get(&p).cloned()),
            partner_answer: e.partner_status,
            period: e.period(),
            status: e.status,
            reason: e.reason,
            created_at: e.created_at,
            may_cancel: mine && e.status.student_may_cancel(e.period_start, today),
            may_answer: !mine
                && e.partner_status == Some(PartnerAnswer::Invited)
                && EnrollmentStatus::ACTIVE.contains(&e.status),
            attendance: attendance.remove(&e.id).unwrap_or_default(),
        };
        if mine { own.push(view) } else { as_partner.push(view) }
    }
    Ok(MyEnrollments { own, as_partner, feed_url: super::calendar::feed_url(config, u) })
}
