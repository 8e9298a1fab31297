//! What the teacher's pages and their server functions exchange: plain data
//! that depends on nothing above it, so the server's services can build it.
use crate::domain::{
    CourseCard, CourseFormat, EnrollmentStatus,
    catalogue::Picture,
    enrollment::{PartnerAnswer, Period},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A request as the teacher sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: i32,
    pub course_id: i32,
    pub course_title: String,
    pub student_id: Option<i32>,
    pub student_name: String,
    pub format: CourseFormat,
    pub partner_name: Option<String>,
    pub partner_answer: Option<PartnerAnswer>,
    pub period: Period,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    /// Own courses with their number of pending requests.
    pub courses: Vec<(usize, CourseCard)>,
    /// Pending requests, oldest first.
    pub requests: Vec<Request>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    pub request: Request,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contacts: Option<String>,
    pub teacher_name: Option<String>,
    pub status: EnrollmentStatus,
    pub reason: Option<String>,
    pub attended: u32,
    pub missed: u32,
    /// The mark for the roster's session date, if any.
    pub mark: Option<bool>,
    /// For a student under 18: whom to call, and what to know.
    pub minor: Option<Minor>,
    /// Lessons left on the student's running passes for this course.
    pub lessons_left: i32,
    /// Lessons attended without a valid pass.
    pub on_credit: u32,
}

/// What a teacher needs to know of a minor on their roster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minor {
    /// "9 лет".
    pub age: String,
    pub guardians: Vec<GuardianContact>,
    /// The guardians' notes for the teacher (sensitive).
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianContact {
    pub name: String,
    pub phone: Option<String>,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    pub course: CourseCard,
    pub students: Vec<RosterRow>,
    /// Past session dates, newest first.
    pub sessions: Vec<NaiveDate>,
    /// The session whose attendance is shown.
    pub date: Option<NaiveDate>,
    /// Students of other lessons making one up on `date`, and on the
    /// lessons to come.
    pub makeups: Vec<crate::passes::wire::MakeupGuest>,
    pub status: Option<EnrollmentStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudentCard {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub contacts: String,
    pub about: String,
    pub avatar_url: Option<String>,
    pub partner_requests: u32,
    /// The public portfolio, if the student shows anything there.
    pub portfolio_url: Option<String>,
    pub minor: Option<Minor>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherProfile {
    pub id: i32,
    /// The public page's readable address.
    pub path: String,
    pub specialization: String,
    pub bio: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherPage {
    pub id: i32,
    pub name: String,
    /// The page's own address.
    pub path: String,
    pub specialization: String,
    pub bio: String,
    pub photo_url: Option<String>,
    /// The photo, when its size is known.
    pub picture: Option<Picture>,
    pub courses: Vec<CourseCard>,
    /// JSON-LD as the server wrote it, safe inside `<script>`.
    pub structured_data: String,
}

/// What a teacher answers a request with: the `decision` its form sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DecisionChoice {
    Confirm,
    /// With a reason, told to the student.
    Reject,
    Complete,
}
