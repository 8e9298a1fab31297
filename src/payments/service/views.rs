//! What people see of the books: an account with its balance, invoices and
//! entries; an invoice with the school's bank details and its payment QR
//! code. In a fixed number of statements per account.
use crate::{
    domain::{
        ledger::{InvoiceNumber, MoneyKind},
        money::Kopecks,
        payment_qr,
    },
    error::AppError,
    payments::wire::{AccountView, InvoiceLineView, InvoiceView, MoneyEntryView, OfficeAccount, PayBy, Refundable},
    server::{
        entities::{invoice, invoice_line, money_account, money_entry, user},
        families, settings,
    },
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// «Оплата по счёту 2027-000123, Миша Морозов»: what the bank transfer says.
fn purpose(number: InvoiceNumber, student: Option<&str>) -> String {
    match student {
        Some(name) => format!("Оплата по счёту {number}, {name}"),
        None => format!("Оплата по счёту {number}"),
    }
}

async fn names(db: &impl ConnectionTrait, ids: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, String>, AppError> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u.full_name)).collect())
}

/// Invoices with their lines; with what to pay by when `to_pay`.
async fn invoice_views(db: &impl ConnectionTrait, invoices: Vec<invoice::Model>, to_pay: bool) -> Result<Vec<InvoiceView>, AppError> {
    let mut lines: HashMap<i32, Vec<InvoiceLineView>> = HashMap::new();
    for l in invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(invoices.iter().map(|i| i.id)))
        .order_by_asc(invoice_line::Column::Id)
        .all(db)
        .await?
    {
        lines.entry(l.invoice_id).or_default().push(InvoiceLineView { description: l.description, amount: Kopecks(l.amount) });
    }
    let students = names(db, invoices.iter().filter_map(|i| i.student_id)).await?;
    let bank = if to_pay { settings::bank_details(db).await? } else { None };
    Ok(invoices
        .into_iter()
        .map(|i| {
            let student_name = i.student_id.and_then(|s| students.get(&s).cloned());
            let payment = to_pay.then(|| match &bank {
                Some(details) => {
                    let purpose = purpose(i.number(), student_name.as_deref());
                    let due = Kopecks(i.total - i.paid);
                    let qr_svg = crate::server::qr::svg(&payment_qr::payload(details, due, &purpose), "QR-код для оплаты в приложении банка");
                    PayBy::Bank { details: details.clone(), purpose, qr_svg }
                }
                None => PayBy::NoDetails,
            });
            InvoiceView {
                id: i.id,
                number: i.number().to_string(),
                status: i.status,
                total: Kopecks(i.total),
                paid: Kopecks(i.paid),
                due_on: i.due_on,
                created_at: i.created_at,
                student_name,
                lines: lines.remove(&i.id).unwrap_or_default(),
                payment,
            }
        })
        .collect())
}

/// One invoice to pay, if `may_see` it.
pub async fn invoice(db: &impl ConnectionTrait, id: i32, may_see: impl Fn(&invoice::Model) -> bool) -> Result<InvoiceView, AppError> {
    let inv = invoice::Entity::find_by_id(id).one(db).await?.filter(|i| may_see(i)).ok_or(AppError::NotFound)?;
    invoice_views(db, vec![inv], true).await?.pop().ok_or(AppError::NotFound)
}

/// Whose an account is: the student, or the family's guardians.
async fn account_name(db: &impl ConnectionTrait, a: &money_account::Model) -> Result<String, AppError> {
    if let Some(f) = a.family_id {
        let guardians = families::guardians_in(db, f).await?;
        return Ok(format!("Семья: {}", guardians.into_iter().map(|g| g.full_name).collect::<Vec<_>>().join(", ")));
    }
    Ok(names(db, a.user_id).await?.into_values().next().unwrap_or_else(|| "Удалённая учётная запись".into()))
}

/// An account with its invoices (newest first) and entries.
pub async fn account(db: &impl ConnectionTrait, a: money_account::Model) -> Result<AccountView, AppError> {
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::AccountId.eq(a.id))
        .order_by_desc(invoice::Column::Id)
        .all(db)
        .await?;
    let numbers: HashMap<i32, String> = invoices.iter().map(|i| (i.id, i.number().to_string())).collect();
    let entries = money_entry::Entity::find()
        .filter(money_entry::Column::AccountId.eq(a.id))
        .order_by_desc(money_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| MoneyEntryView {
            id: e.id,
            kind: e.kind,
            amount: Kopecks(e.amount),
            at: e.created_at,
            paid_on: e.paid_on,
            method: e.method,
            receipt_number: e.receipt_number,
            invoice_number: e.invoice_id.and_then(|i| numbers.get(&i).cloned()),
            reason: e.reason,
        })
        .collect();
    Ok(AccountView {
        id: a.id,
        name: account_name(db, &a).await?,
        balance: Kopecks(a.balance),
        invoices: invoice_views(db, invoices, false).await?,
        entries,
    })
}

/// The office's page of a person's money: the account that pays for their
/// lessons (if any yet), invoices to record money on, payments to refund.
pub async fn office_account(db: &impl ConnectionTrait, person: i32) -> Result<OfficeAccount, AppError> {
    let u = user::Entity::find_by_id(person).one(db).await?.ok_or(AppError::NotFound)?;
    let key = crate::server::crypto::random_token;
    let Some(a) = super::accounts::existing_account_for(db, person).await? else {
        return Ok(OfficeAccount { person, person_name: u.full_name, account: None, awaiting: Vec::new(), refundable: Vec::new(), payment_key: key(), invoice_key: key() });
    };
    let entries = money_entry::Entity::find().filter(money_entry::Column::AccountId.eq(a.id)).all(db).await?;
    let refundable = entries
        .iter()
        .filter(|e| e.kind == MoneyKind::Payment)
        .filter_map(|p| {
            let back: i64 = entries.iter().filter(|r| r.kind == MoneyKind::Refund && r.entry_id == Some(p.id)).map(|r| -r.amount).sum();
            let left = Kopecks(p.amount - back);
            (left.0 > 0).then(|| Refundable { entry: p.id, paid_on: p.paid_on, amount: Kopecks(p.amount), left, key: key() })
        })
        .collect();
    let view = account(db, a).await?;
    let awaiting = view
        .invoices
        .iter()
        .filter(|i| i.status.awaits_payment())
        .map(|i| (i.id, i.number.clone(), Kopecks(i.total.0 - i.paid.0)))
        .collect();
    Ok(OfficeAccount { person, person_name: u.full_name, account: Some(view), awaiting, refundable, payment_key: key(), invoice_key: key() })
}
