//! Reviews: who may write one (a student of a confirmed or completed
//! request, one per request), what the author may still change (a review
//! waiting for moderation), what everyone sees (published ones), and the
//! moderators' actions, each with its audit record in the same transaction.
use crate::domain::ids::{CourseId, EnrollmentId, ReviewId, TeacherId};
use crate::server::{
    entities::{course, enrollment, review, user},
    teachers::teacher_names,
    mail,
};
use crate::{
    domain::{
        EnrollmentStatus,
        review::{RatingSummary, ReviewStatus, clean_body, parse_rating},
    },
    error::AppError,
    reviews::wire::{PublishedReviews, ReviewView, Reviewable},
};
use crate::admin::service::record;
use crate::domain::UserId;
use crate::server::{courses, families, guards::{ActingFor, Office, Student}};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
    sea_query::Expr,
};
use serde_json::json;
use std::collections::HashMap;

/// Requests whose course a student may review.
const REVIEWABLE: [EnrollmentStatus; 2] = [EnrollmentStatus::Confirmed, EnrollmentStatus::Completed];

/// Which published reviews to show.
#[derive(Clone, Copy, Debug)]
pub enum About {
    Course(CourseId),
    Teacher(TeacherId),
}

/// Rows as people read them: names of authors, courses and teachers.
async fn views(db: &impl ConnectionTrait, rows: Vec<review::Model>) -> Result<Vec<ReviewView>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let author_ids: Vec<i32> = rows.iter().filter_map(|r| r.author_id).collect();
    let courses = courses::names(db, rows.iter().map(|r| r.course_id)).await?;
    let authors: HashMap<i32, String> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::FullName)
        .filter(user::Column::Id.is_in(author_ids))
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let teachers = teacher_names(db, rows.iter().filter_map(|r| r.teacher_id)).await?;
    let portfolios = crate::portfolio::service::public_owners(db, Some(authors.keys().copied().collect())).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let course = courses.get(&r.course_id).cloned().unwrap_or_default();
            ReviewView {
                id: r.id,
                course_title: course.title,
                course_path: course.path,
                teacher_name: r.teacher_id.and_then(|t| teachers.get(&t).cloned()),
                author_name: r
                    .author_id
                    .and_then(|a| authors.get(&a).cloned())
                    .unwrap_or_else(|| "Бывший ученик".into()),
                author_portfolio: r
                    .author_id
                    .filter(|a| portfolios.contains_key(a))
                    .map(crate::portfolio::wire::public_href),
                rating: r.rating,
                body: r.body,
                status: r.status,
                moderation_note: r.moderation_note,
                edited_by_moderator: r.edited_by_moderator,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// The confirmed and completed requests of the student and of their
/// children under 18 (a guardian reviews for a child), each with its review.
pub async fn reviewable(db: &DatabaseConnection, student: &Student, today: NaiveDate) -> Result<Vec<Reviewable>, AppError> {
    let children: HashMap<i32, String> =
        families::minors_guarded_by(db, student.id, today).await?.into_iter().map(|c| (c.id, c.full_name)).collect();
    let requests = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.is_in(children.keys().copied().chain([student.id])))
        .filter(enrollment::Column::Status.is_in(REVIEWABLE))
        .order_by_desc(enrollment::Column::PeriodStart)
        .all(db)
        .await?;
    let ids: Vec<i32> = requests.iter().map(|e| e.id).collect();
    let written = review::Entity::find().filter(review::Column::EnrollmentId.is_in(ids)).all(db).await?;
    let mut by_request: HashMap<i32, ReviewView> = HashMap::new();
    let enrollment_of: HashMap<i32, i32> = written.iter().filter_map(|r| Some((r.id, r.enrollment_id?))).collect();
    for v in views(db, written).await? {
        if let Some(e) = enrollment_of.get(&v.id) {
            by_request.insert(*e, v);
        }
    }
    let courses = courses::names(db, requests.iter().map(|e| e.course_id)).await?;
    let teachers = teacher_names(db, requests.iter().filter_map(|e| e.teacher_id)).await?;
    Ok(requests
        .into_iter()
        .map(|e| {
            let course = courses.get(&e.course_id).cloned().unwrap_or_default();
            Reviewable {
                enrollment_id: e.id,
                member_name: e.student_id.and_then(|s| children.get(&s).cloned()),
                course_title: course.title,
                course_path: course.path,
                teacher_name: e.teacher_id.and_then(|t| teachers.get(&t).cloned()),
                period: e.period(),
                review: by_request.remove(&e.id),
            }
        })
        .collect())
}

fn checked(rating: &str, body: &str) -> Result<(i16, String), AppError> {
    match (parse_rating(rating), clean_body(body)) {
        (Ok(r), Ok(b)) => Ok((r, b)),
        (r, b) => Err(AppError::fields(r.err().map(|m| ("rating", m)).into_iter().chain(b.err().map(|m| ("body", m))))),
    }
}

/// Writes the review of a request — the student's own, or their child's
/// (`ActingFor` checked for the request's student; the guardian is the
/// author, so no child's name is published) — or changes it while it waits
/// for moderation.
pub async fn save(
    db: &DatabaseConnection,
    student: &Student,
    enrollment_id: EnrollmentId,
    rating: &str,
    body: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let request = enrollment::Entity::find_by_id(enrollment_id).one(db).await?.ok_or(AppError::NotFound)?;
    let owner = request.student_id.ok_or(AppError::NotFound)?;
    // Another person's request is as unknown as a missing one.
    let who = ActingFor::check(db, student, Some(UserId(owner)), today).await.map_err(|_| AppError::NotFound)?;
    if !REVIEWABLE.contains(&request.status) {
        return Err(AppError::Conflict(
            "Отзыв можно оставить, когда педагог подтвердит запись.".into(),
        ));
    }
    let (rating, body) = checked(rating, body)?;
    let now = Utc::now();
    let existing = review::Entity::find().filter(review::Column::EnrollmentId.eq(enrollment_id)).one(db).await?;
    let Some(existing) = existing else {
        let inserted = review::ActiveModel {
            author_id: Set(Some(who.by().id)),
            enrollment_id: Set(Some(enrollment_id.0)),
            course_id: Set(request.course_id),
            teacher_id: Set(request.teacher_id),
            rating: Set(rating),
            body: Set(body),
            status: Set(ReviewStatus::Pending),
            edited_by_moderator: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await;
        return match inserted {
            Ok(_) => Ok(()),
            // A second tab sent the same review a moment earlier.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Err(AppError::Conflict("Отзыв на эту запись уже написан: обновите страницу.".into()))
            }
            Err(e) => Err(e.into()),
        };
    };
    // Only while pending, checked in the statement itself: a moderator may
    // be publishing it at this moment.
    let changed = review::Entity::update_many()
        .col_expr(review::Column::Rating, Expr::value(rating))
        .col_expr(review::Column::Body, Expr::value(body))
        .col_expr(review::Column::UpdatedAt, Expr::value(now))
        .filter(review::Column::Id.eq(existing.id))
        .filter(review::Column::Status.eq(ReviewStatus::Pending))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::Conflict("Отзыв уже проверен модератором: изменить его нельзя.".into()));
    }
    Ok(())
}

/// Published reviews, newest first, with their average.
pub async fn published(db: &DatabaseConnection, about: About) -> Result<PublishedReviews, AppError> {
    let query = review::Entity::find().filter(review::Column::Status.eq(ReviewStatus::Published));
    let query = match about {
        About::Course(id) => query.filter(review::Column::CourseId.eq(id)),
        About::Teacher(id) => query.filter(review::Column::TeacherId.eq(id)),
    };
    let rows = query.order_by_desc(review::Column::PublishedAt).order_by_desc(review::Column::Id).all(db).await?;
    let summary = RatingSummary::of(rows.iter().map(|r| r.rating));
    Ok(PublishedReviews { summary, reviews: views(db, rows).await? })
}

/// Reviews in one state for the moderators; the queue is oldest first.
pub async fn queue(db: &DatabaseConnection, status: ReviewStatus) -> Result<Vec<ReviewView>, AppError> {
    let query = review::Entity::find().filter(review::Column::Status.eq(status));
    let query = match status {
        ReviewStatus::Pending => query.order_by_asc(review::Column::CreatedAt),
        _ => query.order_by_desc(review::Column::UpdatedAt),
    };
    let rows = query.order_by_asc(review::Column::Id).limit(200).all(db).await?;
    views(db, rows).await
}

#[derive(Clone, Debug)]
pub enum Moderation {
    Publish,
    /// Changes the text; readers are told a moderator edited it.
    Edit { body: String },
    Reject { reason: String },
    Delete,
}

/// Applies a moderator's decision; returns what to tell them.
pub async fn moderate(
    db: &DatabaseConnection,
    actor: &Office,
    id: ReviewId,
    action: Moderation,
) -> Result<&'static str, AppError> {
    let txn = crate::server::db::write(db).await?;
    // A write first: the row is locked (PostgreSQL) or the database is
    // (SQLite) before it is read, so two moderators act one after another.
    review::Entity::update_many()
        .col_expr(review::Column::UpdatedAt, Expr::col(review::Column::UpdatedAt))
        .filter(review::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let r = review::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let before = r.status;
    let (author, course_id) = (r.author_id, r.course_id);
    let (said, letter) = match action {
        Moderation::Delete => {
            review::Entity::delete_by_id(id).exec(&txn).await?;
            record(&txn, actor, "delete", "review", Some(id.0), json!({ "status": [before.as_str(), null], "body": [r.body, null] })).await?;
            ("Отзыв удалён.", None)
        }
        Moderation::Publish => {
            let mut row: review::ActiveModel = r.into();
            row.status = Set(ReviewStatus::Published);
            row.moderator_id = Set(Some(actor.id));
            row.moderation_note = Set(None);
            row.published_at = Set(Some(now));
            row.updated_at = Set(now);
            row.update(&txn).await?;
            record(&txn, actor, "publish", "review", Some(id.0), json!({ "status": [before.as_str(), "published"] })).await?;
            ("Отзыв опубликован.", Some((ReviewStatus::Published, None)))
        }
        Moderation::Edit { body } => {
            let body = clean_body(&body).map_err(|m| AppError::field("body", m))?;
            let old = r.body.clone();
            let mut row: review::ActiveModel = r.into();
            row.body = Set(body.clone());
            row.edited_by_moderator = Set(true);
            row.moderator_id = Set(Some(actor.id));
            row.updated_at = Set(now);
            row.update(&txn).await?;
            record(&txn, actor, "update", "review", Some(id.0), json!({ "body": [old, body] })).await?;
            ("Текст отзыва изменён.", None)
        }
        Moderation::Reject { reason } => {
            let reason = crate::domain::text::required(
                &reason,
                500,
                crate::domain::text::Lines::Many,
                "Укажите причину: автор её увидит.",
                "Причина слишком длинная: не больше 500 символов.",
            )
            .map_err(|m| AppError::field("reason", m))?;
            let mut row: review::ActiveModel = r.into();
            row.status = Set(ReviewStatus::Rejected);
            row.moderator_id = Set(Some(actor.id));
            row.moderation_note = Set(Some(reason.clone()));
            row.published_at = Set(None);
            row.updated_at = Set(now);
            row.update(&txn).await?;
            record(&txn, actor, "reject", "review", Some(id.0), json!({ "status": [before.as_str(), "rejected"], "reason": [null, reason] })).await?;
            ("Отзыв отклонён: автор увидит причину.", Some((ReviewStatus::Rejected, Some(reason))))
        }
    };
    if let (Some((status, reason)), Some(author)) = (letter, author)
        && let Some(u) = user::Entity::find_by_id(author).one(&txn).await?
    {
        let title = course::Entity::find_by_id(course_id).one(&txn).await?.map(|c| c.title).unwrap_or_default();
        let text = match (status, reason) {
            (ReviewStatus::Rejected, Some(reason)) => {
                format!("Ваш отзыв о курсе «{title}» не опубликован. Причина: {reason}")
            }
            _ => format!("Ваш отзыв о курсе «{title}» опубликован. Спасибо, что поделились!"),
        };
        mail::enqueue(&txn, mail::compose(&u.email, &u.full_name, "Ваш отзыв проверен", &[&text], None)).await?;
    }
    txn.commit().await?;
    Ok(said)
}
