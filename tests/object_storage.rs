//! Stored files in S3 object storage, against a real S3 server (s3s-fs,
//! which checks signatures): what a video player asks of a stored file
//! (ranges, HEAD, conditions), an upload broken off after parts were sent,
//! a store that refuses the app's keys, and profile photos. The portfolio
//! and backup suites run on S3 as well (their `on_s3` modules).
mod common;

use axum::{body::Body, http::{Request, StatusCode, header}};
use common::{Browser, TestApp};
use futures::StreamExt;
use kulisy::domain::Role;

const BOUNDARY: &str = "kulisys3";

/// The head of a video upload form, up to the file's first byte.
fn form_head(title: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nvideo\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"visibility\"\r\n\r\npublic\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
    )
    .into_bytes()
}

/// An MP4 of `size` bytes whose byte at offset n is n % 251 (so a range
/// read shows which bytes it got).
fn video(size: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..size).map(|n| (n % 251) as u8).collect();
    v[..24].copy_from_slice(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2");
    v
}

fn upload_request() -> axum::http::request::Builder {
    Request::post("/my/portfolio/items")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("x-kulisy-upload", "1")
}

async fn upload_video(b: &mut Browser<'_>, bytes: &[u8]) -> common::TestResponse {
    let body = [form_head("Этюд").as_slice(), bytes, format!("\r\n--{BOUNDARY}--\r\n").as_bytes()].concat();
    b.send(upload_request(), Body::from(body)).await
}

async fn a_player_reads_what_it_asks_for(app: TestApp) {
    let (_, mut anna) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let size = 3_000_000;
    let bytes = video(size);
    let res = upload_video(&mut anna, &bytes).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let s3 = app.s3.as_ref().unwrap();
    let objects = s3.objects("portfolio");
    assert_eq!(objects.len(), 1, "in the bucket");
    assert!(common::files_in(&app.state.config.data_dir.join("uploads/portfolio")).is_empty(), "not on the app's disk");
    let url = kulisy::server::storage::Shelf::Portfolio.url(&objects[0]);

    let whole = app.get(&url).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!((whole.header("content-length"), whole.header("accept-ranges")), (size.to_string().as_str(), "bytes"));
    assert_eq!(whole.header("content-type"), "video/mp4");
    let ranged = |range: &str| Request::get(&url).header(header::RANGE, range.to_string()).body(Body::empty()).unwrap();
    for (range, start, end) in [("bytes=1000-1999", 1000, 2000), ("bytes=-100", size - 100, size), ("bytes=2999990-", size - 10, size)] {
        let res = app.send(ranged(range)).await;
        assert_eq!(res.status, StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(res.header("content-range"), format!("bytes {start}-{}/{size}", end - 1), "{range}");
        let expected: Vec<u8> = bytes[start..end].to_vec();
        assert_eq!(res.body.as_bytes(), String::from_utf8_lossy(&expected).as_bytes(), "{range}");
    }
    let past_the_end = app.send(ranged("bytes=5000000-")).await;
    assert_eq!(past_the_end.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(past_the_end.header("content-range"), format!("bytes */{size}"));
    // Several ranges at once: the whole file, as HTTP allows.
    assert_eq!(app.send(ranged("bytes=0-1,5-9")).await.status, StatusCode::OK);
    let head = app.send(Request::head(&url).body(Body::empty()).unwrap()).await;
    assert_eq!((head.status, head.header("content-length"), head.body.len()), (StatusCode::OK, size.to_string().as_str(), 0));
    let tag = whole.header("etag").to_string();
    assert!(!tag.is_empty());
    let again = app.send(Request::get(&url).header(header::IF_NONE_MATCH, &tag).body(Body::empty()).unwrap()).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Names are checked before the store is asked.
    assert_eq!(app.get("/media/portfolio/..%2F..%2Fetc%2Fpasswd").await.status, StatusCode::NOT_FOUND);
}

async fn an_upload_broken_off_after_some_parts_leaves_nothing(app: TestApp) {
    let (_, mut anna) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    // 20 MB arrive (two 8 MiB parts go to the store), then the connection breaks.
    let head = [form_head("Оборвалось").as_slice(), &video(64 * 1024)].concat();
    let pieces = futures::stream::iter(0..=320).then(move |n| {
        let head = head.clone();
        async move {
            match n {
                0 => Ok(head),
                320 => {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    Err(std::io::Error::other("the connection broke"))
                }
                _ => Ok(vec![7u8; 64 * 1024]),
            }
        }
    });
    let res = anna.send(upload_request(), Body::from_stream(pieces)).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
    let s3 = app.s3.as_ref().unwrap();
    let mut left = (s3.unfinished_uploads(), s3.objects("portfolio"));
    for _ in 0..50 {
        if left.0.is_empty() && left.1.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = (s3.unfinished_uploads(), s3.objects("portfolio"));
    }
    assert_eq!(left, (vec![], vec![]), "the multipart upload was aborted, its parts gone");
}

async fn a_store_that_refuses_our_keys_is_said_plainly(app: TestApp) {
    // The right server and bucket, a wrong secret: the signature is refused.
    let s3 = app.s3.as_ref().unwrap();
    let mut settings = s3.settings();
    settings.retain(|(k, _)| *k != "KULISY_S3_SECRET_KEY");
    settings.push(("KULISY_S3_SECRET_KEY", "not-the-secret".into()));
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let forged = app.with_settings(&settings);
    let (_, mut anna) = forged.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let res = upload_video(&mut anna, &video(100_000)).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.body);
    assert_eq!(res.json()["message"], kulisy::server::storage::NOT_STORED);
    let (content_type, body) = common::multipart("photo", "me.png", &common::png_bytes(300, 300));
    let res = anna.send(Request::post("/my/avatar").header(header::CONTENT_TYPE, content_type), Body::from(body)).await;
    assert!(res.status.is_redirection(), "{}", res.status);
    assert!(res.header("set-cookie").contains("kulisy_flash"), "the profile says why");
    let s3 = forged.s3.as_ref().unwrap();
    assert!(s3.objects("portfolio").is_empty() && s3.objects("avatars").is_empty());
    assert_eq!(kulisy::server::entities::media::Entity::find().count(&forged.state.db).await.unwrap(), 0);
}

async fn profile_photos_live_in_the_bucket_and_leave_with_the_account(app: TestApp) {
    let (anna, mut b) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let (content_type, body) = common::multipart("photo", "me.png", &common::png_bytes(600, 600));
    let res = b.send(Request::post("/my/avatar").header(header::CONTENT_TYPE, content_type), Body::from(body)).await;
    assert!(res.status.is_redirection(), "{}", res.status);
    let s3 = app.s3.as_ref().unwrap();
    let avatars = s3.objects("avatars");
    assert_eq!(avatars.len(), 1);
    let res = app.get(&kulisy::server::storage::Shelf::Avatars.url(&avatars[0])).await;
    assert_eq!((res.status, res.header("content-type")), (StatusCode::OK, "image/jpeg"));
    assert!(res.header("cache-control").contains("immutable"));
    assert_eq!(upload_video(&mut b, &video(50_000)).await.status, 200);

    let (_, mut admin) = app.signed_in("admin@example.ru", "Админ", Role::Admin).await;
    let res = admin.call("/api/admin/person/delete", &[("id", &anna.id.to_string()), ("confirm", "on")]).await;
    assert!(res.ok(), "{}", res.body);
    assert!(s3.objects("avatars").is_empty() && s3.objects("portfolio").is_empty(), "no object outlives the account");
}

use sea_orm::{EntityTrait, PaginatorTrait};

both_databases!(
    spawn_s3,
    a_player_reads_what_it_asks_for,
    an_upload_broken_off_after_some_parts_leaves_nothing,
    a_store_that_refuses_our_keys_is_said_plainly,
    profile_photos_live_in_the_bucket_and_leave_with_the_account,
);
