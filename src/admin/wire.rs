//! What the office's pages and server functions exchange: plain data that
//! depends on nothing above it, so the server's services can build it.
use crate::domain::{Role, money::Kopecks};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Rows per page of every office list.
pub const PAGE_SIZE: u64 = 25;

/// One page of a long list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based.
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

/// How many pages `total` rows make; an empty list still has one page.
pub fn page_count(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

impl<T> Page<T> {
    /// Page `page` (clamped to the pages there are) of a whole list.
    pub fn cut(all: Vec<T>, page: u64) -> Page<T> {
        let total = all.len() as u64;
        let pages = page_count(total);
        let page = page.clamp(1, pages);
        let items = all.into_iter().skip(((page - 1) * PAGE_SIZE) as usize).take(PAGE_SIZE as usize).collect();
        Page { items, page, pages, total }
    }
}

/// The figures at the top of the office's dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCounts {
    pub students: u64,
    pub teachers: u64,
    pub courses: u64,
    pub pending_requests: u64,
    pub reviews_to_moderate: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub counts: SchoolCounts,
    /// (course, seats held, capacity) for the courses on the schedule.
    pub seats: Vec<(String, i32, i32)>,
    /// Requests made per week (Monday), oldest first, the last eight weeks.
    pub weekly_requests: Vec<(NaiveDate, u64)>,
    /// Lessons written off passes per week of the lesson, the same weeks.
    pub weekly_write_offs: Vec<(NaiveDate, u64)>,
    /// Money in less refunds per month (its first day), the last twelve.
    pub monthly_revenue: Vec<(NaiveDate, Kopecks)>,
    /// Teachers and administrators must sign in with codes.
    pub staff_mfa_required: bool,
    /// The privacy policy registration links to, for the office to edit.
    pub privacy_policy: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeopleQuery {
    pub search: String,
    pub role: Option<Role>,
    /// `name` (default), `email` or `newest`.
    pub sort: String,
    pub page: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i32,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// One person as the office sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub row: PersonRow,
    pub contacts: String,
    pub about: String,
    pub teacher: Option<crate::teaching::wire::TeacherProfile>,
    /// Signs in with codes (staff).
    pub mfa_enabled: bool,
    /// The family the person guards or is a child of.
    pub family: Option<crate::family::wire::OfficeFamily>,
    /// A student's passes (none for staff).
    pub passes: Option<crate::passes::wire::PersonPasses>,
}

/// The office's form for a new teacher.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTeacher {
    pub full_name: String,
    pub email: String,
    pub specialization: String,
    pub bio: String,
}

/// A show as its form holds it; the time is local, `YYYY-MM-DDTHH:MM`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowForm {
    pub title: String,
    pub starts_at: String,
    pub venue: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowRow {
    pub id: i32,
    pub form: ShowForm,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// `user`, `show`, … or empty for everything.
    pub entity: String,
    /// One record's number, or empty.
    pub record: String,
    /// Part of the name of whoever made the change.
    pub actor: String,
    pub page: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    /// JSON: {"field": [before, after]}.
    pub changes: String,
}

/// A searchable, sortable list a page at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub search: String,
    pub sort: String,
    pub page: u64,
}

impl ListQuery {
    /// Reads `search`, `sort` and `page` of a list's address.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> ListQuery {
        ListQuery {
            search: get("search").unwrap_or_default(),
            sort: get("sort").unwrap_or_default(),
            page: get("page").and_then(|n| n.parse().ok()).unwrap_or(1),
        }
    }

    /// The address of page `page` of the list at `path` with this search.
    pub fn href(&self, path: &str, page: u64) -> String {
        format!("{path}?search={}&sort={}&page={page}", crate::ui::url_encode(&self.search), self.sort)
    }
}

/// One weekly slot row of the course form, as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlotForm {
    /// ISO weekday 1–7, or empty for an unused row.
    pub weekday: String,
    /// `HH:MM`.
    pub starts_at: String,
    pub minutes: String,
    pub room: String,
}

/// The course form as sent: `course[title]`, `course[teachers][0]`,
/// `course[slots][0][weekday]` …
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CourseForm {
    pub title: String,
    pub description: String,
    pub capacity: String,
    pub term_start: String,
    pub term_end: String,
    /// The ages the course is for (full years, either empty = open).
    pub age_min: String,
    pub age_max: String,
    pub personal: Option<String>,
    pub pair: Option<String>,
    pub published: Option<String>,
    pub teachers: Vec<i32>,
    pub slots: Vec<SlotForm>,
}

impl CourseForm {
    /// A new course: both formats, not yet published, empty slot rows.
    pub fn blank() -> CourseForm {
        CourseForm {
            capacity: "10".into(),
            personal: Some("on".into()),
            pair: Some("on".into()),
            slots: vec![SlotForm { minutes: "120".into(), ..Default::default() }; 4],
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeacherChoice {
    pub id: i32,
    pub name: String,
    pub specialization: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseEditor {
    pub id: Option<i32>,
    pub form: CourseForm,
    pub teachers: Vec<TeacherChoice>,
    /// Requests that deleting the course would cancel.
    pub active_enrollments: usize,
}
