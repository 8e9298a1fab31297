//! Files that no record names. A file is removed as soon as the change that
//! stops naming it commits (a deleted item, account or show, a replaced
//! photo), but the process may die between the commit and the removal, or
//! the store may be unreachable just then; and a process may die between
//! storing an upload and committing its record. On several hosts nobody
//! would remember those files, so the sweep finds them from what is left:
//! a stored file no record names, older than [`GRACE`], is removed, and so
//! is an upload left unfinished that long. New files are left alone because
//! an upload is stored before its record commits. Every process may sweep
//! at once: removing is idempotent.
use super::{MediaStore, Shelf};
use crate::server::entities::{media, show, user};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::{collections::HashSet, sync::Arc};

/// How old an unnamed file must be before the sweep removes it: far longer
/// than any upload takes to commit its record.
pub const GRACE: Duration = Duration::days(1);

/// Removes the files stored before `stored_before` that no record names,
/// and uploads left unfinished since then; how many it removed.
pub async fn remove_unnamed(db: &DatabaseConnection, store: &dyn MediaStore, stored_before: DateTime<Utc>) -> std::io::Result<u64> {
    let mut removed = store.drop_unfinished(stored_before).await?;
    for shelf in Shelf::ALL {
        // Listed before the names are read: a record committed in between
        // is seen, so its file stays.
        let files = store.files(shelf).await?;
        let named = names(db, shelf).await.map_err(std::io::Error::other)?;
        for file in files.into_iter().filter(|f| f.modified < stored_before && !named.contains(&f.key)) {
            tracing::info!(shelf = shelf.name(), key = %file.key, "removing a file no record names");
            store.remove(shelf, &file.key).await;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Every name a record gives a file on `shelf`.
async fn names(db: &DatabaseConnection, shelf: Shelf) -> Result<HashSet<String>, sea_orm::DbErr> {
    let names: Vec<String> = match shelf {
        Shelf::Avatars => {
            let named = user::Column::AvatarKey;
            user::Entity::find().select_only().column(named).filter(named.is_not_null()).into_tuple().all(db).await?
        }
        Shelf::Posters => {
            let named = show::Column::PosterKey;
            show::Entity::find().select_only().column(named).filter(named.is_not_null()).into_tuple().all(db).await?
        }
        Shelf::Portfolio => media::Entity::find().select_only().column(media::Column::StorageKey).into_tuple().all(db).await?,
    };
    Ok(names.into_iter().collect())
}

/// Sweeps every hour for as long as the server runs.
pub fn spawn_sweeper(db: DatabaseConnection, store: Arc<dyn MediaStore>) {
    crate::server::workers::every("unnamed_files", std::time::Duration::from_secs(60 * 60), move || {
        let (db, store) = (db.clone(), store.clone());
        async move { remove_unnamed(&db, &*store, Utc::now() - GRACE).await }
    });
}
