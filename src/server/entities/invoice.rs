use crate::domain::ledger::{InvoiceNumber, InvoiceStatus};
use sea_orm::entity::prelude::*;

/// An invoice to an account: numbered per year, its total charged when it
/// is issued; `paid` is what its payments brought less their refunds.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub seq: i32,
    pub account_id: i32,
    /// Whose lessons it is for.
    pub student_id: Option<i32>,
    pub total: i64,
    pub paid: i64,
    pub status: InvoiceStatus,
    pub due_on: Date,
    pub idempotency_key: Option<String>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
}

impl Model {
    pub fn number(&self) -> InvoiceNumber {
        InvoiceNumber { year: self.year, seq: self.seq }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
