//! Teacher payroll: a lesson (a course on a day) counts when its attendance
//! was marked — by its group's marks or a make-up visitor's — and is the
//! teacher's who marked it, or the course's only teacher's when the office
//! marked it. Each teacher is paid by the rate the office set.
use crate::{
    domain::{
        money::{Kopecks, Zero},
        payroll::{PayBasis, PayRate, PayrollRow},
        report::Period,
    },
    error::AppError,
    payments::wire::{MyPay, Payroll, TaughtLesson},
    server::{
        audit, courses,
        entities::{attendance, course_teacher, enrollment, makeup_credit, teacher, teacher_pay_rate, user},
        guards::{Actor, Office},
    },
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QuerySelect,
    sea_query::{Expr, Func, OnConflict},
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// A marked lesson: students present, who marked it.
#[derive(Default)]
struct Lesson {
    visits: i64,
    marker: Option<i32>,
}

/// The marked lessons of the period, by course and day, added up by the
/// database (a year of a large school is a hundred thousand marks).
async fn lessons(db: &impl ConnectionTrait, period: Period) -> Result<BTreeMap<(i32, NaiveDate), Lesson>, AppError> {
    let marks: Vec<(i32, NaiveDate, Option<i64>, Option<i32>)> = attendance::Entity::find()
        .select_only()
        .column(enrollment::Column::CourseId)
        .column(attendance::Column::SessionDate)
        .column_as(Expr::cust("SUM(CASE WHEN attendance.present THEN 1 ELSE 0 END)"), "visits")
        .column_as(Expr::from(Func::max(Expr::col((attendance::Entity, attendance::Column::MarkedBy)))), "marker")
        .join(
            JoinType::InnerJoin,
            attendance::Entity::belongs_to(enrollment::Entity).from(attendance::Column::EnrollmentId).to(enrollment::Column::Id).into(),
        )
        .filter(attendance::Column::SessionDate.between(period.from, period.to))
        .group_by(enrollment::Column::CourseId)
        .group_by(attendance::Column::SessionDate)
        .into_tuple()
        .all(db)
        .await?;
    let mut lessons: BTreeMap<(i32, NaiveDate), Lesson> = marks
        .into_iter()
        .map(|(course, day, visits, marker)| ((course, day), Lesson { visits: visits.unwrap_or(0), marker }))
        .collect();
    let makeups: Vec<(Option<i32>, Option<NaiveDate>, Option<i32>)> = makeup_credit::Entity::find()
        .select_only()
        .columns([makeup_credit::Column::BookedCourseId, makeup_credit::Column::BookedDate, makeup_credit::Column::MarkedBy])
        .filter(makeup_credit::Column::Attended.eq(true))
        .filter(makeup_credit::Column::BookedDate.between(period.from, period.to))
        .into_tuple()
        .all(db)
        .await?;
    for (course, day, marker) in makeups {
        let (Some(course), Some(day)) = (course, day) else { continue };
        let lesson = lessons.entry((course, day)).or_default();
        lesson.visits += 1;
        lesson.marker = lesson.marker.or(marker);
    }
    Ok(lessons)
}

/// Each marked lesson with the teacher it is paid to, if one can be named.
async fn attributed(db: &impl ConnectionTrait, period: Period) -> Result<Vec<((i32, NaiveDate), i64, Option<i32>)>, AppError> {
    let lessons = lessons(db, period).await?;
    let mut teachers_of: HashMap<i32, Vec<i32>> = HashMap::new();
    for t in course_teacher::Entity::find().filter(course_teacher::Column::CourseId.is_in(lessons.keys().map(|(c, _)| *c))).all(db).await? {
        teachers_of.entry(t.course_id).or_default().push(t.teacher_id);
    }
    let teacher_of_user: HashMap<i32, i32> =
        teacher::Entity::find().select_only().columns([teacher::Column::UserId, teacher::Column::Id]).into_tuple().all(db).await?.into_iter().collect();
    Ok(lessons
        .into_iter()
        .map(|((course, day), l)| {
            let theirs = teachers_of.get(&course).map(Vec::as_slice).unwrap_or_default();
            let marked_by = l.marker.and_then(|u| teacher_of_user.get(&u)).filter(|t| theirs.contains(t)).copied();
            let only = match theirs {
                [one] => Some(*one),
                _ => None,
            };
            ((course, day), l.visits, marked_by.or(only))
        })
        .collect())
}

async fn rates(db: &impl ConnectionTrait) -> Result<HashMap<i32, PayRate>, AppError> {
    Ok(teacher_pay_rate::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.teacher_id, PayRate { basis: r.basis, rate: Kopecks(r.rate) }))
        .collect())
}

/// A teacher's line: their lessons and visitors, paid by their rate.
fn line(teacher_id: i32, name: String, rate: PayRate, lessons: i64, visits: i64) -> Result<PayrollRow, AppError> {
    let pay = rate.pay(lessons, visits).ok_or(AppError::Internal)?;
    Ok(PayrollRow { teacher_id, name, rate, lessons, visits, pay })
}

/// Every teacher's line for the period, by name.
pub async fn payroll(db: &impl ConnectionTrait, period: Period) -> Result<Payroll, AppError> {
    let mut counts: HashMap<i32, (i64, i64)> = HashMap::new();
    let mut unassigned = 0;
    for (_, visits, teacher) in attributed(db, period).await? {
        match teacher {
            Some(t) => {
                let c = counts.entry(t).or_default();
                c.0 += 1;
                c.1 += visits;
            }
            None => unassigned += 1,
        }
    }
    let teachers: Vec<(i32, i32)> = teacher::Entity::find().select_only().columns([teacher::Column::Id, teacher::Column::UserId]).into_tuple().all(db).await?;
    let names: HashMap<i32, String> =
        user::Entity::find().filter(user::Column::Id.is_in(teachers.iter().map(|(_, u)| *u))).all(db).await?.into_iter().map(|u| (u.id, u.full_name)).collect();
    let rates = rates(db).await?;
    let mut rows = teachers
        .into_iter()
        .map(|(t, u)| {
            let (lessons, visits) = counts.get(&t).copied().unwrap_or_default();
            line(t, names.get(&u).cloned().unwrap_or_default(), rates.get(&t).copied().unwrap_or_default(), lessons, visits)
        })
        .collect::<Result<Vec<_>, _>>()?;
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Payroll { period, rows, unassigned })
}

/// A teacher's own line with its lessons, for their page.
pub async fn my_pay(db: &impl ConnectionTrait, me: &Actor, period: Period) -> Result<MyPay, AppError> {
    let t = crate::server::teachers::of_account(db, me.id).await?.ok_or(AppError::Forbidden)?;
    let mine: Vec<((i32, NaiveDate), i64)> =
        attributed(db, period).await?.into_iter().filter(|(_, _, by)| *by == Some(t.id)).map(|(lesson, visits, _)| (lesson, visits)).collect();
    let titles = courses::names(db, mine.iter().map(|((c, _), _)| *c).collect::<Vec<_>>()).await?;
    let rate = rates(db).await?.remove(&t.id).unwrap_or_default();
    let row = line(t.id, me.name.clone(), rate, mine.len() as i64, mine.iter().map(|(_, v)| v).sum())?;
    let lessons = mine
        .into_iter()
        .map(|((course, day), visits)| TaughtLesson { day, course_title: titles.get(&course).map(|n| n.title.clone()).unwrap_or_default(), visits })
        .collect();
    Ok(MyPay { period, row, lessons })
}

/// The office sets a teacher's rate; audited with the old and new value.
pub async fn set_rate(db: &DatabaseConnection, office: &Office, teacher_id: i32, basis: &str, rate: &str) -> Result<(), AppError> {
    let basis = PayBasis::from_slug(basis).ok_or_else(|| AppError::field("basis", "Выберите, за что платить: за занятие или за ученика."))?;
    let rate = Kopecks::parse(rate, Zero::Allowed).map_err(|p| AppError::field("rate", p.message()))?;
    let txn = crate::server::db::write(db).await?;
    teacher::Entity::find_by_id(teacher_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let old = teacher_pay_rate::Entity::find_by_id(teacher_id).one(&txn).await?;
    teacher_pay_rate::Entity::insert(teacher_pay_rate::ActiveModel {
        teacher_id: Set(teacher_id),
        basis: Set(basis),
        rate: Set(rate.0),
        updated_by: Set(Some(office.id)),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(teacher_pay_rate::Column::TeacherId)
            .update_columns([teacher_pay_rate::Column::Basis, teacher_pay_rate::Column::Rate, teacher_pay_rate::Column::UpdatedBy, teacher_pay_rate::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let was = old.map(|o| json!({ "basis": o.basis.slug(), "rate": o.rate }));
    audit::record(&txn, office, "update", "teacher_pay_rate", Some(teacher_id), json!({ "rate": [was, { "basis": basis.slug(), "rate": rate.0 }] })).await?;
    txn.commit().await?;
    Ok(())
}
