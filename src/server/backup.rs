//! `kulisy backup DIR` and `kulisy restore DIR`: a consistent snapshot of the
//! database taken while the school runs (SQLite's `VACUUM INTO`, or
//! `pg_dump`, both read one snapshot), then the stored files from whichever
//! media store is configured (local folder or bucket), then the server key.
//! Files are copied after the snapshot, so every file a row of the snapshot
//! names is there (files are written before their rows commit, and removed
//! only after their rows are gone).
use super::{
    Config,
    storage::{self, Incoming, Listed, Shelf},
};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use std::path::{Path, PathBuf};

const SQLITE_FILE: &str = "kulisy.db";
const PG_FILE: &str = "kulisy.pgdump";
const KEY_FILE: &str = "secret.key";

/// What a backup holds, for the operator.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub database: String,
    pub files: usize,
    pub bytes: u64,
}

/// The SQLite file a `sqlite://…` address names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// Copies every stored file into `to/uploads/<shelf>/`.
async fn copy_out(config: &Config, to: &Path, summary: &mut Summary) -> std::io::Result<()> {
    let store = storage::open(config)?;
    for shelf in Shelf::ALL {
        let folder = to.join("uploads").join(shelf.name());
        tokio::fs::create_dir_all(&folder).await?;
        for Listed { key, .. } in store.files(shelf).await? {
            match store.copy_to(shelf, &key, &folder.join(&key)).await {
                Ok(bytes) => {
                    summary.bytes += bytes;
                    summary.files += 1;
                }
                // Removed since the listing (someone deleted their item while
                // the backup ran): the rest of the backup still counts.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// Puts every file of `from/uploads/<shelf>/` into the configured store.
async fn copy_in(config: &Config, from: &Path, summary: &mut Summary) -> std::io::Result<()> {
    use tokio::io::AsyncReadExt;
    let store = storage::open(config)?;
    for shelf in Shelf::ALL {
        let Ok(mut entries) = tokio::fs::read_dir(from.join("uploads").join(shelf.name())).await else { continue };
        while let Some(entry) = entries.next_entry().await? {
            let Some(key) = entry.file_name().to_str().filter(|k| storage::is_generated_key(k)).map(str::to_owned) else {
                continue;
            };
            let mut file = tokio::fs::File::open(entry.path()).await?;
            let mut incoming = Incoming::begin(&store, shelf, &key).await?;
            loop {
                let mut piece = Vec::with_capacity(1 << 20);
                if (&mut file).take(1 << 20).read_to_end(&mut piece).await? == 0 {
                    break;
                }
                incoming.write(piece.into()).await?;
            }
            summary.bytes += incoming.size();
            summary.files += 1;
            incoming.finish().await?.keep();
        }
    }
    Ok(())
}

async fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let out = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .map_err(|e| format!("не удалось запустить {program} ({e}): установите клиент PostgreSQL"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{program} завершился с ошибкой: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// Writes a backup of the running school into `dir`, which must be empty or new.
pub async fn backup(config: &Config, db: &DatabaseConnection, dir: &Path) -> Result<Summary, String> {
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("каталог {} не пуст: укажите новый", dir.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut summary = Summary::default();
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let target = dir.join(SQLITE_FILE);
            let quoted = target.display().to_string().replace('\'', "''");
            db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await.map_err(|e| format!("снимок SQLite: {e}"))?;
            summary.database = SQLITE_FILE.into();
        }
        DatabaseBackend::Postgres => {
            let target = dir.join(PG_FILE).display().to_string();
            run("pg_dump", &["--format=custom", "--no-owner", "--file", &target, &config.database_url]).await?;
            summary.database = PG_FILE.into();
        }
        other => return Err(format!("резервное копирование {other:?} не поддерживается")),
    }
    copy_out(config, dir, &mut summary).await.map_err(|e| format!("копирование файлов: {e}"))?;
    let key = config.data_dir.join(KEY_FILE);
    if key.exists() {
        std::fs::copy(&key, dir.join(KEY_FILE)).map_err(|e| format!("{KEY_FILE}: {e}"))?;
    }
    Ok(summary)
}

/// Brings a backup back: the database named by `DATABASE_URL` (a SQLite file
/// that does not exist yet, or a PostgreSQL database, whose tables are
/// replaced) and the files into the configured media store.
pub async fn restore(config: &Config, dir: &Path) -> Result<Summary, String> {
    let mut summary = Summary::default();
    if config.database_url.starts_with("sqlite:") {
        let from = dir.join(SQLITE_FILE);
        if !from.exists() {
            return Err(format!("в {} нет {SQLITE_FILE}: это не резервная копия SQLite", dir.display()));
        }
        let to = sqlite_path(&config.database_url).ok_or("DATABASE_URL не называет файл SQLite")?;
        if to.exists() {
            return Err(format!("{} уже существует: восстановление его не перезапишет", to.display()));
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::copy(&from, &to).map_err(|e| format!("{}: {e}", to.display()))?;
        summary.database = SQLITE_FILE.into();
    } else {
        let from = dir.join(PG_FILE);
        if !from.exists() {
            return Err(format!("в {} нет {PG_FILE}: это не резервная копия PostgreSQL", dir.display()));
        }
        let from = from.display().to_string();
        run(
            "pg_restore",
            &["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--dbname", &config.database_url, &from],
        )
        .await?;
        summary.database = PG_FILE.into();
    }
    copy_in(config, dir, &mut summary).await.map_err(|e| format!("копирование файлов: {e}"))?;
    let key = dir.join(KEY_FILE);
    let target_key = config.data_dir.join(KEY_FILE);
    if key.exists() {
        std::fs::copy(&key, &target_key).map_err(|e| format!("{KEY_FILE}: {e}"))?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_addresses_name_their_file() {
        assert_eq!(sqlite_path("sqlite://data/kulisy.db?mode=rwc"), Some(PathBuf::from("data/kulisy.db")));
        assert_eq!(sqlite_path("sqlite:///var/lib/kulisy/k.db"), Some(PathBuf::from("/var/lib/kulisy/k.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
}
