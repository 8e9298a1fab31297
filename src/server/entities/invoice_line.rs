use sea_orm::entity::prelude::*;

/// What an invoice is for: a pass, a lesson on credit, whatever the office wrote.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub invoice_id: i32,
    pub description: String,
    pub amount: i64,
    /// The pass this line sells: paying the invoice makes it active.
    pub pass_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
