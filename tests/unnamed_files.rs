//! The sweep of stored files no record names (`server/storage/unnamed.rs`),
//! on SQLite and PostgreSQL, with files on local disk and in S3 object
//! storage (`on_s3`).
mod common;

use axum::{body::Body, http::{Request, StatusCode}};
use common::{TestApp, files::add_photo};
use kulisy::{domain::Role, server::storage::unnamed::{GRACE, remove_unnamed}};
use sea_orm::ConnectionTrait;

/// A process that dies between a deletion's commit and the file's removal
/// (or a store unreachable just then) leaves a file no record names: the
/// sweep removes it once it is older than an upload takes, and nothing else.
async fn files_no_record_names_are_swept(app: TestApp) {
    let (anna, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let png = common::png_bytes(300, 200);
    for title in ["Остаётся", "Забыто"] {
        assert!(add_photo(&mut b, title, &png).await);
    }
    let (content_type, body) = common::multipart("photo", "me.png", &png);
    assert_eq!(b.send(Request::post("/my/avatar").header("content-type", content_type), Body::from(body)).await.status, 303);
    let avatar = app.user("anna@example.ru").await.unwrap().avatar_key.expect("a profile photo");
    let list = b.call("/api/portfolio/mine", &[]).await.json()["items"].clone();
    let kept = list.as_array().unwrap().iter().find(|i| i["title"] == "Остаётся").unwrap()["media_url"].as_str().unwrap().to_string();
    // The rows go as a committed deletion would take them; the files stay.
    let db = &app.state.db;
    db.execute_unprepared("DELETE FROM portfolio_items WHERE title = 'Забыто'").await.unwrap();
    let forgotten = "DELETE FROM media WHERE id NOT IN (SELECT media_id FROM portfolio_items WHERE media_id IS NOT NULL)";
    db.execute_unprepared(forgotten).await.unwrap();
    db.execute_unprepared(&format!("UPDATE users SET avatar_key = NULL WHERE id = {}", anna.id)).await.unwrap();
    assert_eq!((app.stored_on("portfolio").await.len(), app.stored_on("avatars").await.len()), (2, 1));
    // A killed process leaves the upload it was receiving (on S3 the
    // bucket's lifecycle rule aborts it).
    let unfinished = if app.s3.is_none() {
        let incoming = app.state.config.data_dir.join("uploads/incoming");
        std::fs::create_dir_all(&incoming).unwrap();
        std::fs::write(incoming.join(format!("{}.part", "a".repeat(64))), b"half a video").unwrap();
        1
    } else {
        0
    };

    let store = &*app.state.media;
    let now = chrono::Utc::now();
    assert_eq!(remove_unnamed(db, store, now - GRACE).await.unwrap(), 0, "new files wait: their records may be on the way");
    assert_eq!(remove_unnamed(db, store, now + chrono::Duration::minutes(1)).await.unwrap(), 2 + unfinished);
    assert!(app.unfinished_uploads().await.is_empty());
    let left = app.stored_on("portfolio").await;
    assert_eq!(left.len(), 1);
    assert!(kept.ends_with(&left[0]), "the named file stays: {kept} {left:?}");
    assert!(app.stored_on("avatars").await.is_empty(), "the photo {avatar} no record names is gone");
    assert_eq!(b.get(&kept).await.status, StatusCode::OK);
    assert_eq!(remove_unnamed(db, store, now + chrono::Duration::minutes(1)).await.unwrap(), 0, "nothing more to sweep");
}

both_databases!(spawn, files_no_record_names_are_swept);
both_databases!(mod on_s3, spawn_s3, files_no_record_names_are_swept);
