use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub description: String,
    pub capacity: i32,
    pub term_start: Date,
    pub term_end: Date,
    pub offers_personal: bool,
    pub offers_pair: bool,
    pub is_published: bool,
    pub seat_version: i32,
    pub archived_at: Option<DateTimeUtc>,
    /// The readable address (`server::addresses`); set in the same
    /// transaction that names the record.
    pub slug: Option<String>,
    /// The ages the course is for, in full years on its first day; either
    /// end open (`domain::family::AgeRange`).
    pub age_min: Option<i16>,
    pub age_max: Option<i16>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn ages(&self) -> crate::domain::family::AgeRange {
        crate::domain::family::AgeRange::from_columns(self.age_min, self.age_max)
    }

    pub fn formats(&self) -> Vec<crate::domain::CourseFormat> {
        use crate::domain::CourseFormat;
        let mut formats = Vec::with_capacity(2);
        if self.offers_personal {
            formats.push(CourseFormat::Personal);
        }
        if self.offers_pair {
            formats.push(CourseFormat::Pair);
        }
        formats
    }
}
