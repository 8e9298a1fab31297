//! A child who turns 18 acts for themselves: the family lets them go, the
//! guardians lose access, and everyone is told. A daily round; the guard
//! (`ActingFor`) already refuses a guardian from the birthday on.
use crate::{
    domain::family::ADULT_AGE,
    server::{
        audit,
        entities::{family_child, user},
        families, links, mail,
    },
};
use chrono::{Months, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::Query,
};

/// Lets go every child who is 18 on `today` (the school's date). Returns how
/// many; each is released once, whichever process runs the round.
pub async fn come_of_age(db: &DatabaseConnection, site: &url::Url, today: NaiveDate) -> Result<u64, DbErr> {
    let Some(born_by) = today.checked_sub_months(Months::new(12 * u32::from(ADULT_AGE))) else { return Ok(0) };
    let grown = user::Entity::find()
        .filter(user::Column::BirthDate.lte(born_by))
        .filter(
            user::Column::Id.in_subquery(
                Query::select().column(family_child::Column::ChildId).from(family_child::Entity).to_owned(),
            ),
        )
        .limit(500)
        .all(db)
        .await?;
    let mut released = 0;
    for person in grown {
        let txn = crate::server::db::write(db).await?;
        let guardians = families::guardians_of(&txn, person.id).await?;
        // The deletion is the claim: a second process deletes nothing.
        let gone = family_child::Entity::delete_many()
            .filter(family_child::Column::ChildId.eq(person.id))
            .exec(&txn)
            .await?;
        if gone.rows_affected == 0 {
            continue;
        }
        audit::record_by_school(&txn, "family.came_of_age", "user", Some(person.id), serde_json::json!({ "guardians": [guardians.len(), 0] }))
            .await?;
        let history = links::to(site, links::HISTORY);
        let own_login = families::has_login(&person);
        let mut to_guardians = vec![format!(
            "{} исполнилось 18 лет. Теперь записями на курсы управляет сам ученик: вы больше не видите их и не получаете писем о них.",
            person.full_name
        )];
        if !own_login {
            to_guardians.push("Чтобы у ученика появился свой вход, пусть он напишет в школу со своего адреса.".into());
        }
        let to_guardians: Vec<&str> = to_guardians.iter().map(String::as_str).collect();
        for g in guardians.iter().filter(|g| g.is_active) {
            mail::enqueue(&txn, mail::compose(&g.email, &g.full_name, "Ученик стал совершеннолетним", &to_guardians, None)).await?;
        }
        if own_login {
            mail::enqueue(&txn, mail::compose(
                &person.email,
                &person.full_name,
                "Ваша учётная запись теперь только ваша",
                &["Поздравляем с совершеннолетием! Родители больше не видят ваших записей и не получают писем о них."],
                Some(("Мои записи", &history)),
            ))
            .await?;
        }
        txn.commit().await?;
        released += 1;
    }
    Ok(released)
}

/// Lets grown children go at start and then every hour (the date is the school's).
pub fn spawn_worker(db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz) {
    crate::server::workers::every("coming_of_age", std::time::Duration::from_secs(60 * 60), move || {
        let (db, site) = (db.clone(), site.clone());
        async move { come_of_age(&db, &site, Utc::now().with_timezone(&tz).date_naive()).await }
    });
}
