//! What the passes' pages and server functions exchange.
use crate::domain::{
    CourseFormat, UserId,
    money::Kopecks,
    pass::{EntryKind, Freeze, PassStatus},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A pass type on sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassTypeView {
    pub id: i32,
    pub format: CourseFormat,
    pub name: String,
    pub lessons: i32,
    pub valid_days: i32,
    pub price: Kopecks,
    pub on_sale: bool,
}

/// A course's prices in one format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatPrices {
    pub format: CourseFormat,
    pub lesson: Kopecks,
    /// Zero: free.
    pub trial: Kopecks,
}

/// What a course costs: per format, and the passes on sale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub formats: Vec<FormatPrices>,
    pub pass_types: Vec<PassTypeView>,
}

/// One line of a pass's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub kind: EntryKind,
    pub lessons: i32,
    pub lesson_date: Option<NaiveDate>,
    pub freeze: Option<Freeze>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassView {
    pub id: i32,
    pub course_title: String,
    pub name: String,
    pub lessons_bought: i32,
    pub lessons_left: i32,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub price: Kopecks,
    pub status: PassStatus,
    /// Oldest first.
    pub history: Vec<EntryView>,
}

/// A lesson attended without a valid pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditView {
    pub course_title: String,
    pub date: NaiveDate,
}

/// A pass type a member may ask for: of a course they attend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub course_title: String,
    pub pass_type: PassTypeView,
}

/// One person's passes: the student themselves or a child of theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPasses {
    pub member: UserId,
    pub name: String,
    /// Empty for oneself; the child's id for a guardian's form.
    pub member_field: String,
    pub passes: Vec<PassView>,
    pub credits: Vec<CreditView>,
    pub offers: Vec<Offer>,
    pub upcoming: Vec<UpcomingLesson>,
    pub makeups: Vec<MakeupView>,
}

/// The office's view of a person's passes, and what may be sold to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPasses {
    pub student: UserId,
    pub passes: Vec<PassView>,
    pub credits: Vec<CreditView>,
    pub offers: Vec<Offer>,
    /// A fresh key for the sale form: the same form sent twice sells once.
    pub sale_key: String,
}

/// A course's prices as the office edits them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoursePricing {
    pub course_id: i32,
    pub course_title: String,
    pub formats: Vec<CourseFormat>,
    pub prices: PriceList,
    /// A fresh key for the forms that add a pass type: sent twice, one type.
    pub form_key: String,
}

/// A lesson of the member's in the coming two weeks, to warn of an absence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpcomingLesson {
    pub enrollment_id: i32,
    pub course_title: String,
    pub date: NaiveDate,
    pub starts_at: chrono::NaiveTime,
    /// Told already: in time (`true`) or late.
    pub told: Option<bool>,
}

/// A lesson a make-up may be booked into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupOption {
    pub course_id: i32,
    pub course_title: String,
    pub date: NaiveDate,
    pub starts_at: chrono::NaiveTime,
}

/// A make-up credit: for which missed lesson, until when, and where booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupView {
    pub id: i32,
    pub course_title: String,
    pub missed: NaiveDate,
    pub expires_on: NaiveDate,
    pub booked: Option<MakeupOption>,
    pub attended: Option<bool>,
    /// Where it may be booked, while it is not.
    pub options: Vec<MakeupOption>,
}

/// A make-up student on a roster's lesson.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupGuest {
    pub credit_id: i32,
    pub date: NaiveDate,
    pub student_name: String,
    pub attended: Option<bool>,
}

/// A pass on one of the office's lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassListRow {
    pub student_id: i32,
    pub student_name: String,
    pub course_title: String,
    pub name: String,
    pub lessons_left: i32,
    pub valid_until: NaiveDate,
}

/// A lesson on credit on the office's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRow {
    pub student_id: i32,
    pub student_name: String,
    pub course_title: String,
    pub date: NaiveDate,
}

/// The office's page of passes: what waits, what ends, what is owed, and
/// the month's report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficePasses {
    /// Asked for by students, waiting for payment.
    pub waiting: Vec<PassListRow>,
    /// Running passes that end within a week with lessons left.
    pub ending: Vec<PassListRow>,
    pub credits: Vec<CreditRow>,
    /// «2026-12».
    pub month: String,
    pub report: Vec<crate::domain::report::ReportRow>,
    pub totals: crate::domain::report::ReportRow,
}
