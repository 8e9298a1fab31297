//! Stored files as a test sees them, whichever store the app has (the local
//! folder or an S3 server's bucket), and a portfolio photo to make one.
use super::{Browser, TestApp, files_in};
use axum::{body::Body, http::{Request, header}};
use std::path::PathBuf;

impl TestApp {
    /// The folder on this machine that holds a shelf's files (`portfolio`,
    /// `avatars`, `posters`): the app's own, or the S3 server's bucket.
    pub fn shelf_folder(&self, shelf: &str) -> PathBuf {
        match &self.s3 {
            Some(s3) => s3.shelf(shelf),
            None => self.state.config.data_dir.join("uploads").join(shelf),
        }
    }

    /// The files kept on a shelf.
    pub async fn stored_on(&self, shelf: &str) -> Vec<String> {
        settled(|| files_in(&self.shelf_folder(shelf))).await
    }

    /// Uploads begun and not finished: files arriving on disk, or multipart
    /// uploads open on S3.
    pub async fn unfinished_uploads(&self) -> Vec<String> {
        settled(|| match &self.s3 {
            Some(s3) => s3.unfinished_uploads(),
            None => files_in(&self.state.config.data_dir.join("uploads/incoming")),
        })
        .await
    }
}

/// A listing once it stops changing: on S3 a refused upload is aborted and
/// a removed file deleted in the background (a destructor may not wait).
async fn settled(list: impl Fn() -> Vec<String>) -> Vec<String> {
    let mut last = list();
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let now = list();
        if now == last {
            return now;
        }
        last = now;
    }
    last
}

const BOUNDARY: &str = "kulisyphoto";

/// Adds a photo to the signed-in student's portfolio; whether it was taken.
pub async fn add_photo(b: &mut Browser<'_>, title: &str, png: &[u8]) -> bool {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nphoto\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(png);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let req = Request::post("/my/portfolio/items")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("x-kulisy-upload", "1");
    b.send(req, Body::from(body)).await.status == 200
}
