//! Отзывы: students review courses they took, moderators publish them,
//! everyone reads published ones on the course and teacher pages. Rules
//! live in `service`; the moderation page is in `admin`.
pub(crate) mod pages;
pub mod wire;
/// The rules (in transactions) and letters of this area; server only.
#[cfg(feature = "ssr")]
pub mod service;

pub use pages::{MyReviewsPage, PublishedReviewsBlock, published_reviews};
pub use wire::*;

use crate::{domain::{EnrollmentId, ReviewId}, error::AppError};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::review::ReviewStatus,
    server::{flash, guards::{Office, Student}, state},
    ui::FlashKind,
};

/// Students: the courses they and their children may review, and the reviews.
#[server(endpoint = "reviews/mine")]
pub async fn load_my_reviews() -> Result<Vec<Reviewable>, AppError> {
    let u = Student::of_request().await?;
    let s = state()?;
    service::reviewable(&s.db, &u, s.today()).await
}

/// Students: writes a review of their own or their child's request, or
/// changes it while pending.
#[server(endpoint = "reviews/save")]
pub async fn save_review(enrollment_id: EnrollmentId, rating: String, body: String) -> Result<(), AppError> {
    let u = Student::of_request().await?;
    let s = state()?;
    service::save(&s.db, &u, enrollment_id, &rating, &body, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Спасибо! Отзыв появится после проверки модератором.");
    Ok(())
}

/// Public: `about` is `course` or `teacher`, `address` what its page's
/// address names it by (slug, former slug or number).
#[server(endpoint = "reviews/published")]
pub async fn load_published_reviews(about: String, address: String) -> Result<PublishedReviews, AppError> {
    use crate::domain::{CourseId, TeacherId};
    use crate::server::addresses::{Kind, record_at};
    let db = &state()?.db;
    let about = match about.as_str() {
        "course" => service::About::Course(CourseId(record_at(db, Kind::Course, &address).await?)),
        "teacher" => service::About::Teacher(TeacherId(record_at(db, Kind::Teacher, &address).await?)),
        _ => return Err(AppError::BadRequest),
    };
    service::published(db, about).await
}

/// Admins: reviews in one state (`pending` by default).
#[server(endpoint = "reviews/queue")]
pub async fn load_review_queue(status: String) -> Result<Vec<ReviewView>, AppError> {
    Office::of_request().await?;
    let status = ReviewStatus::parse(&status).ok_or(AppError::BadRequest)?;
    service::queue(&state()?.db, status).await
}

/// Admins: `publish`, `edit` (with `body`), `reject` (with `reason`) or
/// `delete`. Answers with what happened.
#[server(endpoint = "reviews/moderate")]
pub async fn moderate_review(
    id: ReviewId,
    action: ModerationChoice,
    body: Option<String>,
    reason: Option<String>,
) -> Result<String, AppError> {
    let actor = Office::of_request().await?;
    let action = match action {
        ModerationChoice::Publish => service::Moderation::Publish,
        ModerationChoice::Edit => service::Moderation::Edit { body: body.unwrap_or_default() },
        ModerationChoice::Reject => service::Moderation::Reject { reason: reason.unwrap_or_default() },
        ModerationChoice::Delete => service::Moderation::Delete,
    };
    let said = service::moderate(&state()?.db, &actor, id, action).await?;
    flash::set_for_plain_form(FlashKind::Success, said);
    Ok(said.to_string())
}
