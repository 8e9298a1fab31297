//! Leaving the school: deleting the account, and the export of everything
//! kept about a member.
use crate::server::addresses::Kind;
use crate::{
    domain::Role,
    error::AppError,
    server::{
        entities::{course_teacher, enrollment, family, teacher, user},
        storage::{Shelf, StoredFile},
    },
};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};

/// Deletes an account for good. Active requests are cancelled (their seats
/// go to the waitlist); enrollments and reviews stay as anonymous history
/// (their foreign keys are set to NULL); sessions, links, portfolio and media
/// go with the user. Returns the files to remove after commit.
pub async fn delete_account(
    db: &impl TransactionTrait<Transaction = sea_orm::DatabaseTransaction>,
    site: &url::Url,
    u: &user::Model,
    today: chrono::NaiveDate,
) -> Result<Vec<StoredFile>, AppError> {
    let txn = crate::server::db::write(db).await?;
    let mut files = Vec::new();
    // Children nobody else would act for go with their last guardian
    // (a teenager with a login of their own stays, on their own).
    for child in children_left_alone(&txn, u).await? {
        files.extend(erase_person(&txn, site, &child, today).await?);
    }
    if let Some(family_id) = crate::server::families::family_guarded_by(&txn, u.id).await?
        && crate::server::families::guardians_in(&txn, family_id).await?.len() == 1
    {
        family::Entity::delete_by_id(family_id).exec(&txn).await?;
    }
    files.extend(erase_person(&txn, site, u, today).await?);
    txn.commit().await?;
    Ok(files)
}

/// The children whose data goes with `guardian`'s account: those of a
/// family with no other guardian, except teenagers who sign in themselves.
pub async fn children_left_alone(db: &impl ConnectionTrait, guardian: &user::Model) -> Result<Vec<user::Model>, AppError> {
    use crate::server::families;
    let Some(family_id) = families::family_guarded_by(db, guardian.id).await? else { return Ok(Vec::new()) };
    if families::guardians_in(db, family_id).await?.len() > 1 {
        return Ok(Vec::new());
    }
    Ok(families::children_of(db, family_id).await?.into_iter().map(|(_, c)| c).filter(|c| !families::has_login(c)).collect())
}

/// Erases one person inside the caller's transaction (their account, or a
/// child's data a guardian deletes); see [`delete_account`].
pub async fn erase_person(
    txn: &impl ConnectionTrait,
    site: &url::Url,
    u: &user::Model,
    today: chrono::NaiveDate,
) -> Result<Vec<StoredFile>, AppError> {
    // The person first, then their courses: a booking in flight either
    // finished (and is withdrawn below) or waits and finds nobody.
    if !crate::enrollment::service::lock_person(txn, u.id).await? {
        return Err(AppError::NotFound);
    }
    if u.role == Role::Admin {
        let admins = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Admin))
            .filter(user::Column::IsActive.eq(true))
            .count(txn)
            .await?;
        if admins <= 1 {
            return Err(AppError::Conflict(
                "Это последний администратор школы: сначала назначьте другого.".into(),
            ));
        }
    }
    if let Some(t) = teacher::Entity::find().filter(teacher::Column::UserId.eq(u.id)).one(txn).await? {
        let teaches = course_teacher::Entity::find()
            .filter(course_teacher::Column::TeacherId.eq(t.id))
            .count(txn)
            .await?;
        if teaches > 0 {
            return Err(AppError::Conflict(
                "Вы ведёте курсы: попросите администратора сначала заменить вас на них.".into(),
            ));
        }
        // The page's addresses spell the person's name: they go with the account.
        crate::server::addresses::forget(txn, Kind::Teacher, t.id).await?;
    }
    // Seats the student held go to the waitlist, not to nobody.
    crate::enrollment::service::withdraw_everything_of(txn, site, u, today).await?;
    let mut files: Vec<StoredFile> =
        u.avatar_key.iter().map(|key| StoredFile { shelf: Shelf::Avatars, key: key.clone() }).collect();
    files.extend(crate::portfolio::service::files_of(txn, u.id).await?);
    user::Entity::delete_by_id(u.id).exec(txn).await?;
    Ok(files)
}

/// Everything the school keeps about a user, for the "download my data" button.
pub async fn export(db: &DatabaseConnection, u: &user::Model) -> Result<serde_json::Value, AppError> {
    let enrollments = enrollment::Entity::find()
        .filter(enrollment::Column::StudentId.eq(u.id))
        .all(db)
        .await?;
    Ok(serde_json::json!({
        "exported_at": Utc::now(),
        "account": {
            "email": u.email,
            "full_name": u.full_name,
            "role": u.role,
            "phone": u.phone,
            "contacts": u.contacts,
            "about": u.about,
            "has_photo": u.avatar_key.is_some(),
            "email_verified_at": u.email_verified_at,
            "created_at": u.created_at,
            "last_login_at": u.last_login_at,
        },
        "enrollments": enrollments.iter().map(|e| serde_json::json!({
            "course_id": e.course_id,
            "format": e.format,
            "period_start": e.period_start,
            "period_end": e.period_end,
            "status": e.status,
            "reason": e.reason,
            "created_at": e.created_at,
        })).collect::<Vec<_>>(),
    }))
}
