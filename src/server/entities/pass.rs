use crate::domain::CourseFormat;
use sea_orm::entity::prelude::*;

/// A pass of a student for a course: a copy of what was sold, and the
/// lessons left (the sum of its `pass_entries`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub student_id: Option<i32>,
    pub course_id: Option<i32>,
    pub pass_type_id: Option<i32>,
    pub format: CourseFormat,
    pub name: String,
    pub lessons_bought: i32,
    /// Kopecks.
    pub price: i64,
    pub valid_from: Date,
    /// Moved by each freeze.
    pub valid_until: Date,
    pub lessons_left: i32,
    /// Who asked for it (the student or a guardian), when it was asked for.
    pub requested_by: Option<i32>,
    pub sold_by: Option<i32>,
    /// None while it waits for the office.
    pub sold_at: Option<DateTimeUtc>,
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
