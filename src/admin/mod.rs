//! The school office, for administrators only: the dashboard, people
//! (accounts and roles), the afisha's shows and the audit log. Rules live in
//! `service`; every change there writes an audit row.
mod audit;
mod courses;
mod dashboard;
mod family;
mod frame;
mod people;
mod reviews;
mod school;
mod shows;
pub mod wire;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;
/// Its HTTP routes that are not server functions (uploads, downloads).
#[cfg(feature = "ssr")]
pub mod routes;

pub use courses::{CourseEditorPage, CoursesAdminPage};
pub use reviews::ReviewsAdminPage;
pub use school::SchoolSettingsPage;
pub use audit::AuditPage;
pub use dashboard::AdminPage;
pub use frame::{OfficeNav, OfficePage};
pub use people::{PeoplePage, PersonPage};
pub use shows::ShowsAdminPage;
pub use wire::*;

use crate::{domain::{CourseId, Role, ShowId, TeacherId, UserId}, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{flash, guards::Office, state};
#[cfg(feature = "ssr")]
use crate::ui::FlashKind;

#[server(endpoint = "admin/dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::dashboard(&s.db, s.today(), s.config.time_zone).await
}

/// Whether teachers and administrators must sign in with codes; those
/// without codes set them up at their next sign-in.
#[server(endpoint = "admin/settings/mfa")]
pub async fn set_staff_mfa(required: Option<String>) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::set_staff_mfa(&state()?.db, &actor, required.is_some()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Настройка сохранена.");
    Ok(())
}

/// The privacy policy (152-ФЗ) people agree to when they register.
#[server(endpoint = "admin/settings/privacy")]
pub async fn save_privacy_policy(policy: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::set_privacy_policy(&state()?.db, &actor, &policy).await?;
    flash::set_for_plain_form(FlashKind::Success, "Политика сохранена.");
    Ok(())
}

/// Turns off someone's sign-in codes (a lost phone); they set them up again.
#[server(endpoint = "admin/person/mfa-reset")]
pub async fn reset_person_mfa(id: UserId) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::reset_mfa(&state()?.db, &actor, id).await?;
    flash::set_for_plain_form(FlashKind::Success, "Вход с кодом сброшен: человек настроит его заново.");
    Ok(())
}

#[server(endpoint = "admin/people")]
pub async fn load_people(#[server(default)] query: PeopleQuery) -> Result<Page<PersonRow>, AppError> {
    Office::of_request().await?;
    service::people(&state()?.db, &query).await
}

/// Lets an account in again (`active`), or shuts it out.
#[server(endpoint = "admin/people/active")]
pub async fn set_account_active(id: UserId, active: bool) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::set_active(&state()?.db, &actor, id, active).await?;
    flash::set_for_plain_form(FlashKind::Success, if active { "Учётная запись включена." } else { "Учётная запись отключена: все её сеансы завершены." });
    Ok(())
}

#[server(endpoint = "admin/people/role")]
pub async fn set_account_role(id: UserId, role: Role) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::set_role(&state()?.db, &actor, id, role).await?;
    flash::set_for_plain_form(FlashKind::Success, "Роль изменена: она действует с следующего запроса пользователя.");
    Ok(())
}

/// The teacher gets a letter with a link to choose a password.
#[server(endpoint = "admin/teachers/create")]
pub async fn create_teacher(full_name: String, email: String, specialization: String, bio: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let s = state()?;
    service::create_teacher(&s.db, &s.config.site_url, &actor, &NewTeacher { full_name, email, specialization, bio }).await?;
    flash::set_for_plain_form(FlashKind::Success, "Педагог добавлен: ему отправлено письмо, чтобы задать пароль.");
    Ok(())
}

#[server(endpoint = "admin/person")]
pub async fn load_person(id: UserId) -> Result<PersonDetail, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::person(&s.db, id, s.today()).await
}

#[server(endpoint = "admin/person/update")]
pub async fn update_person(id: UserId, full_name: String, phone: String, contacts: String, about: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let update = crate::account::service::ProfileUpdate { full_name, phone, contacts, about };
    service::update_person(&state()?.db, &actor, id, update).await?;
    flash::set_for_plain_form(FlashKind::Success, "Данные сохранены.");
    Ok(())
}

#[server(endpoint = "admin/teacher/update")]
pub async fn update_teacher(teacher_id: TeacherId, specialization: String, bio: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::update_teacher_profile(&state()?.db, &actor, teacher_id, &specialization, &bio).await?;
    flash::set_for_plain_form(FlashKind::Success, "Профиль педагога сохранён.");
    Ok(())
}

/// `confirm` must be set: deletion cannot be undone.
#[server(endpoint = "admin/person/delete")]
pub async fn delete_person(id: UserId, confirm: Option<String>) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    if confirm.is_none() {
        return Err(AppError::field("confirm", "Подтвердите: удаление необратимо."));
    }
    let s = state()?;
    let files = service::delete_person(&s.db, &s.config.site_url, &actor, id, s.today()).await?;
    crate::server::storage::StoredFile::remove_all(&*s.media, files).await;
    flash::set(FlashKind::Success, "Учётная запись удалена.");
    leptos_axum::redirect("/admin/people");
    Ok(())
}

/// Shows found by title, newest first (or by title), a page at a time.
#[server(endpoint = "admin/shows")]
pub async fn load_shows(#[server(default)] query: ListQuery) -> Result<Page<ShowRow>, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::shows(&s.db, |t| s.to_local(t), &query).await
}

/// Creates a show when `id` is empty, updates it otherwise.
#[server(endpoint = "admin/shows/save")]
pub async fn save_show(id: String, title: String, starts_at: String, venue: String, description: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let s = state()?;
    let id = if id.is_empty() { None } else { Some(id.parse::<ShowId>().map_err(|_| AppError::BadRequest)?) };
    let form = ShowForm { title, starts_at, venue, description };
    let saved = service::save_show(&s.db, &actor, s.config.time_zone, id, &form).await?;
    flash::set(FlashKind::Success, if id.is_some() { "Спектакль сохранён." } else { "Спектакль добавлен в афишу." });
    // A new address each time, so the page (and its flash) is read again.
    leptos_axum::redirect(&format!("/admin/shows?saved={saved}"));
    Ok(())
}

#[server(endpoint = "admin/shows/delete")]
pub async fn delete_show(id: ShowId) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let s = state()?;
    if let Some(poster) = service::delete_show(&s.db, &actor, id).await? {
        s.media.remove(crate::server::storage::Shelf::Posters, &poster).await;
    }
    flash::set(FlashKind::Success, "Спектакль удалён из афиши.");
    leptos_axum::redirect("/admin/shows");
    Ok(())
}

#[server(endpoint = "admin/audit")]
pub async fn load_audit(#[server(default)] query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    Office::of_request().await?;
    service::audit(&state()?.db, &query).await
}

/// Courses that are not archived, published or not, a page at a time.
#[server(endpoint = "admin/courses")]
pub async fn load_admin_courses(#[server(default)] query: ListQuery) -> Result<Page<crate::domain::CourseCard>, AppError> {
    Office::of_request().await?;
    let s = state()?;
    service::courses::office_courses(&s.db, s.today(), &query).await
}

#[server(endpoint = "admin/courses/editor")]
pub async fn load_course_editor(id: Option<CourseId>) -> Result<CourseEditor, AppError> {
    Office::of_request().await?;
    crate::admin::service::courses::editor(&state()?.db, id).await
}

/// Creates a course when `id` is empty, saves it otherwise.
#[server(endpoint = "admin/courses/save")]
pub async fn save_course(id: String, course: CourseForm) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let s = state()?;
    let id = if id.is_empty() { None } else { Some(id.parse::<CourseId>().map_err(|_| AppError::BadRequest)?) };
    crate::admin::service::courses::save(&s.db, &s.config, &actor, id, &course, s.today()).await?;
    flash::set(FlashKind::Success, if id.is_some() { "Курс сохранён." } else { "Курс создан." });
    leptos_axum::redirect("/admin/courses");
    Ok(())
}

/// With active requests, `confirm` must be set: they are cancelled and the
/// students get a letter.
#[server(endpoint = "admin/courses/remove")]
pub async fn remove_course(id: CourseId, confirm: Option<String>) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    let s = state()?;
    crate::admin::service::courses::remove(&s.db, &s.config, &actor, id, confirm.is_some()).await?;
    flash::set(FlashKind::Success, "Курс удалён.");
    leptos_axum::redirect("/admin/courses");
    Ok(())
}
