use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub enrollment_id: i32,
    pub session_date: Date,
    pub present: bool,
    pub marked_by: Option<i32>,
    pub marked_at: DateTimeUtc,
    /// The pass this mark's lesson is written off, if any.
    pub charged_pass_id: Option<i32>,
    /// A lesson attended with no valid pass: the next pass pays it first.
    pub on_credit: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
