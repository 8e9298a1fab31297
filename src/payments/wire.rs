//! What the payments pages and server functions exchange.
use crate::domain::{
    ledger::{InvoiceStatus, MoneyKind, PaymentMethod},
    money::Kopecks,
    payroll::PayrollRow,
    report::{Period, RevenueRow},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An invoice as the family and the office see it, with what to pay by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub id: i32,
    /// «2027-000123».
    pub number: String,
    pub status: InvoiceStatus,
    pub total: Kopecks,
    pub paid: Kopecks,
    pub due_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub student_name: Option<String>,
    pub lines: Vec<InvoiceLineView>,
    pub payment: Option<PayBy>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLineView {
    pub description: String,
    pub amount: Kopecks,
}

/// The school's bank details and the payment QR code, or why there are
/// none (the school has not written its details).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayBy {
    Bank {
        details: crate::domain::bank::BankDetails,
        purpose: String,
        /// The QR code drawn on the server (SVG), scanned by a bank app.
        qr_svg: String,
    },
    NoDetails,
}

/// One entry of an account's books.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyEntryView {
    pub id: i32,
    pub kind: MoneyKind,
    pub amount: Kopecks,
    pub at: DateTime<Utc>,
    pub paid_on: Option<NaiveDate>,
    pub method: Option<PaymentMethod>,
    pub receipt_number: Option<String>,
    pub invoice_number: Option<String>,
    pub reason: Option<String>,
}

/// A family's (or an adult student's) money: balance, invoices, entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: i32,
    /// Whose: the family's guardians, or the student.
    pub name: String,
    /// Below zero, owed.
    pub balance: Kopecks,
    pub invoices: Vec<InvoiceView>,
    pub entries: Vec<MoneyEntryView>,
}

/// The office's view of a person's account, with fresh keys for its forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeAccount {
    pub person: i32,
    pub person_name: String,
    /// None until the first invoice or payment.
    pub account: Option<AccountView>,
    /// Invoices that wait for money: id, number, what is left.
    pub awaiting: Vec<(i32, String, Kopecks)>,
    pub refundable: Vec<Refundable>,
    pub payment_key: String,
    /// The key of the office's «Выставить счёт» form.
    pub invoice_key: String,
}

/// A payment that can still be refunded, with its form's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refundable {
    pub entry: i32,
    pub paid_on: Option<NaiveDate>,
    pub amount: Kopecks,
    pub left: Kopecks,
    pub key: String,
}

/// The office's overview of money owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeMoney {
    /// Invoices past their due date, oldest first.
    pub overdue: Vec<OverdueRow>,
    /// Accounts below zero, the largest debt first.
    pub debtors: Vec<DebtorRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub invoice_id: i32,
    pub number: String,
    pub student_name: String,
    pub left: Kopecks,
    pub due_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorRow {
    pub name: String,
    /// Whose money page to open: the adult, or a guardian of the family.
    pub person: Option<i32>,
    pub debt: Kopecks,
}

/// The office's money reports for a period: revenue by day, month, course
/// and way of paying; the refunds; the debts as they stand today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyReports {
    pub period: Period,
    pub by_day: Vec<RevenueRow>,
    pub by_month: Vec<RevenueRow>,
    pub by_course: Vec<RevenueRow>,
    pub by_method: Vec<RevenueRow>,
    pub refunds: Vec<RefundRow>,
    pub debtors: Vec<DebtorRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRow {
    pub day: NaiveDate,
    pub payer: String,
    pub person: Option<i32>,
    pub amount: Kopecks,
    pub reason: String,
}

/// The teachers' pay for a period, and the lessons no teacher could be
/// named for (marked by the office in a course with several teachers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payroll {
    pub period: Period,
    pub rows: Vec<PayrollRow>,
    pub unassigned: i64,
}

/// A lesson a teacher taught, on their own pay page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaughtLesson {
    pub day: NaiveDate,
    pub course_title: String,
    pub visits: i64,
}

/// A teacher's own line of the payroll, with its lessons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPay {
    pub period: Period,
    pub row: PayrollRow,
    pub lessons: Vec<TaughtLesson>,
}
