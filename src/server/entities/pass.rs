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

impl ActiveModel {
    /// A pass of type `t` for `student` from `from`, with nothing in its
    /// ledger yet (no lessons left until the sale is written).
    pub fn of_type(t: &super::pass_type::Model, student: i32, from: Date) -> ActiveModel {
        use sea_orm::ActiveValue::Set;
        ActiveModel {
            student_id: Set(Some(student)),
            course_id: Set(Some(t.course_id)),
            pass_type_id: Set(Some(t.id)),
            format: Set(t.format),
            name: Set(t.name.clone()),
            lessons_bought: Set(t.lessons),
            price: Set(t.price),
            valid_from: Set(from),
            valid_until: Set(crate::domain::pass::valid_until(from, t.valid_days)),
            lessons_left: Set(0),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
    }
}
