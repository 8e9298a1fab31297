//! The rules of portfolios: who sees which item, the storage quota, order,
//! and deletion with the file. Every change checks the owner in its query,
//! so an item id of somebody else's is simply not found.
use crate::domain::ids::{ItemId, UserId};
use crate::server::{
    Config,
    entities::{media, portfolio_item, user},
    families,
    guards::ActingFor,
    storage::{Shelf, StoredFile},
};
use crate::{
    domain::{
        Role,
        portfolio::{ItemKind, ItemText, PHOTO_MAX_BYTES, megabytes},
    },
    error::AppError,
    portfolio::wire::{MyPortfolio, PortfolioItem, PublicPortfolio},
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use std::collections::HashMap;

/// A checked file, stored and waiting for its record.
pub struct NewMedia {
    pub mime: &'static str,
    pub size_bytes: u64,
    pub key: String,
    pub dimensions: Option<(u32, u32)>,
}

async fn items_of(db: &impl ConnectionTrait, owner_id: i32, only_public: bool) -> Result<Vec<PortfolioItem>, AppError> {
    let mut query = portfolio_item::Entity::find().filter(portfolio_item::Column::OwnerId.eq(owner_id));
    if only_public {
        query = query.filter(portfolio_item::Column::IsPublic.eq(true));
    }
    let rows = query
        .order_by_asc(portfolio_item::Column::Position)
        .order_by_asc(portfolio_item::Column::Id)
        .all(db)
        .await?;
    let media_ids: Vec<i32> = rows.iter().filter_map(|r| r.media_id).collect();
    let files: HashMap<i32, media::Model> = if media_ids.is_empty() {
        HashMap::new()
    } else {
        media::Entity::find()
            .filter(media::Column::Id.is_in(media_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let file = r.media_id.and_then(|id| files.get(&id));
            PortfolioItem {
                id: r.id,
                kind: r.kind,
                title: r.title,
                description: r.description,
                occurred_on: r.occurred_on,
                is_public: r.is_public,
                media_url: file.map(|m| Shelf::Portfolio.url(&m.storage_key)),
                mime: file.map(|m| m.mime.clone()),
                width: file.and_then(|m| m.width),
                height: file.and_then(|m| m.height),
            }
        })
        .collect())
}

/// Bytes of files the user keeps.
pub async fn used_bytes(db: &impl ConnectionTrait, owner_id: i32) -> Result<u64, AppError> {
    let sizes: Vec<i64> = media::Entity::find()
        .select_only()
        .column(media::Column::SizeBytes)
        .filter(media::Column::OwnerId.eq(owner_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(sizes.into_iter().map(|s| s.max(0) as u64).sum())
}

/// How large a file of `kind` may be for someone with `used` bytes stored,
/// and the words that say why when it is larger.
pub fn upload_limit(config: &Config, kind: Option<ItemKind>, used: u64) -> (u64, String) {
    let room = config.media_quota_bytes.saturating_sub(used);
    let (max, what) = match kind {
        Some(kind) => {
            let max = kind.max_bytes(config.video_max_bytes);
            let what = match kind {
                ItemKind::Photo => format!("фото — не больше {}", megabytes(max)),
                ItemKind::Video => format!("видео — не больше {}", megabytes(max)),
                ItemKind::Text => "для достижения файл не нужен".to_string(),
            };
            (max, what)
        }
        // Not yet known (the kind comes later in the form): the larger limit.
        None => (
            config.video_max_bytes.max(PHOTO_MAX_BYTES),
            format!(
                "видео — не больше {}, фото — не больше {}",
                megabytes(config.video_max_bytes),
                megabytes(PHOTO_MAX_BYTES)
            ),
        ),
    };
    if room < max {
        (room, format!("Не хватает места в портфолио: свободно {}. Удалите что-нибудь лишнее.", megabytes(room)))
    } else {
        (max, format!("Файл слишком большой: {what}."))
    }
}

/// The portfolio of the member `u` acts for, with the family's `members`
/// whose portfolios the same person keeps.
pub async fn my_portfolio(
    db: &DatabaseConnection,
    config: &Config,
    u: &ActingFor,
    members: Vec<crate::family::wire::Member>,
) -> Result<MyPortfolio, AppError> {
    Ok(MyPortfolio {
        owner_id: u.id,
        owner_name: u.name.clone(),
        for_child: u.for_child(),
        members,
        items: items_of(db, u.id, false).await?,
        used_bytes: used_bytes(db, u.id).await?,
        quota_bytes: config.media_quota_bytes,
        video_max_bytes: config.video_max_bytes,
    })
}

/// A student's public items; not found while there are none, so a private
/// portfolio does not even show that it exists. A child's portfolio is
/// private until a guardian agrees to publish photos of them, and a
/// minor's photo is never offered to link previews.
pub async fn public_portfolio(db: &DatabaseConnection, student_id: UserId, today: chrono::NaiveDate) -> Result<PublicPortfolio, AppError> {
    let u = user::Entity::find_by_id(student_id)
        .filter(user::Column::IsActive.eq(true))
        .filter(user::Column::Role.eq(Role::Student))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !families::without_photo_consent(db, [u.id]).await?.is_empty() {
        return Err(AppError::NotFound);
    }
    let items = items_of(db, u.id, true).await?;
    if items.is_empty() {
        return Err(AppError::NotFound);
    }
    let minor = families::is_minor(&u, today);
    Ok(PublicPortfolio {
        name: u.full_name,
        path: crate::portfolio::wire::public_href(u.id),
        about: u.about.unwrap_or_default(),
        avatar_url: u.avatar_key.as_deref().map(|k| Shelf::Avatars.url(k)),
        picture: u.avatar_key.as_deref().filter(|_| !minor).and_then(|k| crate::server::storage::picture(Shelf::Avatars, k)),
        items,
    })
}

/// The students whose portfolio is public (an active student with a public
/// item), each with the newest change of those items; among `only` when
/// given.
pub async fn public_owners(
    db: &impl ConnectionTrait,
    only: Option<Vec<i32>>,
) -> Result<std::collections::BTreeMap<i32, chrono::DateTime<chrono::Utc>>, sea_orm::DbErr> {
    let mut items = portfolio_item::Entity::find()
        .select_only()
        .column(portfolio_item::Column::OwnerId)
        .column(portfolio_item::Column::UpdatedAt)
        .filter(portfolio_item::Column::IsPublic.eq(true));
    if let Some(only) = only {
        items = items.filter(portfolio_item::Column::OwnerId.is_in(only));
    }
    let items: Vec<(i32, chrono::DateTime<chrono::Utc>)> = items.into_tuple().all(db).await?;
    let students: std::collections::HashSet<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(items.iter().map(|(owner, _)| *owner)))
        .filter(user::Column::IsActive.eq(true))
        .filter(user::Column::Role.eq(Role::Student))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let private = families::without_photo_consent(db, students.iter().copied()).await?;
    let mut owners = std::collections::BTreeMap::new();
    for (owner, at) in items.into_iter().filter(|(owner, _)| students.contains(owner) && !private.contains(owner)) {
        let newest = owners.entry(owner).or_insert(at);
        *newest = (*newest).max(at);
    }
    Ok(owners)
}

/// Takes the owner's row lock: quota checks and positions of one person's
/// concurrent uploads happen one after another.
async fn lock_owner(db: &impl ConnectionTrait, owner_id: i32) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(user::Column::SessionEpoch, Expr::col(user::Column::SessionEpoch))
        .filter(user::Column::Id.eq(owner_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Adds an item (and its file's record) at the end of the portfolio.
pub async fn add(
    db: &DatabaseConnection,
    config: &Config,
    owner: &ActingFor,
    kind: ItemKind,
    text: ItemText,
    file: Option<NewMedia>,
) -> Result<i32, AppError> {
    let txn = crate::server::db::write(db).await?;
    lock_owner(&txn, owner.id).await?;
    let now = Utc::now();
    let media_id = match file {
        Some(f) => {
            let used = used_bytes(&txn, owner.id).await?;
            if used + f.size_bytes > config.media_quota_bytes {
                return Err(AppError::field("file", upload_limit(config, Some(kind), used).1));
            }
            let row = media::ActiveModel {
                owner_id: Set(owner.id),
                kind: Set(kind.as_str().into()),
                mime: Set(f.mime.into()),
                size_bytes: Set(f.size_bytes as i64),
                storage_key: Set(f.key),
                width: Set(f.dimensions.map(|(w, _)| w as i32)),
                height: Set(f.dimensions.map(|(_, h)| h as i32)),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Some(row.id)
        }
        None => None,
    };
    let last: Option<i32> = portfolio_item::Entity::find()
        .select_only()
        .column(portfolio_item::Column::Position)
        .filter(portfolio_item::Column::OwnerId.eq(owner.id))
        .order_by_desc(portfolio_item::Column::Position)
        .into_tuple()
        .one(&txn)
        .await?;
    let item = portfolio_item::ActiveModel {
        owner_id: Set(owner.id),
        kind: Set(kind),
        title: Set(text.title),
        description: Set(text.description),
        media_id: Set(media_id),
        occurred_on: Set(text.occurred_on),
        position: Set(last.map_or(0, |p| p + 1)),
        is_public: Set(text.is_public),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(item.id)
}

async fn own_item(db: &impl ConnectionTrait, owner: &ActingFor, id: i32) -> Result<portfolio_item::Model, AppError> {
    portfolio_item::Entity::find_by_id(id)
        .filter(portfolio_item::Column::OwnerId.eq(owner.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn update(db: &DatabaseConnection, owner: &ActingFor, id: ItemId, text: ItemText) -> Result<(), AppError> {
    let mut row: portfolio_item::ActiveModel = own_item(db, owner, id.0).await?.into();
    row.title = Set(text.title);
    row.description = Set(text.description);
    row.occurred_on = Set(text.occurred_on);
    row.is_public = Set(text.is_public);
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(())
}

/// Deletes an item and its file's record; the file itself is the caller's
/// to remove once this has committed.
pub async fn delete(db: &DatabaseConnection, owner: &ActingFor, id: ItemId) -> Result<Option<StoredFile>, AppError> {
    let txn = crate::server::db::write(db).await?;
    lock_owner(&txn, owner.id).await?;
    let item = own_item(&txn, owner, id.0).await?;
    portfolio_item::Entity::delete_by_id(item.id).exec(&txn).await?;
    let file = match item.media_id {
        Some(media_id) => {
            let m = media::Entity::find_by_id(media_id).one(&txn).await?;
            media::Entity::delete_by_id(media_id).exec(&txn).await?;
            m.map(|m| StoredFile { shelf: Shelf::Portfolio, key: m.storage_key })
        }
        None => None,
    };
    txn.commit().await?;
    Ok(file)
}

/// Swaps an item with its neighbour above (`up`) or below.
pub async fn move_item(db: &DatabaseConnection, owner: &ActingFor, id: ItemId, up: bool) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    lock_owner(&txn, owner.id).await?;
    let item = own_item(&txn, owner, id.0).await?;
    let others = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::OwnerId.eq(owner.id))
        .filter(portfolio_item::Column::Id.ne(item.id));
    let neighbour = if up {
        others
            .filter(portfolio_item::Column::Position.lte(item.position))
            .order_by_desc(portfolio_item::Column::Position)
            .order_by_desc(portfolio_item::Column::Id)
    } else {
        others
            .filter(portfolio_item::Column::Position.gte(item.position))
            .order_by_asc(portfolio_item::Column::Position)
            .order_by_asc(portfolio_item::Column::Id)
    }
    .one(&txn)
    .await?;
    let Some(neighbour) = neighbour else {
        return Ok(()); // already first or last
    };
    let (mine, theirs) = if neighbour.position == item.position {
        // Equal positions (never written by us, but cheap to mend).
        if up { (item.position - 1, item.position) } else { (item.position + 1, item.position) }
    } else {
        (neighbour.position, item.position)
    };
    for (row_id, position) in [(item.id, mine), (neighbour.id, theirs)] {
        portfolio_item::Entity::update_many()
            .col_expr(portfolio_item::Column::Position, Expr::value(position))
            .filter(portfolio_item::Column::Id.eq(row_id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Every portfolio file of a user (their account is being deleted).
pub async fn files_of(db: &impl ConnectionTrait, owner_id: i32) -> Result<Vec<StoredFile>, AppError> {
    let keys: Vec<String> = media::Entity::find()
        .select_only()
        .column(media::Column::StorageKey)
        .filter(media::Column::OwnerId.eq(owner_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(keys.into_iter().map(|key| StoredFile { shelf: Shelf::Portfolio, key }).collect())
}

/// The type of a stored portfolio file if `viewer` may see it: files of
/// public items are for everyone (a child's only with the guardians'
/// consent to photos); private ones for their owner, the owner's guardians
/// and admins.
pub async fn file_access(db: &DatabaseConnection, key: &str, viewer: Option<&user::Model>) -> Result<Option<String>, AppError> {
    let Some(m) = media::Entity::find().filter(media::Column::StorageKey.eq(key)).one(db).await? else {
        return Ok(None);
    };
    let viewer_may = viewer.is_some_and(|v| v.id == m.owner_id || v.role == Role::Admin);
    if viewer_may {
        return Ok(Some(m.mime));
    }
    let public = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::MediaId.eq(m.id))
        .filter(portfolio_item::Column::IsPublic.eq(true))
        .one(db)
        .await?
        .is_some()
        && families::without_photo_consent(db, [m.owner_id]).await?.is_empty();
    let guardian = match viewer {
        Some(v) if !public => families::guardians_of(db, m.owner_id).await?.iter().any(|g| g.id == v.id),
        _ => false,
    };
    Ok((public || guardian).then_some(m.mime))
}
