//! Where uploaded files live. The app talks to a [`MediaStore`]: files are
//! put on a [`Shelf`] under a random name the server made (nothing a client
//! sends becomes part of a name), streamed in piece by piece ([`Incoming`]),
//! removed, and served with byte ranges. Two stores, chosen by `KULISY_MEDIA`:
//! [`local::LocalStore`] keeps them under `KULISY_DATA/uploads` (one machine;
//! several processes there share the directory), [`s3::S3Store`] in a bucket
//! of S3-compatible object storage (any number of hosts).
//!
//! Whatever the store, a file is pending until the record naming it commits
//! ([`Stored::keep`]); an upload that stops half-way leaves nothing behind.
//! What a dying process leaves, [`unnamed`] finds.

pub mod local;
pub mod s3;
pub mod unnamed;

use super::{Config, config::MediaBackend};
use axum::{extract::Request, response::Response};
use bytes::Bytes;
use sea_orm::prelude::async_trait;
use std::{
    path::Path,
    sync::Arc,
};

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
    pub const ALL: [Shelf; 3] = [Shelf::Avatars, Shelf::Posters, Shelf::Portfolio];

    /// Its folder: in `KULISY_DATA/uploads`, in the bucket, in a backup.
    pub fn name(self) -> &'static str {
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
    /// Starts writing `shelf/key`; the file appears only when the
    /// [`Upload`] finishes, and an upload dropped unfinished leaves nothing.
    async fn begin(&self, shelf: Shelf, key: &str) -> std::io::Result<Box<dyn Upload>>;
    /// Removes a stored file; a missing one is not an error.
    async fn remove(&self, shelf: Shelf, key: &str);
    /// Removes a file from inside a destructor: may not wait.
    fn discard(&self, shelf: Shelf, key: &str);
    /// Answers a request for the file (byte ranges, conditional requests);
    /// 404 when there is none.
    async fn serve(&self, shelf: Shelf, key: &str, req: Request) -> Response;
    /// The files on a shelf (backups, the sweep of unnamed files).
    async fn files(&self, shelf: Shelf) -> std::io::Result<Vec<Listed>>;
    /// Removes what uploads begun before `started_before` left unfinished
    /// (their process was killed); how many.
    async fn drop_unfinished(&self, started_before: chrono::DateTime<chrono::Utc>) -> std::io::Result<u64>;
    /// Copies a stored file to a local file (backups); its size.
    async fn copy_to(&self, shelf: Shelf, key: &str, to: &Path) -> std::io::Result<u64>;
}

/// A file on a shelf, as the store lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub key: String,
    pub modified: chrono::DateTime<chrono::Utc>,
}

/// A file being written, piece by piece, in constant memory.
#[async_trait::async_trait]
pub trait Upload: Send {
    async fn write(&mut self, piece: Bytes) -> std::io::Result<()>;
    /// The whole file is written: it appears in the store.
    async fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// The store `KULISY_MEDIA` names.
pub fn open(config: &Config) -> std::io::Result<Arc<dyn MediaStore>> {
    Ok(match &config.media {
        MediaBackend::Local => Arc::new(local::LocalStore::new(config)),
        MediaBackend::S3(settings) => Arc::new(s3::S3Store::new(settings)?),
    })
}

/// Puts a small file on a shelf, pending until the record naming it commits.
pub async fn put_bytes(store: &Arc<dyn MediaStore>, shelf: Shelf, key: &str, bytes: &[u8]) -> std::io::Result<Stored> {
    let mut incoming = Incoming::begin(store, shelf, key).await?;
    incoming.write(Bytes::copy_from_slice(bytes)).await?;
    incoming.finish().await
}

/// A file arriving into the store. Dropped before [`Incoming::finish`]
/// (refused, interrupted), it leaves nothing behind.
pub struct Incoming {
    upload: Box<dyn Upload>,
    store: Arc<dyn MediaStore>,
    shelf: Shelf,
    key: String,
    bytes: u64,
}

impl Incoming {
    pub async fn begin(store: &Arc<dyn MediaStore>, shelf: Shelf, key: &str) -> std::io::Result<Incoming> {
        let upload = store.begin(shelf, key).await?;
        Ok(Incoming { upload, store: store.clone(), shelf, key: key.to_string(), bytes: 0 })
    }

    pub async fn write(&mut self, piece: Bytes) -> std::io::Result<()> {
        self.bytes += piece.len() as u64;
        self.upload.write(piece).await
    }

    /// The bytes written so far.
    pub fn size(&self) -> u64 {
        self.bytes
    }

    /// The file is whole and stored, still pending until its record commits.
    pub async fn finish(self) -> std::io::Result<Stored> {
        let Incoming { upload, store, shelf, key, bytes } = self;
        upload.finish().await?;
        Ok(Stored { store, shelf, key, bytes, keep: false })
    }
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

/// The content type of a stored file, by the extension the server gave it.
fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        _ => "image/jpeg",
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
}
