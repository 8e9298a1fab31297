//! Families (issue #32): a guardian adds their children, with consent to
//! process the children's data (152-ФЗ), and then books, cancels and reads
//! letters for them. Access to a child goes through `guards::ActingFor`.
mod join;
mod pages;
pub mod wire;
/// The rules (in transactions, audited) of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::MyFamilyPage;
pub use join::{AcceptFamilyPage, ChildLoginPage};
pub use wire::*;

use crate::{domain::UserId, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    server::{flash, guards::{ActingFor, Office, Student}, state},
    ui::FlashKind,
};

/// Students: their family — children, co-guardians; a teenager sees their guardians.
#[server(endpoint = "family")]
pub async fn load_family() -> Result<FamilyView, AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    service::family_of(&s.db, &student, s.today()).await
}

/// Students: adds a child to their family; the consent box is required.
#[server(endpoint = "family/add")]
pub async fn add_child(
    full_name: String,
    birth_date: String,
    teacher_notes: String,
    consent: Option<String>,
    photos: Option<String>,
) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    let form = service::ChildForm { full_name, birth_date, teacher_notes, photos_allowed: photos.is_some() };
    let text = match service::add_child(&s.db, &student, form, consent.is_some(), s.today()).await? {
        service::Added::New(_) => "Ребёнок добавлен в семью. Теперь его можно записать на курс.",
        service::Added::AlreadyThere(_) => "Этот ребёнок уже есть в семье.",
    };
    flash::set_for_plain_form(FlashKind::Success, text);
    Ok(())
}

/// A guardian of the child: saves the child's details.
#[server(endpoint = "family/update")]
pub async fn update_child(
    child: UserId,
    full_name: String,
    birth_date: String,
    teacher_notes: String,
    photos: Option<String>,
) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    let who = ActingFor::check(&s.db, &student, Some(child), s.today()).await?;
    let form = service::ChildForm { full_name, birth_date, teacher_notes, photos_allowed: photos.is_some() };
    service::update_child(&s.db, &who, form, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Данные ребёнка сохранены.");
    Ok(())
}

/// A guardian of the child: deletes the child's data for good.
#[server(endpoint = "family/remove")]
pub async fn remove_child(child: UserId, confirm: Option<String>) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    let who = ActingFor::check(&s.db, &student, Some(child), s.today()).await?;
    if confirm.is_none() {
        return Err(AppError::field("confirm", "Отметьте, что понимаете: данные ребёнка и его заявки будут удалены."));
    }
    let files = service::remove_child(&s.db, &s.config.site_url, &who, s.today()).await?;
    crate::server::storage::StoredFile::remove_all(&*s.media, files).await;
    flash::set_for_plain_form(FlashKind::Success, "Данные ребёнка удалены.");
    Ok(())
}

/// A guardian of the child (14 or older): invites them to a login of their own.
#[server(endpoint = "family/invite-child")]
pub async fn invite_child(child: UserId, email: String) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    let who = ActingFor::check(&s.db, &student, Some(child), s.today()).await?;
    let client = crate::server::client::current().await;
    service::invite_child(&s.db, &s.config.site_url, &who, &email, client, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Приглашение отправлено: ссылка действует 7 дней.");
    Ok(())
}

/// Public: the token is the credential. The teenager sets their password.
#[server(endpoint = "family/child-login")]
pub async fn accept_child_login(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let email = service::accept_child_login(&state()?.db, &token, password, &password_confirm).await?;
    flash::set(FlashKind::Success, format!("Вход готов: войдите с адресом {email} и новым паролем."));
    leptos_axum::redirect("/login");
    Ok(())
}

/// Students in a family: invites a second guardian (the other parent).
#[server(endpoint = "family/invite-guardian")]
pub async fn invite_guardian(email: String) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    let s = state()?;
    let client = crate::server::client::current().await;
    service::invite_guardian(&s.db, &s.config.site_url, &student, &email, client).await?;
    flash::set_for_plain_form(FlashKind::Success, "Приглашение отправлено: ссылка действует 7 дней.");
    Ok(())
}

/// The invited student, signed in with the invited address, joins the family.
#[server(endpoint = "family/accept")]
pub async fn accept_guardian(token: String) -> Result<(), AppError> {
    let student = Student::of_request().await?;
    service::accept_guardian(&state()?.db, &student, &token).await?;
    flash::set(FlashKind::Success, "Вы в семье: теперь вы можете записывать детей и видеть их записи.");
    leptos_axum::redirect("/my/family");
    Ok(())
}

/// The office: makes the owner of `email` a guardian of the family too.
#[server(endpoint = "admin/family/link")]
pub async fn link_guardian(family: i32, email: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::link_guardian(&state()?.db, &actor, family, &email).await?;
    flash::set_for_plain_form(FlashKind::Success, "Представитель привязан к семье.");
    Ok(())
}

/// The office: takes a guardian out of their family.
#[server(endpoint = "admin/family/unlink")]
pub async fn unlink_guardian(guardian: UserId) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::unlink_guardian(&state()?.db, &actor, guardian).await?;
    flash::set_for_plain_form(FlashKind::Success, "Представитель отвязан от семьи.");
    Ok(())
}

/// The office: moves a child into the family of the guardian with `email`.
#[server(endpoint = "admin/family/move")]
pub async fn move_child(child: UserId, email: String) -> Result<(), AppError> {
    let actor = Office::of_request().await?;
    service::move_child(&state()?.db, &actor, child, &email).await?;
    flash::set_for_plain_form(FlashKind::Success, "Ребёнок переведён в другую семью.");
    Ok(())
}
