//! Personal data is kept no longer than the school needs it (152-ФЗ):
//! an hourly sweep removes what has served its purpose. The periods are
//! listed in the README; every process may sweep, the deletes are idempotent.
use super::entities::{account_token, outbox, session};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, sea_query::ExprTrait};

/// A session is removed this long after it expired (kept a day so that the
/// "signed out elsewhere" answer stays possible meanwhile).
pub const SESSIONS_AFTER_EXPIRY: Duration = Duration::days(1);
/// Links (confirmation, reset, e-mail change, sign-in tickets), used or
/// expired, are removed after this.
pub const TOKENS_AFTER_END: Duration = Duration::days(7);
/// A delivered letter (its address and text) is removed after this.
pub const DELIVERED_LETTERS: Duration = Duration::days(30);
/// A letter that could not be delivered is kept longer, for the office to
/// see what failed, then removed.
pub const FAILED_LETTERS: Duration = Duration::days(90);

/// How many rows of each kind a sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub tokens: u64,
    pub letters: u64,
    pub counters: u64,
}

/// Removes what is past its period at `now`.
pub async fn sweep(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Swept, DbErr> {
    let sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now - SESSIONS_AFTER_EXPIRY))
        .exec(db)
        .await?
        .rows_affected;
    let token_end = now - TOKENS_AFTER_END;
    let tokens = account_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(account_token::Column::ExpiresAt.lt(token_end))
                .add(account_token::Column::UsedAt.lt(token_end)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let letters = outbox::Entity::delete_many()
        .filter(
            Condition::any()
                .add(outbox::Column::Status.eq("sent").and(outbox::Column::SentAt.lt(now - DELIVERED_LETTERS)))
                .add(outbox::Column::Status.eq("failed").and(outbox::Column::CreatedAt.lt(now - FAILED_LETTERS))),
        )
        .exec(db)
        .await?
        .rows_affected;
    let counters = super::throttle::forget_stale(db).await?;
    Ok(Swept { sessions, tokens, letters, counters })
}

/// Sweeps every hour for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection) {
    super::workers::every("retention", std::time::Duration::from_secs(60 * 60), move || {
        let db = db.clone();
        async move { sweep(&db, Utc::now()).await.map(|s| s.sessions + s.tokens + s.letters + s.counters) }
    });
}
