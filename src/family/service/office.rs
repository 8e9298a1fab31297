//! The office's hand on families: another guardian linked, a guardian
//! unlinked, a child moved to another family — for the cases a family
//! cannot settle itself (a parent without e-mail access, a divorce, a
//! mistake). Each is one transaction with its audit row, which names
//! people by id and never carries the notes for the teacher.
use super::children::start_family;
use crate::family::wire::{FamilyPerson, OfficeChild, OfficeFamily};
use crate::{
    domain::{
        Email, UserId,
        family::{age_label, age_on},
    },
    error::AppError,
    server::{
        audit,
        entities::{family, family_child, family_guardian, user},
        families,
        guards::Office,
    },
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ModelTrait,
    QueryFilter,
};
use serde_json::json;

/// The family `person` belongs to, as a guardian or as a child.
pub async fn family_for_office(db: &DatabaseConnection, person: UserId, today: NaiveDate) -> Result<Option<OfficeFamily>, AppError> {
    let Some(id) = family_of_person(db, person.0).await? else { return Ok(None) };
    let guardians = families::guardians_in(db, id)
        .await?
        .into_iter()
        .map(|g| FamilyPerson { id: UserId(g.id), full_name: g.full_name, email: g.email })
        .collect();
    let children = families::children_of(db, id)
        .await?
        .into_iter()
        .map(|(link, child)| OfficeChild {
            id: UserId(child.id),
            age: child.birth_date.map(|b| age_label(age_on(b, today))).unwrap_or_default(),
            login: families::has_login(&child).then(|| child.email.clone()),
            full_name: child.full_name,
            teacher_notes: link.teacher_notes.unwrap_or_default(),
        })
        .collect();
    Ok(Some(OfficeFamily { id, guardians, children }))
}

async fn family_of_person(db: &impl ConnectionTrait, person: i32) -> Result<Option<i32>, AppError> {
    if let Some(id) = families::family_guarded_by(db, person).await? {
        return Ok(Some(id));
    }
    Ok(family_child::Entity::find().filter(family_child::Column::ChildId.eq(person)).one(db).await?.map(|l| l.family_id))
}

/// The account with a login behind an address the office typed.
async fn account_with_login(db: &impl ConnectionTrait, email: &str) -> Result<user::Model, AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .filter(families::has_login)
        .ok_or_else(|| AppError::field("email", "Учётной записи с таким адресом нет: пусть родитель сначала зарегистрируется."))
}

/// An account that may become a guardian: nobody's child, guarding no family yet.
async fn free_guardian(db: &impl ConnectionTrait, email: &str) -> Result<user::Model, AppError> {
    let person = account_with_login(db, email).await?;
    if family_of_person(db, person.id).await?.is_some() {
        return Err(AppError::field("email", "Этот человек уже состоит в семье: сначала отвяжите его там."));
    }
    Ok(person)
}

/// Makes the owner of `email` a guardian of `family_id` too.
pub async fn link_guardian(db: &DatabaseConnection, actor: &Office, family_id: i32, email: &str) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    family::Entity::find_by_id(family_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let person = free_guardian(&txn, email).await?;
    family_guardian::ActiveModel { family_id: Set(family_id), user_id: Set(person.id), created_at: Set(Utc::now()), ..Default::default() }
        .insert(&txn)
        .await?;
    audit::record(&txn, actor, "family.guardian_linked", "user", Some(person.id), json!({ "family": [null, family_id] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a guardian out of their family; the children keep at least one.
pub async fn unlink_guardian(db: &DatabaseConnection, actor: &Office, guardian: UserId) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let link = family_guardian::Entity::find()
        .filter(family_guardian::Column::UserId.eq(guardian.0))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let others = family_guardian::Entity::find()
        .filter(family_guardian::Column::FamilyId.eq(link.family_id))
        .filter(family_guardian::Column::UserId.ne(guardian.0))
        .all(&txn)
        .await?;
    let has_children =
        family_child::Entity::find().filter(family_child::Column::FamilyId.eq(link.family_id)).one(&txn).await?.is_some();
    if others.is_empty() && has_children {
        return Err(AppError::Conflict(
            "Это единственный представитель детей: сначала привяжите другого или переведите детей в другую семью.".into(),
        ));
    }
    let family_id = link.family_id;
    link.delete(&txn).await?;
    audit::record(&txn, actor, "family.guardian_unlinked", "user", Some(guardian.0), json!({ "family": [family_id, null] })).await?;
    txn.commit().await?;
    Ok(())
}

/// Moves a child into the family of the guardian with `email` (a family is
/// made for a guardian who has none). Consent stays with the child: it was
/// given by a legal representative and names them.
pub async fn move_child(db: &DatabaseConnection, actor: &Office, child: UserId, email: &str) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let link = family_child::Entity::find()
        .filter(family_child::Column::ChildId.eq(child.0))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let guardian = account_with_login(&txn, email).await?;
    if guardian.id == child.0 {
        return Err(AppError::field("email", "Это адрес самого ребёнка: укажите адрес родителя."));
    }
    let target = match families::family_guarded_by(&txn, guardian.id).await? {
        Some(family) if family == link.family_id => return Err(AppError::field("email", "Ребёнок уже в семье этого человека.")),
        Some(family) => family,
        None => start_family(&txn, free_guardian(&txn, email).await?.id).await?,
    };
    let from = link.family_id;
    let mut moved: family_child::ActiveModel = link.into();
    moved.family_id = Set(target);
    moved.update(&txn).await?;
    audit::record(&txn, actor, "family.child_moved", "user", Some(child.0), json!({ "family": [from, target] })).await?;
    txn.commit().await?;
    Ok(())
}
