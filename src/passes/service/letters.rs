//! Letters about passes, each sent once (`server::once_letters`): one
//! lesson left on a pass; a pass ends in three days with lessons left; a
//! make-up credit ends in three days unbooked. They go to the student and
//! to their guardians; a child's notes never do.
use crate::{
    domain::ru,
    server::{
        entities::{makeup_credit, pass},
        links,
        once_letters::{self, OnceLetter},
    },
};
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// How many days ahead an ending pass or make-up is told of.
const AHEAD: u64 = 3;

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
    let link = ("Абонементы", links::to(site, links::PASSES));
    let mut letters = Vec::new();
    for p in &running {
        let Some(student) = p.student_id else { continue };
        let course = title(p.course_id);
        if p.lessons_left == 1 {
            letters.push(OnceLetter {
                kind: "pass_last_lesson",
                subject_id: p.id,
                occasion: "1".into(),
                student,
                link: link.clone(),
                title: "На абонементе осталось одно занятие".into(),
                text: format!("На абонементе «{}» курса «{course}» осталось одно занятие. Следующий абонемент можно попросить на странице «Абонементы».", p.name),
            });
        }
        if p.valid_until <= soon {
            let left = p.lessons_left;
            letters.push(OnceLetter {
                kind: "pass_ending",
                subject_id: p.id,
                occasion: p.valid_until.to_string(),
                student,
                link: link.clone(),
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
        letters.push(OnceLetter {
            kind: "makeup_ending",
            subject_id: m.id,
            occasion: m.expires_on.to_string(),
            student: m.student_id,
            link: link.clone(),
            title: format!("Отработку нужно назначить до {}", ru::day_month(m.expires_on)),
            text: format!(
                "Пропуск {} по курсу «{}» можно отработать до {}. Выберите занятие на странице «Абонементы».",
                ru::date(m.missed_date),
                title(Some(m.course_id)),
                ru::date(m.expires_on)
            ),
        });
    }
    once_letters::send(db, letters).await
}

/// Looks for letters due every hour for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz) {
    once_letters::every_hour("pass_letters", db, site, tz, |db, site, today| async move { send_due(&db, &site, today).await });
}
