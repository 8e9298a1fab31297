//! Where uploaded files live: one directory per shelf under
//! `KULISY_DATA/uploads`, outside the site root, each file under a random
//! name the server made. Nothing a client sends ever becomes part of a path.
use super::Config;
use std::path::{Path, PathBuf};

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

    pub fn dir(self, config: &Config) -> PathBuf {
        config.data_dir.join("uploads").join(self.name())
    }

    pub fn path(self, config: &Config, key: &str) -> Option<PathBuf> {
        is_generated_key(key).then(|| self.dir(config).join(key))
    }

    /// The address the file is served at.
    pub fn url(self, key: &str) -> String {
        format!("/media/{}/{key}", self.name())
    }

    /// Removes a stored file; a missing one is not an error.
    pub async fn remove(self, config: &Config, key: &str) {
        if let Some(path) = self.path(config, key)
            && let Err(e) = tokio::fs::remove_file(&path).await
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::error!(error = %e, path = %path.display(), "removing a stored file");
        }
    }
}

/// A stored file that a deletion leaves behind, to remove after commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub shelf: Shelf,
    pub key: String,
}

impl StoredFile {
    pub async fn remove_all(config: &Config, files: Vec<StoredFile>) {
        for f in files {
            f.shelf.remove(config, &f.key).await;
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

/// Whether `key` is a name [`new_key`] made (no path tricks possible).
pub fn is_generated_key(key: &str) -> bool {
    match key.split_once('.') {
        Some((name, ext)) => {
            name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) && EXTENSIONS.contains(&ext)
        }
        None => false,
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
        for bad in [
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
