use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sent_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// session | digest
    pub kind: String,
    pub subject_id: i32,
    pub occasion: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
