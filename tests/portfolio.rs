//! Portfolios: uploads that hold up against hostile files and sizes, files
//! that follow their records, owners that only touch their own items, and
//! byte ranges for video. Every test runs on SQLite and PostgreSQL; those
//! about files run again with the files in S3 object storage (`on_s3`).
mod common;

use axum::{body::Body, http::{Request, StatusCode, header}};
use common::{Browser, TestApp, TestResponse};
use futures::StreamExt;
use kulisy::{domain::Role, server::entities::{media, portfolio_item}};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use std::sync::{Arc, atomic::{AtomicUsize, Ordering}};

const UPLOAD: &str = "/my/portfolio/items";
const BOUNDARY: &str = "kulisyportfolio";

/// A multipart form: text fields, then the file (if any).
fn form(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    if let Some((file_name, mime, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(scripted: bool) -> axum::http::request::Builder {
    let req = Request::post(UPLOAD).header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
    if scripted { req.header("x-kulisy-upload", "1") } else { req }
}

async fn upload(b: &mut Browser<'_>, kind: &str, title: &str, public: bool, file: Option<(&str, &str, &[u8])>) -> TestResponse {
    let mut fields = vec![("kind", kind), ("title", title), ("description", "Описание"), ("occurred_on", "")];
    if public {
        fields.push(("visibility", "public"));
    }
    b.send(upload_request(true), Body::from(form(&fields, file))).await
}

/// The first bytes of an MP4 file, then `size` bytes of "video".
fn mp4(size: usize) -> Vec<u8> {
    let mut v = vec![0, 0, 0, 0x18];
    v.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    v.resize(size, 7);
    v
}

/// The portfolio files kept, in whichever store the app has.
async fn stored(app: &TestApp) -> Vec<String> {
    app.stored_on("portfolio").await
}

async fn items(b: &mut Browser<'_>) -> serde_json::Value {
    let res = b.call("/api/portfolio/mine", &[]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    res.json()["items"].clone()
}

async fn photos_and_videos_are_stored_under_names_of_ours(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let png = common::png_bytes(2400, 1200);
    // The name a client gives is never used, traversal or not.
    let res = upload(&mut b, "photo", "Гамлет", true, Some(("../../x.png", "image/png", &png))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = upload(&mut b, "video", "Этюд", false, Some(("../../../y.mp4", "video/mp4", &mp4(40_000)))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    // Without the page's script: a plain form post, answered with a redirect
    // back to the portfolio and a message for it.
    let plain = b
        .send(upload_request(false), Body::from(form(&[("kind", "text"), ("title", "Диплом"), ("visibility", "public")], None)))
        .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER, "{}", plain.body);
    assert_eq!(plain.header("location"), "/my/portfolio");
    assert!(plain.header("set-cookie").contains("kulisy_flash"), "{:?}", plain.headers);
    let names = stored(&app).await;
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| kulisy::server::storage::is_generated_key(n)), "{names:?}");
    let data_dir = &app.state.config.data_dir;
    assert!(!data_dir.join("x.png").exists() && !data_dir.parent().unwrap().join("x.png").exists());
    assert!(!data_dir.join("y.mp4").exists() && !data_dir.parent().unwrap().join("y.mp4").exists());
    assert!(app.unfinished_uploads().await.is_empty());

    let list = items(&mut b).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
    // The page itself, drawn on the server (several times: worker threads differ).
    for _ in 0..6 {
        let page = b.get("/my/portfolio").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Этюд") && page.body.contains("Гамлет"), "{}", page.body);
    }
    let (photo, video) = (&list[0], &list[1]);
    assert_eq!((photo["width"].as_i64(), photo["height"].as_i64()), (Some(1600), Some(800)), "resized");
    let photo_url = photo["media_url"].as_str().unwrap();
    let res = app.get(photo_url).await;
    assert_eq!((res.status, res.header("content-type")), (StatusCode::OK, "image/jpeg"));
    assert_eq!(res.header("x-content-type-options"), "nosniff");

    // A player seeks with ranges: 206 with exactly the asked bytes.
    let video_url = video["media_url"].as_str().unwrap().to_string();
    let res = b.send(Request::get(&video_url).header(header::RANGE, "bytes=100-199"), Body::empty()).await;
    assert_eq!(res.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.header("content-range"), "bytes 100-199/40000");
    assert_eq!(res.header("content-type"), "video/mp4");
    assert_eq!(res.header("x-content-type-options"), "nosniff");
    assert_eq!(res.body.len(), 100);
    assert!(res.header("content-encoding").is_empty(), "video is never compressed");
}

async fn html_and_scripts_named_as_media_are_refused(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let html = b"<html><body><script>alert(document.cookie)</script></body></html>".repeat(10);
    let res = upload(&mut b, "photo", "Фото", true, Some(("photo.jpg", "image/jpeg", &html))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.json()["field"], "file");
    assert!(res.json()["message"].as_str().unwrap().contains("не похоже на фотографию"));
    let res = upload(&mut b, "video", "Видео", true, Some(("clip.mp4", "video/mp4", &html))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.json()["message"].as_str().unwrap().contains("не похоже на видео"));
    let res = upload(&mut b, "video", "Скрипт", true, Some(("clip.webm", "video/webm", b"#!/bin/sh\nrm -rf /\n"))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(stored(&app).await.is_empty() && app.unfinished_uploads().await.is_empty(), "nothing stored");
    assert_eq!(media::Entity::find().count(&app.state.db).await.unwrap(), 0);
    assert_eq!(portfolio_item::Entity::find().count(&app.state.db).await.unwrap(), 0);
}

/// The start of a video upload form, then `chunks` chunks of 64 KB of the
/// file, each counted as the server pulls it.
fn counted_upload(chunks: usize, pulled: Arc<AtomicUsize>) -> Body {
    let fields = form(&[("kind", "video"), ("title", "Большое")], None);
    let fields = &fields[..fields.len() - format!("--{BOUNDARY}--\r\n").len()];
    let file_head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
    );
    let first = [fields, file_head.as_bytes(), &mp4(64 * 1024)].concat();
    let stream = futures::stream::iter(0..=chunks).map(move |n| {
        if n == 0 {
            return Ok::<_, std::io::Error>(first.clone());
        }
        pulled.fetch_add(1, Ordering::SeqCst);
        Ok(vec![7u8; 64 * 1024])
    });
    Body::from_stream(stream)
}

async fn oversized_uploads_stop_early_and_leave_nothing(app: TestApp) {
    // KULISY_VIDEO_MAX_MB=1 for this app.
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    // Declared too large: refused before a byte is read.
    let pulled = Arc::new(AtomicUsize::new(0));
    let declared = (600u64 * 1024 * 1024).to_string();
    let res = b.send(upload_request(true).header(header::CONTENT_LENGTH, declared), counted_upload(10_000, pulled.clone())).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["message"].as_str().unwrap().contains("не больше 1 МБ"), "{}", res.body);
    assert_eq!(pulled.load(Ordering::SeqCst), 0, "nothing of the body was read");

    // No length (or a false one): the count stops it at the limit.
    let pulled = Arc::new(AtomicUsize::new(0));
    let res = b.send(upload_request(true), counted_upload(1_000, pulled.clone())).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    let read = pulled.load(Ordering::SeqCst);
    assert!(read < 40, "stopped near 1 MB, not after 64 MB: {read} chunks of 64 KB; {}", res.body);
    assert!(app.unfinished_uploads().await.is_empty() && stored(&app).await.is_empty(), "no temporary file left");

    // A plain form gets a page that says why, with the same status.
    let big = mp4(2 * 1024 * 1024);
    let res = b
        .send(upload_request(false), Body::from(form(&[("kind", "video"), ("title", "x")], Some(("a.mp4", "video/mp4", &big)))))
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.body.contains("Файл слишком большой"), "{}", res.body);
    assert!(app.unfinished_uploads().await.is_empty() && stored(&app).await.is_empty());
}

async fn the_quota_counts_what_is_kept(app: TestApp) {
    // KULISY_MEDIA_QUOTA_MB=1 for this app.
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let res = upload(&mut b, "video", "Первое", false, Some(("a.mp4", "video/mp4", &mp4(700 * 1024)))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = upload(&mut b, "video", "Второе", false, Some(("b.mp4", "video/mp4", &mp4(700 * 1024)))).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    assert!(res.json()["message"].as_str().unwrap().contains("Не хватает места"), "{}", res.body);
    assert_eq!(stored(&app).await.len(), 1);
    // Someone else has room of their own.
    let (_, mut other) = app.signed_in("boris@example.ru", "Борис", Role::Student).await;
    let res = upload(&mut other, "video", "Своё", false, Some(("c.mp4", "video/mp4", &mp4(700 * 1024)))).await;
    assert_eq!(res.status, 200, "{}", res.body);
}

async fn nobody_changes_someone_elses_items(app: TestApp) {
    let (_, mut anna) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let res = upload(&mut anna, "text", "Лауреат фестиваля", true, None).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let id = items(&mut anna).await[0]["id"].as_i64().unwrap().to_string();
    let (_, mut boris) = app.signed_in("boris@example.ru", "Борис", Role::Student).await;
    let update = [("id", id.as_str()), ("title", "Взлом"), ("description", ""), ("occurred_on", ""), ("visibility", "public")];
    assert_eq!(boris.call("/api/portfolio/update", &update).await.status, StatusCode::NOT_FOUND);
    assert_eq!(boris.call("/api/portfolio/delete", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(boris.call("/api/portfolio/move", &[("id", &id), ("direction", "up")]).await.status, StatusCode::NOT_FOUND);
    let mine = items(&mut anna).await;
    assert_eq!(mine[0]["title"], "Лауреат фестиваля");
    // Teachers and visitors have no portfolio to write to.
    let (_, mut teacher) = app.signed_in("t@example.ru", "Педагог", Role::Teacher).await;
    assert_eq!(upload(&mut teacher, "text", "x", true, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.browser().call("/api/portfolio/delete", &[("id", &id)]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(portfolio_item::Entity::find().count(&app.state.db).await.unwrap(), 1);
}

async fn items_are_edited_reordered_and_deleted_with_their_files(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let png = common::png_bytes(300, 200);
    assert_eq!(upload(&mut b, "photo", "Первое", true, Some(("a.png", "image/png", &png))).await.status, 200);
    assert_eq!(upload(&mut b, "text", "Второе", true, None).await.status, 200);
    let list = items(&mut b).await;
    let (first, second) = (list[0]["id"].as_i64().unwrap().to_string(), list[1]["id"].as_i64().unwrap().to_string());
    assert!(b.call("/api/portfolio/move", &[("id", &second), ("direction", "up")]).await.ok());
    let list = items(&mut b).await;
    assert_eq!((list[0]["title"].as_str(), list[1]["title"].as_str()), (Some("Второе"), Some("Первое")));
    let update = [("id", first.as_str()), ("title", " Офелия "), ("description", "Роль"), ("occurred_on", "2026-05-01")];
    let res = b.call("/api/portfolio/update", &update).await;
    assert!(res.ok(), "{}", res.body);
    let list = items(&mut b).await;
    assert_eq!((list[1]["title"].as_str(), list[1]["is_public"].as_bool()), (Some("Офелия"), Some(false)));
    let bad = b.call("/api/portfolio/update", &[("id", first.as_str()), ("title", ""), ("description", ""), ("occurred_on", "2999-01-01")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(stored(&app).await.len(), 1);
    assert!(b.call("/api/portfolio/delete", &[("id", &first)]).await.ok());
    assert!(stored(&app).await.is_empty(), "the file went with the item");
    assert_eq!(media::Entity::find().count(&app.state.db).await.unwrap(), 0);
}

async fn private_items_stay_private(app: TestApp) {
    let (anna, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    assert_eq!(upload(&mut b, "video", "Этюд", false, Some(("a.mp4", "video/mp4", &mp4(5000)))).await.status, 200);
    let item = items(&mut b).await[0].clone();
    let url = item["media_url"].as_str().unwrap().to_string();
    assert_eq!(app.get(&url).await.status, StatusCode::NOT_FOUND, "a visitor does not get a private file");
    assert_eq!(b.get(&url).await.status, StatusCode::OK, "its owner does");
    let page = format!("/students/{}/portfolio", anna.id);
    assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND, "nothing public, no page");

    let title = "<script>alert(1)</script> Гамлет";
    let id = item["id"].as_i64().unwrap().to_string();
    let update = [("id", id.as_str()), ("title", title), ("description", "<img src=x onerror=alert(2)>"), ("occurred_on", ""), ("visibility", "public")];
    assert!(b.call("/api/portfolio/update", &update).await.ok());
    assert_eq!(app.get(&url).await.status, StatusCode::OK);
    let res = app.get(&page).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Анна Ученица") && res.body.contains("<video"), "{}", res.body);
    assert!(res.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; Гамлет"), "shown as text");
    assert!(!res.body.contains("<script>alert(1)") && !res.body.contains("<img src=x"));
}

async fn a_database_failure_leaves_no_file(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let db = &app.state.db;
    db.execute_unprepared("ALTER TABLE portfolio_items RENAME TO portfolio_items_away").await.unwrap();
    let png = common::png_bytes(300, 200);
    let photo = upload(&mut b, "photo", "Фото", true, Some(("a.png", "image/png", &png))).await;
    let video = upload(&mut b, "video", "Видео", true, Some(("a.mp4", "video/mp4", &mp4(5000)))).await;
    db.execute_unprepared("ALTER TABLE portfolio_items_away RENAME TO portfolio_items").await.unwrap();
    for res in [photo, video] {
        assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", res.body);
        let message = res.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains("Что-то пошло не так") && !message.to_lowercase().contains("portfolio"), "{message}");
    }
    assert!(stored(&app).await.is_empty() && app.unfinished_uploads().await.is_empty(), "no orphan file");
    assert_eq!(media::Entity::find().count(db).await.unwrap(), 0, "rolled back");
}

async fn deleting_the_account_removes_the_files(app: TestApp) {
    let (anna, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    assert_eq!(upload(&mut b, "video", "Этюд", true, Some(("a.mp4", "video/mp4", &mp4(5000)))).await.status, 200);
    let admin = app.signed_in("admin@example.ru", "Админ", Role::Admin).await.1;
    let mut admin = admin;
    let res = admin.call("/api/admin/person/delete", &[("id", &anna.id.to_string()), ("confirm", "on")]).await;
    assert!(res.ok(), "{}", res.body);
    assert!(stored(&app).await.is_empty());
}

async fn teachers_find_the_portfolio_of_their_students(app: TestApp) {
    let course = app.course("Мастерство актёра", 10, 3, 8).await;
    let (e, mut student) = app.enrolled(&course, "anna@example.ru", kulisy::domain::EnrollmentStatus::Pending).await;
    let student_id = e.student_id.unwrap().to_string();
    let mut teacher = app.browser_as(&app.user(&course.teacher_email).await.unwrap()).await;
    let card = teacher.call("/api/teaching/student", &[("id", &student_id)]).await;
    assert_eq!(card.json()["portfolio_url"], serde_json::Value::Null, "nothing public yet");
    assert_eq!(upload(&mut student, "text", "Диплом", true, None).await.status, 200);
    let card = teacher.call("/api/teaching/student", &[("id", &student_id)]).await;
    assert_eq!(card.json()["portfolio_url"], format!("/students/{student_id}/portfolio"));
}

mod small_video_limit {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        oversized_uploads_stop_early_and_leave_nothing(
            TestApp::spawn_with(common::Backend::Sqlite, &[("KULISY_VIDEO_MAX_MB", "1")]).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        oversized_uploads_stop_early_and_leave_nothing(
            TestApp::spawn_with(common::Backend::Postgres, &[("KULISY_VIDEO_MAX_MB", "1")]).await,
        )
        .await
    }
}

mod small_quota {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        the_quota_counts_what_is_kept(TestApp::spawn_with(common::Backend::Sqlite, &[("KULISY_MEDIA_QUOTA_MB", "1")]).await)
            .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        the_quota_counts_what_is_kept(TestApp::spawn_with(common::Backend::Postgres, &[("KULISY_MEDIA_QUOTA_MB", "1")]).await)
            .await
    }
}

/// What phones send: portraits noted in EXIF, iPhones' QuickTime videos.
async fn phone_photos_stand_upright_and_iphone_videos_are_taken(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let photo = common::jpeg_turned_by_exif(400, 200);
    let res = upload(&mut b, "photo", "Портрет", true, Some(("IMG_0001.JPG", "image/jpeg", &photo))).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let mut mov = vec![0, 0, 0, 0x14];
    mov.extend_from_slice(b"ftypqt  \0\0\0\0qt  ");
    mov.resize(5000, 7);
    let res = upload(&mut b, "video", "Этюд с телефона", true, Some(("IMG_0002.MOV", "video/quicktime", &mov))).await;
    assert_eq!(res.status, 200, "{}", res.body);

    let list = items(&mut b).await;
    let (photo, video) = (&list[0], &list[1]);
    assert_eq!((photo["width"].as_i64(), photo["height"].as_i64()), (Some(200), Some(400)), "turned upright");
    let key = photo["media_url"].as_str().unwrap().rsplit('/').next().unwrap();
    let file = app.state.config.data_dir.join("uploads/portfolio").join(key);
    let stored = image::load_from_memory(&std::fs::read(file).unwrap()).unwrap();
    // Turned a quarter clockwise: the red top of the landscape is now its right side.
    let (right, left) = (stored.to_rgb8().get_pixel(190, 200).0, stored.to_rgb8().get_pixel(10, 200).0);
    assert!(right[0] > 150 && right[2] < 80, "right side red: {right:?}");
    assert!(left[2] > 150 && left[0] < 80, "left side blue: {left:?}");
    let played = b.send(Request::get(video["media_url"].as_str().unwrap()).header(header::RANGE, "bytes=0-15"), Body::empty()).await;
    assert_eq!((played.status, played.header("content-type")), (StatusCode::PARTIAL_CONTENT, "video/mp4"));
}

async fn a_guardian_keeps_a_childs_portfolio(app: TestApp) {
    use common::family::{add_child, born, child};
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "").await.ok());
    let misha = child(&app, &mother, "Миша").await;
    let (_, mut stranger) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    let to = |member: i32| {
        Request::post(format!("{UPLOAD}?member={member}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header("x-kulisy-upload", "1")
    };
    let photo = common::png_bytes(40, 30);
    let fields = [("kind", "photo"), ("title", "Заяц на ёлке"), ("description", ""), ("occurred_on", ""), ("visibility", "public")];
    let body = || Body::from(form(&fields, Some(("zayac.png", "image/png", &photo))));
    assert_eq!(stranger.send(to(misha.id), body()).await.status, StatusCode::FORBIDDEN, "another family's child");
    assert_eq!(b.send(to(misha.id), body()).await.status, StatusCode::OK);

    // The child's portfolio, not the guardian's; its private photo for the guardian only.
    let member = misha.id.to_string();
    let his = b.call("/api/portfolio/mine", &[("member", &member)]).await.json();
    assert_eq!((his["owner_id"].as_i64(), his["for_child"].as_bool()), (Some(misha.id.into()), Some(true)));
    assert_eq!(his["members"].as_array().unwrap().len(), 2);
    assert!(b.call("/api/portfolio/mine", &[]).await.json()["items"].as_array().unwrap().is_empty());
    let url = his["items"][0]["media_url"].as_str().unwrap().to_string();
    assert_eq!(b.get(&url).await.status, 200);

    // Public items of a child stay private until a guardian agrees to photos;
    // even then the child's own photo is never a link preview's picture.
    let page = format!("/students/{}/portfolio", misha.id);
    assert_eq!(app.get(&page).await.status, 404);
    assert_eq!(app.get(&url).await.status, 404);
    let mut avatar: kulisy::server::entities::user::ActiveModel = misha.clone().into();
    avatar.avatar_key = sea_orm::ActiveValue::Set(Some("misha-face.jpg".into()));
    sea_orm::ActiveModelTrait::update(avatar, &app.state.db).await.unwrap();
    let consent = [("child", member.as_str()), ("full_name", "Миша"), ("birth_date", &born(9, app.today()).to_string()), ("teacher_notes", ""), ("photos", "on")];
    assert!(b.call("/api/family/update", &consent).await.ok());
    let public = app.get(&page).await;
    assert_eq!(public.status, 200);
    let previews: Vec<&str> =
        public.body.split('<').filter(|tag| tag.starts_with("meta ") || tag.starts_with("script type=\"application/ld+json\"")).collect();
    assert!(previews.iter().any(|t| t.contains("og:image")), "{previews:?}");
    assert!(previews.iter().all(|t| !t.contains("misha-face")), "no minor's photo in OpenGraph or JSON-LD: {previews:?}");
    assert_eq!(app.get(&url).await.status, 200);
    assert!(b.call("/api/family/update", &consent[..4]).await.ok());
    assert_eq!(app.get(&page).await.status, 404, "consent withdrawn");
    assert_eq!(stranger.get(&url).await.status, 404);
    let id = his["items"][0]["id"].to_string();
    let theirs = stranger.call("/api/portfolio/delete", &[("id", &id), ("member", &member)]).await;
    assert_eq!(theirs.status, 403);
    assert_eq!(b.call("/api/portfolio/delete", &[("id", &id)]).await.status, 404, "not the guardian's own item");
    assert!(b.call("/api/portfolio/delete", &[("id", &id), ("member", &member)]).await.ok());
}

both_databases!(
    spawn,
    a_guardian_keeps_a_childs_portfolio,
    phone_photos_stand_upright_and_iphone_videos_are_taken,
    photos_and_videos_are_stored_under_names_of_ours,
    html_and_scripts_named_as_media_are_refused,
    nobody_changes_someone_elses_items,
    items_are_edited_reordered_and_deleted_with_their_files,
    private_items_stay_private,
    a_database_failure_leaves_no_file,
    deleting_the_account_removes_the_files,
    teachers_find_the_portfolio_of_their_students,
);

both_databases!(
    mod on_s3,
    spawn_s3,
    photos_and_videos_are_stored_under_names_of_ours,
    html_and_scripts_named_as_media_are_refused,
    items_are_edited_reordered_and_deleted_with_their_files,
    private_items_stay_private,
    a_database_failure_leaves_no_file,
    deleting_the_account_removes_the_files,
);

mod small_video_limit_on_s3 {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        oversized_uploads_stop_early_and_leave_nothing(
            TestApp::spawn_s3_with(common::Backend::Postgres, &[("KULISY_VIDEO_MAX_MB", "1")]).await,
        )
        .await
    }
}
