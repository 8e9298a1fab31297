//! Reminders people rely on: a letter to each student before each confirmed
//! session (`KULISY_REMINDER_HOURS` ahead, 24 by default) and a morning
//! digest to each teacher with requests waiting (`KULISY_DIGEST_HOUR`, 8).
//!
//! Nothing is scheduled in advance: every minute each app process looks at
//! the sessions now within reach, computed from the course's current slots
//! (so a rescheduled course is reminded at its new time). A reminder goes
//! out when its row in `sent_reminders` is inserted, in the transaction that
//! queues the letter; the row's unique key lets exactly one process, once,
//! win each reminder across restarts and instances.
use super::{
    Config,
    entities::{course_slot, enrollment, sent_reminder, user},
    links, mail,
};
use crate::domain::{EnrollmentStatus, ru};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use std::collections::{HashMap, HashSet};

/// A session someone is to be reminded of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub starts: NaiveDateTime,
    pub room: String,
}

/// Sessions of weekly `slots` inside `[first, last]` whose start (local, in
/// `tz`) falls in `(now, now + lead]`.
pub fn sessions_within(
    slots: &[course_slot::Model],
    first: NaiveDate,
    last: NaiveDate,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    lead: Duration,
) -> Vec<Session> {
    let from = now.with_timezone(&tz).date_naive();
    let to = (now + lead).with_timezone(&tz).date_naive();
    let mut out = Vec::new();
    let mut day = from.max(first);
    while day <= to.min(last) {
        for slot in slots.iter().filter(|s| i64::from(s.weekday) == i64::from(day.weekday().number_from_monday())) {
            let starts = day.and_time(slot.starts_at);
            let Some(at) = tz.from_local_datetime(&starts).earliest() else { continue };
            let at = at.with_timezone(&Utc);
            if at > now && at <= now + lead {
                out.push(Session { starts, room: slot.room.clone() });
            }
        }
        day = day.succ_opt().expect("dates of a term are far from the end of time");
    }
    out.sort_by_key(|s| s.starts);
    out
}

/// Claims a reminder as the first statement of `txn` (on SQLite a write
/// first takes the lock; a read first could not upgrade under contention);
/// false when it was claimed already, by this process or another.
pub(crate) async fn claim(txn: &sea_orm::DatabaseTransaction, kind: &str, subject_id: i32, occasion: &str) -> Result<bool, DbErr> {
    let row = sent_reminder::ActiveModel {
        kind: Set(kind.into()),
        subject_id: Set(subject_id),
        occasion: Set(occasion.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let once = OnConflict::columns([
        sent_reminder::Column::Kind,
        sent_reminder::Column::SubjectId,
        sent_reminder::Column::Occasion,
    ])
    .do_nothing()
    .to_owned();
    let inserted = sent_reminder::Entity::insert(row).on_conflict(once).exec_without_returning(txn).await?;
    Ok(inserted == 1)
}

/// Reminders of `kind` sent already to `subjects` for occasions from `day`
/// on (occasions start with their date), as (subject, occasion). A plain
/// read each minute, so that only reminders not sent yet open a write
/// transaction (the claim decides between processes).
async fn already_sent(
    db: &DatabaseConnection,
    kind: &str,
    subjects: impl IntoIterator<Item = i32>,
    day: NaiveDate,
) -> Result<HashSet<(i32, String)>, DbErr> {
    Ok(sent_reminder::Entity::find()
        .filter(sent_reminder::Column::Kind.eq(kind))
        .filter(sent_reminder::Column::SubjectId.is_in(subjects))
        .filter(sent_reminder::Column::Occasion.gte(day.to_string()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.subject_id, r.occasion))
        .collect())
}

/// Queues every reminder due at `now`; returns how many.
pub async fn send_due(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, DbErr> {
    Ok(session_reminders(db, config, now).await? + teacher_digests(db, config, now).await?)
}

async fn session_reminders(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let tz = config.time_zone;
    let today = now.with_timezone(&tz).date_naive();
    let horizon = (now + config.reminder_lead).with_timezone(&tz).date_naive();
    let confirmed = enrollment::Entity::find()
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Confirmed))
        .filter(enrollment::Column::PeriodEnd.gte(today))
        .filter(enrollment::Column::PeriodStart.lte(horizon))
        .all(db)
        .await?;
    if confirmed.is_empty() {
        return Ok(0);
    }
    let course_ids: Vec<i32> = confirmed.iter().map(|e| e.course_id).collect();
    let mut slots: HashMap<i32, Vec<course_slot::Model>> = HashMap::new();
    for s in course_slot::Entity::find().filter(course_slot::Column::CourseId.is_in(course_ids.clone())).all(db).await? {
        slots.entry(s.course_id).or_default().push(s);
    }
    let courses = super::courses::names(db, course_ids).await?;
    let students: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(confirmed.iter().filter_map(|e| e.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let sent = already_sent(db, "session", confirmed.iter().map(|e| e.id), today).await?;
    let school = super::settings::school(db).await?;
    let mut queued = 0;
    for e in &confirmed {
        let Some(student) = e.student_id.and_then(|id| students.get(&id)) else { continue };
        let course_slots = slots.get(&e.course_id).map(Vec::as_slice).unwrap_or_default();
        for session in sessions_within(course_slots, e.period_start, e.period_end, tz, now, config.reminder_lead) {
            let occasion = session.starts.format("%Y-%m-%dT%H:%M").to_string();
            if sent.contains(&(e.id, occasion.clone())) {
                continue;
            }
            let txn = super::db::write(db).await?;
            if !claim(&txn, "session", e.id, &occasion).await? {
                continue;
            }
            let title = courses.get(&e.course_id).map(|c| c.title.clone()).unwrap_or_default();
            let when = format!("{}, {}", ru::date(session.starts.date()), ru::time(session.starts.time()));
            let text = format!("Напоминаем о занятии курса «{title}»: {when}, {}.", session.room);
            let link = links::to(&config.site_url, links::HISTORY);
            let letters = mail::compose_about(
                &txn,
                student.id,
                student,
                &format!("Напоминание: занятие {}", ru::day_month(session.starts.date())),
                &[&text, "Если не сможете прийти, предупредите педагога."],
                Some(("Мои записи", &link)),
            )
            .await?;
            for letter in letters {
                mail::enqueue_signed(&txn, letter, &school).await?;
            }
            txn.commit().await?;
            queued += 1;
        }
    }
    Ok(queued)
}

async fn teacher_digests(db: &DatabaseConnection, config: &Config, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let local = now.with_timezone(&config.time_zone);
    if local.hour() < config.digest_hour {
        return Ok(0);
    }
    let mut waiting: HashMap<i32, usize> = HashMap::new();
    for e in enrollment::Entity::find()
        .filter(enrollment::Column::Status.eq(EnrollmentStatus::Pending))
        .all(db)
        .await?
    {
        if let Some(t) = e.teacher_id {
            *waiting.entry(t).or_default() += 1;
        }
    }
    if waiting.is_empty() {
        return Ok(0);
    }
    let occasion = local.date_naive().to_string();
    let sent = already_sent(db, "digest", waiting.keys().copied(), local.date_naive()).await?;
    waiting.retain(|t, _| !sent.contains(&(*t, occasion.clone())));
    if waiting.is_empty() {
        return Ok(0);
    }
    let link = links::to(&config.site_url, links::DESK);
    let school = super::settings::school(db).await?;
    let mut queued = 0;
    for (t, u) in super::teachers::with_accounts(db, Some(waiting.keys().copied().collect())).await? {
        if !u.is_active {
            continue;
        }
        let n = waiting[&t.id] as i64;
        let txn = super::db::write(db).await?;
        if !claim(&txn, "digest", t.id, &occasion).await? {
            continue;
        }
        let text = format!(
            "{n} {} ждут вашего решения. Ученики узнают ответ письмом.",
            ru::plural(n, ["заявка", "заявки", "заявок"])
        );
        let letter = mail::compose(&u.email, &u.full_name, "Заявки ждут решения", &[&text], Some(("Кабинет педагога", &link)));
        mail::enqueue_signed(&txn, letter, &school).await?;
        txn.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Looks for due reminders every minute for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, config: std::sync::Arc<Config>) {
    super::workers::every("reminders", std::time::Duration::from_secs(60), move || {
        let (db, config) = (db.clone(), config.clone());
        async move { send_due(&db, &config, Utc::now()).await.map(|sent| sent as u64) }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn slot(weekday: i16, h: u32) -> course_slot::Model {
        course_slot::Model {
            id: 1,
            course_id: 1,
            weekday,
            starts_at: NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
            duration_minutes: 120,
            room: "Зал".into(),
        }
    }

    #[test]
    fn sessions_within_reach_follow_slots_period_and_zone() {
        let tz = chrono_tz::Europe::Moscow;
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        // Monday 7 December 2026, 10:00 in Moscow.
        let now = tz.from_local_datetime(&d(7).and_hms_opt(10, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
        let slots = [slot(1, 19), slot(2, 9), slot(2, 11)];
        let found = sessions_within(&slots, d(1), d(31), tz, now, Duration::hours(24));
        let starts: Vec<_> = found.iter().map(|s| s.starts).collect();
        // Monday 19:00 and Tuesday 09:00 are within a day; Tuesday 11:00 is not.
        assert_eq!(starts, [d(7).and_hms_opt(19, 0, 0).unwrap(), d(8).and_hms_opt(9, 0, 0).unwrap()]);
        // Outside the period: nothing.
        assert!(sessions_within(&slots, d(9), d(31), tz, now, Duration::hours(24)).is_empty());
        // Already started: not reminded.
        assert!(sessions_within(&[slot(1, 9)], d(1), d(31), tz, now, Duration::hours(24)).is_empty());
    }
}
