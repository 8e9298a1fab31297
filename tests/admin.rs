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
        assert_eq!(b.call("/api/admin/person/delete", &[("id", "1"), ("confirm", "on")]).await.status, 403);
        assert_eq!(b.call("/api/admin/courses/save", &[("id", ""), ("course[title]", "Взлом")]).await.status, 403);
        assert_eq!(b.call("/api/admin/audit", &[]).await.status, 403);
        assert_eq!(b.call("/api/admin/people/active", &[("id", "1"), ("active", "false")]).await.status, 403);
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
    assert!(show_form(&mut b, "", "Ревизор", &when).await.ok());
    let found = b.call("/api/admin/shows", &[("query[search]", "ЧАЙКА")]).await.json();
    assert_eq!((found["total"].clone(), found["items"][0]["form"]["title"].clone()), (serde_json::json!(1), serde_json::json!("Чайка (премьера)")));
    let revizor = show::Entity::find().all(&app.state.db).await.unwrap().into_iter().find(|s| s.title == "Ревизор").unwrap();
    assert!(b.call("/api/admin/shows/delete", &[("id", &revizor.id.to_string())]).await.ok());
    assert!(b.call("/api/admin/shows/delete", &[("id", &created.id.to_string())]).await.ok());
    assert_eq!(show::Entity::find().count(&app.state.db).await.unwrap(), 0);
    assert_eq!(b.call("/api/admin/shows/delete", &[("id", &created.id.to_string())]).await.status, 404);

    let log = audit_rows(&app).await;
    let log: Vec<_> = log.into_iter().filter(|r| r.entity_id == Some(created.id)).collect();
    assert_eq!(log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["create", "update", "delete"]);
    assert!(log.iter().all(|r| r.entity == "show" && r.actor_id.is_some()));
    let changes: serde_json::Value = serde_json::from_str(&log[1].changes).unwrap();
    assert_eq!(changes, serde_json::json!({"title": ["Чайка", "Чайка (премьера)"]}), "only what changed");

    // The log page finds one record's history, and changes by who made them.
    let one = b.call("/api/admin/audit", &[("query[entity]", "show"), ("query[record]", &created.id.to_string())]).await.json();
    assert_eq!(one["total"], 3);
    let by_name = b.call("/api/admin/audit", &[("query[actor]", "ольга")]).await.json();
    assert_eq!(by_name["total"], 5, "every change here was made by Ольга Белова");
    let nobody = b.call("/api/admin/audit", &[("query[actor]", "никто")]).await.json();
    assert_eq!(nobody["total"], 0);
}

async fn deactivating_a_user_ends_their_sessions(app: TestApp) {
    let mut b = office(&app).await;
    let (student, mut s) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    assert!(s.viewer().await.is_some());
    let id = student.id.to_string();
    assert!(b.call("/api/admin/people/active", &[("id", &id), ("active", "false")]).await.ok());
    assert_eq!(s.viewer().await, None, "signed out at once");
    assert!(!app.user("s@example.ru").await.unwrap().is_active);
    assert!(b.call("/api/admin/people/active", &[("id", &id), ("active", "true")]).await.ok());
    assert!(app.user("s@example.ru").await.unwrap().is_active);
    let office_user = app.user("office@example.ru").await.unwrap();
    let res = b.call("/api/admin/people/active", &[("id", &office_user.id.to_string()), ("active", "false")]).await;
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
    assert_eq!(bad.status, 400, "a role that is none of ours is refused while parsing");
    assert_eq!(audit_rows(&app).await.len(), 1);
}

async fn people_lists_are_paginated_and_searchable(app: TestApp) {
    for n in 0..60 {
        app.signed_in(&format!("pupil{n:02}@example.ru"), &format!("Ученица {n:02}"), Role::Student).await;
    }
    let mut b = office(&app).await;
    let first = b.call("/api/admin/people", &[("query[role]", "student")]).await.json();
    assert_eq!(first["total"], 60);
    assert_eq!(first["pages"], 3);
    assert_eq!(first["items"].as_array().unwrap().len(), 25);
    assert_eq!(first["items"][0]["full_name"], "Ученица 00");
    let last = b.call("/api/admin/people", &[("query[role]", "student"), ("query[page]", "3")]).await.json();
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

/// The course form as the office's page sends it.
fn course_form(id: &str, title: &str, capacity: &str, teacher_id: i32, start: &str, end: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("id", id),
        ("course[title]", title),
        ("course[description]", "Этюды и наблюдения."),
        ("course[capacity]", capacity),
        ("course[term_start]", start),
        ("course[term_end]", end),
        ("course[personal]", "on"),
        ("course[published]", "on"),
        // The first teacher's box is unticked: only the second index arrives.
        ("course[teachers][1]", &teacher_id.to_string()),
        ("course[slots][0][weekday]", "2"),
        ("course[slots][0][starts_at]", "18:30"),
        ("course[slots][0][minutes]", "90"),
        ("course[slots][0][room]", "Класс № 2"),
        ("course[slots][1][weekday]", "4"),
        ("course[slots][1][starts_at]", "19:00"),
        ("course[slots][1][minutes]", "120"),
        ("course[slots][1][room]", "Большой зал"),
        ("course[slots][2][weekday]", ""),
        ("course[slots][2][starts_at]", ""),
        ("course[slots][2][minutes]", "120"),
        ("course[slots][2][room]", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.sort();
    form
}

async fn send(b: &mut Browser<'_>, path: &str, form: &[(String, String)]) -> common::TestResponse {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.call(path, &pairs).await
}

fn set(form: &[(String, String)], key: &str, value: &str) -> Vec<(String, String)> {
    form.iter().map(|(k, v)| (k.clone(), if k == key { value.to_string() } else { v.clone() })).collect()
}

async fn courses_are_created_with_teachers_and_slots(app: TestApp) {
    use kulisy::server::entities::{course, course_slot, course_teacher};
    let existing = app.course("Старый курс", 5, 7, 8).await;
    let mut b = office(&app).await;
    let (start, end) = ((app.today() + chrono::Duration::days(3)).to_string(), (app.today() + chrono::Duration::days(90)).to_string());
    let form = course_form("", "Сценическое движение", "12", existing.teacher_id, &start, &end);

    // No title, an impossible time, no format, no teacher.
    let broken: Vec<_> = set(&set(&form, "course[title]", ""), "course[slots][1][starts_at]", "25:99")
        .into_iter()
        .filter(|(k, _)| k != "course[personal]" && !k.starts_with("course[teachers]"))
        .collect();
    let res = send(&mut b, "/api/admin/courses/save", &broken).await;
    assert_eq!(res.status, 422, "{}", res.body);
    let fields: Vec<String> = res.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["course[title]", "course[pair]", "course[teachers]", "course[slots][1]"]);
    assert_eq!(course::Entity::find().count(&app.state.db).await.unwrap(), 1, "nothing written");

    let res = send(&mut b, "/api/admin/courses/save", &form).await;
    assert!(res.ok(), "{}", res.body);
    let created = course::Entity::find().all(&app.state.db).await.unwrap().into_iter().find(|c| c.title == "Сценическое движение").unwrap();
    assert_eq!((created.capacity, created.offers_personal, created.offers_pair, created.is_published), (12, true, false, true));
    use sea_orm::{ColumnTrait, QueryFilter};
    assert_eq!(course_slot::Entity::find().filter(course_slot::Column::CourseId.eq(created.id)).count(&app.state.db).await.unwrap(), 2);
    let taught: Vec<i32> = course_teacher::Entity::find().filter(course_teacher::Column::CourseId.eq(created.id)).all(&app.state.db).await.unwrap().iter().map(|t| t.teacher_id).collect();
    assert_eq!(taught, [existing.teacher_id]);
    let schedule = app.get("/courses?day=2").await;
    assert!(schedule.body.contains(">Сценическое движение</a>"), "on the public schedule");
    let log = audit_rows(&app).await;
    assert_eq!((log[0].action.as_str(), log[0].entity.as_str()), ("create", "course"));
    // The office's list finds it by any case of its title, a page at a time.
    let found = b.call("/api/admin/courses", &[("query[search]", "СЦЕНИЧЕСКОЕ")]).await.json();
    assert_eq!((found["total"].clone(), found["items"][0]["title"].clone()), (serde_json::json!(1), serde_json::json!("Сценическое движение")));
    let all = b.call("/api/admin/courses", &[("query[sort]", "title")]).await.json();
    assert_eq!(all["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect::<Vec<_>>(), ["Старый курс", "Сценическое движение"], "т before ц");
}

async fn course_edits_respect_seats_and_tell_students(app: TestApp) {
    let c = app.course("Мастерская", 5, 7, 8).await;
    let mut students = Vec::new();
    for n in 0..3 {
        let (u, mut s) = app.signed_in(&format!("s{n}@example.ru"), "Ученик", Role::Student).await;
        let res = s.book(&c, "personal").await;
        assert!(res.ok(), "{}", res.body);
        students.push(u);
    }
    let mut b = office(&app).await;
    let id = c.id.to_string();
    let (start, end) = (c.term_start.to_string(), c.term_end.to_string());
    let form = course_form(&id, "Мастерская", "2", c.teacher_id, &start, &end);
    let res = send(&mut b, "/api/admin/courses/save", &form).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("Уже занято мест: 3"), "{}", res.body);

    let before = app.outbox().await.len();
    let res = send(&mut b, "/api/admin/courses/save", &set(&form, "course[capacity]", "6")).await;
    assert!(res.ok(), "{}", res.body);
    let letters: Vec<_> = app.outbox().await.into_iter().skip(before).collect();
    assert_eq!(letters.len(), 3, "one letter per enrolled student: the times changed");
    assert!(letters.iter().all(|m| m.subject == "Изменилось расписание курса"));

    // Saving again without changing times writes no letters.
    let before = app.outbox().await.len();
    assert!(send(&mut b, "/api/admin/courses/save", &set(&form, "course[capacity]", "7")).await.ok());
    assert_eq!(app.outbox().await.len(), before);
    let changes: serde_json::Value = serde_json::from_str(&audit_rows(&app).await.last().unwrap().changes).unwrap();
    assert_eq!(changes, serde_json::json!({"capacity": [6, 7]}));

    // Deleting: confirmation first; then requests cancelled, students told, course archived.
    let res = b.call("/api/admin/courses/remove", &[("id", &id)]).await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("confirm"));
    let before = app.outbox().await.len();
    assert!(b.call("/api/admin/courses/remove", &[("id", &id), ("confirm", "on")]).await.ok());
    let rows = app.enrollments_of(c.id).await;
    assert!(rows.iter().all(|e| e.status == kulisy::domain::EnrollmentStatus::Cancelled && e.reason.as_deref() == Some("Курс отменён школой.")));
    assert_eq!(app.outbox().await.len(), before + 3);
    assert!(!app.get("/courses").await.body.contains(">Мастерская</a>"), "gone from the schedule");
    assert_eq!(app.get(&format!("/courses/{id}")).await.status, 404);
    assert_eq!(audit_rows(&app).await.last().unwrap().action, "archive");
}

async fn a_new_teacher_sets_a_password_by_mail(app: TestApp) {
    let mut b = office(&app).await;
    let form = [("full_name", "Пётр Фоменко"), ("email", "fomenko@example.ru"), ("specialization", "Режиссура"), ("bio", "")];
    assert!(b.call("/api/admin/teachers/create", &form).await.ok());
    let again = b.call("/api/admin/teachers/create", &form).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("занят"));
    let bad = b.call("/api/admin/teachers/create", &[("full_name", ""), ("email", "не адрес"), ("specialization", ""), ("bio", "")]).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["Invalid"].as_array().unwrap().len(), 3);

    let u = app.user("fomenko@example.ru").await.unwrap();
    assert_eq!(u.role, Role::Teacher);
    assert_eq!(teacher::Entity::find().count(&app.state.db).await.unwrap(), 1);
    // No password works until the teacher chooses one.
    let mut t = app.browser();
    let refused = t.call("/api/account/login", &[("email", "fomenko@example.ru"), ("password", "")]).await;
    assert_eq!(refused.status, 409);
    let token = app.token_mailed_to("fomenko@example.ru", "/reset-password").await;
    let res = t.call("/api/account/reset", &[("token", &token), ("password", "Лес 2027 года"), ("password_confirm", "Лес 2027 года")]).await;
    assert!(res.ok(), "{}", res.body);
    t.login("fomenko@example.ru", "Лес 2027 года").await;
    assert_eq!(t.call("/api/teaching/desk", &[]).await.status, 200);
    let teacher_id = teacher::Entity::find().one(&app.state.db).await.unwrap().unwrap().id.to_string();
    let empty = b.call("/api/admin/teacher/update", &[("teacher_id", &teacher_id), ("specialization", ""), ("bio", "")]).await;
    assert_eq!(empty.status, 422);
    let ok = b.call("/api/admin/teacher/update", &[("teacher_id", &teacher_id), ("specialization", "Режиссура"), ("bio", "Мастер этюда.")]).await;
    assert!(ok.ok(), "{}", ok.body);
    assert!(app.page(&format!("/teachers/{teacher_id}")).await.body.contains("Мастер этюда."));
    let log = audit_rows(&app).await;
    assert_eq!(log.iter().map(|r| (r.action.as_str(), r.entity.as_str())).collect::<Vec<_>>(), [("create", "teacher"), ("update", "teacher")]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&log[1].changes).unwrap(), serde_json::json!({"bio": ["", "Мастер этюда."]}));
}

async fn the_office_edits_and_deletes_accounts_by_the_usual_rules(app: TestApp) {
    let mut b = office(&app).await;
    let (student, _) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    let id = student.id.to_string();
    let bad = b.call("/api/admin/person/update", &[("id", &id), ("full_name", " "), ("phone", "звоните"), ("contacts", ""), ("about", "")]).await;
    assert_eq!(bad.status, 422);
    let ok = b.call("/api/admin/person/update", &[("id", &id), ("full_name", "Ученица Вера"), ("phone", "+7 900 000-00-00"), ("contacts", ""), ("about", "")]).await;
    assert!(ok.ok(), "{}", ok.body);
    assert_eq!(app.user("s@example.ru").await.unwrap().full_name, "Ученица Вера");
    let found = b.call("/api/admin/people", &[("query[search]", "вера")]).await.json();
    assert_eq!(found["total"], 1, "the search key follows the new name");

    let c = app.course("Курс", 5, 7, 8).await;
    let teacher = app.user(&c.teacher_email).await.unwrap();
    let res = b.call("/api/admin/person/delete", &[("id", &teacher.id.to_string()), ("confirm", "on")]).await;
    assert_eq!(res.status, 409, "a teacher of a course stays: {}", res.body);
    assert_eq!(b.call("/api/admin/person/delete", &[("id", &id)]).await.status, 422, "needs the confirmation");
    assert!(b.call("/api/admin/person/delete", &[("id", &id), ("confirm", "on")]).await.ok());
    assert!(app.user("s@example.ru").await.is_none());
    let me = app.user("office@example.ru").await.unwrap();
    assert_eq!(b.call("/api/admin/person/delete", &[("id", &me.id.to_string()), ("confirm", "on")]).await.status, 409);
    let log = audit_rows(&app).await;
    assert_eq!(log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["update", "delete"]);
    let changes: serde_json::Value = serde_json::from_str(&log[0].changes).unwrap();
    assert_eq!(changes["full_name"], serde_json::json!(["Ученик", "Ученица Вера"]));
}

async fn shows_get_posters_by_the_rules_of_photos(app: TestApp) {
    use axum::{body::Body, http::Request};
    let mut b = office(&app).await;
    let when = (app.today() + chrono::Duration::days(10)).format("%Y-%m-%dT19:00").to_string();
    assert!(show_form(&mut b, "", "Чайка", &when).await.ok());
    let id = show::Entity::find().one(&app.state.db).await.unwrap().unwrap().id;
    let post = |bytes: &[u8]| {
        let (content_type, body) = common::multipart("photo", "poster.png", bytes);
        (Request::post(format!("/admin/shows/{id}/poster")).header("content-type", content_type), Body::from(body))
    };

    let (req, body) = post(b"<svg onload=alert(1)>");
    assert_eq!(b.send(req, body).await.status, 303);
    assert!(b.cookies.get("kulisy_flash").is_some_and(|f| f.starts_with("e.")), "an error is flashed");
    assert_eq!(show::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap().poster_key, None);

    let (_, mut student) = app.signed_in("s@example.ru", "Ученик", Role::Student).await;
    let (req, body) = post(&common::png_bytes(40, 60));
    assert_eq!(student.send(req, body).await.status, 403);

    let (req, body) = post(&common::png_bytes(1600, 2400));
    assert_eq!(b.send(req, body).await.status, 303);
    let key = show::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap().poster_key.expect("a poster");
    let image = app.get(&format!("/media/posters/{key}")).await;
    assert_eq!((image.status.as_u16(), image.header("content-type")), (200, "image/jpeg"));
    let afisha = app.get("/afisha").await;
    assert!(afisha.body.contains(&format!("src=\"/media/posters/{key}\"")) && afisha.body.contains("alt=\"Афиша спектакля «Чайка»\""));
    assert_eq!(audit_rows(&app).await.last().unwrap().changes, r#"{"poster":[false,true]}"#);

    assert!(b.call("/api/admin/shows/delete", &[("id", &id.to_string())]).await.ok());
    assert_eq!(app.get(&format!("/media/posters/{key}")).await.status, 404, "the poster went with its show");
    assert!(common::files_in(&app.state.config.data_dir.join("uploads/posters")).is_empty());
}

both_databases!(
    spawn,
    shows_get_posters_by_the_rules_of_photos,
    the_office_edits_and_deletes_accounts_by_the_usual_rules,
    a_new_teacher_sets_a_password_by_mail,
    courses_are_created_with_teachers_and_slots,
    course_edits_respect_seats_and_tell_students,
    only_the_office_may_use_office_functions,
    shows_are_created_checked_edited_and_deleted_with_an_audit_trail,
    deactivating_a_user_ends_their_sessions,
    roles_change_on_the_next_request,
    people_lists_are_paginated_and_searchable,
);
