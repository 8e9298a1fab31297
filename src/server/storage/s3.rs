//! Stored files in a bucket of S3-compatible object storage (AWS S3, or a
//! self-hosted store addressed path-style), through the Apache Arrow
//! project's `object_store`. Files live at `shelf/key` in the bucket, which
//! stays private: every read goes through the app, which checks who may see
//! the file first (a presigned address would let anyone holding it read a
//! file that has since turned private), and streams the store's answer on,
//! byte ranges included, in constant memory.
//!
//! An upload is a multipart upload of parts of [`PART_BYTES`], at most
//! [`PARTS_IN_FLIGHT`] at a time: a 500 MB video passes through in a few
//! parts' worth of memory and never touches the app host's disk. An upload
//! dropped unfinished is aborted, so the store keeps none of its parts.
use super::{Listed, MediaStore, Shelf, Upload, content_type, is_generated_key};
use crate::server::config::S3Settings;
use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::{
    ClientOptions, GetOptions, GetRange, GetResult, ObjectStore, ObjectStoreExt, RetryConfig, WriteMultipart,
    aws::{AmazonS3, AmazonS3Builder},
    path::Path as ObjectPath,
};
use sea_orm::prelude::async_trait;
use std::{path::Path, sync::Arc, time::Duration};
use tokio::io::AsyncWriteExt;

/// S3 wants every part but the last to be at least 5 MiB.
const PART_BYTES: usize = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 2;

pub struct S3Store {
    /// Requests with a time limit: a part, a deletion, a listing.
    bucket: Arc<AmazonS3>,
    /// Reads that stream to a visitor for as long as the visitor reads (a
    /// film watched over an hour); only connecting has a limit.
    reads: Arc<AmazonS3>,
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> std::io::Result<S3Store> {
        let build = |client: ClientOptions| {
            let mut builder = AmazonS3Builder::new()
                .with_region(&settings.region)
                .with_bucket_name(&settings.bucket)
                .with_access_key_id(&settings.access_key)
                .with_secret_access_key(&settings.secret_key)
                .with_virtual_hosted_style_request(!settings.path_style)
                .with_client_options(client.with_connect_timeout(Duration::from_secs(5)))
                // An unreachable store is told to the visitor in seconds, not minutes.
                .with_retry(RetryConfig { max_retries: 3, retry_timeout: Duration::from_secs(15), ..Default::default() });
            if let Some(endpoint) = &settings.endpoint {
                builder = builder.with_endpoint(endpoint.as_str()).with_allow_http(endpoint.scheme() == "http");
            }
            builder.build().map(Arc::new).map_err(std::io::Error::other)
        };
        Ok(S3Store {
            bucket: build(ClientOptions::new().with_timeout(Duration::from_secs(60)))?,
            reads: build(ClientOptions::new().with_timeout_disabled())?,
        })
    }

    fn path(shelf: Shelf, key: &str) -> Option<ObjectPath> {
        is_generated_key(key).then(|| ObjectPath::from_iter([shelf.name(), key]))
    }

    fn path_or_error(shelf: Shelf, key: &str) -> std::io::Result<ObjectPath> {
        Self::path(shelf, key).ok_or_else(|| std::io::Error::other("not a generated name"))
    }
}

#[async_trait::async_trait]
impl MediaStore for S3Store {
    async fn begin(&self, shelf: Shelf, key: &str) -> std::io::Result<Box<dyn Upload>> {
        let path = Self::path_or_error(shelf, key)?;
        let upload = self.bucket.put_multipart(&path).await.map_err(std::io::Error::other)?;
        Ok(Box::new(S3Upload { parts: Some(WriteMultipart::new_with_chunk_size(upload, PART_BYTES)) }))
    }

    async fn remove(&self, shelf: Shelf, key: &str) {
        if let Some(path) = Self::path(shelf, key) {
            delete(&self.bucket, &path).await;
        }
    }

    fn discard(&self, shelf: Shelf, key: &str) {
        if let (Some(path), Ok(runtime)) = (Self::path(shelf, key), tokio::runtime::Handle::try_current()) {
            let bucket = self.bucket.clone();
            runtime.spawn(async move { delete(&bucket, &path).await });
        }
    }

    async fn serve(&self, shelf: Shelf, key: &str, req: Request) -> Response {
        let Some(path) = Self::path(shelf, key) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let headers = req.headers();
        let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(parse_range);
        let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let options = GetOptions {
            range: range.clone(),
            if_none_match: if_none_match.clone(),
            if_modified_since: headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| httpdate::parse_http_date(v).ok())
                .map(Into::into),
            head: req.method() == Method::HEAD,
            ..Default::default()
        };
        match self.reads.get_opts(&path, options).await {
            // Not every store answers conditions itself (the tests' does not).
            Ok(got) if if_none_match.is_some() && got.meta.e_tag == if_none_match => {
                StatusCode::NOT_MODIFIED.into_response()
            }
            Ok(got) => answer(got, range.is_some(), key),
            Err(object_store::Error::NotFound { .. }) => StatusCode::NOT_FOUND.into_response(),
            Err(object_store::Error::NotModified { .. }) => StatusCode::NOT_MODIFIED.into_response(),
            Err(e) => match self.reads.head(&path).await {
                // A range past the end: the store refused it, as it should.
                Ok(meta) if range.is_some() => {
                    let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                    insert(res.headers_mut(), header::CONTENT_RANGE, &format!("bytes */{}", meta.size));
                    res
                }
                _ => {
                    tracing::error!(error = %e, "reading a stored file");
                    StatusCode::SERVICE_UNAVAILABLE.into_response()
                }
            },
        }
    }

    async fn files(&self, shelf: Shelf) -> std::io::Result<Vec<Listed>> {
        let mut listing = self.bucket.list(Some(&ObjectPath::from(shelf.name())));
        let mut files = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(std::io::Error::other)?;
            if let Some(key) = meta.location.filename().filter(|k| is_generated_key(k)) {
                files.push(Listed { key: key.to_string(), modified: meta.last_modified });
            }
        }
        Ok(files)
    }

    /// The bucket's lifecycle rule aborts unfinished multipart uploads (the
    /// README's setup): `object_store` cannot list them.
    async fn drop_unfinished(&self, _started_before: chrono::DateTime<chrono::Utc>) -> std::io::Result<u64> {
        Ok(0)
    }

    async fn copy_to(&self, shelf: Shelf, key: &str, to: &Path) -> std::io::Result<u64> {
        let path = Self::path_or_error(shelf, key)?;
        let mut stream = self.reads.get(&path).await.map_err(io_error)?.into_stream();
        let mut out = tokio::fs::File::create(to).await?;
        let mut bytes = 0;
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(std::io::Error::other)?;
            bytes += piece.len() as u64;
            out.write_all(&piece).await?;
        }
        out.flush().await?;
        Ok(bytes)
    }
}

/// The store's error as an I/O error that still says when the file is missing.
fn io_error(e: object_store::Error) -> std::io::Error {
    let missing = matches!(e, object_store::Error::NotFound { .. });
    std::io::Error::new(if missing { std::io::ErrorKind::NotFound } else { std::io::ErrorKind::Other }, e)
}

async fn delete(bucket: &AmazonS3, path: &ObjectPath) {
    match bucket.delete(path).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => tracing::error!(error = %e, path = %path, "removing a stored file"),
    }
}

/// The store's answer, streamed on as it arrives.
fn answer(got: GetResult, ranged: bool, key: &str) -> Response {
    let (size, start, end) = (got.meta.size, got.range.start, got.range.end);
    let e_tag = got.meta.e_tag.clone();
    let modified = httpdate::fmt_http_date(got.meta.last_modified.into());
    let mut res = Body::from_stream(got.into_stream()).into_response();
    let h = res.headers_mut();
    insert(h, header::CONTENT_TYPE, content_type(key));
    insert(h, header::CONTENT_LENGTH, &(end - start).to_string());
    insert(h, header::ACCEPT_RANGES, "bytes");
    insert(h, header::LAST_MODIFIED, &modified);
    if let Some(tag) = e_tag {
        insert(h, header::ETAG, &tag);
    }
    if ranged {
        insert(h, header::CONTENT_RANGE, &format!("bytes {start}-{}/{size}", end.saturating_sub(1)));
        *res.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    res
}

fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

/// One byte range (`bytes=0-99`, `bytes=100-`, `bytes=-100`); anything else
/// (several ranges, another unit, nonsense) is answered with the whole file,
/// as HTTP allows.
fn parse_range(header: &str) -> Option<GetRange> {
    let spec = header.strip_prefix("bytes=")?.trim();
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u64>().ok()).flatten();
    match (first.is_empty(), last.is_empty()) {
        (true, false) => number(last).filter(|n| *n > 0).map(GetRange::Suffix),
        (false, true) => number(first).map(GetRange::Offset),
        (false, false) => {
            let (a, b) = (number(first)?, number(last)?);
            (a <= b).then(|| GetRange::Bounded(a..b + 1))
        }
        (true, true) => None,
    }
}

/// A multipart upload in progress.
struct S3Upload {
    parts: Option<WriteMultipart>,
}

#[async_trait::async_trait]
impl Upload for S3Upload {
    async fn write(&mut self, piece: Bytes) -> std::io::Result<()> {
        let parts = self.parts.as_mut().expect("written after finishing");
        // Wait while parts are on their way: the memory an upload holds stays bounded.
        parts.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(std::io::Error::other)?;
        parts.put(piece);
        Ok(())
    }

    async fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        let parts = self.parts.take().expect("finished once");
        parts.finish().await.map(|_| ()).map_err(std::io::Error::other)
    }
}

impl Drop for S3Upload {
    /// Refused or interrupted: the store drops the parts it already has.
    fn drop(&mut self) {
        if let (Some(parts), Ok(runtime)) = (self.parts.take(), tokio::runtime::Handle::try_current()) {
            runtime.spawn(async move {
                if let Err(e) = parts.abort().await {
                    tracing::error!(error = %e, "aborting an unfinished upload");
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_range_is_read_anything_else_is_the_whole_file() {
        assert_eq!(parse_range("bytes=0-99"), Some(GetRange::Bounded(0..100)));
        assert_eq!(parse_range("bytes=100-"), Some(GetRange::Offset(100)));
        assert_eq!(parse_range("bytes=-500"), Some(GetRange::Suffix(500)));
        for whole in ["bytes=5-1", "bytes=-0", "bytes=-", "bytes=0-1,5-9", "items=0-1", "bytes=a-b", "bytes=99999999999999999999-"] {
            assert_eq!(parse_range(whole), None, "{whole}");
        }
    }
}
