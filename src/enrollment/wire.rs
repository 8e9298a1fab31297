//! What the wizard, the history and their server functions exchange: plain
//! data that depends on nothing above it, so the server's services can build it.
use crate::{
    family::wire::Member,
    domain::{
        CourseCard, CourseFormat, EnrollmentStatus, TeacherId, UserId,
        enrollment::{PartnerAnswer, Period},
    },
    error::FieldError,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The wizard's choices as the form sends them: text, checked on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawChoice {
    /// Whom the booking is for: an id of the family's `Member`s; empty for
    /// oneself (or not chosen yet, when the person has a family).
    #[serde(default)]
    pub member: String,
    pub teacher_id: String,
    pub format: String,
    pub partner_email: String,
    /// A sibling as the partner: an id of the family's `Member`s (a guardian
    /// answers for both children, so no invitation is needed).
    #[serde(default)]
    pub partner_member: String,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// «Кого записываем?»: asked only of people with a family.
    Who,
    Teacher,
    Format,
    Period,
    Summary,
}

crate::domain::slug::slug_serde!(Step);

impl Step {
    pub const ALL: [Step; 5] = [Step::Who, Step::Teacher, Step::Format, Step::Period, Step::Summary];

    pub fn slug(self) -> &'static str {
        match self {
            Step::Who => "who",
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
            Step::Who => "Кого записываем",
            Step::Teacher => "Педагог",
            Step::Format => "Формат",
            Step::Period => "Период",
            Step::Summary => "Проверка",
        }
    }

    /// The form fields this step asks for.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Step::Who => &["member"],
            Step::Teacher => &["teacher_id"],
            Step::Format => &["format", "partner_email", "partner_member"],
            Step::Period => &["period_start", "period_end"],
            Step::Summary => &[],
        }
    }

    pub fn next(self) -> Step {
        match self {
            Step::Who => Step::Teacher,
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
    /// Whom the person may book for; empty without a family (no «Кого записываем?»).
    pub members: Vec<Member>,
    /// The member chosen (always the person themselves without a family).
    pub member: Option<UserId>,
    pub teacher_id: Option<TeacherId>,
    pub format: Option<CourseFormat>,
    pub partner_email: String,
    /// The sibling chosen as the partner.
    pub partner_member: Option<UserId>,
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
    pub course_title: String,
    /// The course page's readable address.
    pub course_path: String,
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
    /// Where the student's passes, absences and make-ups for it are, while
    /// the request holds a seat.
    pub passes_href: Option<String>,
}

/// The bookings of one child of the family, as their guardian sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildEnrollments {
    pub name: String,
    pub enrollments: Vec<EnrollmentView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyEnrollments {
    pub own: Vec<EnrollmentView>,
    /// A guardian's children's bookings, one group per child.
    pub children: Vec<ChildEnrollments>,
    /// Pair requests where the viewer is named as the partner.
    pub as_partner: Vec<EnrollmentView>,
    /// The secret address of the personal calendar feed, when it is on.
    pub feed_url: Option<String>,
}
