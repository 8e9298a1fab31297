//! What the portfolio's pages and their server functions exchange: plain
//! data that depends on nothing above it, so the server's services can build it.
use crate::domain::{catalogue::Picture, portfolio::ItemKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    pub owner_name: String,
    /// A guardian keeps a child's portfolio.
    pub for_child: bool,
    /// Whose portfolios the person keeps: themselves and their children
    /// (empty without a family).
    pub members: Vec<crate::family::wire::Member>,
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
    /// The page's own address.
    pub path: String,
    pub about: String,
    pub avatar_url: Option<String>,
    /// The photo, when its size is known.
    pub picture: Option<Picture>,
    pub items: Vec<PortfolioItem>,
}

/// The header the page's script sends with an upload: answer in JSON (with
/// the status) instead of redirecting like for a plain form post.
pub const SCRIPTED_UPLOAD_HEADER: &str = "x-kulisy-upload";

/// The address of a student's public portfolio.
pub fn public_href(student_id: i32) -> String {
    format!("/students/{student_id}/portfolio")
}
