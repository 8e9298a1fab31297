//! Who belongs to a family (issue #32): a teenager's own login and a second
//! guardian by e-mailed invitation (once, for 7 days), and the office's
//! links, unlinks and moves, audited without the notes.
#![cfg(feature = "ssr")]
mod common;
use common::{TestApp, family::{add_child, born, child}};
use kulisy::{
    domain::Role,
    server::{entities::audit_log, families},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn invitations_work_once_and_expire(app: TestApp) {
    use kulisy::server::entities::account_token;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Вера", &born(15, app.today()).to_string(), "").await.ok());
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "").await.ok());
    let (vera, misha) = (child(&app, &mother, "Вера").await, child(&app, &mother, "Миша").await);
    let invite = |id: i32, email: &'static str| [("child", id.to_string()), ("email", email.to_string())];
    let young = b.submit("/api/family/invite-child", &invite(misha.id, "misha@example.ru")).await;
    assert!(young.status == 422 && young.body.contains("с 14 лет"), "{}", young.body);
    let taken = b.submit("/api/family/invite-child", &invite(vera.id, "mother@example.ru")).await;
    assert!(taken.status == 422 && taken.body.contains("уже есть учётная запись"), "{}", taken.body);
    assert!(b.submit("/api/family/invite-child", &invite(vera.id, "teen@example.ru")).await.ok());
    let token = app.token_mailed_to("teen@example.ru", "family/join").await;

    let mut teen = app.browser();
    let join = |password: &'static str, confirm: &'static str| [("token", token.clone()), ("password", password.into()), ("password_confirm", confirm.into())];
    assert_eq!(teen.submit("/api/family/child-login", &join("vera-secret-1", "другой")).await.status, 422);
    assert!(teen.submit("/api/family/child-login", &join("vera-secret-1", "vera-secret-1")).await.ok());
    assert_eq!(teen.submit("/api/family/child-login", &join("vera-secret-2", "vera-secret-2")).await.status, 410, "works once");
    teen.login("teen@example.ru", "vera-secret-1").await;
    let hers = teen.call("/api/family", &[]).await.json();
    assert_eq!(hers["as_child"], true);
    assert!(b.call("/api/family", &[]).await.json()["children"].as_array().unwrap().iter().any(|c| c["login"] == "teen@example.ru"));

    // The other parent: invited by address, accepts signed in with it.
    assert!(b.call("/api/family/invite-guardian", &[("email", "father@example.ru")]).await.ok());
    let token = app.token_mailed_to("father@example.ru", "family/accept").await;
    let (_, mut stranger) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    assert_eq!(stranger.call("/api/family/accept", &[("token", &token)]).await.status, 409, "another address");
    let (_, mut dad) = app.signed_in("father@example.ru", "Олег Морозов", Role::Student).await;
    assert!(dad.call("/api/family/accept", &[("token", &token)]).await.ok(), "the refusal above spent nothing");
    assert_eq!(dad.call("/api/family/accept", &[("token", &token)]).await.status, 410);
    assert_eq!(dad.call("/api/family", &[]).await.json()["children"].as_array().unwrap().len(), 2);
    assert_eq!(families::guardians_of(&app.state.db, misha.id).await.unwrap().len(), 2);

    // An invitation a week old is dead.
    assert!(b.call("/api/family/invite-guardian", &[("email", "grandma@example.ru")]).await.ok());
    let token = app.token_mailed_to("grandma@example.ru", "family/accept").await;
    account_token::Entity::update_many()
        .col_expr(account_token::Column::ExpiresAt, sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)))
        .exec(&app.state.db)
        .await
        .unwrap();
    let (_, mut grandma) = app.signed_in("grandma@example.ru", "Бабушка", Role::Student).await;
    assert_eq!(grandma.call("/api/family/accept", &[("token", &token)]).await.status, 410);
}


async fn the_office_links_unlinks_and_moves_children(app: TestApp) {
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Вера", &born(15, app.today()).to_string(), "Астма: ингалятор в рюкзаке").await.ok());
    let vera = child(&app, &mother, "Вера").await;
    let (father, _) = app.signed_in("father@example.ru", "Олег Морозов", Role::Student).await;
    let (grandma, _) = app.signed_in("grandma@example.ru", "Нина Морозова", Role::Student).await;
    let family = families::family_guarded_by(&app.state.db, mother.id).await.unwrap().unwrap().to_string();

    // Only the office: not a guardian, not the teenager herself.
    for path in ["/api/admin/family/link", "/api/admin/family/unlink", "/api/admin/family/move"] {
        let form = [("family", family.as_str()), ("guardian", &mother.id.to_string()), ("child", &vera.id.to_string()), ("email", "father@example.ru")];
        assert_eq!(b.call(path, &form).await.status, 403, "{path}");
    }
    let (_, mut office) = app.signed_in("office@example.ru", "Ольга Белова", Role::Admin).await;
    let page = office.call("/api/admin/person", &[("id", &vera.id.to_string())]).await.json();
    assert_eq!(page["family"]["guardians"][0]["email"], "mother@example.ru");
    assert_eq!(page["family"]["children"][0]["teacher_notes"], "Астма: ингалятор в рюкзаке");

    let link = |email: &'static str| [("family", family.clone()), ("email", email.to_string())];
    let unknown = office.submit("/api/admin/family/link", &link("nobody@example.ru")).await;
    assert!(unknown.status == 422 && unknown.body.contains("зарегистрируется"), "{}", unknown.body);
    assert!(office.submit("/api/admin/family/link", &link("father@example.ru")).await.ok());
    let twice = office.submit("/api/admin/family/link", &link("father@example.ru")).await;
    assert!(twice.status == 422 && twice.body.contains("уже состоит в семье"), "{}", twice.body);
    assert_eq!(families::guardians_of(&app.state.db, vera.id).await.unwrap().len(), 2);

    // The last guardian stays; the other may go.
    assert!(office.submit("/api/admin/family/unlink", &[("guardian", father.id.to_string())]).await.ok());
    let last = office.submit("/api/admin/family/unlink", &[("guardian", mother.id.to_string())]).await;
    assert!(last.status == 409 && last.body.contains("единственный представитель"), "{}", last.body);

    // Moved to the grandmother, who had no family: one is made for her.
    let to = |email: &'static str| [("child", vera.id.to_string()), ("email", email.to_string())];
    let own = office.submit("/api/admin/family/move", &to("mother@example.ru")).await;
    assert!(own.status == 422 && own.body.contains("уже в семье"), "{}", own.body);
    assert!(office.submit("/api/admin/family/move", &to("grandma@example.ru")).await.ok());
    let guardians: Vec<i32> = families::guardians_of(&app.state.db, vera.id).await.unwrap().iter().map(|g| g.id).collect();
    assert_eq!(guardians, vec![grandma.id]);
    assert!(b.call("/api/family", &[]).await.json()["children"].as_array().unwrap().is_empty());

    let rows = audit_log::Entity::find().filter(audit_log::Column::Action.starts_with("family.")).all(&app.state.db).await.unwrap();
    for action in ["family.guardian_linked", "family.guardian_unlinked", "family.child_moved"] {
        assert!(rows.iter().any(|r| r.action == action), "{action} is audited");
    }
    assert!(rows.iter().all(|r| !r.changes.to_string().contains("Астма")), "never the notes");
}


both_databases!(
    spawn,
    invitations_work_once_and_expire,
    the_office_links_unlinks_and_moves_children,
);
