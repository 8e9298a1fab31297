//! Enrollment: the booking wizard, the student's history with cancellation
//! and partner invitations, and the calendar feed. Pages and their server
//! functions; the rules live in `service`.
mod history;
mod wizard;
pub mod wire;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;

pub use history::MyEnrollmentsPage;
pub use wizard::EnrollPage;
pub use wire::*;

use crate::{domain::{CourseFormat, CourseId, EnrollmentId}, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    server::{auth, flash, state},
    ui::FlashKind,
};


/// The signed-in student and the member of their family a booking is for
/// (`member`: an id of the wizard's first step; empty for themselves).
#[cfg(feature = "ssr")]
async fn acting_for(member: &str) -> Result<(crate::server::guards::Student, crate::server::guards::ActingFor), AppError> {
    use crate::server::guards::{ActingFor, member_named};
    let student = service::booking_student(&auth::require_user().await?)?;
    let s = state()?;
    let who = ActingFor::check(&s.db, &student, member_named(member)?, s.today()).await?;
    Ok((student, who))
}

/// Students only, for themselves or a child of their family: the wizard's
/// state for the course its page's address names (slug, former slug or
/// number) and the choices so far.
#[server(endpoint = "enrollments/draft")]
pub async fn enrollment_draft(address: String, choice: RawChoice) -> Result<Draft, AppError> {
    use crate::server::addresses::{Kind, record_at};
    let (student, who) = acting_for(&choice.member).await?;
    let s = state()?;
    let members = crate::family::service::members_of(&s.db, &student, s.today()).await?;
    let course_id = CourseId(record_at(&s.db, Kind::Course, &address).await?);
    service::draft(&s.db, &who, members, course_id, &choice, s.today()).await
}

/// Public, like the schedule: free seats of a course over a period (none
/// while the dates picked are not a period of the course yet).
#[server(endpoint = "enrollments/seats")]
pub async fn period_seats(
    course_id: CourseId,
    format: CourseFormat,
    period_start: String,
    period_end: String,
) -> Result<Option<SeatsView>, AppError> {
    let s = state()?;
    service::seats_for(&s.db, course_id, format, &period_start, &period_end, s.today()).await
}

/// Students only: books the seats, or joins the waitlist when asked to.
#[allow(clippy::too_many_arguments)] // one argument per form field
#[server(endpoint = "enrollments/enroll")]
pub async fn enroll(
    course_id: CourseId,
    #[server(default)] member: String,
    teacher_id: String,
    format: String,
    partner_email: String,
    #[server(default)] partner_member: String,
    period_start: String,
    period_end: String,
    waitlist: Option<String>,
) -> Result<(), AppError> {
    let (_, who) = acting_for(&member).await?;
    let s = state()?;
    let choice = RawChoice { member, teacher_id, format, partner_email, partner_member, period_start, period_end };
    let outcome =
        service::book(&s.db, &s.config.site_url, &who, course_id, &choice, waitlist.is_some(), s.today()).await?;
    let text = match outcome {
        service::Outcome::Pending => {
            "Заявка отправлена педагогу. Мы напишем, когда он её подтвердит."
        }
        service::Outcome::Waitlisted => {
            "Вы в листе ожидания. Как только место освободится, заявка уйдёт педагогу, а мы напишем вам."
        }
        service::Outcome::AlreadyRequested => "Эта заявка уже отправлена — она в списке ниже.",
    };
    flash::set(FlashKind::Success, text);
    leptos_axum::redirect("/my/enrollments");
    Ok(())
}

/// Signed-in users: their own enrollments and invitations.
#[server(endpoint = "enrollments/mine")]
pub async fn load_my_enrollments() -> Result<MyEnrollments, AppError> {
    let u = auth::require_user().await?;
    let s = state()?;
    service::history(&s.db, &u, s.today(), &s.config).await
}

/// The student who made the request, or their guardian, before its period starts.
#[server(endpoint = "enrollments/cancel")]
pub async fn cancel_enrollment(id: EnrollmentId) -> Result<(), AppError> {
    use crate::server::guards::{ActingFor, Student};
    let student = Student::of_request().await?;
    let s = state()?;
    let member = service::student_of(&s.db, id).await?;
    let who = ActingFor::check(&s.db, &student, Some(member), s.today()).await?;
    service::cancel(&s.db, &s.config.site_url, &who, id, s.today()).await?;
    flash::set(FlashKind::Success, "Заявка отменена.");
    leptos_axum::redirect("/my/enrollments");
    Ok(())
}

/// The named partner only: accepts (`answer=yes`) or declines the invitation.
#[server(endpoint = "enrollments/answer")]
pub async fn answer_invitation(id: EnrollmentId, answer: String) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let accept = match answer.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let s = state()?;
    service::answer_invitation(&s.db, &s.config.site_url, &u, id, accept).await?;
    flash::set_for_plain_form(
        FlashKind::Success,
        if accept { "Вы согласились заниматься в паре." } else { "Вы отказались от приглашения." },
    );
    Ok(())
}

/// Signed-in users: turns the personal calendar feed on (`on`), gives it a
/// new secret address (`renew`, the old one stops working) or turns it off.
#[server(endpoint = "enrollments/feed")]
pub async fn set_calendar_feed(change: String) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let feed = match change.as_str() {
        "on" | "renew" => crate::enrollment::service::calendar::FeedChange::NewAddress,
        "off" => crate::enrollment::service::calendar::FeedChange::Off,
        _ => return Err(AppError::BadRequest),
    };
    crate::enrollment::service::calendar::change_feed(&state()?.db, &u, feed).await?;
    let text = match change.as_str() {
        "on" => "Подписка на календарь включена: добавьте ссылку в своё календарное приложение.",
        "renew" => "Ссылка на календарь заменена: прежняя больше не работает.",
        _ => "Подписка на календарь отключена.",
    };
    flash::set_for_plain_form(FlashKind::Success, text);
    Ok(())
}
