//! Letters about a student that go out once each — a pass's last lesson, a
//! make-up ending, an invoice unpaid after its due date — to the student
//! and their guardians (`mail::compose_about`). Each is claimed in
//! `sent_reminders` in the transaction that queues it, so one process, once,
//! wins it across restarts and instances; each area decides which are due
//! in an hourly round on the school's date.
use super::{entities::user, mail, reminders::claim};
use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::{collections::HashMap, future::Future};

/// One letter: about what, once for (kind, subject, occasion).
pub struct OnceLetter {
    pub kind: &'static str,
    pub subject_id: i32,
    pub occasion: String,
    pub student: i32,
    pub title: String,
    pub text: String,
    /// The button's words and where it leads.
    pub link: (&'static str, String),
}

/// Queues each letter not sent before, to active students; how many went out.
pub async fn send(db: &DatabaseConnection, letters: Vec<OnceLetter>) -> Result<u64, DbErr> {
    if letters.is_empty() {
        return Ok(0);
    }
    let students: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(letters.iter().map(|l| l.student)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let school = super::settings::school(db).await?;
    let mut sent = 0;
    for l in letters {
        let Some(student) = students.get(&l.student).filter(|u| u.is_active) else { continue };
        let txn = super::db::write(db).await?;
        if !claim(&txn, l.kind, l.subject_id, &l.occasion).await? {
            continue;
        }
        let (label, href) = &l.link;
        for letter in mail::compose_about(&txn, student.id, student, &l.title, &[&l.text], Some((*label, href.as_str()))).await? {
            mail::enqueue_signed(&txn, letter, &school).await?;
        }
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Runs `round` every hour on the school's date, for as long as the server runs.
pub fn every_hour<F, Fut>(worker: &'static str, db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz, round: F)
where
    F: Fn(DatabaseConnection, url::Url, NaiveDate) -> Fut + Send + 'static,
    Fut: Future<Output = Result<u64, DbErr>> + Send,
{
    super::workers::every(worker, std::time::Duration::from_secs(60 * 60), move || {
        round(db.clone(), site.clone(), Utc::now().with_timezone(&tz).date_naive())
    });
}
