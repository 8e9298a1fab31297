//! The afisha's reads: upcoming shows and one show.
use crate::server::addresses::Kind;
use crate::domain::ids::ShowId;
use crate::domain::{ShowCard, ShowDetail, catalogue::summary_of};
use crate::server::entities::show;
use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

fn show_card(s: &show::Model, to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime) -> ShowCard {
    ShowCard {
        id: ShowId(s.id),
        title: s.title.clone(),
        path: Kind::Show.page(s.slug.as_deref(), s.id),
        starts_at: to_local(s.starts_at),
        venue: s.venue.clone(),
        summary: summary_of(&s.description),
        poster_url: s.poster_key.as_deref().map(|k| crate::server::storage::Shelf::Posters.url(k)),
    }
}

/// Shows that have not started yet, soonest first.
pub async fn upcoming_shows(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: Option<u64>,
    to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> Result<Vec<ShowCard>, DbErr> {
    Ok(show::Entity::find()
        .filter(show::Column::StartsAt.gte(now))
        .order_by_asc(show::Column::StartsAt)
        .limit(limit)
        .all(db)
        .await?
        .iter()
        .map(|s| show_card(s, &to_local))
        .collect())
}

pub async fn show(
    db: &DatabaseConnection,
    id: ShowId,
    to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> Result<Option<ShowDetail>, DbErr> {
    Ok(show::Entity::find_by_id(id).one(db).await?.map(|s| ShowDetail {
        card: show_card(&s, to_local),
        picture: s.poster_key.as_deref().and_then(|k| crate::server::storage::picture(crate::server::storage::Shelf::Posters, k)),
        description: s.description,
        structured_data: String::new(),
    }))
}
