//! The wizard's state: the choices checked one by one, and the seats of
//! the chosen period.
use crate::server::addresses::Kind;
use crate::domain::ids::{CourseId, TeacherId};
use super::rules::{open_course, term};
use crate::server::{
    guards::{ActingFor, Student},
    mail::Addressee,
    entities::{course, teacher, user},
    families,
    seats::free_seats,
    teachers,
};
use crate::{
    family::wire::Member,
    domain::{
        CourseFormat, Email, Role, TeacherRef, UserId,
        family::{ADULT_AGE, age_on},
        enrollment::Period,
        iso::parse_date,
    },
    enrollment::wire::{Draft, RawChoice, SeatsView, Step},
    error::{AppError, FieldError},
};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbErr, EntityTrait, QueryFilter,
};

/// The wizard's choices after checking; `None` where nothing was chosen yet.
pub(super) struct Checked {
    pub(super) teacher: Option<TeacherRef>,
    pub(super) format: Option<CourseFormat>,
    pub(super) partner: Option<user::Model>,
    /// The partner is a sibling: the guardian answers for both.
    pub(super) family_partner: bool,
    pub(super) period: Option<Period>,
    pub(super) errors: Vec<FieldError>,
}

impl Checked {
    pub(super) fn problem(&mut self, field: &str, message: &str) {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
    }
}

async fn course_teachers(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<(teacher::Model, user::Model)>, DbErr> {
    teachers::with_accounts(db, Some(teachers::of_course(db, course_id).await?)).await
}

/// Checks each choice that was made; missing ones stay `None` without error.
pub(super) async fn check_choice(
    db: &impl ConnectionTrait,
    who: &ActingFor,
    course: &course::Model,
    raw: &RawChoice,
    today: NaiveDate,
) -> Result<Checked, AppError> {
    let mut c = Checked { teacher: None, format: None, partner: None, family_partner: false, period: None, errors: Vec::new() };
    if let Some(refusal) = age_refusal(who, course) {
        c.problem("member", &refusal);
    }

    if !raw.teacher_id.trim().is_empty() {
        let wanted = raw.teacher_id.trim().parse::<i32>().ok();
        let teachers = course_teachers(db, course.id).await?;
        match teachers.into_iter().find(|(t, _)| Some(t.id) == wanted) {
            Some((t, u)) => c.teacher = Some(TeacherRef {
                id: TeacherId(t.id),
                path: Kind::Teacher.page(t.slug.as_deref(), t.id),
                name: u.full_name,
                specialization: t.specialization,
            }),
            None => c.problem("teacher_id", "Выберите педагога из списка."),
        }
    }

    if !raw.format.is_empty() {
        match CourseFormat::from_slug(&raw.format) {
            Some(CourseFormat::Personal) if course.offers_personal => c.format = Some(CourseFormat::Personal),
            Some(CourseFormat::Pair) if course.offers_pair => c.format = Some(CourseFormat::Pair),
            _ => c.problem("format", "Этот формат на курсе не предлагается: выберите другой."),
        }
    }

    let partner_email = raw.partner_email.trim();
    if c.format == Some(CourseFormat::Pair) && !partner_email.is_empty() {
        match Email::parse(partner_email) {
            Err(message) => c.problem("partner_email", message),
            Ok(email) if email.as_str() == who.address() => {
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

    let partner_member = raw.partner_member.trim();
    if c.format == Some(CourseFormat::Pair) && !partner_member.is_empty() {
        match sibling(db, who, partner_member, course, today).await? {
            Ok(_) if !partner_email.is_empty() => {
                c.problem("partner_member", "Укажите партнёра одним способом: почтой или из семьи.")
            }
            Ok(child) => (c.partner, c.family_partner) = (Some(child), true),
            Err(message) => c.problem("partner_member", &message),
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

/// The sibling `raw` names: a child of the acting guardian's family, not the
/// member booked for, of an age the course takes.
async fn sibling(
    db: &impl ConnectionTrait,
    who: &ActingFor,
    raw: &str,
    course: &course::Model,
    today: NaiveDate,
) -> Result<Result<user::Model, String>, DbErr> {
    let wanted = raw.parse::<i32>().ok();
    let found = families::minors_guarded_by(db, who.by().id, today)
        .await?
        .into_iter()
        .find(|child| Some(child.id) == wanted && child.id != who.id);
    let Some(child) = found else { return Ok(Err("Выберите партнёра из списка.".into())) };
    let refusal = child
        .birth_date
        .and_then(|birth| course.ages().refusal(&child.full_name, age_on(birth, course.term_start), course.term_start));
    Ok(refusal.map_or(Ok(child), Err))
}

/// Why the member may not take `course` for their age on its first day; a
/// person who gave no birth date books as an adult.
fn age_refusal(who: &ActingFor, course: &course::Model) -> Option<String> {
    let ages = course.ages();
    if ages.is_any() {
        return None;
    }
    match who.birth_date() {
        Some(birth) => ages.refusal(&who.name, age_on(birth, course.term_start), course.term_start),
        None if ages.fits(ADULT_AGE) => None,
        None => Some(format!(
            "Курс для возраста {}: запишите на него ребёнка — добавьте его в разделе «Семья».",
            ages.label().unwrap_or_default()
        )),
    }
}

/// The student about to book, or why staff cannot.
pub fn booking_student(u: &user::Model) -> Result<Student, AppError> {
    Student::check(u).map_err(|_| AppError::Conflict("Записываться на курсы могут только ученики школы.".into()))
}

/// The wizard's state: what is chosen, what is wrong, which step is next
/// and how many seats the chosen period has.
pub async fn draft(
    db: &DatabaseConnection,
    who: &ActingFor,
    members: Vec<Member>,
    course_id: CourseId,
    raw: &RawChoice,
    today: NaiveDate,
) -> Result<Draft, AppError> {
    let course = open_course(db, course_id.0, today).await?;
    let checked = check_choice(db, who, &course, raw, today).await?;
    let has_error = |step: Step| checked.errors.iter().any(|e| step.fields().contains(&e.field.as_str()));
    let chosen = members.is_empty() || !raw.member.trim().is_empty();
    let first_open_step = if !chosen || has_error(Step::Who) {
        Step::Who
    } else if checked.teacher.is_none() || has_error(Step::Teacher) {
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
    let card = crate::schedule::service::course(db, CourseId(course.id), today).await?.ok_or(AppError::NotFound)?.card;
    Ok(Draft {
        course: card,
        member: chosen.then_some(UserId(who.id)),
        members,
        teacher_id: checked.teacher.map(|t| t.id),
        format: checked.format,
        partner_email: raw.partner_email.trim().to_string(),
        partner_member: checked.partner.as_ref().filter(|_| checked.family_partner).map(|p| UserId(p.id)),
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
    course_id: CourseId,
    format: CourseFormat,
    start: &str,
    end: &str,
    today: NaiveDate,
) -> Result<Option<SeatsView>, AppError> {
    let course = open_course(db, course_id.0, today).await?;
    // Dates being picked are often not a period yet: no count, no error.
    let Ok(period) = Period::check(parse_date(start), parse_date(end), term(&course), today) else {
        return Ok(None);
    };
    let seats = format.seats();
    let free = free_seats(db, &course, period).await?;
    Ok(Some(SeatsView { free, capacity: course.capacity, fits: free >= seats }))
}
