//! The school office, for administrators only: the dashboard, people
//! (accounts and roles), the afisha's shows and the audit log. Rules live in
//! `server::admin`; every change there writes an audit row.
mod pages;

mod courses;
mod reviews;
mod school;

pub use courses::{CourseEditorPage, CoursesAdminPage};
pub use reviews::ReviewsAdminPage;
pub use school::SchoolSettingsPage;
pub use pages::{AdminPage, AuditPage, PeoplePage, PersonPage, ShowsAdminPage};

use crate::{domain::Role, error::AppError};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::server::{admin, auth, entities::user, flash, state};
#[cfg(feature = "ssr")]
use crate::ui::FlashKind;

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
    pub teacher: Option<crate::teaching::TeacherProfile>,
    /// Signs in with codes (staff).
    pub mfa_enabled: bool,
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

#[cfg(feature = "ssr")]
async fn office() -> Result<user::Model, AppError> {
    auth::require_role(&[Role::Admin]).await
}

#[server(endpoint = "admin/dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    office().await?;
    let s = state()?;
    crate::server::catalogue::dashboard(&s.db, s.today()).await
}

/// Whether teachers and administrators must sign in with codes; those
/// without codes set them up at their next sign-in.
#[server(endpoint = "admin/settings/mfa")]
pub async fn set_staff_mfa(required: Option<String>) -> Result<(), AppError> {
    let actor = office().await?;
    admin::set_staff_mfa(&state()?.db, &actor, required.is_some()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Настройка сохранена.");
    Ok(())
}

/// The privacy policy (152-ФЗ) people agree to when they register.
#[server(endpoint = "admin/settings/privacy")]
pub async fn save_privacy_policy(policy: String) -> Result<(), AppError> {
    let actor = office().await?;
    admin::set_privacy_policy(&state()?.db, &actor, &policy).await?;
    flash::set_for_plain_form(FlashKind::Success, "Политика сохранена.");
    Ok(())
}

/// Turns off someone's sign-in codes (a lost phone); they set them up again.
#[server(endpoint = "admin/person/mfa-reset")]
pub async fn reset_person_mfa(id: i32) -> Result<(), AppError> {
    let actor = office().await?;
    admin::reset_mfa(&state()?.db, &actor, id).await?;
    flash::set_for_plain_form(FlashKind::Success, "Вход с кодом сброшен: человек настроит его заново.");
    Ok(())
}

#[server(endpoint = "admin/people")]
pub async fn load_people(#[server(default)] query: PeopleQuery) -> Result<Page<PersonRow>, AppError> {
    office().await?;
    admin::people(&state()?.db, &query).await
}

/// `active` is `yes` or `no`.
#[server(endpoint = "admin/people/active")]
pub async fn set_account_active(id: i32, active: String) -> Result<(), AppError> {
    let actor = office().await?;
    let active = active == "yes";
    admin::set_active(&state()?.db, &actor, id, active).await?;
    flash::set_for_plain_form(FlashKind::Success, if active { "Учётная запись включена." } else { "Учётная запись отключена: все её сеансы завершены." });
    Ok(())
}

/// `role` is `student`, `teacher` or `admin`.
#[server(endpoint = "admin/people/role")]
pub async fn set_account_role(id: i32, role: String) -> Result<(), AppError> {
    let actor = office().await?;
    let role = match role.as_str() {
        "student" => Role::Student,
        "teacher" => Role::Teacher,
        "admin" => Role::Admin,
        _ => return Err(AppError::field("role", "Выберите роль из списка.")),
    };
    admin::set_role(&state()?.db, &actor, id, role).await?;
    flash::set_for_plain_form(FlashKind::Success, "Роль изменена: она действует с следующего запроса пользователя.");
    Ok(())
}

/// The teacher gets a letter with a link to choose a password.
#[server(endpoint = "admin/teachers/create")]
pub async fn create_teacher(full_name: String, email: String, specialization: String, bio: String) -> Result<(), AppError> {
    let actor = office().await?;
    let s = state()?;
    admin::create_teacher(&s.db, &s.config.site_url, &actor, &NewTeacher { full_name, email, specialization, bio }).await?;
    flash::set_for_plain_form(FlashKind::Success, "Педагог добавлен: ему отправлено письмо, чтобы задать пароль.");
    Ok(())
}

#[server(endpoint = "admin/person")]
pub async fn load_person(id: i32) -> Result<PersonDetail, AppError> {
    office().await?;
    admin::person(&state()?.db, id).await
}

#[server(endpoint = "admin/person/update")]
pub async fn update_person(id: i32, full_name: String, phone: String, contacts: String, about: String) -> Result<(), AppError> {
    let actor = office().await?;
    let update = crate::server::accounts::ProfileUpdate { full_name, phone, contacts, about };
    admin::update_person(&state()?.db, &actor, id, update).await?;
    flash::set_for_plain_form(FlashKind::Success, "Данные сохранены.");
    Ok(())
}

#[server(endpoint = "admin/teacher/update")]
pub async fn update_teacher(teacher_id: i32, specialization: String, bio: String) -> Result<(), AppError> {
    let actor = office().await?;
    admin::update_teacher_profile(&state()?.db, &actor, teacher_id, &specialization, &bio).await?;
    flash::set_for_plain_form(FlashKind::Success, "Профиль педагога сохранён.");
    Ok(())
}

/// `confirm` must be set: deletion cannot be undone.
#[server(endpoint = "admin/person/delete")]
pub async fn delete_person(id: i32, confirm: Option<String>) -> Result<(), AppError> {
    let actor = office().await?;
    if confirm.is_none() {
        return Err(AppError::field("confirm", "Подтвердите: удаление необратимо."));
    }
    let s = state()?;
    let files = admin::delete_person(&s.db, &s.config.site_url, &actor, id, s.today()).await?;
    crate::server::storage::StoredFile::remove_all(&*s.media, files).await;
    flash::set(FlashKind::Success, "Учётная запись удалена.");
    leptos_axum::redirect("/admin/people");
    Ok(())
}

/// Shows found by title, newest first (or by title), a page at a time.
#[server(endpoint = "admin/shows")]
pub async fn load_shows(#[server(default)] query: ListQuery) -> Result<Page<ShowRow>, AppError> {
    office().await?;
    let s = state()?;
    admin::shows(&s.db, |t| s.to_local(t), &query).await
}

/// Creates a show when `id` is empty, updates it otherwise.
#[server(endpoint = "admin/shows/save")]
pub async fn save_show(id: String, title: String, starts_at: String, venue: String, description: String) -> Result<(), AppError> {
    let actor = office().await?;
    let s = state()?;
    let id = if id.is_empty() { None } else { Some(id.parse::<i32>().map_err(|_| AppError::BadRequest)?) };
    let form = ShowForm { title, starts_at, venue, description };
    let saved = admin::save_show(&s.db, &actor, s.config.time_zone, id, &form).await?;
    flash::set(FlashKind::Success, if id.is_some() { "Спектакль сохранён." } else { "Спектакль добавлен в афишу." });
    // A new address each time, so the page (and its flash) is read again.
    leptos_axum::redirect(&format!("/admin/shows?saved={saved}"));
    Ok(())
}

#[server(endpoint = "admin/shows/delete")]
pub async fn delete_show(id: i32) -> Result<(), AppError> {
    let actor = office().await?;
    admin::delete_show(&state()?.db, &actor, id).await?;
    flash::set(FlashKind::Success, "Спектакль удалён из афиши.");
    leptos_axum::redirect("/admin/shows");
    Ok(())
}

#[server(endpoint = "admin/audit")]
pub async fn load_audit(#[server(default)] query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    office().await?;
    admin::audit(&state()?.db, &query).await
}

/// Courses that are not archived, published or not, a page at a time.
#[server(endpoint = "admin/courses")]
pub async fn load_admin_courses(#[server(default)] query: ListQuery) -> Result<Page<crate::domain::CourseCard>, AppError> {
    office().await?;
    let s = state()?;
    Ok(crate::server::catalogue::office_courses(&s.db, s.today(), &query).await?)
}

#[server(endpoint = "admin/courses/editor")]
pub async fn load_course_editor(id: Option<i32>) -> Result<CourseEditor, AppError> {
    office().await?;
    crate::server::course_admin::editor(&state()?.db, id).await
}

/// Creates a course when `id` is empty, saves it otherwise.
#[server(endpoint = "admin/courses/save")]
pub async fn save_course(id: String, course: CourseForm) -> Result<(), AppError> {
    let actor = office().await?;
    let s = state()?;
    let id = if id.is_empty() { None } else { Some(id.parse::<i32>().map_err(|_| AppError::BadRequest)?) };
    crate::server::course_admin::save(&s.db, &s.config, &actor, id, &course, s.today()).await?;
    flash::set(FlashKind::Success, if id.is_some() { "Курс сохранён." } else { "Курс создан." });
    leptos_axum::redirect("/admin/courses");
    Ok(())
}

/// With active requests, `confirm` must be set: they are cancelled and the
/// students get a letter.
#[server(endpoint = "admin/courses/remove")]
pub async fn remove_course(id: i32, confirm: Option<String>) -> Result<(), AppError> {
    let actor = office().await?;
    let s = state()?;
    crate::server::course_admin::remove(&s.db, &s.config, &actor, id, confirm.is_some()).await?;
    flash::set(FlashKind::Success, "Курс удалён.");
    leptos_axum::redirect("/admin/courses");
    Ok(())
}
