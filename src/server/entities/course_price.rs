use crate::domain::CourseFormat;
use sea_orm::entity::prelude::*;

/// A course's prices in one format, in kopecks.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_prices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub format: CourseFormat,
    pub lesson_price: i64,
    /// Zero: the trial lesson is free.
    pub trial_price: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
