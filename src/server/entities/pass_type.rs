use crate::domain::CourseFormat;
use sea_orm::entity::prelude::*;

/// A pass the school sells for a course and format.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pass_types")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub format: CourseFormat,
    pub name: String,
    pub lessons: i32,
    pub valid_days: i32,
    /// Kopecks.
    pub price: i64,
    pub on_sale: bool,
    #[sea_orm(unique)]
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
