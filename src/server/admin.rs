//! The office's rules: people (accounts, roles), shows, and the audit log
//! that every change here writes in its own transaction.
use super::{
    auth,
    entities::{audit_log, course_teacher, show, teacher, user},
};
use super::search::{contains_pattern, search_words};
use crate::{
    admin::wire::{AuditEntry, AuditQuery, PAGE_SIZE, Page, PeopleQuery, PersonRow, ShowForm, ShowRow, page_count},
    domain::{Role, school::{School, SchoolForm}, text::{self, Lines}},
    error::{AppError, FieldError},
};
use chrono::{NaiveDateTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::{Map, Value, json};

/// Writes one audit row: who did `action` to which record, and the fields
/// that changed as `{"field": [before, after]}`.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &user::Model,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    changes: Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        actor_id: Set(Some(actor.id)),
        action: Set(action.into()),
        entity: Set(entity.into()),
        entity_id: Set(entity_id),
        changes: Set(changes.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The fields whose values differ between two JSON objects, as
/// `{"field": [before, after]}`. Fields only in `after` count as changed.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let (b, a) = (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut out = Map::new();
    for (key, new) in a {
        let old = b.get(key).unwrap_or(&Value::Null);
        if old != new {
            out.insert(key.clone(), json!([old, new]));
        }
    }
    Value::Object(out)
}

/// One page of accounts, searched by name or e-mail, filtered by role.
pub async fn people(db: &DatabaseConnection, q: &PeopleQuery) -> Result<Page<PersonRow>, AppError> {
    let mut query = user::Entity::find();
    if let Some(role) = q.role {
        query = query.filter(user::Column::Role.eq(role));
    }
    let needle = search_words(&q.search)?;
    if !needle.is_empty() {
        query = query.filter(
            Expr::col(user::Column::SearchKey).like(sea_orm::sea_query::LikeExpr::new(contains_pattern(&needle)).escape('\\')),
        );
    }
    let total = query.clone().count(db).await?;
    query = match q.sort.as_str() {
        "newest" => query.order_by_desc(user::Column::CreatedAt),
        "email" => query.order_by_asc(user::Column::Email),
        _ => query.order_by_asc(user::Column::FullName),
    };
    let page = q.page.clamp(1, page_count(total));
    let rows = query.order_by_asc(user::Column::Id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE).all(db).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|u| PersonRow {
                id: u.id,
                full_name: u.full_name,
                email: u.email,
                phone: u.phone.unwrap_or_default(),
                role: u.role,
                active: u.is_active,
                created_at: u.created_at,
            })
            .collect(),
        page,
        pages: page_count(total),
        total,
    })
}

fn account_json(u: &user::Model) -> Value {
    json!({ "role": u.role, "is_active": u.is_active })
}

/// Deactivates (every session ends at once) or reactivates an account.
pub async fn set_active(db: &DatabaseConnection, actor: &user::Model, id: i32, active: bool) -> Result<(), AppError> {
    if actor.id == id {
        return Err(AppError::Conflict("Свою учётную запись отключить нельзя.".into()));
    }
    let txn = super::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = account_json(&u);
    let mut row: user::ActiveModel = u.clone().into();
    row.is_active = Set(active);
    // A new epoch invalidates every session, even ones being used right now.
    row.session_epoch = Set(u.session_epoch + 1);
    row.updated_at = Set(Utc::now());
    let u = row.update(&txn).await?;
    auth::end_sessions_of(&txn, id, None).await?;
    record(&txn, actor, if active { "reactivate" } else { "deactivate" }, "user", Some(id), diff(&before, &account_json(&u))).await?;
    txn.commit().await?;
    Ok(())
}

/// Gives an account another role; it applies from the user's next request.
pub async fn set_role(db: &DatabaseConnection, actor: &user::Model, id: i32, role: Role) -> Result<(), AppError> {
    if actor.id == id {
        return Err(AppError::Conflict("Свою роль изменить нельзя: попросите другого администратора.".into()));
    }
    let txn = super::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if u.role == role {
        return Ok(());
    }
    let profile = teacher::Entity::find().filter(teacher::Column::UserId.eq(id)).one(&txn).await?;
    if u.role == Role::Teacher
        && let Some(t) = &profile
        && course_teacher::Entity::find().filter(course_teacher::Column::TeacherId.eq(t.id)).count(&txn).await? > 0
    {
        return Err(AppError::Conflict("Этот педагог ведёт курсы: сначала замените его на них.".into()));
    }
    if role == Role::Teacher && profile.is_none() {
        // A teacher needs a public profile; they fill it in themselves.
        let now = Utc::now();
        teacher::ActiveModel {
            user_id: Set(id),
            specialization: Set("Педагог".into()),
            bio: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let before = account_json(&u);
    let mut row: user::ActiveModel = u.into();
    row.role = Set(role);
    row.updated_at = Set(Utc::now());
    let u = row.update(&txn).await?;
    record(&txn, actor, "change_role", "user", Some(id), diff(&before, &account_json(&u))).await?;
    txn.commit().await?;
    Ok(())
}

/// A new teacher: an account without a usable password, a public profile,
/// and a letter with a link to choose the password.
pub async fn create_teacher(
    db: &DatabaseConnection,
    site: &url::Url,
    actor: &user::Model,
    form: &crate::admin::wire::NewTeacher,
) -> Result<i32, AppError> {
    use crate::domain::{Email, account};
    let mut problems = Vec::new();
    let mut field = |name: &str, result: Result<String, &'static str>| {
        result.map_err(|m| problems.push(FieldError { field: name.into(), message: m.into() })).ok()
    };
    let name = field("full_name", account::clean_name(&form.full_name));
    let email = field("email", Email::parse(&form.email).map(|e| e.to_string()));
    let specialization = field("specialization", super::teaching::clean_specialization(&form.specialization));
    let bio = field("bio", super::teaching::clean_bio(&form.bio));
    let (Some(name), Some(email), Some(specialization), Some(bio)) = (name, email, specialization, bio) else {
        return Err(AppError::Invalid(problems));
    };
    let email = Email::parse(&email).expect("checked");
    let txn = super::db::write(db).await?;
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&txn).await?.is_some() {
        return Err(AppError::field("email", "Этот адрес уже занят: смените роль существующей учётной записи."));
    }
    // No password works until the teacher chooses one by the e-mailed link.
    let unusable = format!("!{}", super::crypto::random_token());
    let u = super::accounts::new_user(&email, unusable, Role::Teacher, name, true).insert(&txn).await?;
    let now = Utc::now();
    let t = teacher::ActiveModel {
        user_id: Set(u.id),
        specialization: Set(specialization.clone()),
        bio: Set(bio),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let token = super::tokens::issue(&txn, &u, super::tokens::Purpose::ResetPassword, None).await?;
    let school = super::settings::school(&txn).await?.name;
    super::mail::enqueue(&txn, super::mail::compose(
        &u.email, &u.full_name, &format!("Добро пожаловать в школу «{school}»"),
        &[&format!("Вас добавили педагогом театральной школы «{school}»."),
          "Придумайте пароль по ссылке ниже — она действует час. Если она устарела, нажмите «Забыли пароль?» на странице входа."],
        Some(("Задать пароль", &super::links::with_token(site, "reset-password", &token))),
    )).await?;
    record(&txn, actor, "create", "teacher", Some(t.id), json!({ "full_name": [null, u.full_name], "email": [null, u.email], "specialization": [null, specialization] })).await?;
    txn.commit().await?;
    Ok(t.id)
}

fn profile_json(u: &user::Model) -> Value {
    json!({ "full_name": u.full_name, "phone": u.phone, "contacts": u.contacts, "about": u.about })
}

/// One person for the office: contact data and, for a teacher, the profile.
pub async fn person(db: &DatabaseConnection, id: i32) -> Result<crate::admin::wire::PersonDetail, AppError> {
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let teacher = teacher::Entity::find().filter(teacher::Column::UserId.eq(id)).one(db).await?;
    let mfa_enabled = super::mfa::is_enabled(&u);
    Ok(crate::admin::wire::PersonDetail {
        row: PersonRow {
            id: u.id,
            full_name: u.full_name.clone(),
            email: u.email.clone(),
            phone: u.phone.clone().unwrap_or_default(),
            role: u.role,
            active: u.is_active,
            created_at: u.created_at,
        },
        contacts: u.contacts.unwrap_or_default(),
        about: u.about.unwrap_or_default(),
        teacher: teacher.map(|t| crate::teaching::wire::TeacherProfile { id: t.id, specialization: t.specialization, bio: t.bio }),
        mfa_enabled,
    })
}

/// The school's rule on sign-in codes for staff.
pub async fn set_staff_mfa(db: &DatabaseConnection, actor: &user::Model, on: bool) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
    let before = super::mfa::staff_must_use_codes(&txn).await?;
    super::mfa::set_staff_must_use_codes(&txn, on).await?;
    record(&txn, actor, "update", "setting", None, json!({ "staff_mfa_required": [before, on] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the privacy policy that registration links to, on the record.
pub async fn set_privacy_policy(db: &DatabaseConnection, actor: &user::Model, raw: &str) -> Result<(), AppError> {
    const MISSING: &str = "Напишите текст политики: без него регистрация невозможна.";
    let policy = text::required(raw, 20_000, Lines::Many, MISSING, "Текст слишком длинный: не больше 20 000 символов.")
        .map_err(|m| AppError::field("policy", m))?;
    let txn = super::db::write(db).await?;
    let before = super::settings::privacy_policy(&txn).await?;
    super::settings::put(&txn, super::settings::PRIVACY_POLICY, &policy).await?;
    record(&txn, actor, "update", "setting", None, json!({ "privacy_policy": [before, policy] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the school's details; every bad field is named.
pub async fn set_school(db: &DatabaseConnection, actor: &user::Model, form: &SchoolForm) -> Result<(), AppError> {
    let school = School::parse(form).map_err(AppError::fields)?;
    let txn = super::db::write(db).await?;
    let before = super::settings::school(&txn).await?;
    let json = serde_json::to_string(&school).map_err(|_| AppError::Internal)?;
    super::settings::put(&txn, super::settings::SCHOOL, &json).await?;
    record(&txn, actor, "update", "setting", None, json!({ "school": [before, school] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Turns off a person's sign-in codes and recovery codes.
pub async fn reset_mfa(db: &DatabaseConnection, actor: &user::Model, id: i32) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    super::mfa::reset(&txn, u.id).await?;
    record(&txn, actor, "mfa_reset", "user", Some(u.id), json!({ "mfa": [super::mfa::is_enabled(&u), false] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Edits someone's profile data with the rules of the profile page.
pub async fn update_person(
    db: &DatabaseConnection,
    actor: &user::Model,
    id: i32,
    update: super::accounts::ProfileUpdate,
) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let saved = super::accounts::update_profile(&txn, &u, update).await?;
    record(&txn, actor, "update", "user", Some(id), diff(&profile_json(&u), &profile_json(&saved))).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes someone's account with the rules of self-deletion (requests
/// cancelled, history anonymised, teachers of courses and the last admin
/// kept). Returns the files to remove.
pub async fn delete_person(
    db: &DatabaseConnection,
    site: &url::Url,
    actor: &user::Model,
    id: i32,
    today: chrono::NaiveDate,
) -> Result<Vec<super::storage::StoredFile>, AppError> {
    if actor.id == id {
        return Err(AppError::Conflict("Свою учётную запись удаляют на странице профиля.".into()));
    }
    let txn = super::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let files = super::accounts::delete_account(&txn, site, &u, today).await?;
    record(&txn, actor, "delete", "user", Some(id), json!({ "full_name": [u.full_name, null], "email": [u.email, null], "role": [u.role, null] })).await?;
    txn.commit().await?;
    Ok(files)
}

/// The office edits a teacher's public profile.
pub async fn update_teacher_profile(
    db: &DatabaseConnection,
    actor: &user::Model,
    teacher_id: i32,
    specialization: &str,
    bio: &str,
) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
    let t = teacher::Entity::find_by_id(teacher_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = json!({ "specialization": t.specialization, "bio": t.bio });
    let saved = super::teaching::save_profile(&txn, t, specialization, bio).await?;
    record(&txn, actor, "update", "teacher", Some(teacher_id), diff(&before, &json!({ "specialization": saved.specialization, "bio": saved.bio })))
        .await?;
    txn.commit().await?;
    Ok(())
}

fn show_json(s: &show::Model) -> Value {
    json!({ "title": s.title, "starts_at": s.starts_at, "venue": s.venue, "description": s.description })
}

/// Checks a show form; the time is local to the school.
fn check_show(form: &ShowForm, tz: chrono_tz::Tz) -> Result<(String, chrono::DateTime<Utc>, String, String), AppError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: &str| problems.push(FieldError { field: field.into(), message: message.into() });
    const TITLE: &str = "Укажите название — до 200 символов.";
    const VENUE: &str = "Укажите место — до 200 символов.";
    let title = text::required(&form.title, 200, Lines::One, TITLE, TITLE).map_err(|m| problem("title", m)).unwrap_or_default();
    let venue = text::required(&form.venue, 200, Lines::One, VENUE, VENUE).map_err(|m| problem("venue", m)).unwrap_or_default();
    let description = text::clean(&form.description, 5000, Lines::Many)
        .map_err(|p| problem("description", p.or_too_long("Описание — не длиннее 5000 символов.")))
        .unwrap_or_default();
    let starts_at = NaiveDateTime::parse_from_str(form.starts_at.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|local| tz.from_local_datetime(&local).earliest())
        .map(|t| t.with_timezone(&Utc));
    if starts_at.is_none() {
        problem("starts_at", "Укажите дату и время начала.");
    }
    match starts_at {
        Some(starts_at) if problems.is_empty() => Ok((title, starts_at, venue, description)),
        _ => Err(AppError::Invalid(problems)),
    }
}

/// Creates the show when `id` is `None`, updates it otherwise.
pub async fn save_show(
    db: &DatabaseConnection,
    actor: &user::Model,
    tz: chrono_tz::Tz,
    id: Option<i32>,
    form: &ShowForm,
) -> Result<i32, AppError> {
    let (title, starts_at, venue, description) = check_show(form, tz)?;
    let txn = super::db::write(db).await?;
    let now = Utc::now();
    let (saved, before) = match id {
        None => {
            let s = show::ActiveModel {
                title: Set(title),
                starts_at: Set(starts_at),
                venue: Set(venue),
                description: Set(description),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (s, json!({}))
        }
        Some(id) => {
            let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            let before = show_json(&s);
            let mut row: show::ActiveModel = s.into();
            row.title = Set(title);
            row.starts_at = Set(starts_at);
            row.venue = Set(venue);
            row.description = Set(description);
            row.updated_at = Set(now);
            (row.update(&txn).await?, before)
        }
    };
    let action = if id.is_some() { "update" } else { "create" };
    record(&txn, actor, action, "show", Some(saved.id), diff(&before, &show_json(&saved))).await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Gives a show its new poster; returns the old one's key to remove.
pub async fn set_poster(db: &DatabaseConnection, actor: &user::Model, id: i32, key: &str) -> Result<Option<String>, AppError> {
    let txn = super::db::write(db).await?;
    let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let old = s.poster_key.clone();
    let mut row: show::ActiveModel = s.into();
    row.poster_key = Set(Some(key.to_string()));
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    record(&txn, actor, "update", "show", Some(id), json!({ "poster": [old.is_some(), true] })).await?;
    txn.commit().await?;
    Ok(old)
}

pub async fn delete_show(db: &DatabaseConnection, actor: &user::Model, id: i32) -> Result<(), AppError> {
    let txn = super::db::write(db).await?;
    let s = show::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    show::Entity::delete_by_id(id).exec(&txn).await?;
    record(&txn, actor, "delete", "show", Some(id), diff(&show_json(&s), &json!({}))).await?;
    txn.commit().await?;
    Ok(())
}

/// Shows found by title (in any case, matched here: SQLite lowercases only
/// ASCII), newest first or by title, a page at a time, with local times.
pub async fn shows(
    db: &DatabaseConnection,
    to_local: impl Fn(chrono::DateTime<Utc>) -> NaiveDateTime,
    q: &crate::admin::wire::ListQuery,
) -> Result<Page<ShowRow>, AppError> {
    let needle = search_words(&q.search)?.to_lowercase();
    let mut all: Vec<show::Model> = show::Entity::find()
        .order_by_desc(show::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.title.to_lowercase().contains(&needle))
        .collect();
    if q.sort == "title" {
        all.sort_by(|a, b| a.title.cmp(&b.title));
    }
    let rows = all
        .into_iter()
        .map(|s| ShowRow {
            id: s.id,
            form: ShowForm {
                title: s.title,
                starts_at: to_local(s.starts_at).format("%Y-%m-%dT%H:%M").to_string(),
                venue: s.venue,
                description: s.description,
            },
        })
        .collect();
    Ok(Page::cut(rows, q.page))
}

/// One page of the audit log, newest first, optionally for one kind of record.
pub async fn audit(db: &DatabaseConnection, q: &AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    let mut query = audit_log::Entity::find();
    if !q.entity.is_empty() {
        query = query.filter(audit_log::Column::Entity.eq(q.entity.clone()));
    }
    if let Ok(record) = q.record.trim().parse::<i32>() {
        query = query.filter(audit_log::Column::EntityId.eq(record));
    }
    let actor = text::search_words(&q.actor).map_err(|m| AppError::field("actor", m))?;
    if !actor.is_empty() {
        let like = sea_orm::sea_query::LikeExpr::new(contains_pattern(&actor)).escape('\\');
        let actors = user::Entity::find().filter(Expr::col(user::Column::SearchKey).like(like)).all(db).await?;
        query = query.filter(audit_log::Column::ActorId.is_in(actors.into_iter().map(|u| u.id)));
    }
    let total = query.clone().count(db).await?;
    let page = q.page.clamp(1, page_count(total));
    let rows = query
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let actors: std::collections::HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.actor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.created_at,
                actor: r.actor_id.and_then(|a| actors.get(&a).cloned()).unwrap_or_else(|| "—".into()),
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                changes: r.changes,
            })
            .collect(),
        page,
        pages: page_count(total),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let before = json!({"title": "Ревизор", "venue": "Зал"});
        let after = json!({"title": "Ревизор", "venue": "Малая сцена"});
        assert_eq!(diff(&before, &after), json!({"venue": ["Зал", "Малая сцена"]}));
        assert_eq!(diff(&json!({}), &json!({"a": 1})), json!({"a": [null, 1]}));
        assert_eq!(diff(&before, &before), json!({}));
    }

    #[test]
    fn page_counts_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
    }
}
