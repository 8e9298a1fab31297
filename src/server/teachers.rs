//! A teacher as the school names them: the teacher row joined with its
//! account. Every query that needs a teacher's name or address goes here.
use super::entities::{course_teacher, teacher, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

/// The given teachers with their accounts (all teachers for `None`).
pub async fn with_accounts(
    db: &impl ConnectionTrait,
    ids: Option<Vec<i32>>,
) -> Result<Vec<(teacher::Model, user::Model)>, DbErr> {
    let mut query = teacher::Entity::find();
    if let Some(ids) = ids {
        query = query.filter(teacher::Column::Id.is_in(ids));
    }
    Ok(query.find_also_related(user::Entity).all(db).await?.into_iter().filter_map(|(t, u)| Some((t, u?))).collect())
}

/// One teacher with their account.
pub async fn one(db: &impl ConnectionTrait, id: i32) -> Result<Option<(teacher::Model, user::Model)>, DbErr> {
    Ok(with_accounts(db, Some(vec![id])).await?.pop())
}

/// Names of the given teachers, by teacher id.
pub async fn teacher_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, DbErr> {
    let ids = ids.into_iter().collect();
    Ok(with_accounts(db, Some(ids)).await?.into_iter().map(|(t, u)| (t.id, u.full_name)).collect())
}

/// The ids of the teachers of a course.
pub async fn of_course(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<i32>, DbErr> {
    Ok(course_teacher::Entity::find()
        .filter(course_teacher::Column::CourseId.eq(course_id))
        .all(db)
        .await?
        .into_iter()
        .map(|ct| ct.teacher_id)
        .collect())
}

/// The teacher profile of an account, if it has one.
pub async fn of_account(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<teacher::Model>, DbErr> {
    teacher::Entity::find().filter(teacher::Column::UserId.eq(user_id)).one(db).await
}

/// The courses a teacher teaches.
pub async fn courses_taught_by(db: &impl ConnectionTrait, teacher_id: i32) -> Result<HashSet<i32>, DbErr> {
    Ok(course_teacher::Entity::find()
        .filter(course_teacher::Column::TeacherId.eq(teacher_id))
        .all(db)
        .await?
        .into_iter()
        .map(|ct| ct.course_id)
        .collect())
}
