use crate::domain::{CourseFormat, EnrollmentStatus, enrollment::{PartnerAnswer, Period}};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrollments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub student_id: Option<i32>,
    pub course_id: i32,
    pub teacher_id: Option<i32>,
    pub format: CourseFormat,
    pub partner_id: Option<i32>,
    pub partner_status: Option<PartnerAnswer>,
    pub period_start: Date,
    pub period_end: Date,
    pub status: EnrollmentStatus,
    pub seats: i16,
    pub reason: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn period(&self) -> Period {
        Period { start: self.period_start, end: self.period_end }
    }
}
