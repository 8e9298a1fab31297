//! Enrollment: the booking wizard, the student's history with cancellation
//! and partner invitations, and the calendar feed. Pages and their server
//! functions; the rules live in `server::enrollments`.
mod history;
mod wizard;

pub use history::MyEnrollmentsPage;
pub use wizard::EnrollPage;

use crate::{
    domain::{
        CourseCard, CourseFormat, EnrollmentStatus,
        enrollment::{PartnerAnswer, Period},
    },
    error::{AppError, FieldError},
};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    server::{auth, enrollments, flash, state},
    ui::FlashKind,
};

/// The wizard's choices as the form sends them: text, checked on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawChoice {
    pub teacher_id: String,
    pub format: String,
    pub partner_email: String,
    pub period_start: String,
    pub period_end: String,
}

/// Free seats of a course over a period, for a request of some format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatsView {
    pub free: i32,
    pub capacity: i32,
    /// Whether a request of the chosen format fits.
    pub fits: bool,
}

/// The wizard's steps in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Step {
    Teacher,
    Format,
    Period,
    Summary,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Teacher, Step::Format, Step::Period, Step::Summary];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Teacher => "teacher",
            Step::Format => "format",
            Step::Period => "period",
            Step::Summary => "summary",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Step::Teacher => "Педагог",
            Step::Format => "Формат",
            Step::Period => "Период",
            Step::Summary => "Проверка",
        }
    }

    /// The form fields this step asks for.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Step::Teacher => &["teacher_id"],
            Step::Format => &["format", "partner_email"],
            Step::Period => &["period_start", "period_end"],
            Step::Summary => &[],
        }
    }

    pub fn next(self) -> Step {
        match self {
            Step::Teacher => Step::Format,
            Step::Format => Step::Period,
            Step::Period | Step::Summary => Step::Summary,
        }
    }
}

/// Where the wizard stands for a course and the choices made so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub course: CourseCard,
    pub teacher_id: Option<i32>,
    pub format: Option<CourseFormat>,
    pub partner_email: String,
    pub partner_name: Option<String>,
    /// The chosen period, or the rest of the term when none was chosen yet.
    pub period: Period,
    /// Problems with the values given so far.
    pub errors: Vec<FieldError>,
    /// The first step whose values are missing or wrong.
    pub first_open_step: Step,
    /// Seats for the chosen format (personal until one is chosen) and period.
    pub seats: SeatsView,
}

/// One line of a student's history, or an invitation to be someone's partner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentView {
    pub id: i32,
    pub course_id: i32,
    pub course_title: String,
    pub teacher_name: Option<String>,
    pub student_name: Option<String>,
    pub format: CourseFormat,
    pub partner_name: Option<String>,
    pub partner_answer: Option<PartnerAnswer>,
    pub period: Period,
    pub status: EnrollmentStatus,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub may_cancel: bool,
    /// The viewer may accept or decline being the partner.
    pub may_answer: bool,
    /// Sessions marked by the teacher: (date, present), oldest first.
    pub attendance: Vec<(NaiveDate, bool)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyEnrollments {
    pub own: Vec<EnrollmentView>,
    /// Pair requests where the viewer is named as the partner.
    pub as_partner: Vec<EnrollmentView>,
    /// The secret address of the personal calendar feed, when it is on.
    pub feed_url: Option<String>,
}

/// Students only: the wizard's state for `course_id` and the choices so far.
#[server(endpoint = "enrollments/draft")]
pub async fn enrollment_draft(course_id: i32, choice: RawChoice) -> Result<Draft, AppError> {
    let student = auth::require_user().await?;
    let s = state()?;
    enrollments::draft(&s.db, &student, course_id, &choice, s.today()).await
}

/// Public, like the schedule: free seats of a course over a period (none
/// while the dates picked are not a period of the course yet).
#[server(endpoint = "enrollments/seats")]
pub async fn period_seats(
    course_id: i32,
    format: String,
    period_start: String,
    period_end: String,
) -> Result<Option<SeatsView>, AppError> {
    let s = state()?;
    enrollments::seats_for(&s.db, course_id, &format, &period_start, &period_end, s.today()).await
}

/// Students only: books the seats, or joins the waitlist when asked to.
#[allow(clippy::too_many_arguments)] // one argument per form field
#[server(endpoint = "enrollments/enroll")]
pub async fn enroll(
    course_id: i32,
    teacher_id: String,
    format: String,
    partner_email: String,
    period_start: String,
    period_end: String,
    waitlist: Option<String>,
) -> Result<(), AppError> {
    let student = auth::require_user().await?;
    let s = state()?;
    let choice = RawChoice { teacher_id, format, partner_email, period_start, period_end };
    let outcome =
        enrollments::book(&s.db, &s.config.site_url, &student, course_id, &choice, waitlist.is_some(), s.today())
            .await?;
    let text = match outcome {
        enrollments::Outcome::Pending => {
            "Заявка отправлена педагогу. Мы напишем, когда он её подтвердит."
        }
        enrollments::Outcome::Waitlisted => {
            "Вы в листе ожидания. Как только место освободится, заявка уйдёт педагогу, а мы напишем вам."
        }
        enrollments::Outcome::AlreadyRequested => "Эта заявка уже отправлена — она в списке ниже.",
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
    enrollments::history(&s.db, &u, s.today(), &s.config).await
}

/// The student who made the request, before its period starts.
#[server(endpoint = "enrollments/cancel")]
pub async fn cancel_enrollment(id: i32) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let s = state()?;
    enrollments::cancel(&s.db, &s.config.site_url, &u, id, s.today()).await?;
    flash::set(FlashKind::Success, "Заявка отменена.");
    leptos_axum::redirect("/my/enrollments");
    Ok(())
}

/// The named partner only: accepts (`answer=yes`) or declines the invitation.
#[server(endpoint = "enrollments/answer")]
pub async fn answer_invitation(id: i32, answer: String) -> Result<(), AppError> {
    let u = auth::require_user().await?;
    let accept = match answer.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::BadRequest),
    };
    let s = state()?;
    enrollments::answer_invitation(&s.db, &s.config.site_url, &u, id, accept).await?;
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
        "on" | "renew" => crate::server::calendar::FeedChange::NewAddress,
        "off" => crate::server::calendar::FeedChange::Off,
        _ => return Err(AppError::BadRequest),
    };
    crate::server::calendar::change_feed(&state()?.db, &u, feed).await?;
    let text = match change.as_str() {
        "on" => "Подписка на календарь включена: добавьте ссылку в своё календарное приложение.",
        "renew" => "Ссылка на календарь заменена: прежняя больше не работает.",
        _ => "Подписка на календарь отключена.",
    };
    flash::set_for_plain_form(FlashKind::Success, text);
    Ok(())
}

/// `YYYY-MM-DD` as date inputs send it; `None` when empty or malformed.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_read_as_date_inputs_send_them() {
        assert!(super::parse_date(" 2026-12-01 ").is_some());
        assert!(super::parse_date("01.12.2026").is_none());
        assert!(super::parse_date("").is_none());
    }
}
