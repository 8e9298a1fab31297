//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::time::Duration;

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

    let mut opts = ConnectOptions::new(url);
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
        // WAL lets pages read while a booking writes; writers queue on the
        // busy timeout instead of failing.
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(15))
        });
    Database::connect(opts).await
}

/// Opens a transaction that may write. On SQLite it takes the write lock
/// at `BEGIN IMMEDIATE`: a transaction that read first and then wrote would
/// have to upgrade its lock, which SQLite refuses at once ("database is
/// locked") instead of waiting out the busy timeout. Taken first, the lock
/// is waited for; a busy answer even so is retried a few times. On
/// PostgreSQL this is an ordinary `BEGIN`. Every transaction that changes
/// data starts here.
pub async fn write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let mut attempt = 0u64;
    loop {
        match db.begin_with_options(options).await {
            Err(e) if is_busy(&e) && attempt < 5 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
            }
            result => return result,
        }
    }
}

/// SQLite's "busy" and "locked" answers (5, 517 = busy snapshot, 6).
pub fn is_busy(e: &DbErr) -> bool {
    let (DbErr::Conn(RuntimeErr::SqlxError(err)) | DbErr::Exec(RuntimeErr::SqlxError(err)) | DbErr::Query(RuntimeErr::SqlxError(err))) = e
    else {
        return false;
    };
    err.as_database_error().and_then(|d| d.code()).is_some_and(|code| matches!(code.as_ref(), "5" | "6" | "517"))
}

/// Applies pending migrations; safe to run at every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers a trivial query.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
