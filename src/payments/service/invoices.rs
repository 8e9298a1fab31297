//! Invoices: numbered per year without gaps («2027-000123»), their total
//! charged to the account when issued; a pass asked for by a family comes
//! with its invoice, and paying it makes the pass active (`money`).
use super::accounts::{account_for, append, lock};
use crate::{
    domain::{
        ledger::{InvoiceNumber, InvoiceStatus, MoneyKind},
        money::Kopecks,
    },
    error::AppError,
    server::{
        entities::{invoice, invoice_counter, invoice_line, money_entry, pass, user},
        guards::ActingFor,
    },
};
use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    ExprTrait,
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

/// Days a family has to pay an invoice for a pass it asked for.
pub const DAYS_TO_PAY: u64 = 5;

/// The next number of `year`, in the caller's transaction: the counter's
/// row is locked until it commits, so two invoices never share a number
/// and a rolled-back one leaves no gap.
async fn next_number(db: &impl ConnectionTrait, year: i32) -> Result<InvoiceNumber, AppError> {
    invoice_counter::Entity::insert(invoice_counter::ActiveModel { year: Set(year), last: Set(0) })
        .on_conflict(OnConflict::column(invoice_counter::Column::Year).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    invoice_counter::Entity::update_many()
        .col_expr(invoice_counter::Column::Last, Expr::col(invoice_counter::Column::Last).add(1))
        .filter(invoice_counter::Column::Year.eq(year))
        .exec(db)
        .await?;
    let counter = invoice_counter::Entity::find_by_id(year).one(db).await?.ok_or(AppError::Internal)?;
    Ok(InvoiceNumber { year, seq: counter.last })
}

/// What an invoice is for: its lines, whose lessons, when it is due.
pub struct NewInvoice {
    pub account: i32,
    pub student: Option<i32>,
    pub lines: Vec<(String, Kopecks, Option<i32>)>,
    pub due_on: NaiveDate,
    pub key: Option<String>,
    pub by: Option<i32>,
}

/// Issues an invoice and charges its total to the account, in the caller's
/// transaction under the account's lock.
pub async fn issue(db: &impl ConnectionTrait, new: NewInvoice, today: NaiveDate) -> Result<invoice::Model, AppError> {
    let total: i64 = new.lines.iter().map(|(_, amount, _)| amount.0).sum();
    let number = next_number(db, today.year()).await?;
    let inv = invoice::ActiveModel {
        year: Set(number.year),
        seq: Set(number.seq),
        account_id: Set(new.account),
        student_id: Set(new.student),
        total: Set(total),
        paid: Set(0),
        status: Set(InvoiceStatus::of(Kopecks(total), Kopecks(0), false)),
        due_on: Set(new.due_on),
        idempotency_key: Set(new.key),
        created_by: Set(new.by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (description, amount, pass_id) in new.lines {
        invoice_line::ActiveModel { invoice_id: Set(inv.id), description: Set(description), amount: Set(amount.0), pass_id: Set(pass_id), ..Default::default() }
            .insert(db)
            .await?;
    }
    append(
        db,
        money_entry::ActiveModel {
            account_id: Set(new.account),
            kind: Set(MoneyKind::Charge),
            amount: Set(-total),
            invoice_id: Set(Some(inv.id)),
            created_by: Set(new.by),
            ..Default::default()
        },
    )
    .await?;
    Ok(inv)
}

/// The invoice that sells `pass`, unless cancelled.
pub async fn invoice_of_pass(db: &impl ConnectionTrait, pass_id: i32) -> Result<Option<invoice::Model>, AppError> {
    let lines = invoice_line::Entity::find().filter(invoice_line::Column::PassId.eq(pass_id)).all(db).await?;
    Ok(invoice::Entity::find()
        .filter(invoice::Column::Id.is_in(lines.iter().map(|l| l.invoice_id)))
        .filter(invoice::Column::CancelledAt.is_null())
        .one(db)
        .await?)
}

/// A student or guardian asks for a pass: it waits, with an invoice for its
/// price to the family's account. Asking again gives the same pass and
/// invoice. Answers the invoice.
pub async fn ask_for_pass(db: &DatabaseConnection, member: &ActingFor, pass_type_id: i32, today: NaiveDate) -> Result<invoice::Model, AppError> {
    let txn = crate::server::db::write(db).await?;
    let p = crate::passes::service::sales::request(&txn, member, pass_type_id, today).await?;
    if let Some(inv) = invoice_of_pass(&txn, p.id).await? {
        return Ok(inv);
    }
    let account = account_for(&txn, member.id).await?;
    lock(&txn, account.id).await?;
    let inv = issue(&txn, pass_invoice(&txn, &p, account.id, member.by().id, today).await?, today).await?;
    txn.commit().await?;
    Ok(inv)
}

/// «Абонемент «8 занятий», Этюды — Миша Морозов», due in [`DAYS_TO_PAY`].
async fn pass_invoice(db: &impl ConnectionTrait, p: &pass::Model, account: i32, by: i32, today: NaiveDate) -> Result<NewInvoice, AppError> {
    let course = crate::server::courses::names(db, p.course_id).await?.into_values().next().map(|c| c.title).unwrap_or_default();
    let student = match p.student_id {
        Some(id) => user::Entity::find_by_id(id).one(db).await?.map(|u| u.full_name).unwrap_or_default(),
        None => String::new(),
    };
    let description: String = format!("Абонемент «{}», {course} — {student}", p.name).chars().take(200).collect();
    Ok(NewInvoice {
        account,
        student: p.student_id,
        lines: vec![(description, Kopecks(p.price), Some(p.id))],
        due_on: today.checked_add_days(Days::new(DAYS_TO_PAY)).unwrap_or(today),
        key: None,
        by: Some(by),
    })
}

/// What the office types into «Выставить счёт».
pub struct OfficeInvoiceForm<'a> {
    pub person: i32,
    pub description: &'a str,
    pub amount: &'a str,
    pub due_on: &'a str,
    pub key: &'a str,
}

/// The office invoices a person's account for whatever it says (a costume,
/// a trip, a lesson), due when it says: from today to a year ahead, five
/// days when left empty. The same form sent twice issues one invoice.
pub async fn issue_by_office(db: &DatabaseConnection, office: &crate::server::guards::Office, form: OfficeInvoiceForm<'_>, today: NaiveDate) -> Result<invoice::Model, AppError> {
    use crate::domain::{money::Zero, text::{self, Lines}};
    let key = crate::passes::service::sales::form_key(form.key)?;
    let description = text::required(form.description, 200, Lines::One, "Напишите, за что счёт.", "Не длиннее 200 символов.")
        .map_err(|m| AppError::field("description", m))?;
    let amount = Kopecks::parse(form.amount, Zero::Refused).map_err(|p| AppError::field("amount", p.message()))?;
    let due_on = match form.due_on.trim() {
        "" => today + Days::new(DAYS_TO_PAY),
        typed => crate::domain::iso::parse_date(typed)
            .filter(|d| *d >= today && *d <= today + Days::new(366))
            .ok_or_else(|| AppError::field("due_on", "Срок оплаты — от сегодняшнего дня до года вперёд."))?,
    };
    let txn = crate::server::db::write(db).await?;
    let account = super::accounts::account_of_student(&txn, form.person).await?;
    lock(&txn, account.id).await?;
    if let Some(done) = invoice::Entity::find().filter(invoice::Column::IdempotencyKey.eq(key.as_str())).one(&txn).await? {
        return Ok(done);
    }
    let new = NewInvoice { account: account.id, student: Some(form.person), lines: vec![(description.clone(), amount, None)], due_on, key: Some(key), by: Some(office.id) };
    let inv = issue(&txn, new, today).await?;
    let changes = serde_json::json!({ "number": [null, inv.number().to_string()], "total": [null, amount.0], "description": [null, description] });
    crate::server::audit::record(&txn, office, "create", "invoice", Some(inv.id), changes).await?;
    txn.commit().await?;
    Ok(inv)
}

/// The office cancels an invoice nothing was paid on: its charge is undone
/// by a correction entry with the reason (the charge stays in the books).
/// Cancelling it again changes nothing.
pub async fn cancel(db: &DatabaseConnection, office: &crate::server::guards::Office, invoice_id: i32, reason: &str) -> Result<(), AppError> {
    use crate::domain::text::{self, Lines};
    let reason = text::required(reason, 200, Lines::One, "Укажите причину отмены.", "Причина — не длиннее 200 символов.")
        .map_err(|m| AppError::field("reason", m))?;
    let txn = crate::server::db::write(db).await?;
    let account = invoice::Entity::find_by_id(invoice_id).one(&txn).await?.ok_or(AppError::NotFound)?.account_id;
    lock(&txn, account).await?;
    let inv = invoice::Entity::find_by_id(invoice_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if inv.cancelled_at.is_some() {
        return Ok(());
    }
    if inv.paid > 0 {
        return Err(AppError::Conflict("По счёту уже есть оплата: сначала оформите возврат.".into()));
    }
    let charge = money_entry::Entity::find()
        .filter(money_entry::Column::InvoiceId.eq(inv.id))
        .filter(money_entry::Column::Kind.eq(MoneyKind::Charge))
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    append(
        &txn,
        money_entry::ActiveModel {
            account_id: Set(account),
            kind: Set(MoneyKind::Correction),
            amount: Set(-charge.amount),
            invoice_id: Set(Some(inv.id)),
            entry_id: Set(Some(charge.id)),
            reason: Set(Some(reason.clone())),
            created_by: Set(Some(office.id)),
            ..Default::default()
        },
    )
    .await?;
    let id = inv.id;
    invoice::ActiveModel { status: Set(InvoiceStatus::Cancelled), cancelled_at: Set(Some(Utc::now())), ..inv.into() }.update(&txn).await?;
    crate::server::audit::record(&txn, office, "cancel", "invoice", Some(id), serde_json::json!({ "reason": [null, reason] })).await?;
    txn.commit().await?;
    Ok(())
}
