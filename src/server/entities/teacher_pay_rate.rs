use crate::domain::payroll::PayBasis;
use sea_orm::entity::prelude::*;

/// What the school pays a teacher: per lesson taught or per student who
/// came, in kopecks; set by the office.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "teacher_pay_rates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub teacher_id: i32,
    pub basis: PayBasis,
    pub rate: i64,
    pub updated_by: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
