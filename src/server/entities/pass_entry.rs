use crate::domain::pass::EntryKind;
use sea_orm::entity::prelude::*;

/// One line of a pass's ledger; never edited or deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pass_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub pass_id: i32,
    pub kind: EntryKind,
    /// Lessons added (sale, return) or taken (write-off: −1); 0 for a freeze.
    pub lessons: i32,
    /// The attendance mark a write-off or return is for, and its lesson's day.
    pub attendance_id: Option<i32>,
    pub lesson_date: Option<Date>,
    pub freeze_from: Option<Date>,
    pub freeze_until: Option<Date>,
    pub reason: Option<String>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
