//! The office's view of the books: passes waiting for payment, passes
//! ending soon with lessons left, lessons on credit, and the report per
//! course and month (`domain::report`).
use crate::{
    domain::{money::Kopecks, pass::EntryKind, report::{Month, ReportRow, totals}},
    error::AppError,
    passes::wire::{CreditRow, OfficePasses, PassListRow},
    server::{
        courses,
        entities::{attendance, enrollment, pass, pass_entry, user},
    },
};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// How far ahead «ending soon» looks.
const ENDING_DAYS: u64 = 7;

async fn names_of(db: &DatabaseConnection, ids: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, String>, AppError> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u.full_name)).collect())
}

pub async fn office_passes(db: &DatabaseConnection, month: Month, today: NaiveDate, tz: chrono_tz::Tz) -> Result<OfficePasses, AppError> {
    let waiting = pass::Entity::find().filter(pass::Column::SoldAt.is_null()).order_by_asc(pass::Column::CreatedAt).all(db).await?;
    let ending = pass::Entity::find()
        .filter(pass::Column::SoldAt.is_not_null())
        .filter(pass::Column::LessonsLeft.gt(0))
        .filter(pass::Column::ValidUntil.between(today, today + Days::new(ENDING_DAYS)))
        .order_by_asc(pass::Column::ValidUntil)
        .all(db)
        .await?;
    let owed = attendance::Entity::find().filter(attendance::Column::OnCredit.eq(true)).order_by_asc(attendance::Column::SessionDate).all(db).await?;
    let enrollments: HashMap<i32, enrollment::Model> = enrollment::Entity::find()
        .filter(enrollment::Column::Id.is_in(owed.iter().map(|m| m.enrollment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let students = waiting.iter().chain(&ending).filter_map(|p| p.student_id).chain(enrollments.values().filter_map(|e| e.student_id));
    let names = names_of(db, students.collect::<Vec<_>>()).await?;
    let course_ids = waiting.iter().chain(&ending).filter_map(|p| p.course_id).chain(enrollments.values().map(|e| e.course_id));
    let titles = courses::names(db, course_ids.collect::<Vec<_>>()).await?;
    let title = |id: Option<i32>| id.and_then(|c| titles.get(&c)).map(|n| n.title.clone()).unwrap_or_default();
    let row = |p: pass::Model| PassListRow {
        student_id: p.student_id.unwrap_or_default(),
        student_name: p.student_id.and_then(|s| names.get(&s).cloned()).unwrap_or_else(|| "Удалённый ученик".into()),
        course_title: title(p.course_id),
        name: p.name,
        lessons_left: p.lessons_left,
        valid_until: p.valid_until,
    };
    let waiting = waiting.into_iter().map(row).collect();
    let ending = ending.into_iter().map(row).collect();
    let credits = owed
        .into_iter()
        .filter_map(|m| {
            let e = enrollments.get(&m.enrollment_id)?;
            let student = e.student_id?;
            Some(CreditRow {
                student_id: student,
                student_name: names.get(&student).cloned().unwrap_or_default(),
                course_title: title(Some(e.course_id)),
                date: m.session_date,
            })
        })
        .collect();
    let report = report(db, month, today, tz).await?;
    Ok(OfficePasses { waiting, ending, credits, month: month.slug(), totals: totals(&report), report })
}

/// Per course, in `month`: passes sold (by the school's clock) and their
/// money, lessons written off (net of returns, by the lesson's day),
/// lessons left on passes that ended unused, lessons on credit.
pub async fn report(db: &DatabaseConnection, month: Month, today: NaiveDate, tz: chrono_tz::Tz) -> Result<Vec<ReportRow>, AppError> {
    let midnight = |day: NaiveDate| tz.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).earliest().map(|t| t.with_timezone(&Utc));
    let (Some(from), Some(until)) = (midnight(month.first), midnight(month.last + Days::new(1))) else { return Ok(Vec::new()) };
    let mut rows: BTreeMap<i32, ReportRow> = BTreeMap::new();
    for p in pass::Entity::find().filter(pass::Column::SoldAt.gte(from)).filter(pass::Column::SoldAt.lt(until)).all(db).await? {
        let r = rows.entry(p.course_id.unwrap_or_default()).or_default();
        r.passes_sold += 1;
        r.revenue = Kopecks(r.revenue.0 + p.price);
    }
    let entries = pass_entry::Entity::find()
        .filter(pass_entry::Column::Kind.is_in([EntryKind::WriteOff, EntryKind::Return]))
        .filter(pass_entry::Column::LessonDate.between(month.first, month.last))
        .all(db)
        .await?;
    let course_of: HashMap<i32, Option<i32>> = pass::Entity::find()
        .filter(pass::Column::Id.is_in(entries.iter().map(|e| e.pass_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.course_id))
        .collect();
    for e in entries {
        let course = course_of.get(&e.pass_id).copied().flatten().unwrap_or_default();
        rows.entry(course).or_default().written_off -= i64::from(e.lessons);
    }
    let ended_by = month.last.min(today.pred_opt().unwrap_or(today));
    for p in pass::Entity::find()
        .filter(pass::Column::SoldAt.is_not_null())
        .filter(pass::Column::LessonsLeft.gt(0))
        .filter(pass::Column::ValidUntil.between(month.first, ended_by))
        .all(db)
        .await?
    {
        rows.entry(p.course_id.unwrap_or_default()).or_default().expired += i64::from(p.lessons_left);
    }
    let owed = attendance::Entity::find()
        .filter(attendance::Column::OnCredit.eq(true))
        .filter(attendance::Column::SessionDate.between(month.first, month.last))
        .all(db)
        .await?;
    let enrolled: HashMap<i32, i32> = enrollment::Entity::find()
        .filter(enrollment::Column::Id.is_in(owed.iter().map(|m| m.enrollment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.course_id))
        .collect();
    for m in owed {
        rows.entry(enrolled.get(&m.enrollment_id).copied().unwrap_or_default()).or_default().on_credit += 1;
    }
    let titles = courses::names(db, rows.keys().copied().collect::<Vec<_>>()).await?;
    let mut rows: Vec<ReportRow> = rows
        .into_iter()
        .map(|(course, r)| ReportRow { course_title: titles.get(&course).map(|n| n.title.clone()).unwrap_or_else(|| "Курс удалён".into()), ..r })
        .collect();
    rows.sort_by(|a, b| a.course_title.cmp(&b.course_title));
    Ok(rows)
}
