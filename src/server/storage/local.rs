//! Files in a directory per shelf under `KULISY_DATA/uploads`, outside the
//! site root; an upload arrives in `uploads/incoming` and is renamed into
//! its shelf when whole (same file system: the file appears at once).
use super::{Listed, MediaStore, Shelf, Upload, is_generated_key};
use crate::server::Config;
use axum::{
    body::Body,
    extract::Request,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::prelude::async_trait;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Where uploads arrive, under the store's root, each as `<random>.part`.
const INCOMING: &str = "incoming";
const PART: &str = ".part";

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
    async fn begin(&self, shelf: Shelf, key: &str) -> std::io::Result<Box<dyn Upload>> {
        let to = self.path_or_error(shelf, key)?;
        let (file, out) = PendingFile::create(&self.root.join(INCOMING)).await?;
        Ok(Box::new(LocalUpload { file, out, to }))
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

    async fn files(&self, shelf: Shelf) -> std::io::Result<Vec<Listed>> {
        Ok(written_files(&self.root.join(shelf.name()))
            .await?
            .into_iter()
            .filter(|(key, _)| is_generated_key(key))
            .map(|(key, modified)| Listed { key, modified })
            .collect())
    }

    async fn drop_unfinished(&self, started_before: DateTime<Utc>) -> std::io::Result<u64> {
        let incoming = self.root.join(INCOMING);
        let mut dropped = 0;
        // Last written before the cut: an upload still arriving writes all the time.
        for (name, _) in written_files(&incoming).await?.into_iter().filter(|(n, at)| n.ends_with(PART) && *at < started_before) {
            match tokio::fs::remove_file(incoming.join(name)).await {
                Ok(()) => dropped += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(dropped)
    }

    async fn copy_to(&self, shelf: Shelf, key: &str, to: &Path) -> std::io::Result<u64> {
        tokio::fs::copy(self.path_or_error(shelf, key)?, to).await
    }
}

/// The files of a folder with the time each was last written; none when
/// the folder is not there yet. Another process may remove a file while
/// this reads: it is left out.
async fn written_files(dir: &Path) -> std::io::Result<Vec<(String, DateTime<Utc>)>> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let modified = match entry.metadata().await.and_then(|m| m.modified()) {
            Ok(at) => at.into(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if let Ok(name) = entry.file_name().into_string() {
            files.push((name, modified));
        }
    }
    Ok(files)
}

/// An upload on its way into a shelf.
struct LocalUpload {
    file: PendingFile,
    out: tokio::fs::File,
    to: PathBuf,
}

#[async_trait::async_trait]
impl Upload for LocalUpload {
    async fn write(&mut self, piece: Bytes) -> std::io::Result<()> {
        self.out.write_all(&piece).await
    }

    async fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.out.flush().await?;
        let LocalUpload { file, to, .. } = *self;
        file.move_to(to).await?.keep();
        Ok(())
    }
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
        let path = dir.join(format!("{}{PART}", super::super::crypto::random_token()));
        let file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await?;
        Ok((PendingFile { path, keep: false }, file))
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

    #[tokio::test]
    async fn pending_files_vanish_unless_kept() {
        let dir = std::env::temp_dir().join(format!("kulisy-pending-{}", crate::server::crypto::random_token()));
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
