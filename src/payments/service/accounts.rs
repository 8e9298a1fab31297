//! Accounts: whose money. A child's lessons are paid by the family (any of
//! its guardians), so a family has one account; an adult without a family
//! has their own. An entry is only ever added, and the account's balance
//! moves with it in the same transaction, with its row in the audit log.
use crate::{
    domain::Role,
    error::AppError,
    server::{
        audit,
        entities::{family_child, money_account, money_entry, user},
    },
};
use chrono::Utc;
use serde_json::{Value, json};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

/// The family `person` belongs to, as a child or as a guardian.
async fn family_of(db: &impl ConnectionTrait, person: i32) -> Result<Option<i32>, AppError> {
    if let Some(c) = family_child::Entity::find().filter(family_child::Column::ChildId.eq(person)).one(db).await? {
        return Ok(Some(c.family_id));
    }
    Ok(crate::server::families::family_guarded_by(db, person).await?)
}

/// Where `student`'s account is found: their family's, else their own.
async fn owner(db: &impl ConnectionTrait, student: i32) -> Result<(Option<i32>, Option<i32>), AppError> {
    Ok(match family_of(db, student).await? {
        Some(f) => (Some(f), None),
        None => (None, Some(student)),
    })
}

/// The account that pays for `student`'s lessons, if there is one yet.
pub async fn existing_account_for(db: &impl ConnectionTrait, student: i32) -> Result<Option<money_account::Model>, AppError> {
    let found = match owner(db, student).await? {
        (Some(f), _) => money_account::Entity::find().filter(money_account::Column::FamilyId.eq(f)),
        _ => money_account::Entity::find().filter(money_account::Column::UserId.eq(student)),
    };
    Ok(found.one(db).await?)
}

/// The account that pays for `student`'s lessons, made on first use.
pub async fn account_for(db: &impl ConnectionTrait, student: i32) -> Result<money_account::Model, AppError> {
    let (family, user) = owner(db, student).await?;
    let column = if family.is_some() { money_account::Column::FamilyId } else { money_account::Column::UserId };
    money_account::Entity::insert(money_account::ActiveModel {
        family_id: Set(family),
        user_id: Set(user),
        balance: Set(0),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(OnConflict::column(column).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    existing_account_for(db, student).await?.ok_or(AppError::Internal)
}

/// The account the office writes to for `person`: a student's (guardians
/// are student accounts too); teachers and the office have no money here.
pub async fn account_of_student(db: &impl ConnectionTrait, person: i32) -> Result<money_account::Model, AppError> {
    let u = user::Entity::find_by_id(person).one(db).await?.ok_or(AppError::NotFound)?;
    if u.role != Role::Student {
        return Err(AppError::Conflict("Счета и оплаты ведутся только для учеников и их семей.".into()));
    }
    account_for(db, person).await
}

/// The accounts `person` may see: their own and their family's.
pub async fn accounts_of(db: &impl ConnectionTrait, person: i32) -> Result<Vec<money_account::Model>, AppError> {
    let family = crate::server::families::family_guarded_by(db, person).await?;
    let theirs = Condition::any()
        .add(money_account::Column::UserId.eq(person))
        .add_option(family.map(|f| money_account::Column::FamilyId.eq(f)));
    Ok(money_account::Entity::find().filter(theirs).all(db).await?)
}

/// Takes the account's lock for the rest of the transaction: every change
/// of an account's money goes one at a time.
pub async fn lock(db: &impl ConnectionTrait, account: i32) -> Result<money_account::Model, AppError> {
    money_account::Entity::update_many()
        .col_expr(money_account::Column::Balance, Expr::col(money_account::Column::Balance))
        .filter(money_account::Column::Id.eq(account))
        .exec(db)
        .await?;
    money_account::Entity::find_by_id(account).one(db).await?.ok_or(AppError::NotFound)
}

/// Adds an entry to the books and moves its account's balance by it; every
/// entry, whoever wrote it, is in the audit log with what it says.
pub async fn append(db: &impl ConnectionTrait, entry: money_entry::ActiveModel) -> Result<money_entry::Model, AppError> {
    let entry = money_entry::ActiveModel { created_at: Set(Utc::now()), ..entry }.insert(db).await?;
    let said = [
        ("account", json!(entry.account_id)),
        ("amount", json!(entry.amount)),
        ("invoice", json!(entry.invoice_id)),
        ("entry", json!(entry.entry_id)),
        ("attendance", json!(entry.attendance_id)),
        ("method", json!(entry.method.map(|m| m.slug()))),
        ("receipt_number", json!(entry.receipt_number)),
        ("paid_on", json!(entry.paid_on)),
        ("reason", json!(entry.reason)),
    ];
    let changes: serde_json::Map<String, Value> = said.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_string(), json!([null, v]))).collect();
    audit::record_as(db, entry.created_by, "create", entry.kind.slug(), Some(entry.id), Value::Object(changes)).await?;
    money_account::Entity::update_many()
        .col_expr(money_account::Column::Balance, Expr::col(money_account::Column::Balance).add(entry.amount))
        .filter(money_account::Column::Id.eq(entry.account_id))
        .exec(db)
        .await?;
    Ok(entry)
}
