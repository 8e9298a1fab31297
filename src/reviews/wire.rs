//! What the review pages and their server functions exchange: plain data
//! that depends on nothing above it, so the server's services can build it.
use crate::domain::{
    enrollment::Period,
    review::{RatingSummary, ReviewStatus},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i32,
    pub course_title: String,
    /// The course page's readable address.
    pub course_path: String,
    pub teacher_name: Option<String>,
    pub author_name: String,
    /// The author's public portfolio, when there is one.
    pub author_portfolio: Option<String>,
    pub rating: i16,
    pub body: String,
    pub status: ReviewStatus,
    /// Why it was rejected (shown to its author).
    pub moderation_note: Option<String>,
    pub edited_by_moderator: bool,
    pub created_at: DateTime<Utc>,
}

/// A request the student may review, with the review if written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reviewable {
    pub enrollment_id: i32,
    /// A guardian's child the request is for; `None` for the person's own.
    pub member_name: Option<String>,
    pub course_title: String,
    /// The course page's readable address.
    pub course_path: String,
    pub teacher_name: Option<String>,
    pub period: Period,
    pub review: Option<ReviewView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedReviews {
    pub summary: Option<RatingSummary>,
    pub reviews: Vec<ReviewView>,
}

/// What a moderator does with a review: the `action` its form sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModerationChoice {
    Publish,
    /// With the new `body`; readers are told a moderator edited it.
    Edit,
    /// With a reason, told to the author.
    Reject,
    Delete,
}
