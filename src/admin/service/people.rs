//! The office's people: accounts, roles, blocking, new teachers, one
//! person's data and its deletion.
use crate::server::addresses::{self, Kind};
use crate::domain::ids::{TeacherId, UserId};
use super::audit::{diff, record};
use crate::{
    admin::wire::{PAGE_SIZE, Page, PeopleQuery, PersonRow, page_count},
    domain::Role,
    error::{AppError, FieldError},
    server::{
        auth,
        entities::{course_teacher, teacher, user},
        search::{contains_pattern, search_words},
    },
};
use crate::server::guards::Office;
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::{Value, json};

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
pub async fn set_active(db: &DatabaseConnection, actor: &Office, id: UserId, active: bool) -> Result<(), AppError> {
    if actor.id == id.0 {
        return Err(AppError::Conflict("Свою учётную запись отключить нельзя.".into()));
    }
    let txn = crate::server::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = account_json(&u);
    let mut row: user::ActiveModel = u.clone().into();
    row.is_active = Set(active);
    // A new epoch invalidates every session, even ones being used right now.
    row.session_epoch = Set(u.session_epoch + 1);
    row.updated_at = Set(Utc::now());
    let u = row.update(&txn).await?;
    auth::end_sessions_of(&txn, id.0, None).await?;
    record(&txn, actor, if active { "reactivate" } else { "deactivate" }, "user", Some(id.0), diff(&before, &account_json(&u))).await?;
    txn.commit().await?;
    Ok(())
}

/// Gives an account another role; it applies from the user's next request.
pub async fn set_role(db: &DatabaseConnection, actor: &Office, id: UserId, role: Role) -> Result<(), AppError> {
    if actor.id == id.0 {
        return Err(AppError::Conflict("Свою роль изменить нельзя: попросите другого администратора.".into()));
    }
    let txn = crate::server::db::write(db).await?;
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
        let t = teacher::ActiveModel {
            user_id: Set(id.0),
            specialization: Set("Педагог".into()),
            bio: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        addresses::settle(&txn, Kind::Teacher, t.id, &u.full_name).await?;
    }
    let before = account_json(&u);
    let mut row: user::ActiveModel = u.into();
    row.role = Set(role);
    row.updated_at = Set(Utc::now());
    let u = row.update(&txn).await?;
    record(&txn, actor, "change_role", "user", Some(id.0), diff(&before, &account_json(&u))).await?;
    txn.commit().await?;
    Ok(())
}

/// A new teacher: an account without a usable password, a public profile,
/// and a letter with a link to choose the password.
pub async fn create_teacher(
    db: &DatabaseConnection,
    site: &url::Url,
    actor: &Office,
    form: &crate::admin::wire::NewTeacher,
) -> Result<i32, AppError> {
    use crate::domain::{Email, account};
    let mut problems = Vec::new();
    let mut field = |name: &str, result: Result<String, &'static str>| {
        result.map_err(|m| problems.push(FieldError { field: name.into(), message: m.into() })).ok()
    };
    let name = field("full_name", account::clean_name(&form.full_name));
    let email = field("email", Email::parse(&form.email).map(|e| e.to_string()));
    let specialization = field("specialization", crate::teaching::service::clean_specialization(&form.specialization));
    let bio = field("bio", crate::teaching::service::clean_bio(&form.bio));
    let (Some(name), Some(email), Some(specialization), Some(bio)) = (name, email, specialization, bio) else {
        return Err(AppError::Invalid(problems));
    };
    let email = Email::parse(&email).expect("checked");
    let txn = crate::server::db::write(db).await?;
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(&txn).await?.is_some() {
        return Err(AppError::field("email", "Этот адрес уже занят: смените роль существующей учётной записи."));
    }
    // No password works until the teacher chooses one by the e-mailed link.
    let unusable = format!("!{}", crate::server::crypto::random_token());
    let u = user::new_account(&email, unusable, Role::Teacher, name, true).insert(&txn).await?;
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
    addresses::settle(&txn, Kind::Teacher, t.id, &u.full_name).await?;
    let token = crate::server::tokens::issue(&txn, &u, crate::server::tokens::Purpose::ResetPassword, None).await?;
    let school = crate::server::settings::school(&txn).await?.name;
    crate::server::mail::enqueue(&txn, crate::server::mail::compose(
        &u.email, &u.full_name, &format!("Добро пожаловать в школу «{school}»"),
        &[&format!("Вас добавили педагогом театральной школы «{school}»."),
          "Придумайте пароль по ссылке ниже — она действует час. Если она устарела, нажмите «Забыли пароль?» на странице входа."],
        Some(("Задать пароль", &crate::server::links::with_token(site, "reset-password", &token))),
    )).await?;
    record(&txn, actor, "create", "teacher", Some(t.id), json!({ "full_name": [null, u.full_name], "email": [null, u.email], "specialization": [null, specialization] })).await?;
    txn.commit().await?;
    Ok(t.id)
}

fn profile_json(u: &user::Model) -> Value {
    json!({ "full_name": u.full_name, "phone": u.phone, "contacts": u.contacts, "about": u.about })
}

/// One person for the office: contact data and, for a teacher, the profile.
pub async fn person(db: &DatabaseConnection, id: UserId, today: NaiveDate) -> Result<crate::admin::wire::PersonDetail, AppError> {
    let u = user::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let teacher = teacher::Entity::find().filter(teacher::Column::UserId.eq(id)).one(db).await?;
    let mfa_enabled = crate::server::mfa::is_enabled(&u);
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
        teacher: teacher.map(crate::teaching::service::profile_of),
        mfa_enabled,
        family: crate::family::service::family_for_office(db, id, today).await?,
        passes: match u.role {
            crate::domain::Role::Student => Some(crate::passes::service::views::person_passes(db, id, today).await?),
            _ => None,
        },
    })
}

/// Turns off a person's sign-in codes and recovery codes.
pub async fn reset_mfa(db: &DatabaseConnection, actor: &Office, id: UserId) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    crate::server::mfa::reset(&txn, u.id).await?;
    record(&txn, actor, "mfa_reset", "user", Some(u.id), json!({ "mfa": [crate::server::mfa::is_enabled(&u), false] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Edits someone's profile data with the rules of the profile page.
pub async fn update_person(
    db: &DatabaseConnection,
    actor: &Office,
    id: UserId,
    update: crate::account::service::ProfileUpdate,
) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let saved = crate::account::service::update_profile(&txn, &u, update).await?;
    record(&txn, actor, "update", "user", Some(id.0), diff(&profile_json(&u), &profile_json(&saved))).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes someone's account with the rules of self-deletion (requests
/// cancelled, history anonymised, teachers of courses and the last admin
/// kept). Returns the files to remove.
pub async fn delete_person(
    db: &DatabaseConnection,
    site: &url::Url,
    actor: &Office,
    id: UserId,
    today: chrono::NaiveDate,
) -> Result<Vec<crate::server::storage::StoredFile>, AppError> {
    if actor.id == id.0 {
        return Err(AppError::Conflict("Свою учётную запись удаляют на странице профиля.".into()));
    }
    let txn = crate::server::db::write(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let files = crate::account::service::delete_account(&txn, site, &u, today).await?;
    record(&txn, actor, "delete", "user", Some(id.0), json!({ "full_name": [u.full_name, null], "email": [u.email, null], "role": [u.role, null] })).await?;
    txn.commit().await?;
    Ok(files)
}

/// The office edits a teacher's public profile.
pub async fn update_teacher_profile(
    db: &DatabaseConnection,
    actor: &Office,
    teacher_id: TeacherId,
    specialization: &str,
    bio: &str,
) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let t = teacher::Entity::find_by_id(teacher_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = json!({ "specialization": t.specialization, "bio": t.bio });
    let saved = crate::teaching::service::save_profile(&txn, t, specialization, bio).await?;
    record(&txn, actor, "update", "teacher", Some(teacher_id.0), diff(&before, &json!({ "specialization": saved.specialization, "bio": saved.bio })))
        .await?;
    txn.commit().await?;
    Ok(())
}
