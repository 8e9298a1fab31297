//! Reviews: only students of a confirmed or completed request write them,
//! one per request; nobody else sees them until a moderator publishes;
//! every moderation is audited. Every test runs on SQLite and PostgreSQL.
mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp, TestResponse};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::entities::{audit_log, review},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn write(b: &mut Browser<'_>, enrollment_id: i32, rating: &str, body: &str) -> TestResponse {
    b.call("/api/reviews/save", &[("enrollment_id", &enrollment_id.to_string()), ("rating", rating), ("body", body)]).await
}

async fn moderate(b: &mut Browser<'_>, id: i32, action: &str, extra: &[(&str, &str)]) -> TestResponse {
    let id = id.to_string();
    let mut form = vec![("id", id.as_str()), ("action", action)];
    form.extend_from_slice(extra);
    b.call("/api/reviews/moderate", &form).await
}

async fn reviews(app: &TestApp) -> Vec<review::Model> {
    review::Entity::find().all(&app.state.db).await.unwrap()
}

async fn only_students_of_confirmed_requests_review(app: TestApp) {
    let course = app.course("Сценическая речь", 10, -7, 8).await;
    let (_, mut stranger) = app.signed_in("stranger@example.ru", "Посторонний", Role::Student).await;
    let (pending, mut waiting) = app.enrolled(&course, "pending@example.ru", EnrollmentStatus::Pending).await;
    // Someone else's request, a pending one, and a made-up one: all refused.
    assert_eq!(write(&mut stranger, pending.id, "5", "Прекрасный курс, всем советую").await.status, StatusCode::NOT_FOUND);
    assert_eq!(write(&mut stranger, 999_999, "5", "Прекрасный курс, всем советую").await.status, StatusCode::NOT_FOUND);
    let res = write(&mut waiting, pending.id, "5", "Прекрасный курс, всем советую").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.json().to_string().contains("подтвердит"));
    let (_, mut teacher) = app.signed_in("t2@example.ru", "Педагог", Role::Teacher).await;
    assert_eq!(write(&mut teacher, pending.id, "5", "Прекрасный курс, всем советую").await.status, StatusCode::FORBIDDEN);
    assert!(reviews(&app).await.is_empty());

    let (done, mut student) = app.enrolled(&course, "done@example.ru", EnrollmentStatus::Completed).await;
    let bad = write(&mut student, done.id, "7", "Мало").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("rating") && bad.body.contains("body"), "{}", bad.body);
    // Two tabs send a first review at once: one review, never two.
    let u = app.user("done@example.ru").await.unwrap();
    let (mut tab1, mut tab2) = (app.browser_as(&u).await, app.browser_as(&u).await);
    let (a, b) = tokio::join!(
        write(&mut tab1, done.id, "5", "Первая вкладка, отличный курс"),
        write(&mut tab2, done.id, "3", "Вторая вкладка, неплохой курс"),
    );
    assert!(a.ok() || b.ok(), "{} {}", a.body, b.body);
    for res in [a, b] {
        assert!(res.ok() || res.status == StatusCode::CONFLICT, "{}", res.body);
    }
    // While pending, the author changes it.
    assert!(write(&mut student, done.id, "4", "Очень полезный курс").await.ok());
    assert_eq!(reviews(&app).await[0].rating, 4);
    assert_eq!(reviews(&app).await.len(), 1, "one review per request");
}

async fn a_review_is_hidden_until_published(app: TestApp) {
    let course = app.course("Мастерство актёра", 10, -7, 8).await;
    let (e, mut student) = app.enrolled(&course, "masha@example.ru", EnrollmentStatus::Confirmed).await;
    let text = "Лучший курс: <script>alert(1)</script> и много практики";
    assert!(write(&mut student, e.id, "5", text).await.ok());
    let course_page = format!("/courses/{}", course.id);
    let teacher_page = format!("/teachers/{}", course.teacher_id);
    assert!(!app.get(&course_page).await.body.contains("Лучший курс"), "pending is invisible");
    let published = app.browser().call("/api/reviews/published", &[("about", "course"), ("address", &course.id.to_string())]).await;
    assert_eq!(published.json()["reviews"].as_array().unwrap().len(), 0);
    let mine = student.call("/api/reviews/mine", &[]).await.json();
    assert_eq!(mine[0]["review"]["status"], "Pending");
    // The author may still change it.
    assert!(write(&mut student, e.id, "4", text).await.ok());

    let (_, mut admin) = app.signed_in("admin@example.ru", "Админ", Role::Admin).await;
    let queue = admin.call("/api/reviews/queue", &[("status", "pending")]).await.json();
    let id = queue[0]["id"].as_i64().unwrap() as i32;
    // Moderation is for admins only.
    assert_eq!(moderate(&mut student, id, "publish", &[]).await.status, StatusCode::FORBIDDEN);
    assert!(moderate(&mut admin, id, "publish", &[]).await.ok());

    for page in [&course_page, &teacher_page] {
        let html = app.get(page).await.body;
        assert!(html.contains("Лучший курс: &lt;script&gt;alert(1)&lt;/script&gt;"), "published, as text: {page}");
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("4,0 из 5"), "average on {page}");
    }
    let res = write(&mut student, e.id, "1", "Передумала, поменяю отзыв").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "a published review stays as it was");
    assert!(app.outbox().await.iter().any(|m| m.to_addr == "masha@example.ru" && m.body_text.contains("опубликован")));
}

async fn moderators_edit_reject_and_delete_on_the_record(app: TestApp) {
    let course = app.course("Пластика", 10, -7, 8).await;
    let (e1, mut s1) = app.enrolled(&course, "one@example.ru", EnrollmentStatus::Confirmed).await;
    let (e2, mut s2) = app.enrolled(&course, "two@example.ru", EnrollmentStatus::Completed).await;
    assert!(write(&mut s1, e1.id, "5", "Хороший курс, но дурацкие слова").await.ok());
    assert!(write(&mut s2, e2.id, "2", "Реклама: купите наш крем").await.ok());
    let rows = reviews(&app).await;
    let (first, second) = (rows.iter().find(|r| r.rating == 5).unwrap().id, rows.iter().find(|r| r.rating == 2).unwrap().id);
    let (_, mut admin) = app.signed_in("admin@example.ru", "Админ", Role::Admin).await;

    assert!(moderate(&mut admin, first, "edit", &[("body", "Хороший курс, очень рекомендую")]).await.ok());
    assert!(moderate(&mut admin, first, "publish", &[]).await.ok());
    let html = app.get(&format!("/courses/{}", course.id)).await.body;
    assert!(html.contains("Хороший курс, очень рекомендую") && html.contains("отредактирован модератором"));
    assert!(!html.contains("дурацкие"));

    let no_reason = moderate(&mut admin, second, "reject", &[("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moderate(&mut admin, second, "reject", &[("reason", "Реклама")]).await.ok());
    let mine = s2.call("/api/reviews/mine", &[]).await.json();
    assert_eq!((mine[0]["review"]["status"].as_str(), mine[0]["review"]["moderation_note"].as_str()), (Some("Rejected"), Some("Реклама")));
    // Two moderators at once: one deletes, one publishes; neither fails
    // with an internal error, and the deletion stands or comes last.
    let mut other = app.browser_as(&app.user("admin@example.ru").await.unwrap()).await;
    let (deleted, published) = tokio::join!(moderate(&mut admin, second, "delete", &[]), moderate(&mut other, second, "publish", &[]));
    assert!(deleted.ok(), "{}", deleted.body);
    assert!(published.ok() || published.status == StatusCode::NOT_FOUND, "{}", published.body);
    assert_eq!(review::Entity::find().count(&app.state.db).await.unwrap(), 1);

    let audited: Vec<String> = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("review"))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(audited.starts_with(&["update".to_string(), "publish".into(), "reject".into()]), "{audited:?}");
    assert!(audited.contains(&"delete".to_string()), "{audited:?}");
}

both_databases!(
    spawn,
    only_students_of_confirmed_requests_review,
    a_review_is_hidden_until_published,
    moderators_edit_reject_and_delete_on_the_record,
);
