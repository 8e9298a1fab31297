//! Портфолио: a student's photos, videos and achievements. The student's own
//! page adds (through its upload route in `routes.rs`, with a
//! progress bar once the page is hydrated), edits, reorders and deletes
//! items; the public page shows the items marked public. Rules live in
//! `service`.
mod pages;
pub mod wire;
#[cfg(feature = "hydrate")]
mod upload;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;
/// Its HTTP routes that are not server functions (uploads, downloads).
#[cfg(feature = "ssr")]
pub mod routes;

pub use pages::{MyPortfolioPage, PublicPortfolioPage};
pub use wire::*;

use crate::{domain::{ItemId, UserId}, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::portfolio::ItemText,
    server::{flash, guards::ActingFor, state},
    ui::FlashKind,
};

#[cfg(feature = "ssr")]
fn item_text(title: &str, description: &str, occurred_on: &str, visibility: &str) -> Result<ItemText, AppError> {
    let today = state()?.today();
    ItemText::parse(title, description, occurred_on, visibility, today).map_err(AppError::fields)
}

/// Students: their own portfolio or their child's (`member`), private
/// items included.
#[server(endpoint = "portfolio/mine")]
pub async fn load_my_portfolio(#[server(default)] member: String) -> Result<MyPortfolio, AppError> {
    let u = ActingFor::of_request(&member).await?;
    let s = state()?;
    let members = crate::family::service::members_of(&s.db, u.by(), s.today()).await?;
    service::my_portfolio(&s.db, &s.config, &u, members).await
}

/// Students: the words and visibility of one of their (or their child's) items.
#[server(endpoint = "portfolio/update")]
pub async fn update_portfolio_item(
    id: ItemId,
    title: String,
    description: String,
    occurred_on: String,
    visibility: Option<String>,
    #[server(default)] member: String,
) -> Result<(), AppError> {
    let u = ActingFor::of_request(&member).await?;
    let text = item_text(&title, &description, &occurred_on, visibility.as_deref().unwrap_or_default())?;
    service::update(&state()?.db, &u, id, text).await?;
    flash::set_for_plain_form(FlashKind::Success, "Изменения сохранены.");
    Ok(())
}

/// Students: one of their (or their child's) items, and its file.
#[server(endpoint = "portfolio/delete")]
pub async fn delete_portfolio_item(id: ItemId, #[server(default)] member: String) -> Result<(), AppError> {
    let u = ActingFor::of_request(&member).await?;
    let s = state()?;
    if let Some(file) = service::delete(&s.db, &u, id).await? {
        s.media.remove(file.shelf, &file.key).await;
    }
    flash::set_for_plain_form(FlashKind::Success, "Удалено из портфолио.");
    Ok(())
}

/// Students: `direction` is `up` or `down`.
#[server(endpoint = "portfolio/move")]
pub async fn move_portfolio_item(id: ItemId, direction: String, #[server(default)] member: String) -> Result<(), AppError> {
    let u = ActingFor::of_request(&member).await?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest),
    };
    service::move_item(&state()?.db, &u, id, up).await
}

/// Public: a student's public items.
#[server(endpoint = "portfolio/public")]
pub async fn load_public_portfolio(id: UserId) -> Result<PublicPortfolio, AppError> {
    let s = state()?;
    service::public_portfolio(&s.db, id, s.today()).await
}

