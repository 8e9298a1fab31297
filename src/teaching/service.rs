//! The teacher's workspace: own courses, their students, pending requests
//! and attendance. A teacher sees and changes only the courses they teach;
//! an admin may look at every course.
use crate::domain::ids::{CourseId, EnrollmentId, TeacherId, UserId};
use crate::server::{
    entities::{attendance, course, enrollment, portfolio_item, teacher, user},
};
use crate::{
    domain::{EnrollmentStatus, enrollment::PartnerAnswer, text::{self, Lines}},
    error::{AppError, FieldError},
    teaching::wire::{Desk, GuardianContact, Minor, Request, Roster, RosterRow, StudentCard, TeacherPage, TeacherProfile},
};
use crate::server::{addresses::Kind, families, guards::TeacherScope, teachers};
use crate::domain::family::{ADULT_AGE, age_label, age_on};
use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use std::collections::{HashMap, HashSet};

async fn courses_in(db: &DatabaseConnection, scope: &TeacherScope) -> Result<Vec<course::Model>, AppError> {
    let mut query = course::Entity::find().filter(course::Column::ArchivedAt.is_null());
    if let Some(course_ids) = scope.taught() {
        query = query.filter(course::Column::Id.is_in(course_ids.iter().copied()));
    }
    Ok(query.order_by_asc(course::Column::TermStart).order_by_asc(course::Column::Title).all(db).await?)
}

fn request_of(e: &enrollment::Model, title: &str, people: &HashMap<i32, user::Model>) -> Request {
    let student = e.student_id.and_then(|s| people.get(&s));
    Request {
        id: e.id,
        course_id: e.course_id,
        course_title: title.to_string(),
        student_id: e.student_id,
        student_name: student.map(|u| u.full_name.clone()).unwrap_or_else(|| "Удалённый ученик".into()),
        format: e.format,
        partner_name: e.partner_id.and_then(|p| people.get(&p)).map(|u| u.full_name.clone()),
        partner_answer: e.partner_status,
        period: e.period(),
        created_at: e.created_at,
    }
}

/// What the family tells the teacher about each minor among `people`: in a
/// fixed number of statements, however many children (`families::families_of`).
async fn minors_among<'a>(
    db: &DatabaseConnection,
    people: impl Iterator<Item = &'a user::Model>,
    today: NaiveDate,
) -> Result<HashMap<i32, Minor>, AppError> {
    let minors: HashMap<i32, u16> = people
        .filter_map(|u| u.birth_date.map(|b| (u.id, age_on(b, today))))
        .filter(|&(_, age)| age < ADULT_AGE)
        .collect();
    if minors.is_empty() {
        return Ok(HashMap::new());
    }
    let mut families = families::families_of(db, minors.keys().copied()).await?;
    Ok(minors
        .into_iter()
        .map(|(id, age)| {
            let (notes, guardians) = families.remove(&id).map(|(link, g)| (link.teacher_notes, g)).unwrap_or_default();
            let guardians = guardians
                .into_iter()
                .map(|g| GuardianContact { name: g.full_name, phone: g.phone, email: g.email })
                .collect();
            (id, Minor { age: age_label(age), guardians, notes })
        })
        .collect())
}

/// A student's address as the teacher may use it: none for a child
/// without a login (their guardians are the contact).
fn address_of(u: &user::Model) -> Option<String> {
    families::has_login(u).then(|| u.email.clone())
}

async fn people_of(db: &DatabaseConnection, rows: &[enrollment::Model]) -> Result<HashMap<i32, user::Model>, AppError> {
    let ids: Vec<i32> = rows.iter().flat_map(|e| [e.student_id, e.partner_id]).flatten().collect();
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u)).collect())
}

/// The dashboard: pending requests, oldest first, and the courses.
pub async fn desk(db: &DatabaseConnection, scope: &TeacherScope, today: NaiveDate) -> Result<Desk, AppError> {
    let courses = courses_in(db, scope).await?;
    let ids: Vec<i32> = courses.iter().map(|c| c.id).collect();
    let titles: HashMap<i32, String> = courses.iter().map(|c| (c.id, c.title.clone())).collect();
    let pending = enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.is_in(ids.iter().copied()))
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Pending))
        .order_by_asc(enrollment::Column::CreatedAt)
        .order_by_asc(enrollment::Column::Id)
        .all(db)
        .await?;
    let people = people_of(db, &pending).await?;
    let mut pending_per_course: HashMap<i32, usize> = HashMap::new();
    for e in &pending {
        *pending_per_course.entry(e.course_id).or_default() += 1;
    }
    let requests = pending.iter().map(|e| request_of(e, &titles[&e.course_id], &people)).collect();
    let cards = crate::schedule::service::cards(db, courses, today).await?;
    Ok(Desk {
        courses: cards.into_iter().map(|c| (pending_per_course.get(&c.id.0).copied().unwrap_or(0), c)).collect(),
        requests,
    })
}

/// Every date of the course's weekly slots from the term's start up to
/// `until`, newest first.
fn session_dates(term_start: NaiveDate, term_end: NaiveDate, weekdays: &HashSet<u32>, until: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut day = term_start;
    while day <= term_end.min(until) {
        if weekdays.contains(&day.weekday().number_from_monday()) {
            dates.push(day);
        }
        day = day + Days::new(1);
    }
    dates.reverse();
    dates
}

/// A course's students, optionally of one status, with the attendance
/// marks of `date` (the latest session by default).
pub async fn roster(
    db: &DatabaseConnection,
    scope: &TeacherScope,
    course_id: CourseId,
    status: Option<EnrollmentStatus>,
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Roster, AppError> {
    if !scope.covers(course_id) {
        return Err(AppError::NotFound);
    }
    let c = course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound)?;
    let title = c.title.clone();
    let card = crate::schedule::service::cards(db, vec![c], today).await?.pop().ok_or(AppError::NotFound)?;
    let weekdays: HashSet<u32> = card.slots.iter().map(|s| u32::from(s.weekday)).collect();
    let sessions = session_dates(card.term_start, card.term_end, &weekdays, today);
    let date = date.filter(|d| sessions.contains(d)).or_else(|| sessions.first().copied());

    let mut query = enrollment::Entity::find().filter(enrollment::Column::CourseId.eq(course_id));
    if let Some(s) = status {
        query = query.filter(enrollment::Column::Status.eq(s));
    }
    let rows = query.order_by_asc(enrollment::Column::CreatedAt).all(db).await?;
    let people = people_of(db, &rows).await?;
    let marks = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.is_in(rows.iter().map(|e| e.id)))
        .all(db)
        .await?;
    let teacher_names = crate::server::teachers::teacher_names(db, rows.iter().filter_map(|e| e.teacher_id)).await?;
    let minors = minors_among(db, people.values(), today).await?;
    let left = crate::passes::service::views::lessons_left_in(db, course_id.0, rows.iter().filter_map(|e| e.student_id), today).await?;
    let students = rows
        .iter()
        .map(|e| {
            let student = e.student_id.and_then(|s| people.get(&s));
            let mine = marks.iter().filter(|m| m.enrollment_id == e.id);
            RosterRow {
                request: request_of(e, &title, &people),
                email: student.and_then(address_of),
                phone: student.and_then(|u| u.phone.clone()),
                contacts: student.and_then(|u| u.contacts.clone()),
                teacher_name: e.teacher_id.and_then(|t| teacher_names.get(&t).cloned()),
                status: e.status,
                reason: e.reason.clone(),
                attended: mine.clone().filter(|m| m.present).count() as u32,
                missed: mine.clone().filter(|m| !m.present).count() as u32,
                mark: date.and_then(|d| mine.clone().find(|m| m.session_date == d).map(|m| m.present)),
                minor: e.student_id.and_then(|s| minors.get(&s).cloned()),
                lessons_left: e.student_id.and_then(|s| left.get(&s).copied()).unwrap_or(0),
                on_credit: mine.clone().filter(|m| m.on_credit).count() as u32,
            }
        })
        .collect();
    let makeups = crate::passes::service::makeups::guests(db, course_id, date, today).await?;
    Ok(Roster { course: card, students, sessions, date, status, makeups })
}

/// Marks confirmed students present or absent at one past session of a
/// course, all in one transaction: each mark written, and a lesson written
/// off (or returned) by the passes' books (`passes::service::ledger`).
pub async fn mark_session(
    db: &DatabaseConnection,
    scope: &TeacherScope,
    marks: &[(EnrollmentId, bool)],
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    use crate::passes::service::ledger::{self, Books};
    let ids: Vec<i32> = marks.iter().map(|(id, _)| id.0).collect();
    let rows: HashMap<i32, enrollment::Model> =
        enrollment::Entity::find().filter(enrollment::Column::Id.is_in(ids.iter().copied())).all(db).await?.into_iter().map(|e| (e.id, e)).collect();
    for (id, _) in marks {
        let e = rows.get(&id.0).filter(|e| scope.covers(CourseId(e.course_id))).ok_or(AppError::NotFound)?;
        if !matches!(e.status, EnrollmentStatus::Confirmed | EnrollmentStatus::Completed) {
            return Err(AppError::Conflict("Посещаемость отмечают только у подтверждённых учеников.".into()));
        }
        if date > today || date < e.period_start || date > e.period_end {
            return Err(AppError::field("date", "Эта дата не входит в период ученика или ещё не наступила."));
        }
    }
    let rules = crate::server::settings::pass_rules(db).await?;
    let told = crate::passes::service::makeups::told_in_time(db, ids.iter().copied(), date).await?;
    let txn = crate::server::db::write(db).await?;
    // Students' locks in one order, so that two teachers marking the same
    // students wait for each other instead of deadlocking.
    let mut students: Vec<i32> = rows.values().filter_map(|e| e.student_id).collect();
    students.sort_unstable();
    students.dedup();
    for &student in &students {
        crate::enrollment::service::lock_person(&txn, student).await?;
    }
    let existing: HashMap<i32, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.is_in(rows.keys().copied()))
        .filter(attendance::Column::SessionDate.eq(date))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.enrollment_id, m))
        .collect();
    let mut books: HashMap<(i32, i32), Books> = HashMap::new();
    for &(id, present) in marks {
        let e = &rows[&id.0];
        let mark = match existing.get(&id.0) {
            Some(m) if m.present == present => m.clone(),
            Some(m) => {
                let mut row: attendance::ActiveModel = m.clone().into();
                row.present = Set(present);
                row.marked_by = Set(Some(scope.id));
                row.marked_at = Set(Utc::now());
                row.update(&txn).await?
            }
            None => {
                attendance::ActiveModel {
                    enrollment_id: Set(id.0),
                    session_date: Set(date),
                    present: Set(present),
                    marked_by: Set(Some(scope.id)),
                    marked_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let Some(student) = e.student_id else { continue };
        let key = (student, e.course_id);
        if !books.contains_key(&key) {
            books.insert(key, Books::of(&txn, student, e.course_id).await?);
        }
        let student_books = books.get_mut(&key).expect("inserted above");
        let absence_costs = crate::passes::service::makeups::absence_costs(rules, told.contains(&id.0));
        ledger::settle(&txn, student_books, mark, absence_costs, Some(scope.id)).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A student's card for a teacher: only for students of the teacher's courses.
pub async fn student_card(
    db: &DatabaseConnection,
    scope: &TeacherScope,
    student_id: UserId,
    today: NaiveDate,
) -> Result<StudentCard, AppError> {
    let theirs = enrollment::Entity::find().filter(enrollment::Column::StudentId.eq(student_id)).all(db).await?;
    if !theirs.iter().any(|e| scope.covers(CourseId(e.course_id))) {
        return Err(AppError::NotFound);
    }
    let u = user::Entity::find_by_id(student_id).one(db).await?.ok_or(AppError::NotFound)?;
    let public_items = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::OwnerId.eq(u.id))
        .filter(portfolio_item::Column::IsPublic.eq(true))
        .count(db)
        .await?;
    let minor = minors_among(db, std::iter::once(&u), today).await?.remove(&u.id);
    Ok(StudentCard {
        portfolio_url: (public_items > 0).then(|| crate::portfolio::wire::public_href(u.id)),
        email: address_of(&u).unwrap_or_default(),
        minor,
        full_name: u.full_name,
        phone: u.phone.unwrap_or_default(),
        contacts: u.contacts.unwrap_or_default(),
        about: u.about.unwrap_or_default(),
        avatar_url: u.avatar_key.as_deref().map(|k| crate::server::storage::Shelf::Avatars.url(k)),
        partner_requests: theirs.iter().filter(|e| e.partner_status == Some(PartnerAnswer::Accepted)).count() as u32,
    })
}

/// A teacher's own profile as they and the office edit it.
pub fn profile_of(t: teacher::Model) -> TeacherProfile {
    let path = Kind::Teacher.page(t.slug.as_deref(), t.id);
    TeacherProfile { id: t.id, path, specialization: t.specialization, bio: t.bio }
}

pub async fn own_profile(db: &DatabaseConnection, u: &user::Model) -> Result<TeacherProfile, AppError> {
    let t = teachers::of_account(db, u.id).await?.ok_or(AppError::Forbidden)?;
    Ok(profile_of(t))
}

/// A teacher's specialization: required, up to 200 characters.
pub fn clean_specialization(raw: &str) -> Result<String, &'static str> {
    const MESSAGE: &str = "Укажите специализацию — до 200 символов.";
    text::required(raw, 200, Lines::One, MESSAGE, MESSAGE)
}

/// A teacher's biography: up to 5000 characters, paragraphs kept.
pub fn clean_bio(raw: &str) -> Result<String, &'static str> {
    text::clean(raw, 5000, Lines::Many).map_err(|p| p.or_too_long("Биография — не длиннее 5000 символов."))
}

/// Saves a teacher's public profile after checking it.
pub async fn save_profile(
    db: &impl sea_orm::ConnectionTrait,
    t: teacher::Model,
    specialization: &str,
    bio: &str,
) -> Result<teacher::Model, AppError> {
    let mut problems = Vec::new();
    let specialization = clean_specialization(specialization)
        .map_err(|m| problems.push(FieldError { field: "specialization".into(), message: m.into() }))
        .ok();
    let bio = clean_bio(bio).map_err(|m| problems.push(FieldError { field: "bio".into(), message: m.into() })).ok();
    let (Some(specialization), Some(bio)) = (specialization, bio) else {
        return Err(AppError::Invalid(problems));
    };
    let mut row: teacher::ActiveModel = t.into();
    row.specialization = Set(specialization);
    row.bio = Set(bio);
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}

pub async fn update_own_profile(db: &DatabaseConnection, u: &user::Model, specialization: &str, bio: &str) -> Result<(), AppError> {
    let t = teachers::of_account(db, u.id).await?.ok_or(AppError::Forbidden)?;
    save_profile(db, t, specialization, bio).await?;
    Ok(())
}

/// The public page of a teacher with the published courses they teach.
pub async fn public_page(db: &DatabaseConnection, teacher_id: TeacherId, today: NaiveDate) -> Result<TeacherPage, AppError> {
    let (t, u) = match crate::server::teachers::one(db, teacher_id.0).await? {
        Some((t, u)) if u.is_active => (t, u),
        _ => return Err(AppError::NotFound),
    };
    let ids = teachers::courses_taught_by(db, t.id).await?;
    let courses = crate::schedule::service::courses(db, today, None).await?.into_iter().filter(|c| ids.contains(&c.id.0)).collect();
    use crate::server::storage::{Shelf, picture};
    Ok(TeacherPage {
        id: t.id,
        path: Kind::Teacher.page(t.slug.as_deref(), t.id),
        name: u.full_name,
        specialization: t.specialization,
        bio: t.bio,
        photo_url: u.avatar_key.as_deref().map(|k| Shelf::Avatars.url(k)),
        picture: u.avatar_key.as_deref().and_then(|k| picture(Shelf::Avatars, k)),
        courses,
        structured_data: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_the_slot_weekdays_of_the_term_up_to_today() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        // Mondays and Thursdays of 1–20 December up to the 14th, newest first.
        let dates = session_dates(d(1), d(20), &HashSet::from([1, 4]), d(14));
        assert_eq!(dates, [d(14), d(10), d(7), d(3)]);
        assert!(session_dates(d(10), d(20), &HashSet::from([1]), d(5)).is_empty(), "not started");
    }
}
