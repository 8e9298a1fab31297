//! Портфолио: a student's photos, videos and achievements. The student's own
//! page adds (through [`crate::server::media`]'s upload route, with a
//! progress bar once the page is hydrated), edits, reorders and deletes
//! items; the public page shows the items marked public. Rules live in
//! `server::portfolio`.
mod pages;
#[cfg(feature = "hydrate")]
mod upload;

pub use pages::{MyPortfolioPage, PublicPortfolioPage};

use crate::{domain::portfolio::ItemKind, error::AppError};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::{Role, portfolio::ItemText},
    server::{auth, flash, portfolio, state},
    ui::FlashKind,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioItem {
    pub id: i32,
    pub kind: ItemKind,
    pub title: String,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub is_public: bool,
    pub media_url: Option<String>,
    pub mime: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyPortfolio {
    pub owner_id: i32,
    pub items: Vec<PortfolioItem>,
    pub used_bytes: u64,
    pub quota_bytes: u64,
    pub video_max_bytes: u64,
}

impl MyPortfolio {
    /// The largest file of `kind` that would be taken now (the page checks
    /// before sending; the server checks again).
    pub fn limit_for(&self, kind: ItemKind) -> u64 {
        kind.max_bytes(self.video_max_bytes).min(self.quota_bytes.saturating_sub(self.used_bytes))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicPortfolio {
    pub name: String,
    pub about: String,
    pub avatar_url: Option<String>,
    pub items: Vec<PortfolioItem>,
}

#[cfg(feature = "ssr")]
async fn owner() -> Result<crate::server::entities::user::Model, AppError> {
    auth::require_role(&[Role::Student]).await
}

#[cfg(feature = "ssr")]
fn item_text(title: &str, description: &str, occurred_on: &str, visibility: &str) -> Result<ItemText, AppError> {
    let today = state()?.today();
    ItemText::parse(title, description, occurred_on, visibility, today).map_err(AppError::fields)
}

/// Students: their own portfolio, private items included.
#[server(endpoint = "portfolio/mine")]
pub async fn load_my_portfolio() -> Result<MyPortfolio, AppError> {
    let u = owner().await?;
    let s = state()?;
    portfolio::my_portfolio(&s.db, &s.config, &u).await
}

/// Students: the words and visibility of one of their items.
#[server(endpoint = "portfolio/update")]
pub async fn update_portfolio_item(
    id: i32,
    title: String,
    description: String,
    occurred_on: String,
    visibility: Option<String>,
) -> Result<(), AppError> {
    let u = owner().await?;
    let text = item_text(&title, &description, &occurred_on, visibility.as_deref().unwrap_or_default())?;
    portfolio::update(&state()?.db, &u, id, text).await?;
    flash::set_for_plain_form(FlashKind::Success, "Изменения сохранены.");
    Ok(())
}

/// Students: one of their items, and its file.
#[server(endpoint = "portfolio/delete")]
pub async fn delete_portfolio_item(id: i32) -> Result<(), AppError> {
    let u = owner().await?;
    let s = state()?;
    if let Some(file) = portfolio::delete(&s.db, &u, id).await? {
        s.media.remove(file.shelf, &file.key).await;
    }
    flash::set_for_plain_form(FlashKind::Success, "Удалено из портфолио.");
    Ok(())
}

/// Students: `direction` is `up` or `down`.
#[server(endpoint = "portfolio/move")]
pub async fn move_portfolio_item(id: i32, direction: String) -> Result<(), AppError> {
    let u = owner().await?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest),
    };
    portfolio::move_item(&state()?.db, &u, id, up).await
}

/// Public: a student's public items.
#[server(endpoint = "portfolio/public")]
pub async fn load_public_portfolio(id: i32) -> Result<PublicPortfolio, AppError> {
    portfolio::public_portfolio(&state()?.db, id).await
}

/// The header the page's script sends with an upload: answer in JSON (with
/// the status) instead of redirecting like for a plain form post.
pub const SCRIPTED_UPLOAD_HEADER: &str = "x-kulisy-upload";

/// The address of a student's public portfolio.
pub fn public_href(student_id: i32) -> String {
    format!("/students/{student_id}/portfolio")
}
