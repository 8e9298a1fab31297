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
        })
        .map_sqlx_sqlite_pool_opts(|o| o.after_connect(|conn, _| Box::pin(keep_plans(conn))));
    Database::connect(opts).await
}

/// Turns on SQLite's query planner stability guarantee for one connection.
///
/// Without it every statement with a bound `LIMIT` — each of SeaORM's
/// `.one()` — was compiled again at every run: SQLite plans such a statement
/// for the value bound, and sqlx clears the bindings after each run, which
/// expires the plan. In the signed-in schedule's profile that was 6 % of the
/// whole server's time (docs/profiles). With the guarantee a statement is
/// planned once, as on PostgreSQL.
async fn keep_plans(conn: &mut sea_orm::sqlx::SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    match planner_stability(conn, 1).await? {
        (libsqlite3_sys::SQLITE_OK, _) => Ok(()),
        (code, _) => Err(sea_orm::sqlx::Error::Configuration(format!("SQLITE_DBCONFIG_ENABLE_QPSG: {code}").into())),
    }
}

/// `sqlite3_db_config(ENABLE_QPSG)` on one connection: `set` is 1 (on), 0
/// (off) or -1 (only read); returns SQLite's code and the setting after.
async fn planner_stability(conn: &mut sea_orm::sqlx::SqliteConnection, set: std::ffi::c_int) -> Result<(std::ffi::c_int, std::ffi::c_int), sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let mut now: std::ffi::c_int = -1;
    // SAFETY: the handle is locked out of sqlx's worker thread for the call;
    // the arguments are those sqlite3_db_config documents for ENABLE_QPSG
    // (an int to set, a pointer to an int for the setting after).
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            set,
            &mut now as *mut std::ffi::c_int,
        )
    };
    Ok((code, now))
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

/// Applies pending migrations; safe to run at every start, and by several
/// processes starting at once: on PostgreSQL the first takes an advisory
/// lock and migrates, the others wait for it and find nothing to do. (On
/// SQLite one process owns the file.)
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    one_at_a_time(db, Migrator::up(db, None)).await
}

/// Runs start-up work (migrations, the demo school) in one process at a
/// time: on PostgreSQL under an advisory lock, so processes starting at the
/// same moment take turns and the later ones find it done.
pub async fn one_at_a_time<T>(db: &DatabaseConnection, work: impl Future<Output = Result<T, DbErr>>) -> Result<T, DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return work.await;
    }
    // The lock belongs to a session: one connection takes it, holds it while
    // the pool's other connections do the work, and gives it back.
    let mut holder = db.get_postgres_connection_pool().acquire().await.map_err(sqlx_error)?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)").bind(MIGRATION_LOCK).execute(&mut *holder).await.map_err(sqlx_error)?;
    let done = work.await;
    sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)").bind(MIGRATION_LOCK).execute(&mut *holder).await.map_err(sqlx_error)?;
    done
}

/// The advisory lock key of start-up work ("kulisy" in ASCII).
const MIGRATION_LOCK: i64 = 0x6b75_6c69_7379;

fn sqlx_error(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(e.into()))
}

/// Whether the database answers a trivial query.
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_sqlite_connection_plans_a_statement_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = connect(&format!("sqlite://{}/k.db?mode=rwc", dir.path().display())).await.unwrap();
        let pool = db.get_sqlite_connection_pool();
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut conn = pool.acquire().await.unwrap();
            assert_eq!(planner_stability(&mut conn, -1).await.unwrap(), (libsqlite3_sys::SQLITE_OK, 1));
            held.push(conn);
        }
    }
}
