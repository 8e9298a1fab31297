//! Where uploaded files live. The app talks to a [`MediaStore`]: files are
//! put on a [`Shelf`] under a random name the server made (nothing a client
//! sends becomes part of a name), removed, and served with byte ranges.
//! [`LocalStore`] keeps them under `KULISY_DATA/uploads`, outside the site
//! root; several app processes on one machine share that directory.
//!
//! The next implementation is S3-compatible object storage: `put_*` become
//! `PutObject` (a multipart upload for videos), `remove` and `discard`
//! `DeleteObject` (`discard` in a spawned task), and `serve` answers with a
//! redirect to a short-lived presigned `GetObject` address, which does
//! ranges itself. `kulisy backup` then copies the database only; the
//! bucket's versioning keeps the files.

use super::Config;
use axum::{
    body::Body,
    extract::Request,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use sea_orm::prelude::async_trait;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// What an upload is told when the storage itself failed (full, unwritable,
/// unreachable): nothing wrong with the file, try again later.
pub const NOT_STORED: &str = "Не удалось сохранить файл: хранилище сейчас недоступно. Попробуйте позже.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    Avatars,
    Posters,
    Portfolio,
}

impl Shelf {
    fn name(self) -> &'static str {
        match self {
            Shelf::Avatars => "avatars",
            Shelf::Posters => "posters",
            Shelf::Portfolio => "portfolio",
        }
    }

    /// The address the file is served at.
    pub fn url(self, key: &str) -> String {
        format!("/media/{}/{key}", self.name())
    }
}

/// Where the app keeps uploaded files.
#[async_trait::async_trait]
pub trait MediaStore: Send + Sync {
    /// Stores `bytes` as `shelf/key`; it stays only once [`Stored::keep`] is called.
    async fn put_bytes(&self, shelf: Shelf, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Stores a file that arrived on local disk as `shelf/key`.
    async fn put_file(&self, shelf: Shelf, key: &str, file: PendingFile) -> std::io::Result<()>;
    /// Removes a stored file; a missing one is not an error.
    async fn remove(&self, shelf: Shelf, key: &str);
    /// Removes a file from inside a destructor: may not wait.
    fn discard(&self, shelf: Shelf, key: &str);
    /// Answers a request for the file (byte ranges, conditional requests);
    /// 404 when there is none.
    async fn serve(&self, shelf: Shelf, key: &str, req: Request) -> Response;
}

/// Puts a file on a shelf, pending until the record naming it commits.
pub async fn put_bytes(store: &Arc<dyn MediaStore>, shelf: Shelf, key: &str, bytes: &[u8]) -> std::io::Result<Stored> {
    store.put_bytes(shelf, key, bytes).await?;
    Ok(Stored { store: store.clone(), shelf, key: key.to_string(), bytes: bytes.len() as u64, keep: false })
}

pub async fn put_file(store: &Arc<dyn MediaStore>, shelf: Shelf, key: &str, file: PendingFile) -> std::io::Result<Stored> {
    let bytes = tokio::fs::metadata(&file.path).await?.len();
    store.put_file(shelf, key, file).await?;
    Ok(Stored { store: store.clone(), shelf, key: key.to_string(), bytes, keep: false })
}

/// A stored file whose record is not committed yet: dropped without
/// [`Stored::keep`] (a refused upload, a database error), the file goes.
pub struct Stored {
    store: Arc<dyn MediaStore>,
    shelf: Shelf,
    key: String,
    bytes: u64,
    keep: bool,
}

impl Stored {
    /// The record naming the file is committed: it stays (and counts).
    pub fn keep(mut self) {
        self.keep = true;
        super::metrics::uploaded(self.bytes);
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        if !self.keep {
            self.store.discard(self.shelf, &self.key);
        }
    }
}

/// Files in a directory per shelf under `KULISY_DATA/uploads`.
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(config: &Config) -> LocalStore {
        LocalStore { root: config.data_dir.join("uploads") }
    }

    fn path(&self, shelf: Shelf, key: &str) -> Option<PathBuf> {
        is_generated_key(key).then(|| self.root.join(shelf.name()).join(key))
    }

    fn path_or_error(&self, shelf: Shelf, key: &str) -> std::io::Result<PathBuf> {
        self.path(shelf, key).ok_or_else(|| std::io::Error::other("not a generated name"))
    }
}

#[async_trait::async_trait]
impl MediaStore for LocalStore {
    async fn put_bytes(&self, shelf: Shelf, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path_or_error(shelf, key)?;
        let file = PendingFile::write(path, bytes).await?;
        file.keep();
        Ok(())
    }

    async fn put_file(&self, shelf: Shelf, key: &str, file: PendingFile) -> std::io::Result<()> {
        let path = self.path_or_error(shelf, key)?;
        file.move_to(path).await?.keep();
        Ok(())
    }

    async fn remove(&self, shelf: Shelf, key: &str) {
        if let Some(path) = self.path(shelf, key)
            && let Err(e) = tokio::fs::remove_file(&path).await
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::error!(error = %e, path = %path.display(), "removing a stored file");
        }
    }

    fn discard(&self, shelf: Shelf, key: &str) {
        if let Some(path) = self.path(shelf, key) {
            let _ = std::fs::remove_file(path);
        }
    }

    async fn serve(&self, shelf: Shelf, key: &str, req: Request) -> Response {
        let Some(path) = self.path(shelf, key) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let Ok(res) = ServeFile::new(path).oneshot(req).await;
        res.map(Body::new)
    }
}

/// A stored file that a deletion leaves behind, to remove after commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub shelf: Shelf,
    pub key: String,
}

impl StoredFile {
    pub async fn remove_all(store: &dyn MediaStore, files: Vec<StoredFile>) {
        for f in files {
            store.remove(f.shelf, &f.key).await;
        }
    }
}

/// Where uploads are written while they arrive.
pub fn incoming_dir(config: &Config) -> PathBuf {
    config.data_dir.join("uploads").join("incoming")
}

const EXTENSIONS: [&str; 3] = ["jpg", "mp4", "webm"];

/// A fresh random file name with one of the known extensions.
pub fn new_key(extension: &str) -> String {
    debug_assert!(EXTENSIONS.contains(&extension));
    format!("{}.{extension}", super::crypto::random_token())
}

/// A fresh random name for a photo, carrying its size (`…-1200x800.jpg`):
/// a page that shares it (OpenGraph) names the size without opening it.
pub fn new_photo_key(width: u32, height: u32) -> String {
    format!("{}-{width}x{height}.jpg", super::crypto::random_token())
}

/// Whether `key` is a name [`new_key`] or [`new_photo_key`] made (no path
/// tricks possible).
pub fn is_generated_key(key: &str) -> bool {
    let Some((name, ext)) = key.split_once('.') else {
        return false;
    };
    let (token, size) = match name.split_once('-') {
        Some((token, size)) => (token, Some(size)),
        None => (name, None),
    };
    token.len() == 64
        && token.bytes().all(|b| b.is_ascii_hexdigit())
        && EXTENSIONS.contains(&ext)
        && size.is_none_or(|s| parse_size(s).is_some())
}

/// A stored photo as a page shares it, when its key tells its size.
pub fn picture(shelf: Shelf, key: &str) -> Option<crate::domain::catalogue::Picture> {
    let (width, height) = size_of_key(key)?;
    Some(crate::domain::catalogue::Picture { url: shelf.url(key), width, height })
}

/// The size a photo's key carries; none for keys made before sizes were.
pub fn size_of_key(key: &str) -> Option<(u32, u32)> {
    let (name, _) = key.split_once('.')?;
    parse_size(name.split_once('-')?.1)
}

fn parse_size(s: &str) -> Option<(u32, u32)> {
    let (w, h) = s.split_once('x')?;
    let number = |n: &str| (!n.is_empty() && n.len() <= 5 && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.parse().ok()).flatten();
    Some((number(w)?, number(h)?))
}

/// A file that is removed when dropped unless kept: an upload that fails
/// half-way (refused bytes, a closed connection, a database error) leaves
/// nothing behind, whichever way the failure leaves the handler.
#[derive(Debug)]
pub struct PendingFile {
    path: PathBuf,
    keep: bool,
}

impl PendingFile {
    /// A new empty file under a random name in `dir`.
    pub async fn create(dir: &Path) -> std::io::Result<(PendingFile, tokio::fs::File)> {
        tokio::fs::create_dir_all(dir).await?;
        let path = dir.join(format!("{}.part", super::crypto::random_token()));
        let file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await?;
        Ok((PendingFile { path, keep: false }, file))
    }

    /// Writes `bytes` to a new file at `path`, still pending.
    pub async fn write(path: PathBuf, bytes: &[u8]) -> std::io::Result<PendingFile> {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let pending = PendingFile { path, keep: false };
        tokio::fs::write(&pending.path, bytes).await?;
        Ok(pending)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the file (same file system: a rename), still pending.
    pub async fn move_to(mut self, path: PathBuf) -> std::io::Result<PendingFile> {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::rename(&self.path, &path).await?;
        self.path = path.clone();
        Ok(self)
    }

    /// The file stays: the record that names it is committed.
    pub fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_generated_names_are_stored_or_served() {
        for ext in EXTENSIONS {
            assert!(is_generated_key(&new_key(ext)));
        }
        assert!(is_generated_key(&format!("{}.jpg", "a".repeat(64))));
        let photo = new_photo_key(1200, 800);
        assert!(is_generated_key(&photo));
        assert_eq!(size_of_key(&photo), Some((1200, 800)));
        assert_eq!(size_of_key(&new_key("jpg")), None);
        for bad in [
            format!("{}-1200x.jpg", "a".repeat(64)),
            format!("{}-x800.jpg", "a".repeat(64)),
            format!("{}-123456x1.jpg", "a".repeat(64)),
            format!("{}-1x1-1x1.jpg", "a".repeat(64)),
            format!("{}-1x1/../a.jpg", "a".repeat(64)),
            "../../etc/passwd".to_string(),
            format!("{}.jpg", "g".repeat(64)),
            format!("{}.html", "a".repeat(64)),
            format!("{}.jpg.html", "a".repeat(64)),
            format!("../{}.jpg", "a".repeat(61)),
            "a".repeat(68),
        ] {
            assert!(!is_generated_key(&bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn pending_files_vanish_unless_kept() {
        let dir = std::env::temp_dir().join(format!("kulisy-pending-{}", super::super::crypto::random_token()));
        let (dropped, _) = PendingFile::create(&dir).await.unwrap();
        let dropped_path = dropped.path().to_path_buf();
        assert!(dropped_path.exists());
        drop(dropped);
        assert!(!dropped_path.exists());

        let (moved, _) = PendingFile::create(&dir).await.unwrap();
        let moved = moved.move_to(dir.join("kept")).await.unwrap();
        moved.keep();
        assert!(dir.join("kept").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
