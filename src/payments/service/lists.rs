//! The office's lists of money owed: invoices past their due date and
//! accounts below zero, in a fixed number of statements.
use crate::{
    domain::{ledger::InvoiceStatus, money::Kopecks},
    error::AppError,
    payments::wire::{DebtorRow, OfficeMoney, OverdueRow},
    server::entities::{family_guardian, invoice, money_account, user},
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

pub async fn office_money(db: &impl ConnectionTrait, today: NaiveDate) -> Result<OfficeMoney, AppError> {
    let overdue = invoice::Entity::find()
        .filter(invoice::Column::Status.is_in([InvoiceStatus::Open, InvoiceStatus::PartlyPaid]))
        .filter(invoice::Column::DueOn.lt(today))
        .order_by_asc(invoice::Column::DueOn)
        .all(db)
        .await?;
    let debtors = debtors(db).await?;
    let names: HashMap<i32, String> =
        user::Entity::find().filter(user::Column::Id.is_in(overdue.iter().filter_map(|i| i.student_id))).all(db).await?.into_iter().map(|u| (u.id, u.full_name)).collect();
    let overdue = overdue
        .into_iter()
        .map(|i| OverdueRow {
            invoice_id: i.id,
            number: i.number().to_string(),
            student_name: i.student_id.and_then(|s| names.get(&s).cloned()).unwrap_or_default(),
            left: Kopecks(i.total - i.paid),
            due_on: i.due_on,
        })
        .collect();
    Ok(OfficeMoney { overdue, debtors })
}

/// Accounts below zero, the largest debt first.
pub async fn debtors(db: &impl ConnectionTrait) -> Result<Vec<DebtorRow>, AppError> {
    let accounts = money_account::Entity::find().filter(money_account::Column::Balance.lt(0)).order_by_asc(money_account::Column::Balance).all(db).await?;
    let payers = payers(db, &accounts).await?;
    Ok(accounts
        .into_iter()
        .map(|a| {
            let (name, person) = payers.get(&a.id).cloned().unwrap_or_default();
            DebtorRow { name, person, debt: Kopecks(-a.balance) }
        })
        .collect())
}

/// Who pays from each account, as the office's lists name them: the adult,
/// or «Семья: » and its guardians; with whose money page to open.
pub async fn payers(db: &impl ConnectionTrait, accounts: &[money_account::Model]) -> Result<HashMap<i32, (String, Option<i32>)>, AppError> {
    let guardians = family_guardian::Entity::find()
        .filter(family_guardian::Column::FamilyId.is_in(accounts.iter().filter_map(|a| a.family_id)))
        .order_by_asc(family_guardian::Column::Id)
        .all(db)
        .await?;
    let people = accounts.iter().filter_map(|a| a.user_id).chain(guardians.iter().map(|g| g.user_id));
    let names: HashMap<i32, String> = user::Entity::find().filter(user::Column::Id.is_in(people)).all(db).await?.into_iter().map(|u| (u.id, u.full_name)).collect();
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    Ok(accounts
        .iter()
        .map(|a| {
            let theirs: Vec<i32> = guardians.iter().filter(|g| Some(g.family_id) == a.family_id).map(|g| g.user_id).collect();
            let payer = match a.user_id {
                Some(u) => (name(u), Some(u)),
                None => (format!("Семья: {}", theirs.iter().map(|&g| name(g)).collect::<Vec<_>>().join(", ")), theirs.first().copied()),
            };
            (a.id, payer)
        })
        .collect())
}
