use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub author_id: Option<i32>,
    pub enrollment_id: Option<i32>,
    pub course_id: i32,
    pub teacher_id: Option<i32>,
    pub rating: i16,
    pub body: String,
    pub status: crate::domain::review::ReviewStatus,
    pub moderator_id: Option<i32>,
    pub moderation_note: Option<String>,
    pub edited_by_moderator: bool,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
