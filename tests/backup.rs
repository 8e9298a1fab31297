//! `kulisy backup` and `kulisy restore`: a backup taken while the school is
//! busy, restored elsewhere, holds every row committed before it began and
//! every file those rows name. On SQLite and PostgreSQL, with files on
//! local disk and in S3 object storage.
mod common;

use common::{TestApp, files::add_photo};
use kulisy::{
    domain::Role,
    server::{backup, db, entities::{media, portfolio_item}, storage},
};
use sea_orm::{EntityTrait, QuerySelect};
use std::sync::atomic::{AtomicBool, Ordering};

async fn item_ids(db: &sea_orm::DatabaseConnection) -> Vec<i32> {
    portfolio_item::Entity::find().select_only().column(portfolio_item::Column::Id).into_tuple().all(db).await.unwrap()
}

async fn a_backup_under_writes_restores_what_was_committed(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let png = common::png_bytes(200, 120);
    for n in 0..5 {
        assert!(add_photo(&mut b, &format!("До копии {n}"), &png).await);
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("backup");
    let stop = AtomicBool::new(false);
    let writer = async {
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            assert!(add_photo(&mut b, &format!("Во время копии {n}"), &png).await);
            n += 1;
            tokio::task::yield_now().await;
        }
        n
    };
    let snapshot = async {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        let before = item_ids(&app.state.db).await;
        let summary = backup::backup(&app.state.config, &app.state.db, &target).await;
        stop.store(true, Ordering::SeqCst);
        (before, summary)
    };
    let (written_during, (before, summary)) = tokio::join!(writer, snapshot);
    let summary = summary.unwrap();
    assert!(written_during > 0, "the school was busy during the backup");
    assert!(summary.files >= before.len(), "{summary:?}");
    // Writing again into a used directory is refused.
    assert!(backup::backup(&app.state.config, &app.state.db, &target).await.is_err());

    // Restore into a new database and a new data directory.
    let (url, _guard) = common::fresh_database(app.backend).await;
    let data = tempfile::tempdir().unwrap();
    let url = match app.backend {
        common::Backend::Sqlite => format!("sqlite://{}?mode=rwc", data.path().join("restored.db").display()),
        common::Backend::Postgres => url,
    };
    // Files from a bucket go back into a new bucket on another S3 server.
    let new_bucket = app.s3.as_ref().map(|_| common::S3Server::start());
    let settings = new_bucket.as_ref().map(|s3| s3.settings()).unwrap_or_default();
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let config = common::test_config_with(url.clone(), data.path(), &settings);
    backup::restore(&config, &target).await.unwrap();
    let restored = db::connect(&url).await.unwrap();
    db::migrate(&restored).await.unwrap();
    let after = item_ids(&restored).await;
    for id in &before {
        assert!(after.contains(id), "item {id} committed before the backup is missing");
    }
    let files = media::Entity::find().all(&restored).await.unwrap();
    assert!(files.len() >= before.len());
    let kept: Vec<String> =
        storage::open(&config).unwrap().files(storage::Shelf::Portfolio).await.unwrap().into_iter().map(|f| f.key).collect();
    for m in files {
        assert!(kept.contains(&m.storage_key), "the file of media {} is missing", m.id);
    }
    if let Some(s3) = &new_bucket {
        assert_eq!(s3.objects("portfolio").len(), kept.len(), "restored into the bucket");
        assert!(common::files_in(&data.path().join("uploads/portfolio")).is_empty(), "not onto local disk");
    }
    assert_eq!(
        std::fs::read(data.path().join("secret.key")).unwrap(),
        std::fs::read(app.state.config.data_dir.join("secret.key")).unwrap(),
        "the server key comes back: calendar feed addresses keep working"
    );
}

/// A file listed for the backup and removed before it is copied (its owner
/// deleted it meanwhile; here a link to nothing, which the folder and the S3
/// server both list and then cannot read) leaves the rest whole.
async fn a_file_removed_while_the_backup_runs_does_not_stop_it(app: TestApp) {
    let (_, mut b) = app.signed_in("anna@example.ru", "Анна Ученица", Role::Student).await;
    let png = common::png_bytes(200, 120);
    for n in 0..2 {
        assert!(add_photo(&mut b, &format!("Фото {n}"), &png).await);
    }
    let shelf = app.shelf_folder("portfolio");
    std::os::unix::fs::symlink(shelf.join("gone"), shelf.join(format!("{}.jpg", "b".repeat(64)))).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = backup::backup(&app.state.config, &app.state.db, &dir.path().join("backup")).await.unwrap();
    assert_eq!(summary.files, 2, "{summary:?}");
    assert_eq!(common::files_in(&dir.path().join("backup/uploads/portfolio")).len(), 2);
}

both_databases!(
    spawn,
    a_backup_under_writes_restores_what_was_committed,
    a_file_removed_while_the_backup_runs_does_not_stop_it,
);
both_databases!(
    mod on_s3,
    spawn_s3,
    a_backup_under_writes_restores_what_was_committed,
    a_file_removed_while_the_backup_runs_does_not_stop_it,
);
