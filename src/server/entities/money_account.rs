use sea_orm::entity::prelude::*;

/// Whose money: a family (its guardians pay for its children) or an adult
/// student. `balance` is the sum of its entries: below zero it owes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "money_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub family_id: Option<i32>,
    pub user_id: Option<i32>,
    pub balance: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
