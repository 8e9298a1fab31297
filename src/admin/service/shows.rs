//! The afisha's shows: checked, saved, given posters, listed and removed.
use crate::server::addresses::{self, Kind};
use crate::domain::ids::ShowId;
use super::audit::{diff, record};
use crate::{
    admin::wire::{Page, ShowForm, ShowRow},
    domain::text::{self, Lines},
    error::{AppError, FieldError},
    server::{
        entities::show,
        search::search_words,
    },
};
use crate::server::guards::Office;
use chrono::{NaiveDateTime, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::{Value, json};

fn show_json(s: &show::Model) -> Value {
    json!({ "title": s.title, "starts_at": s.starts_at, "venue": s.venue, "description": s.description })
}

/// Checks a show form; the time is local to the school.
fn check_show(form: &ShowForm, tz: chrono_tz::Tz) -> Result<(String, chrono::DateTime<Utc>, String, String), AppError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: &str| problems.push(FieldError { field: field.into(), message: message.into() });
    const TITLE: &str = "Укажите название — до 200 символов.";
    const VENUE: &str = "Укажите место — до 200 символов.";
    let title = text::required(&form.title, 200, Lines::One, TITLE, TITLE).map_err(|m| problem("title", m)).unwrap_or_default();
    let venue = text::required(&form.venue, 200, Lines::One, VENUE, VENUE).map_err(|m| problem("venue", m)).unwrap_or_default();
    let description = text::clean(&form.description, 5000, Lines::Many)
        .map_err(|p| problem("description", p.or_too_long("Описание — не длиннее 5000 символов.")))
        .unwrap_or_default();
    let starts_at = NaiveDateTime::parse_from_str(form.starts_at.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|local| tz.from_local_datetime(&local).earliest())
        .map(|t| t.with_timezone(&Utc));
    if starts_at.is_none() {
        problem("starts_at", "Укажите дату и время начала.");
    }
    match starts_at {
        Some(starts_at) if problems.is_empty() => Ok((title, starts_at, venue, description)),
        _ => Err(AppError::Invalid(problems)),
    }
}

/// Creates the show when `id` is `None`, updates it otherwise.
pub async fn save_show(
    db: &DatabaseConnection,
    actor: &Office,
    tz: chrono_tz::Tz,
    id: Option<ShowId>,
    form: &ShowForm,
) -> Result<i32, AppError> {
    let (title, starts_at, venue, description) = check_show(form, tz)?;
    let txn = crate::server::db::write(db).await?;
    let now = Utc::now();
    let (saved, before) = match id {
        None => {
            let s = show::ActiveModel {
                title: Set(title),
                starts_at: Set(starts_at),
                venue: Set(venue),
                description: Set(description),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (s, json!({}))
        }
        Some(id) => {
            let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            let before = show_json(&s);
            let mut row: show::ActiveModel = s.into();
            row.title = Set(title);
            row.starts_at = Set(starts_at);
            row.venue = Set(venue);
            row.description = Set(description);
            row.updated_at = Set(now);
            (row.update(&txn).await?, before)
        }
    };
    addresses::settle(&txn, Kind::Show, saved.id, &saved.title).await?;
    let action = if id.is_some() { "update" } else { "create" };
    record(&txn, actor, action, "show", Some(saved.id), diff(&before, &show_json(&saved))).await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Gives a show its new poster; returns the old one's key to remove.
pub async fn set_poster(db: &DatabaseConnection, actor: &Office, id: ShowId, key: &str) -> Result<Option<String>, AppError> {
    let txn = crate::server::db::write(db).await?;
    let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let old = s.poster_key.clone();
    let mut row: show::ActiveModel = s.into();
    row.poster_key = Set(Some(key.to_string()));
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    record(&txn, actor, "update", "show", Some(id.0), json!({ "poster": [old.is_some(), true] })).await?;
    txn.commit().await?;
    Ok(old)
}

/// Deletes a show; returns its poster's key to remove once committed.
pub async fn delete_show(db: &DatabaseConnection, actor: &Office, id: ShowId) -> Result<Option<String>, AppError> {
    let txn = crate::server::db::write(db).await?;
    let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    addresses::bury(&txn, Kind::Show, id.0).await?;
    show::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, actor, "delete", "show", Some(id.0), diff(&show_json(&s), &json!({}))).await?;
    txn.commit().await?;
    Ok(s.poster_key)
}

/// Shows found by title (in any case, matched here: SQLite lowercases only
/// ASCII), newest first or by title, a page at a time, with local times.
pub async fn shows(
    db: &DatabaseConnection,
    to_local: impl Fn(chrono::DateTime<Utc>) -> NaiveDateTime,
    q: &crate::admin::wire::ListQuery,
) -> Result<Page<ShowRow>, AppError> {
    let needle = search_words(&q.search)?.to_lowercase();
    let mut all: Vec<show::Model> = show::Entity::find()
        .order_by_desc(show::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.title.to_lowercase().contains(&needle))
        .collect();
    if q.sort == "title" {
        all.sort_by(|a, b| a.title.cmp(&b.title));
    }
    let rows = all
        .into_iter()
        .map(|s| ShowRow {
            id: s.id,
            form: ShowForm {
                title: s.title,
                starts_at: to_local(s.starts_at).format("%Y-%m-%dT%H:%M").to_string(),
                venue: s.venue,
                description: s.description,
            },
        })
        .collect();
    Ok(Page::cut(rows, q.page))
}
