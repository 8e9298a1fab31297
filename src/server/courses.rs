//! Course rows as several areas read them: which courses the public sees,
//! and their titles and addresses for lists that name them.
use super::{addresses::Kind, entities::course};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Published courses not archived: what the schedule may show.
pub fn visible() -> sea_orm::Select<course::Entity> {
    course::Entity::find()
        .filter(course::Column::IsPublished.eq(true))
        .filter(course::Column::ArchivedAt.is_null())
}

/// How a list names a course: its title, and its page's readable address
/// (links never send a person through a redirect).
#[derive(Clone, Debug, Default)]
pub struct CourseName {
    pub title: String,
    pub path: String,
}

/// Courses by id as lists name them.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, CourseName>, DbErr> {
    Ok(course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Title)
        .column(course::Column::Slug)
        .filter(course::Column::Id.is_in(ids))
        .into_tuple::<(i32, String, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, title, slug)| (id, CourseName { title, path: Kind::Course.page(slug.as_deref(), id) }))
        .collect())
}
