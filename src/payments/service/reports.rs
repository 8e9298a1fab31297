//! The office's money reports for any period: what arrived (payments by
//! the day they were paid) and what went back (refunds by the day they
//! were written, in the school's time zone), by day, month, course and way
//! of paying; the refunds one by one; the debts as they stand.
use super::lists::{debtors, payers};
use crate::{
    domain::{
        ledger::{MoneyKind, PaymentMethod},
        money::Kopecks,
        report::{Period, RevenueRow},
        ru,
    },
    error::AppError,
    payments::wire::{MoneyReports, RefundRow},
    server::{
        courses,
        entities::{invoice_line, money_account, money_entry, pass},
    },
};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// One payment or refund, as the reports need it.
struct Movement {
    day: NaiveDate,
    amount: i64,
    refund: bool,
    method: Option<PaymentMethod>,
    invoice: Option<i32>,
}

/// The period's first and last instants in the school's time zone.
fn instants(period: Period, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let midnight = |day: NaiveDate| tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc));
    Some((midnight(period.from)?, midnight(period.to + Days::new(1))?))
}

/// Payments (by the day paid) and refunds (by the day written) of the period.
async fn movements(db: &impl ConnectionTrait, period: Period, tz: Tz) -> Result<(Vec<Movement>, Vec<money_entry::Model>), AppError> {
    let Some((from, until)) = instants(period, tz) else { return Ok(Default::default()) };
    let payments: Vec<(i64, Option<NaiveDate>, Option<PaymentMethod>, Option<i32>)> = money_entry::Entity::find()
        .select_only()
        .columns([money_entry::Column::Amount, money_entry::Column::PaidOn, money_entry::Column::Method, money_entry::Column::InvoiceId])
        .filter(money_entry::Column::Kind.eq(MoneyKind::Payment))
        .filter(money_entry::Column::PaidOn.between(period.from, period.to))
        .into_tuple()
        .all(db)
        .await?;
    let refunds = money_entry::Entity::find()
        .filter(money_entry::Column::Kind.eq(MoneyKind::Refund))
        .filter(money_entry::Column::CreatedAt.gte(from))
        .filter(money_entry::Column::CreatedAt.lt(until))
        .order_by_asc(money_entry::Column::CreatedAt)
        .all(db)
        .await?;
    let mut moves: Vec<Movement> = payments
        .into_iter()
        .map(|(amount, day, method, invoice)| Movement { day: day.unwrap_or(period.from), amount, refund: false, method, invoice })
        .collect();
    moves.extend(refunds.iter().map(|r| Movement {
        day: r.created_at.with_timezone(&tz).date_naive(),
        amount: -r.amount,
        refund: true,
        method: r.method,
        invoice: r.invoice_id,
    }));
    Ok((moves, refunds))
}

/// The course each invoice sold a pass of.
async fn courses_of_invoices(db: &impl ConnectionTrait, invoices: Vec<i32>) -> Result<HashMap<i32, i32>, AppError> {
    let lines: Vec<(i32, Option<i32>)> = invoice_line::Entity::find()
        .select_only()
        .columns([invoice_line::Column::InvoiceId, invoice_line::Column::PassId])
        .filter(invoice_line::Column::InvoiceId.is_in(invoices))
        .filter(invoice_line::Column::PassId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let passes: HashMap<i32, Option<i32>> = pass::Entity::find()
        .select_only()
        .columns([pass::Column::Id, pass::Column::CourseId])
        .filter(pass::Column::Id.is_in(lines.iter().filter_map(|(_, p)| *p)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(lines.into_iter().filter_map(|(invoice, p)| Some((invoice, passes.get(&p?).copied().flatten()?))).collect())
}

/// Adds a movement to the line it belongs to.
fn add<K: Ord>(rows: &mut BTreeMap<K, RevenueRow>, key: K, m: &Movement) {
    let row = rows.entry(key).or_default();
    if m.refund {
        row.refunds.0 += m.amount;
    } else {
        row.payments.0 += m.amount;
    }
}

fn labelled<K: Ord>(rows: BTreeMap<K, RevenueRow>, label: impl Fn(&K) -> String) -> Vec<RevenueRow> {
    rows.into_iter().map(|(k, r)| RevenueRow { label: label(&k), ..r }).collect()
}

/// Revenue per month of the period, every month listed (the dashboard's chart).
pub async fn by_month(db: &impl ConnectionTrait, period: Period, tz: Tz) -> Result<Vec<(NaiveDate, RevenueRow)>, AppError> {
    let (moves, _) = movements(db, period, tz).await?;
    Ok(months(period, &moves).into_iter().collect())
}

fn months(period: Period, moves: &[Movement]) -> BTreeMap<NaiveDate, RevenueRow> {
    let mut rows: BTreeMap<NaiveDate, RevenueRow> = period.months().into_iter().map(|m| (m, RevenueRow { label: ru::month(m), ..Default::default() })).collect();
    for m in moves {
        add(&mut rows, m.day.with_day(1).expect("the first of a month"), m);
    }
    rows
}

pub async fn money_reports(db: &impl ConnectionTrait, period: Period, tz: Tz) -> Result<MoneyReports, AppError> {
    let (moves, refunds) = movements(db, period, tz).await?;
    let mut invoices: Vec<i32> = moves.iter().filter_map(|m| m.invoice).collect();
    invoices.sort_unstable();
    invoices.dedup();
    let course_of = courses_of_invoices(db, invoices).await?;
    let titles = courses::names(db, course_of.values().copied().collect::<Vec<_>>()).await?;
    let (mut days, mut methods, mut courses) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for m in &moves {
        add(&mut days, m.day, m);
        add(&mut methods, m.method.map(PaymentMethod::label), m);
        let course = m.invoice.and_then(|i| course_of.get(&i)).and_then(|c| titles.get(c)).map(|n| n.title.clone());
        add(&mut courses, course, m);
    }
    let accounts = money_account::Entity::find().filter(money_account::Column::Id.is_in(refunds.iter().map(|r| r.account_id))).all(db).await?;
    let payers = payers(db, &accounts).await?;
    let refunds = refunds
        .into_iter()
        .map(|r| {
            let (payer, person) = payers.get(&r.account_id).cloned().unwrap_or_default();
            RefundRow { day: r.created_at.with_timezone(&tz).date_naive(), payer, person, amount: Kopecks(-r.amount), reason: r.reason.unwrap_or_default() }
        })
        .collect();
    Ok(MoneyReports {
        period,
        by_day: labelled(days, |d| ru::date(*d)),
        by_month: months(period, &moves).into_values().collect(),
        by_course: labelled(courses, |c| c.clone().unwrap_or_else(|| "Без курса (аванс, прочее)".into())),
        by_method: labelled(methods, |m| m.unwrap_or("Не указан").to_string()),
        refunds,
        debtors: debtors(db).await?,
    })
}
