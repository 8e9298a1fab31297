//! Reads of families that several areas share: who a person's children are,
//! who a child's guardians are, whether a person has a login. Changes to
//! families are the `family` area's service; access goes through
//! `guards::ActingFor`.
use super::entities::{family_child, family_guardian, user};
use crate::domain::family::{ADULT_AGE, age_on};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// The domain of the addresses of people without a login of their own (a
/// child a guardian acts for): reserved by RFC 2606, nothing is delivered
/// there, and letters about such a person go to their guardians.
const NO_LOGIN_DOMAIN: &str = "@family.invalid";

/// A unique address for a person without a login: it only fills the
/// account's unique column.
pub fn no_login_address() -> String {
    format!("child-{}{NO_LOGIN_DOMAIN}", &super::crypto::random_token()[..20])
}

/// The account of a child a guardian adds: no address of their own, no
/// password (nothing can sign in with an empty hash), a birth date.
pub fn new_child_account(full_name: String, birth_date: NaiveDate) -> user::ActiveModel {
    use sea_orm::ActiveValue::Set;
    let now = chrono::Utc::now();
    let email = no_login_address();
    user::ActiveModel {
        search_key: Set(user::search_key(&full_name, "")),
        email: Set(email),
        password_hash: Set(String::new()),
        role: Set(crate::domain::Role::Student),
        full_name: Set(full_name),
        is_active: Set(true),
        session_epoch: Set(0),
        birth_date: Set(Some(birth_date)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Whether `u` signs in themselves (and so receives letters).
pub fn has_login(u: &user::Model) -> bool {
    is_deliverable(&u.email)
}

/// Whether letters to `address` reach someone.
pub fn is_deliverable(address: &str) -> bool {
    !address.ends_with(NO_LOGIN_DOMAIN)
}

/// The guardians of `child_id`: they read every letter about the child.
pub async fn guardians_of(db: &impl ConnectionTrait, child_id: i32) -> Result<Vec<user::Model>, DbErr> {
    match family_child::Entity::find().filter(family_child::Column::ChildId.eq(child_id)).one(db).await? {
        Some(link) => guardians_in(db, link.family_id).await,
        None => Ok(Vec::new()),
    }
}

/// Whether `u` is under 18 on `today` (adults who never gave a birth date are adults).
pub fn is_minor(u: &user::Model, today: NaiveDate) -> bool {
    u.birth_date.is_some_and(|b| age_on(b, today) < ADULT_AGE)
}

/// The family in which `user_id` is a guardian.
pub async fn family_guarded_by(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<i32>, DbErr> {
    Ok(family_guardian::Entity::find()
        .filter(family_guardian::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .map(|g| g.family_id))
}

/// The children under 18 of the family `user_id` is a guardian of: those
/// they book, cancel and read the history and calendar for.
pub async fn minors_guarded_by(db: &impl ConnectionTrait, user_id: i32, today: NaiveDate) -> Result<Vec<user::Model>, DbErr> {
    let Some(family) = family_guarded_by(db, user_id).await? else { return Ok(Vec::new()) };
    Ok(children_of(db, family)
        .await?
        .into_iter()
        .map(|(_, child)| child)
        .filter(|child| child.is_active && is_minor(child, today))
        .collect())
}

/// A family's children with their accounts, in the order they were added.
pub async fn children_of(db: &impl ConnectionTrait, family_id: i32) -> Result<Vec<(family_child::Model, user::Model)>, DbErr> {
    let links = family_child::Entity::find()
        .filter(family_child::Column::FamilyId.eq(family_id))
        .order_by_asc(family_child::Column::Id)
        .all(db)
        .await?;
    let mut people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(links.iter().map(|l| l.child_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(links.into_iter().filter_map(|l| people.remove(&l.child_id).map(|u| (l, u))).collect())
}

/// A family's guardians' accounts.
pub async fn guardians_in(db: &impl ConnectionTrait, family_id: i32) -> Result<Vec<user::Model>, DbErr> {
    let ids: Vec<i32> = family_guardian::Entity::find()
        .filter(family_guardian::Column::FamilyId.eq(family_id))
        .order_by_asc(family_guardian::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect();
    let mut people: HashMap<i32, user::Model> =
        user::Entity::find().filter(user::Column::Id.is_in(ids.clone())).all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    Ok(ids.into_iter().filter_map(|id| people.remove(&id)).collect())
}

/// What the family knows of each of `children`: their link (notes,
/// consents) and their guardians — in two statements, however many.
pub async fn families_of(
    db: &impl ConnectionTrait,
    children: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, (family_child::Model, Vec<user::Model>)>, DbErr> {
    let links = family_child::Entity::find()
        .filter(family_child::Column::ChildId.is_in(children))
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let guardianships = family_guardian::Entity::find()
        .filter(family_guardian::Column::FamilyId.is_in(links.iter().map(|l| l.family_id)))
        .order_by_asc(family_guardian::Column::Id)
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    Ok(links
        .into_iter()
        .map(|l| {
            let guardians = guardianships
                .iter()
                .filter(|(g, _)| g.family_id == l.family_id)
                .filter_map(|(_, account)| account.clone())
                .collect();
            (l.child_id, (l, guardians))
        })
        .collect())
}

/// Among `people`, the children whose guardians have not agreed to publish
/// photos of them: their portfolios stay private.
pub async fn without_photo_consent(
    db: &impl ConnectionTrait,
    people: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashSet<i32>, DbErr> {
    Ok(family_child::Entity::find()
        .filter(family_child::Column::ChildId.is_in(people))
        .filter(family_child::Column::PhotosConsentedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.child_id)
        .collect())
}
