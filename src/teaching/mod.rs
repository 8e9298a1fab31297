//! The teacher's workspace: the desk (pending requests and own courses), a
//! course's students with attendance, a student's card, the teacher's own
//! profile, and the public teacher page. Rules live in `teaching::service`
//! and, for decisions on requests, `enrollment::service::decide`.
mod minor;
mod pages;
mod roster;
pub mod wire;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{DeskPage, StudentPage, TeacherProfilePanel, TeacherPublicPage};
pub use roster::RosterPage;
pub use wire::*;

use crate::{domain::{CourseId, EnrollmentId, UserId}, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{auth, flash, guards::TeacherScope, state},
    ui::FlashKind,
};

/// Teachers (own courses) and admins (all).
#[server(endpoint = "teaching/desk")]
pub async fn load_desk() -> Result<Desk, AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    service::desk(&s.db, &scope, s.today()).await
}

/// Teachers of the course and admins.
#[server(endpoint = "teaching/roster")]
pub async fn load_roster(course_id: CourseId, status: String, date: String) -> Result<Roster, AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    let date = crate::domain::iso::parse_date(&date);
    service::roster(&s.db, &scope, course_id, crate::domain::EnrollmentStatus::from_slug(&status), date, s.today()).await
}

/// Teachers of the course and admins: `confirm`, `reject` (with a reason)
/// or `complete`. Answers with what happened, to show beside the list.
#[server(endpoint = "teaching/decide")]
pub async fn decide_request(id: EnrollmentId, decision: DecisionChoice, reason: Option<String>) -> Result<String, AppError> {
    let scope = TeacherScope::of_request().await?;
    let decision = match decision {
        DecisionChoice::Confirm => crate::enrollment::service::Decision::Confirm,
        DecisionChoice::Reject => crate::enrollment::service::Decision::Reject { reason: reason.unwrap_or_default() },
        DecisionChoice::Complete => crate::enrollment::service::Decision::Complete,
    };
    let text = match decision {
        crate::enrollment::service::Decision::Confirm => "Заявка подтверждена: ученик получит письмо с расписанием.",
        crate::enrollment::service::Decision::Reject { .. } => "Заявка отклонена: ученик получит письмо с причиной.",
        crate::enrollment::service::Decision::Complete => "Обучение отмечено завершённым.",
    };
    let s = state()?;
    crate::enrollment::service::decide(&s.db, &s.config, &scope, id, decision, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, text);
    Ok(text.to_string())
}

/// Teachers of the course and admins: whether the student came that day.
#[server(endpoint = "teaching/attendance")]
pub async fn mark_attendance(enrollment_id: EnrollmentId, date: String, present: bool) -> Result<(), AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    let date = crate::domain::iso::parse_date(&date).ok_or_else(|| AppError::field("date", "Выберите дату занятия."))?;
    service::mark_session(&s.db, &scope, &[(enrollment_id, present)], date, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Отмечено.");
    Ok(())
}

/// Teachers of the course and admins: a whole lesson's marks in one
/// request — every student of `marked`, present when also in `attended`.
#[server(endpoint = "teaching/attendance/session")]
pub async fn mark_lesson(
    date: String,
    #[server(default)] marked: Vec<EnrollmentId>,
    #[server(default)] attended: Vec<EnrollmentId>,
) -> Result<(), AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    let date = crate::domain::iso::parse_date(&date).ok_or_else(|| AppError::field("date", "Выберите дату занятия."))?;
    if marked.is_empty() || marked.len() > 200 {
        return Err(AppError::BadRequest);
    }
    let marks: Vec<(EnrollmentId, bool)> = marked.iter().map(|id| (*id, attended.contains(id))).collect();
    service::mark_session(&s.db, &scope, &marks, date, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Посещаемость занятия сохранена.");
    Ok(())
}

/// Teachers of the course and admins: whether a make-up student came.
#[server(endpoint = "teaching/makeup/mark")]
pub async fn mark_makeup(credit: i32, present: bool) -> Result<(), AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    crate::passes::service::makeups::mark_makeup(&s.db, &scope, credit, present, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Отработка отмечена.");
    Ok(())
}

/// Teachers whose course the student takes, and admins.
#[server(endpoint = "teaching/student")]
pub async fn load_student(id: UserId) -> Result<StudentCard, AppError> {
    let scope = TeacherScope::of_request().await?;
    let s = state()?;
    service::student_card(&s.db, &scope, id, s.today()).await
}

#[server(endpoint = "teaching/profile/update")]
pub async fn update_teacher_profile(specialization: String, bio: String) -> Result<(), AppError> {
    let u = auth::require_role(&[Role::Teacher]).await?;
    service::update_own_profile(&state()?.db, &u, &specialization, &bio).await?;
    flash::set_for_plain_form(FlashKind::Success, "Профиль педагога сохранён.");
    Ok(())
}

/// Public.
#[server(endpoint = "teachers/get")]
pub async fn load_teacher_page(address: String) -> Result<TeacherPage, AppError> {
    use crate::{domain::TeacherId, server::addresses::{Kind, record_at}};
    let s = state()?;
    let id = TeacherId(record_at(&s.db, Kind::Teacher, &address).await?);
    let page = service::public_page(&s.db, id, s.today()).await?;
    let site = crate::seo::structured::Site::of(&s).await?;
    let data = crate::seo::structured::teacher(&site, &page.name, &page.specialization, &page.bio, &page.path, page.picture.as_ref());
    Ok(TeacherPage { structured_data: crate::seo::structured::script_text(&data), ..page })
}
