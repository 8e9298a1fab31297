//! Who may call what: every server function of the app is listed here with
//! its audience, and each is called as every person it must refuse. A new
//! server function fails this test until it is given its audience.
#![cfg(feature = "ssr")]
mod common;
use axum::{body::Body, http::Request};
use common::TestApp;
use kulisy::{
    domain::{CourseId, Role},
    error::AppError,
    admin::service as admin,
    server::{guards::{Office, Student, TeacherScope}, mail::Addressee},
};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in; what a role may do is decided further in.
    SignedIn,
    Students,
    /// Teachers only (their own public profile).
    Teachers,
    /// Teachers (their courses) and the office (all).
    Staff,
    Office,
}
use Audience::*;

const AUDIENCES: &[(&str, Audience)] = &[
    ("account/register", Public),
    ("account/confirm-email", Public),
    ("account/confirm-email/resend", Public),
    ("account/login", Public),
    ("account/login/code", Public),
    ("account/logout", Public),
    ("account/forgot", Public),
    ("account/reset", Public),
    ("account/confirm-email-change", Public),
    ("account/viewer", Public),
    ("privacy", Public),
    ("flash/take", Public),
    ("school", Public),
    ("home", Public),
    ("shows/upcoming", Public),
    ("shows/get", Public),
    ("courses/schedule", Public),
    ("courses/get", Public),
    ("teachers/get", Public),
    ("enrollments/seats", Public),
    ("reviews/published", Public),
    ("portfolio/public", Public),
    ("account/mfa/start", SignedIn),
    ("account/mfa/confirm", SignedIn),
    ("account/mfa/disable", SignedIn),
    ("account/profile", SignedIn),
    ("account/profile/update", SignedIn),
    ("account/password", SignedIn),
    ("account/email", SignedIn),
    ("account/avatar/remove", SignedIn),
    ("account/delete", SignedIn),
    ("enrollments/draft", SignedIn),
    ("enrollments/enroll", SignedIn),
    ("enrollments/mine", SignedIn),
    ("enrollments/cancel", Students),
    ("enrollments/answer", SignedIn),
    ("enrollments/feed", SignedIn),
    ("family", Students),
    ("family/add", Students),
    ("family/update", Students),
    ("family/remove", Students),
    ("family/invite-child", Students),
    ("family/invite-guardian", Students),
    ("family/accept", Students),
    ("family/child-login", Public),
    ("reviews/mine", Students),
    ("reviews/save", Students),
    ("portfolio/mine", Students),
    ("portfolio/update", Students),
    ("portfolio/delete", Students),
    ("portfolio/move", Students),
    ("teaching/profile/update", Teachers),
    ("teaching/desk", Staff),
    ("teaching/roster", Staff),
    ("teaching/decide", Staff),
    ("teaching/attendance", Staff),
    ("teaching/attendance/session", Staff),
    ("teaching/makeup/mark", Staff),
    ("teaching/student", Staff),
    ("admin/dashboard", Office),
    ("admin/settings/mfa", Office),
    ("admin/settings/privacy", Office),
    ("admin/settings/school", Office),
    ("admin/person/mfa-reset", Office),
    ("admin/people", Office),
    ("admin/people/active", Office),
    ("admin/people/role", Office),
    ("admin/teachers/create", Office),
    ("admin/person", Office),
    ("admin/person/update", Office),
    ("admin/teacher/update", Office),
    ("admin/person/delete", Office),
    ("admin/family/link", Office),
    ("admin/family/unlink", Office),
    ("admin/family/move", Office),
    ("admin/shows", Office),
    ("admin/shows/save", Office),
    ("admin/shows/delete", Office),
    ("admin/audit", Office),
    ("admin/courses", Office),
    ("admin/courses/editor", Office),
    ("admin/courses/save", Office),
    ("admin/courses/remove", Office),
    ("passes/pricing", Office),
    ("passes/prices", Office),
    ("passes/types/add", Office),
    ("passes/types/on-sale", Office),
    ("passes/sell", Office),
    ("passes/confirm", Office),
    ("passes/freeze", Office),
    ("passes/freeze-course", Office),
    ("passes/mine", Students),
    ("passes/request", Students),
    ("passes/absence", Students),
    ("passes/makeup", Students),
    ("passes/rules", Office),
    ("passes/rules/save", Office),
    ("passes/office", Office),
    ("payments/bank", Office),
    ("payments/bank/save", Office),
    ("payments/mine", Students),
    ("payments/invoice", Students),
    ("payments/office/invoice", Office),
    ("payments/office/account", Office),
    ("payments/office/owed", Office),
    ("payments/record", Office),
    ("payments/refund", Office),
    ("payments/invoice/cancel", Office),
    ("payments/invoice/issue", Office),
    ("payments/reports", Office),
    ("payments/payroll", Office),
    ("payments/payroll/rate", Office),
    ("payments/payroll/mine", Teachers),
    ("reviews/queue", Office),
    ("reviews/moderate", Office),
];

/// One value for every argument any server function takes, each of a form
/// its type accepts: the request is parsed, so what answers is the guard.
const EVERY_ARGUMENT: &[(&str, &str)] = &[
    ("id", "1"), ("course_id", "1"), ("enrollment_id", "1"), ("teacher_id", "1"),
    ("active", "true"), ("present", "true"), ("role", "teacher"), ("decision", "confirm"),
    ("action", "publish"), ("format", "personal"), ("status", "pending"), ("about", "course"),
    ("required", "on"), ("policy", "П"), ("full_name", "Имя"), ("email", "x@example.ru"),
    ("specialization", "С"), ("bio", "Б"), ("phone", "1"), ("contacts", "к"), ("confirm", "on"),
    ("title", "Т"), ("starts_at", "2030-01-01T19:00"), ("venue", "В"), ("description", "О"),
    ("date", "2026-01-05"), ("reason", "П"), ("rating", "5"), ("body", "Т"), ("answer", "accept"),
    ("change", "renew"), ("token", "t"), ("password", "p"), ("password_confirm", "p"), ("code", "1"),
    ("current_password", "p"), ("new_password", "p"), ("email_password", "p"),
    ("new_email", "y@example.ru"), ("delete_password", "p"), ("occurred_on", ""), ("visibility", "on"),
    ("direction", "up"), ("name", "Ш"), ("address", "А"), ("map_url", ""), ("social", ""),
    ("partner_email", ""), ("period_start", ""), ("period_end", ""),
    ("lesson_price", "1"), ("trial_price", "0"), ("lessons", "8"), ("valid_days", "30"), ("price", "1"),
    ("student", "1"), ("pass_type", "1"), ("valid_from", ""), ("key", "k"), ("from", ""), ("until", ""),
    ("on_sale", "on"), ("marked[0]", "1"), ("credit", "1"), ("lesson", "1:2026-01-05"),
    ("month", ""), ("payee", "П"), ("inn", "1"), ("kpp", ""), ("account", "1"), ("bank_name", "Б"), ("bic", "1"),
    ("correspondent_account", "1"), ("invoice", "1"), ("amount", "1"), ("paid_on", ""), ("method", "cash"),
    ("receipt_number", "1"), ("entry", "1"), ("to", ""), ("teacher", "1"), ("due_on", ""), ("basis", "lesson"), ("rate", "1"), ("person", "1"), ("absence_written_off", "on"), ("notice_hours", "12"), ("makeup_days", "30"),
    ("child", "1"), ("birth_date", ""), ("teacher_notes", ""), ("photos", "on"), ("member", ""),
    ("choice[member]", ""), ("family", "1"), ("guardian", "1"), ("partner_member", ""), ("choice[partner_member]", ""), ("course[age_min]", ""), ("course[age_max]", ""),
    ("choice[teacher_id]", ""), ("choice[format]", ""), ("choice[partner_email]", ""),
    ("choice[period_start]", ""), ("choice[period_end]", ""),
    ("course[title]", "Т"), ("course[description]", ""), ("course[capacity]", "1"),
    ("course[term_start]", ""), ("course[term_end]", ""), ("course[teachers][0]", "1"),
    ("course[slots][0][weekday]", ""), ("course[slots][0][starts_at]", ""),
    ("course[slots][0][minutes]", ""), ("course[slots][0][room]", ""),
];

/// Who each audience turns away, and with what.
fn refused(audience: Audience) -> &'static [(Option<Role>, u16)] {
    const VISITOR: (Option<Role>, u16) = (None, 401);
    match audience {
        Public => &[],
        SignedIn => &[VISITOR],
        Students => &[VISITOR, (Some(Role::Teacher), 403), (Some(Role::Admin), 403)],
        Teachers => &[VISITOR, (Some(Role::Student), 403), (Some(Role::Admin), 403)],
        Staff => &[VISITOR, (Some(Role::Student), 403)],
        Office => &[VISITOR, (Some(Role::Student), 403), (Some(Role::Teacher), 403)],
    }
}

async fn every_server_function_refuses_those_it_is_not_for(app: TestApp) {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let listed: BTreeSet<String> = AUDIENCES.iter().map(|(path, _)| path.to_string()).collect();
    let unlisted: Vec<_> = registered.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&registered).collect();
    assert!(unlisted.is_empty() && gone.is_empty(), "give these an audience: {unlisted:?}; these are gone: {gone:?}");

    let mut people = Vec::new();
    for role in [Role::Student, Role::Teacher, Role::Admin] {
        let (_, browser) = app.signed_in(&format!("{role:?}@example.ru").to_lowercase(), "Кто-то", role).await;
        people.push((Some(role), browser));
    }
    people.push((None, app.browser()));
    for (path, audience) in AUDIENCES {
        for (who, status) in refused(*audience) {
            let browser = &mut people.iter_mut().find(|(role, _)| role == who).expect("everyone is here").1;
            let res = browser.call(&format!("/api/{path}"), EVERY_ARGUMENT).await;
            assert_eq!(res.status.as_u16(), *status, "{path} called by {who:?}: {}", res.body);
        }
    }
    // Nothing the refused calls asked for happened.
    assert!(app.outbox().await.is_empty(), "no letter went out");
    for u in ["student@example.ru", "teacher@example.ru", "admin@example.ru"] {
        let u = app.user(u).await.expect("no account was deleted");
        assert!(u.is_active);
    }
}

/// The office's services take an `Office`, made only by its check: the role,
/// and the sign-in codes the school may require of staff. The same check
/// guards the office's paths that are not server functions (a poster upload).
async fn the_office_is_only_who_passes_its_check(app: TestApp) {
    let (teacher, _) = app.signed_in("teacher@example.ru", "Педагог", Role::Teacher).await;
    assert_eq!(Office::check(&app.state.db, &teacher).await.unwrap_err(), AppError::Forbidden);
    let (head, _) = app.signed_in("head@example.ru", "Завуч", Role::Admin).await;
    let office = Office::check(&app.state.db, &head).await.unwrap();
    assert_eq!((office.id, office.role, office.name.as_str()), (head.id, Role::Admin, "Завуч"));

    admin::set_staff_mfa(&app.state.db, &office, true).await.unwrap();
    let (newcomer, mut browser) = app.signed_in("new@example.ru", "Новый завуч", Role::Admin).await;
    assert!(matches!(Office::check(&app.state.db, &newcomer).await, Err(AppError::Conflict(_))), "codes first");
    assert_eq!(browser.call("/api/admin/dashboard", &[]).await.status, 409);
    let (content_type, body) = common::multipart("photo", "poster.png", &common::png_bytes(40, 60));
    let upload = Request::post("/admin/shows/1/poster").header("content-type", content_type);
    assert_eq!(browser.send(upload, Body::from(body)).await.status, 403, "the poster upload asks the same");
}

/// A teacher's services take a `TeacherScope`: a teacher reaches the
/// courses they teach, the office every course, nobody else any.
async fn a_teacher_scope_covers_only_the_courses_taught(app: TestApp) {
    let (mine, other) = (app.course("Сценречь", 4, 1, 8).await, app.course("Вокал", 4, 1, 8).await);
    let teacher = app.user(&mine.teacher_email).await.unwrap();
    let scope = TeacherScope::check(&app.state.db, &teacher).await.unwrap();
    assert_eq!((scope.id, scope.role), (teacher.id, Role::Teacher));
    assert!(scope.covers(CourseId(mine.id)) && !scope.covers(CourseId(other.id)));

    let (head, _) = app.signed_in("head@example.ru", "Завуч", Role::Admin).await;
    let office = TeacherScope::check(&app.state.db, &head).await.unwrap();
    assert!(office.covers(CourseId(mine.id)) && office.covers(CourseId(other.id)) && office.taught().is_none());

    let (student, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    assert_eq!(TeacherScope::check(&app.state.db, &student).await.unwrap_err(), AppError::Forbidden);
    // A teacher's account without its teacher profile (half made by hand) reaches nothing.
    let (bare, _) = app.signed_in("bare@example.ru", "Без профиля", Role::Teacher).await;
    assert_eq!(TeacherScope::check(&app.state.db, &bare).await.unwrap_err(), AppError::Forbidden);
}

/// A student's services take a `Student`: only a student's account makes
/// one, carrying the address their letters go to. Staff are refused, also on
/// the portfolio's upload path (not a server function) and, with a sentence
/// saying why, in the enrollment wizard.
async fn a_student_is_only_a_student_account(app: TestApp) {
    let (anna, _) = app.signed_in("anna@example.ru", "Анна", Role::Student).await;
    let student = Student::check(&anna).unwrap();
    assert_eq!((student.id, student.role, student.name.as_str()), (anna.id, Role::Student, "Анна"));
    assert_eq!(student.address(), "anna@example.ru");
    for role in [Role::Teacher, Role::Admin] {
        let (staff, mut browser) = app.signed_in(&format!("{role:?}@example.ru").to_lowercase(), "Сотрудник", role).await;
        assert_eq!(Student::check(&staff).unwrap_err(), AppError::Forbidden);
        assert!(matches!(kulisy::enrollment::service::booking_student(&staff), Err(AppError::Conflict(_))));
        let (content_type, body) = common::multipart("file", "photo.png", &common::png_bytes(40, 60));
        let upload = Request::post("/my/portfolio/items").header("content-type", content_type)
            .header(kulisy::portfolio::wire::SCRIPTED_UPLOAD_HEADER, "1");
        assert_eq!(browser.send(upload, Body::from(body)).await.status, 403, "{role:?} uploads to a portfolio");
    }
}

/// Acting for a family member takes an `ActingFor`, made only by its check
/// from the id a form sent: oneself, or a child under 18 of the family one
/// is a guardian of — never anyone else's.
async fn acting_for_is_only_oneself_or_ones_own_child(app: TestApp) {
    use kulisy::{domain::UserId, server::{entities::{family, family_child, family_guardian}, families, guards::ActingFor}};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let db = &app.state.db;
    let today = app.today();
    let (mother, _) = app.signed_in("mother@example.ru", "Мама", Role::Student).await;
    let (stranger, _) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    let now = chrono::Utc::now();
    let f = family::ActiveModel { created_at: Set(now), ..Default::default() }.insert(db).await.unwrap();
    family_guardian::ActiveModel { family_id: Set(f.id), user_id: Set(mother.id), created_at: Set(now), ..Default::default() }.insert(db).await.unwrap();
    let mut kids = Vec::new();
    for years in [9, 18] {
        let birth = today.checked_sub_months(chrono::Months::new(12 * years)).unwrap();
        let kid = families::new_child_account(format!("Ребёнок {years}"), birth).insert(db).await.unwrap();
        family_child::ActiveModel {
            family_id: Set(f.id), child_id: Set(kid.id), consented_at: Set(now), policy_version: Set("v".into()),
            created_at: Set(now), ..Default::default()
        }.insert(db).await.unwrap();
        kids.push(kid);
    }
    let guardian = Student::check(&mother).unwrap();
    let me = ActingFor::check(db, &guardian, None, today).await.unwrap();
    assert_eq!((me.id, me.for_child()), (mother.id, false));
    let same = ActingFor::check(db, &guardian, Some(UserId(mother.id)), today).await.unwrap();
    assert_eq!((same.id, same.for_child()), (mother.id, false));
    let child = ActingFor::check(db, &guardian, Some(UserId(kids[0].id)), today).await.unwrap();
    assert_eq!((child.id, child.by().id, child.for_child(), child.birth_date()), (kids[0].id, mother.id, true, kids[0].birth_date));
    // Someone else, and a child who turned 18 today, are nobody's to act for.
    for other in [stranger.id, kids[1].id, 999_999] {
        assert_eq!(ActingFor::check(db, &guardian, Some(UserId(other)), today).await.unwrap_err(), AppError::Forbidden, "{other}");
    }
    let outsider = Student::check(&stranger).unwrap();
    assert_eq!(ActingFor::check(db, &outsider, Some(UserId(kids[0].id)), today).await.unwrap_err(), AppError::Forbidden);
}

both_databases!(
    spawn,
    acting_for_is_only_oneself_or_ones_own_child,
    every_server_function_refuses_those_it_is_not_for,
    the_office_is_only_who_passes_its_check,
    a_teacher_scope_covers_only_the_courses_taught,
    a_student_is_only_a_student_account,
);
