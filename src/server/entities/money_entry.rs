use crate::domain::ledger::{MoneyKind, PaymentMethod};
use sea_orm::entity::prelude::*;

/// One line of an account's books; never edited or deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "money_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    pub kind: MoneyKind,
    /// Kopecks: a payment adds, a charge and a refund take away.
    pub amount: i64,
    pub invoice_id: Option<i32>,
    /// The payment a refund gives back from; the entry a correction undoes.
    pub entry_id: Option<i32>,
    pub method: Option<PaymentMethod>,
    /// The fiscal receipt's number (54-ФЗ) from the school's cash register.
    pub receipt_number: Option<String>,
    pub paid_on: Option<Date>,
    pub reason: Option<String>,
    pub idempotency_key: Option<String>,
    /// The attendance mark a lesson on credit was charged for.
    pub attendance_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
