//! The school's books: accounts and their entries (`accounts`), invoices
//! (`invoices`), payments and refunds (`money`), the bank details invoices
//! carry (`bank`), the reports and the teachers' payroll. Every change is one transaction under the account's lock.
pub mod accounts;
pub mod bank;
pub mod credit;
pub mod invoices;
pub mod letters;
pub mod lists;
pub mod money;
pub mod payroll;
pub mod reports;
pub mod views;
