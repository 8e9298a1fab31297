//! Letters about passes, each sent once (`sent_reminders` claims it): one
//! lesson left on a pass; a pass ends in three days with lessons left; a
//! make-up credit ends in three days unbooked. They go to the student and
//! to their guardians (`mail::compose_about`); a child's notes never do.
use crate::{
    domain::ru,
    server::{
        entities::{makeup_credit, pass, user},
        links, mail,
        reminders::claim,
    },
};
use chrono::{Days, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// How many days ahead an ending pass or make-up is told of.
const AHEAD: u64 = 3;

/// One letter to send: to whom, about what, once for (kind, subject, occasion).
struct Letter {
    kind: &'static str,
    subject_id: i32,
    occasion: String,
    student: i32,
    title: String,
    text: String,
}

/// Queues every letter due on `today`; returns how many were sent.
pub async fn send_due(db: &DatabaseConnection, site: &url::Url, today: NaiveDate) -> Result<u64, DbErr> {
    let soon = today + Days::new(AHEAD);
    let running = pass::Entity::find()
        .filter(pass::Column::SoldAt.is_not_null())
        .filter(pass::Column::LessonsLeft.gt(0))
        .filter(pass::Column::ValidUntil.gte(today))
        .all(db)
        .await?;
    let makeups = makeup_credit::Entity::find()
        .filter(makeup_credit::Column::BookedDate.is_null())
        .filter(makeup_credit::Column::ExpiresOn.between(today, soon))
        .all(db)
        .await?;
    let titles = crate::server::courses::names(db, running.iter().filter_map(|p| p.course_id).chain(makeups.iter().map(|m| m.course_id))).await?;
    let title = |id: Option<i32>| id.and_then(|c| titles.get(&c)).map(|n| n.title.clone()).unwrap_or_default();
    let mut letters = Vec::new();
    for p in &running {
        let Some(student) = p.student_id else { continue };
        let course = title(p.course_id);
        if p.lessons_left == 1 {
            letters.push(Letter {
                kind: "pass_last_lesson",
                subject_id: p.id,
                occasion: "1".into(),
                student,
                title: "На абонементе осталось одно занятие".into(),
                text: format!("На абонементе «{}» курса «{course}» осталось одно занятие. Следующий абонемент можно попросить на странице «Абонементы».", p.name),
            });
        }
        if p.valid_until <= soon {
            let left = p.lessons_left;
            letters.push(Letter {
                kind: "pass_ending",
                subject_id: p.id,
                occasion: p.valid_until.to_string(),
                student,
                title: format!("Абонемент действует до {}", ru::day_month(p.valid_until)),
                text: format!(
                    "Абонемент «{}» курса «{course}» действует до {}, а на нём ещё {left} {}. После этого дня они сгорят.",
                    p.name,
                    ru::date(p.valid_until),
                    ru::plural(left.into(), ["занятие", "занятия", "занятий"])
                ),
            });
        }
    }
    for m in &makeups {
        letters.push(Letter {
            kind: "makeup_ending",
            subject_id: m.id,
            occasion: m.expires_on.to_string(),
            student: m.student_id,
            title: format!("Отработку нужно назначить до {}", ru::day_month(m.expires_on)),
            text: format!(
                "Пропуск {} по курсу «{}» можно отработать до {}. Выберите занятие на странице «Абонементы».",
                ru::date(m.missed_date),
                title(Some(m.course_id)),
                ru::date(m.expires_on)
            ),
        });
    }
    send(db, site, letters).await
}

async fn send(db: &DatabaseConnection, site: &url::Url, letters: Vec<Letter>) -> Result<u64, DbErr> {
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
    let school = crate::server::settings::school(db).await?;
    let link = links::to(site, links::PASSES);
    let mut sent = 0;
    for l in letters {
        let Some(student) = students.get(&l.student).filter(|u| u.is_active) else { continue };
        let txn = crate::server::db::write(db).await?;
        if !claim(&txn, l.kind, l.subject_id, &l.occasion).await? {
            continue;
        }
        for letter in mail::compose_about(&txn, student.id, student, &l.title, &[&l.text], Some(("Абонементы", &link))).await? {
            mail::enqueue_signed(&txn, letter, &school).await?;
        }
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Looks for letters due every hour for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz) {
    crate::server::workers::every("pass_letters", std::time::Duration::from_secs(60 * 60), move || {
        let (db, site) = (db.clone(), site.clone());
        async move { send_due(&db, &site, Utc::now().with_timezone(&tz).date_naive()).await }
    });
}
