//! The office through the real router, on SQLite and PostgreSQL: who may
//! enter, people and roles, shows, and one audit row per change.
#![cfg(feature = "ssr")]
mod common;
use common::{Browser, TestApp};
use kulisy::{
    domain::Role,
    server::entities::{audit_log, show, teacher},
};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn office(app: &TestApp) -> Browser<'_> {
    app.signed_in("office@example.ru", "Ольга Белова", Role::Admin).await.1
}

async fn audit_rows(app: &TestApp) -> Vec<audit_log::Model> {
    audit_log::Entity::find().all(&app.state.db).await.unwrap()
}

async fn show_form<'a>(b: &mut Browser<'a>, id: &str, title: &str, starts_at: &str) -> common::TestResponse {
    b.call("/api/admin/shows/save", &[
        ("id", id),
        ("title", title),
        ("starts_at", starts_at),
        ("venue", "Учебная сцена"),
        ("description", "Комедия в трёх действиях."),
    ])
    .await
}

async fn only_the_office_may_use_office_functions(app: TestApp) {
    let (_, mut student) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    let (_, mut teacher) = app.signed_in("t@example.ru", "Педагог", Role::Teacher).await;
    for b in [&mut student, &mut teacher] {
        assert_eq!(b.call("/api/admin/people", &[]).await.status, 403);
        assert_eq!(b.call("/api/admin/audit", &[]).await.status, 403);
        assert_eq!(b.call("/api/admin/people/active", &[("id", "1"), ("active", "no")]).await.status, 403);
        assert_eq!(show_form(b, "", "Чайка", "2027-01-15T19:00").await.status, 403);
        assert_eq!(b.get("/admin/people").await.status, 403);
    }
    assert_eq!(app.browser().call("/api/admin/people", &[]).await.status, 401);
    assert_eq!(show::Entity::find().count(&app.state.db).await.unwrap(), 0);
    assert!(audit_rows(&app).await.is_empty());
}

async fn shows_are_created_checked_edited_and_deleted_with_an_audit_trail(app: TestApp) {
    let mut b = office(&app).await;
    let bad = show_form(&mut b, "", "  ", "завтра").await;
    assert_eq!(bad.status, 422);
    let errors = bad.json();
    let fields: Vec<&str> = errors["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "starts_at"]);
    assert_eq!(show::Entity::find().count(&app.state.db).await.unwrap(), 0, "nothing half-written");

    let when = (app.today() + chrono::Duration::days(10)).format("%Y-%m-%dT19:00").to_string();
    assert!(show_form(&mut b, "", "Чайка", &when).await.ok());
    let created = show::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    assert!(app.get("/afisha").await.body.contains("Чайка"), "on the public afisha");
    // 19:00 in Moscow is 16:00 UTC.
    assert_eq!(created.starts_at.format("%H:%M").to_string(), "16:00");

    assert!(show_form(&mut b, &created.id.to_string(), "Чайка (премьера)", &when).await.ok());
    assert!(b.call("/api/admin/shows/delete", &[("id", &created.id.to_string())]).await.ok());
    assert_eq!(show::Entity::find().count(&app.state.db).await.unwrap(), 0);
    assert_eq!(b.call("/api/admin/shows/delete", &[("id", &created.id.to_string())]).await.status, 404);

    let log = audit_rows(&app).await;
    assert_eq!(log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["create", "update", "delete"]);
    assert!(log.iter().all(|r| r.entity == "show" && r.entity_id == Some(created.id) && r.actor_id.is_some()));
    let changes: serde_json::Value = serde_json::from_str(&log[1].changes).unwrap();
    assert_eq!(changes, serde_json::json!({"title": ["Чайка", "Чайка (премьера)"]}), "only what changed");
}

async fn deactivating_a_user_ends_their_sessions(app: TestApp) {
    let mut b = office(&app).await;
    let (student, mut s) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    assert!(s.viewer().await.is_some());
    let id = student.id.to_string();
    assert!(b.call("/api/admin/people/active", &[("id", &id), ("active", "no")]).await.ok());
    assert_eq!(s.viewer().await, None, "signed out at once");
    assert!(!app.user("s@example.ru").await.unwrap().is_active);
    assert!(b.call("/api/admin/people/active", &[("id", &id), ("active", "yes")]).await.ok());
    assert!(app.user("s@example.ru").await.unwrap().is_active);
    let office_user = app.user("office@example.ru").await.unwrap();
    let res = b.call("/api/admin/people/active", &[("id", &office_user.id.to_string()), ("active", "no")]).await;
    assert_eq!(res.status, 409, "not oneself");
    let log = audit_rows(&app).await;
    assert_eq!(log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["deactivate", "reactivate"]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&log[0].changes).unwrap(), serde_json::json!({"is_active": [true, false]}));
}

async fn roles_change_on_the_next_request(app: TestApp) {
    let mut b = office(&app).await;
    let (student, mut s) = app.signed_in("s@example.ru", "Будущий педагог", Role::Student).await;
    assert_eq!(s.call("/api/teaching/desk", &[]).await.status, 403);
    assert!(b.call("/api/admin/people/role", &[("id", &student.id.to_string()), ("role", "teacher")]).await.ok());
    assert_eq!(s.call("/api/teaching/desk", &[]).await.status, 200, "a teacher now, same session");
    assert_eq!(teacher::Entity::find().count(&app.state.db).await.unwrap(), 1, "with a teacher profile");
    let bad = b.call("/api/admin/people/role", &[("id", &student.id.to_string()), ("role", "director")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(audit_rows(&app).await.len(), 1);
}

async fn people_lists_are_paginated_and_searchable(app: TestApp) {
    for n in 0..60 {
        app.signed_in(&format!("pupil{n:02}@example.ru"), &format!("Ученица {n:02}"), Role::Student).await;
    }
    let mut b = office(&app).await;
    let first = b.call("/api/admin/people", &[("query[role]", "Student")]).await.json();
    assert_eq!(first["total"], 60);
    assert_eq!(first["pages"], 3);
    assert_eq!(first["items"].as_array().unwrap().len(), 25);
    assert_eq!(first["items"][0]["full_name"], "Ученица 00");
    let last = b.call("/api/admin/people", &[("query[role]", "Student"), ("query[page]", "3")]).await.json();
    assert_eq!(last["items"].as_array().unwrap().len(), 10);
    let found = b.call("/api/admin/people", &[("query[search]", "УЧЕНИЦА 4")]).await.json();
    assert_eq!(found["total"], 10, "case-insensitive, by name");
    let by_mail = b.call("/api/admin/people", &[("query[search]", "pupil07@")]).await.json();
    assert_eq!(by_mail["total"], 1);
    let percent = b.call("/api/admin/people", &[("query[search]", "%")]).await.json();
    assert_eq!(percent["total"], 0, "wildcards are taken literally");
    let page = b.get("/admin/people?search=pupil1&role=student").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ученица 10") && !page.body.contains("Ученица 20"));
}

both_databases!(
    spawn,
    only_the_office_may_use_office_functions,
    shows_are_created_checked_edited_and_deleted_with_an_audit_trail,
    deactivating_a_user_ends_their_sessions,
    roles_change_on_the_next_request,
    people_lists_are_paginated_and_searchable,
);
