//! Money that arrives and goes back: the office records a payment on an
//! invoice (or as an advance) with its fiscal receipt's number, and refunds
//! from a payment. An overpaid invoice leaves the rest as the family's
//! advance; a paid invoice makes the passes it sells active. Each form
//! carries its key: sent twice, it records once.
use super::accounts::{append, lock};
use crate::{
    domain::{
        ledger::{InvoiceStatus, MoneyKind, PaymentMethod, check_refund, split_payment},
        money::{Kopecks, Zero},
        text::{self, Lines},
    },
    enrollment::service::lock_person,
    error::AppError,
    passes::service::sales::form_key,
    server::{
        audit,
        entities::{invoice, invoice_line, money_entry, pass},
        guards::Office,
    },
};
use chrono::{Days, NaiveDate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

/// A payment as the office typed it.
pub struct PaymentForm<'a> {
    /// The invoice paid, or none for an advance to the account that pays
    /// for `person`'s lessons.
    pub invoice: Option<i32>,
    pub person: Option<i32>,
    pub amount: &'a str,
    pub paid_on: &'a str,
    pub method: PaymentMethod,
    pub receipt_number: &'a str,
    pub key: &'a str,
}

fn amount(raw: &str) -> Result<Kopecks, AppError> {
    Kopecks::parse(raw, Zero::Refused).map_err(|p| AppError::field("amount", p.message()))
}

/// The day money arrived: not ahead of today, not over a year back.
fn paid_on(raw: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    const MESSAGE: &str = "Дата оплаты — не позже сегодняшней и не раньше года назад.";
    let day = match raw.trim() {
        "" => today,
        typed => crate::domain::iso::parse_date(typed).ok_or_else(|| AppError::field("paid_on", MESSAGE))?,
    };
    let earliest = today.checked_sub_days(Days::new(366)).unwrap_or(today);
    if day > today || day < earliest {
        return Err(AppError::field("paid_on", MESSAGE));
    }
    Ok(day)
}

/// The number of the receipt the school's cash register printed (54-ФЗ):
/// required for money taken at the desk, in cash or by card.
fn receipt_number(raw: &str, method: PaymentMethod) -> Result<Option<String>, AppError> {
    let typed = text::clean(raw, 64, Lines::One)
        .map_err(|p| AppError::field("receipt_number", p.or_too_long("Номер чека — не длиннее 64 символов.")))?;
    if typed.is_empty() && matches!(method, PaymentMethod::Cash | PaymentMethod::Card) {
        return Err(AppError::field("receipt_number", "Укажите номер чека, который напечатала касса."));
    }
    Ok(Some(typed).filter(|t| !t.is_empty()))
}

/// A retry of a form that went through: its entry. A key of another
/// account's form is not this form's.
async fn done_before(db: &impl ConnectionTrait, key: &str, account: i32) -> Result<Option<money_entry::Model>, AppError> {
    match money_entry::Entity::find().filter(money_entry::Column::IdempotencyKey.eq(key)).one(db).await? {
        Some(done) if done.account_id != account => Err(AppError::BadRequest),
        done => Ok(done),
    }
}

/// Students whose passes an invoice sells, locked in one order first: a
/// payment may activate them, and every change of a student's passes takes
/// the student's lock before the account's.
async fn lock_students_of(db: &impl ConnectionTrait, invoice_id: i32) -> Result<Vec<i32>, AppError> {
    let lines = invoice_line::Entity::find().filter(invoice_line::Column::InvoiceId.eq(invoice_id)).all(db).await?;
    let passes: Vec<i32> = lines.iter().filter_map(|l| l.pass_id).collect();
    let mut students: Vec<i32> =
        pass::Entity::find().filter(pass::Column::Id.is_in(passes.clone())).all(db).await?.into_iter().filter_map(|p| p.student_id).collect();
    students.sort_unstable();
    students.dedup();
    for s in students {
        lock_person(db, s).await?;
    }
    Ok(passes)
}

/// Records a payment; answers its entry.
pub async fn record_payment(db: &DatabaseConnection, office: &Office, form: PaymentForm<'_>, today: NaiveDate) -> Result<i32, AppError> {
    let key = form_key(form.key)?;
    let amount = amount(form.amount)?;
    let day = paid_on(form.paid_on, today)?;
    let receipt = receipt_number(form.receipt_number, form.method)?;
    let txn = crate::server::db::write(db).await?;
    let (account, target, passes) = match form.invoice {
        Some(id) => {
            let passes = lock_students_of(&txn, id).await?;
            let inv = invoice::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
            (inv.account_id, Some(inv), passes)
        }
        None => (super::accounts::account_of_student(&txn, form.person.ok_or(AppError::BadRequest)?).await?.id, None, Vec::new()),
    };
    lock(&txn, account).await?;
    // The same form sent twice waits here for the first: then it finds it done.
    if let Some(done) = done_before(&txn, &key, account).await? {
        return Ok(done.id);
    }
    // Read again under the lock: another payment may have just gone onto
    // it, or the office cancelled it.
    let target = match target {
        Some(inv) => invoice::Entity::find_by_id(inv.id).one(&txn).await?,
        None => None,
    };
    if target.as_ref().is_some_and(|i| i.status == InvoiceStatus::Cancelled) {
        return Err(AppError::Conflict("Счёт отменён: оплату можно записать авансом на счёт семьи.".into()));
    }
    let outstanding = target.as_ref().map_or(Kopecks(0), |i| Kopecks(i.total - i.paid));
    let (applied, advance) = split_payment(amount, outstanding);
    let payment = |amount: Kopecks, invoice: Option<i32>, key: Option<String>| money_entry::ActiveModel {
        account_id: Set(account),
        kind: Set(MoneyKind::Payment),
        amount: Set(amount.0),
        invoice_id: Set(invoice),
        method: Set(Some(form.method)),
        receipt_number: Set(receipt.clone()),
        paid_on: Set(Some(day)),
        idempotency_key: Set(key),
        created_by: Set(Some(office.id)),
        ..Default::default()
    };
    let (first, rest) = if applied.is_zero() { (advance, Kopecks(0)) } else { (applied, advance) };
    let entry = append(&txn, payment(first, target.as_ref().filter(|_| !applied.is_zero()).map(|i| i.id), Some(key))).await?;
    if !rest.is_zero() {
        append(&txn, payment(rest, None, None)).await?;
    }
    if let Some(inv) = target.filter(|_| !applied.is_zero()) {
        let paid = inv.paid + applied.0;
        let status = InvoiceStatus::of(Kopecks(inv.total), Kopecks(paid), false);
        let id = inv.id;
        invoice::ActiveModel { paid: Set(paid), status: Set(status), ..inv.into() }.update(&txn).await?;
        if status == InvoiceStatus::Paid {
            for p in passes {
                crate::passes::service::sales::activate(&txn, p, office.id, today).await?;
            }
        }
        audit::record(&txn, office, "update", "invoice", Some(id), json!({ "paid": [paid - applied.0, paid] })).await?;
    }
    txn.commit().await?;
    Ok(entry.id)
}

/// Gives back `amount` of a payment, with a reason; never more than is left
/// of it. Answers the refund's entry.
pub async fn refund(db: &DatabaseConnection, office: &Office, payment_id: i32, amount_typed: &str, reason: &str, key: &str) -> Result<i32, AppError> {
    let key = form_key(key)?;
    let amount = amount(amount_typed)?;
    let reason = text::required(reason, 200, Lines::One, "Укажите причину возврата.", "Причина — не длиннее 200 символов.")
        .map_err(|m| AppError::field("reason", m))?;
    let txn = crate::server::db::write(db).await?;
    let found = money_entry::Entity::find_by_id(payment_id).filter(money_entry::Column::Kind.eq(MoneyKind::Payment));
    let account = found.clone().one(&txn).await?.ok_or(AppError::NotFound)?.account_id;
    lock(&txn, account).await?;
    if let Some(done) = done_before(&txn, &key, account).await? {
        return Ok(done.id);
    }
    let payment = found.one(&txn).await?.ok_or(AppError::NotFound)?;
    let refunded: i64 = money_entry::Entity::find()
        .filter(money_entry::Column::Kind.eq(MoneyKind::Refund))
        .filter(money_entry::Column::EntryId.eq(payment.id))
        .all(&txn)
        .await?
        .iter()
        .map(|r| -r.amount)
        .sum();
    check_refund(amount, Kopecks(payment.amount), Kopecks(refunded)).map_err(|m| AppError::field("amount", m))?;
    let entry = append(
        &txn,
        money_entry::ActiveModel {
            account_id: Set(account),
            kind: Set(MoneyKind::Refund),
            amount: Set(-amount.0),
            invoice_id: Set(payment.invoice_id),
            entry_id: Set(Some(payment.id)),
            method: Set(payment.method),
            reason: Set(Some(reason.clone())),
            idempotency_key: Set(Some(key)),
            created_by: Set(Some(office.id)),
            ..Default::default()
        },
    )
    .await?;
    if let Some(inv) = payment.invoice_id {
        let inv = invoice::Entity::find_by_id(inv).one(&txn).await?.ok_or(AppError::NotFound)?;
        let paid = inv.paid - amount.0;
        let status = InvoiceStatus::of(Kopecks(inv.total), Kopecks(paid), inv.cancelled_at.is_some());
        invoice::ActiveModel { paid: Set(paid), status: Set(status), ..inv.into() }.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(entry.id)
}
