use sea_orm::entity::prelude::*;

/// A lesson to make up, given for a notice in time; booked into another
/// lesson (`booked_course_id`, `booked_date`) and spent by its mark.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "makeup_credits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub student_id: i32,
    pub course_id: i32,
    #[sea_orm(unique)]
    pub notice_id: i32,
    /// The lesson missed (the notice's day).
    pub missed_date: Date,
    pub expires_on: Date,
    pub booked_course_id: Option<i32>,
    pub booked_date: Option<Date>,
    /// The teacher's mark at the make-up lesson.
    pub attended: Option<bool>,
    pub marked_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
