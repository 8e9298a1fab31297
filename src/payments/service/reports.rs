//! The office's money reports for any period: what arrived (payments by
//! the day they were paid) and what went back (refunds by the day they
//! were written, in the school's time zone), by day, month, course and way
//! of paying; the refunds one by one; the debts as they stand. Payments are
//! added up by the database (a year of a large school is ten thousands of
//! them); refunds are few and read one by one.
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
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};
use std::collections::{BTreeMap, HashMap};

/// Money that moved on a day by one way of paying: that day's payments of
/// that way added up by the database, or one refund (with the course of
/// the pass it gives back for; refunds are few, and their day is the
/// school's, not UTC's).
struct Movement {
    day: NaiveDate,
    amount: i64,
    refund: bool,
    method: Option<PaymentMethod>,
    course: Option<i32>,
}

/// The period's first and last instants in the school's time zone.
fn instants(period: Period, tz: Tz) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let midnight = |day: NaiveDate| tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc));
    Some((midnight(period.from)?, midnight(period.to + Days::new(1))?))
}

/// The sum of a column of kopecks, as a whole number on both databases
/// (PostgreSQL's SUM of a BIGINT is a NUMERIC).
fn kopecks_sum(column: &str) -> Expr {
    Expr::cust(format!("CAST(SUM({column}) AS BIGINT)"))
}

/// What moved in the period: payments (by the day paid and the way of
/// paying) and refunds (by the day written); the payments' sum per course;
/// the refunds themselves.
struct Moved {
    moves: Vec<Movement>,
    per_course: Vec<(Option<i32>, i64)>,
    refunds: Vec<money_entry::Model>,
}

async fn movements(db: &impl ConnectionTrait, period: Period, tz: Tz) -> Result<Moved, AppError> {
    let Some((from, until)) = instants(period, tz) else { return Ok(Moved { moves: Vec::new(), per_course: Vec::new(), refunds: Vec::new() }) };
    let paid = || {
        money_entry::Entity::find()
            .select_only()
            .filter(money_entry::Column::Kind.eq(MoneyKind::Payment))
            .filter(money_entry::Column::PaidOn.between(period.from, period.to))
    };
    let by_day: Vec<(Option<NaiveDate>, Option<PaymentMethod>, Option<i64>)> = paid()
        .columns([money_entry::Column::PaidOn, money_entry::Column::Method])
        .column_as(kopecks_sum("money_entries.amount"), "amount")
        .group_by(money_entry::Column::PaidOn)
        .group_by(money_entry::Column::Method)
        .into_tuple()
        .all(db)
        .await?;
    // The course of a payment: of the pass its invoice sells.
    let per_course: Vec<(Option<i32>, Option<i64>)> = paid()
        .column(pass::Column::CourseId)
        .column_as(kopecks_sum("money_entries.amount"), "amount")
        .join(
            JoinType::InnerJoin,
            money_entry::Entity::belongs_to(invoice_line::Entity).from(money_entry::Column::InvoiceId).to(invoice_line::Column::InvoiceId).into(),
        )
        .join(JoinType::InnerJoin, invoice_line::Entity::belongs_to(pass::Entity).from(invoice_line::Column::PassId).to(pass::Column::Id).into())
        .group_by(pass::Column::CourseId)
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
    let course_of = courses_of_invoices(db, refunds.iter().filter_map(|r| r.invoice_id).collect()).await?;
    let mut moves: Vec<Movement> = by_day
        .into_iter()
        .map(|(day, method, amount)| Movement { day: day.unwrap_or(period.from), amount: amount.unwrap_or(0), refund: false, method, course: None })
        .collect();
    moves.extend(refunds.iter().map(|r| Movement {
        day: r.created_at.with_timezone(&tz).date_naive(),
        amount: -r.amount,
        refund: true,
        method: r.method,
        course: r.invoice_id.and_then(|i| course_of.get(&i).copied()),
    }));
    let per_course = per_course.into_iter().map(|(course, amount)| (course, amount.unwrap_or(0))).collect();
    Ok(Moved { moves, per_course, refunds })
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
    Ok(months(period, &movements(db, period, tz).await?.moves).into_iter().collect())
}

fn months(period: Period, moves: &[Movement]) -> BTreeMap<NaiveDate, RevenueRow> {
    let mut rows: BTreeMap<NaiveDate, RevenueRow> = period.months().into_iter().map(|m| (m, RevenueRow { label: ru::month(m), ..Default::default() })).collect();
    for m in moves {
        add(&mut rows, m.day.with_day(1).expect("the first of a month"), m);
    }
    rows
}

pub async fn money_reports(db: &impl ConnectionTrait, period: Period, tz: Tz) -> Result<MoneyReports, AppError> {
    let Moved { moves, per_course, refunds } = movements(db, period, tz).await?;
    let course_ids = per_course.iter().filter_map(|(c, _)| *c).chain(moves.iter().filter_map(|m| m.course));
    let titles = courses::names(db, course_ids.collect::<Vec<_>>()).await?;
    let title = |course: Option<i32>| course.and_then(|c| titles.get(&c)).map(|n| n.title.clone());
    let (mut days, mut methods, mut courses) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::<Option<String>, RevenueRow>::new());
    for m in &moves {
        add(&mut days, m.day, m);
        add(&mut methods, m.method.map(PaymentMethod::label), m);
        if m.refund {
            add(&mut courses, title(m.course), m);
        }
    }
    // What was paid for no course's pass (advances, the office's own invoices).
    let mut unassigned: i64 = moves.iter().filter(|m| !m.refund).map(|m| m.amount).sum();
    for (course, amount) in per_course {
        unassigned -= amount;
        courses.entry(title(course)).or_default().payments.0 += amount;
    }
    if unassigned != 0 {
        courses.entry(None).or_default().payments.0 += unassigned;
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
