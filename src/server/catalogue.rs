//! What the server keeps of the catalogue between requests, and how it
//! knows it is still true: the database's catalogue version (migration
//! `catalogue_version`), which its triggers move with every write a course
//! card shows — a booking, an edit, a teacher's new name — whichever code or
//! process made it. One cheap statement per request checks it; the cards are
//! read again only after a change, or on a new day (a card's free seats
//! count from today).
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::{future::Future, sync::{Arc, Mutex}};

/// The catalogue's version as one statement reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    generation: i64,
    seats: i64,
}

impl Version {
    pub async fn read(db: &impl ConnectionTrait) -> Result<Version, DbErr> {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT generation, CAST((SELECT COALESCE(SUM(seat_version), 0) FROM courses) AS BIGINT) AS seats \
                 FROM catalogue_version WHERE id = 1",
            ))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("catalogue_version".into()))?;
        Ok(Version { generation: row.try_get("", "generation")?, seats: row.try_get("", "seats")? })
    }
}

/// One value made from the catalogue, kept while the catalogue's version
/// and the day are those it was made at.
pub struct Kept<T> {
    value: Mutex<Option<(Version, NaiveDate, Arc<T>)>>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept { value: Mutex::new(None) }
    }
}

impl<T> Kept<T> {
    /// The kept value if it is still true, else what `make` makes now (and
    /// then keeps). The version is read before `make` reads the data: a
    /// change between the two leaves newer data under an older version,
    /// which the next request reads again — never the other way round.
    pub async fn get_or_make<F, Fut, E>(&self, db: &impl ConnectionTrait, today: NaiveDate, make: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<DbErr>,
    {
        let version = Version::read(db).await?;
        if let Some(value) = self.value_at(version, today) {
            return Ok(value);
        }
        let value = Arc::new(make().await?);
        *self.value.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, today, value.clone()));
        Ok(value)
    }

    fn value_at(&self, version: Version, today: NaiveDate) -> Option<Arc<T>> {
        let kept = self.value.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref().filter(|(v, day, _)| *v == version && *day == today).map(|(_, _, value)| value.clone())
    }
}
