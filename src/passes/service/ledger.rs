//! The passes' books: writing lessons off by attendance marks, returning
//! them when a mark changes, lessons on credit and their payment by the
//! next pass (a lesson on credit is charged to the family's money account
//! at its price, and that charge undone when a pass pays it:
//! `payments::service::credit`). Every function here runs inside its caller's transaction,
//! after the caller took the student's lock (`rules::lock_person`): all
//! changes to one student's passes take turns, so each mark is charged
//! exactly once however many teachers or tabs mark it at the same moment.
use crate::{
    domain::pass::{EntryKind, Freeze, PassState, costs_a_lesson},
    error::AppError,
    payments::service::credit,
    server::entities::{attendance, enrollment, pass, pass_entry},
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use std::collections::HashMap;

/// A student's passes for one course, with what the rules need of each.
pub struct Books {
    passes: Vec<(pass::Model, PassState)>,
}

impl Books {
    /// The sold passes of `student` for `course`, oldest end first.
    pub async fn of(db: &impl ConnectionTrait, student: i32, course: i32) -> Result<Books, AppError> {
        let passes = pass::Entity::find()
            .filter(pass::Column::StudentId.eq(student))
            .filter(pass::Column::CourseId.eq(course))
            .filter(pass::Column::SoldAt.is_not_null())
            .order_by_asc(pass::Column::ValidUntil)
            .order_by_asc(pass::Column::Id)
            .all(db)
            .await?;
        let mut freezes = freezes_of(db, passes.iter().map(|p| p.id)).await?;
        let passes = passes
            .into_iter()
            .map(|p| {
                let state = state_of(&p, freezes.remove(&p.id).unwrap_or_default());
                (p, state)
            })
            .collect();
        Ok(Books { passes })
    }

    /// The pass a lesson on `day` is written off: the one that ends first.
    fn payer(&mut self, day: NaiveDate) -> Option<&mut (pass::Model, PassState)> {
        self.passes.iter_mut().find(|(_, s)| s.covers(day))
    }
}

pub fn state_of(p: &pass::Model, freezes: Vec<Freeze>) -> PassState {
    PassState {
        sold: p.sold_at.is_some(),
        valid_from: p.valid_from,
        valid_until: p.valid_until,
        lessons_left: p.lessons_left,
        freezes,
    }
}

/// The freezes of each pass.
pub async fn freezes_of(db: &impl ConnectionTrait, passes: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, Vec<Freeze>>, AppError> {
    let rows = pass_entry::Entity::find()
        .filter(pass_entry::Column::PassId.is_in(passes))
        .filter(pass_entry::Column::Kind.eq(EntryKind::Freeze))
        .all(db)
        .await?;
    let mut by_pass: HashMap<i32, Vec<Freeze>> = HashMap::new();
    for e in rows {
        if let (Some(from), Some(until)) = (e.freeze_from, e.freeze_until) {
            by_pass.entry(e.pass_id).or_default().push(Freeze { from, until });
        }
    }
    Ok(by_pass)
}

/// Appends one line to a pass's ledger and moves its lessons left by the
/// same number, in the caller's transaction. Every entry names its pass and
/// its lessons (the callers in this area set both).
pub async fn append(db: &impl ConnectionTrait, entry: pass_entry::ActiveModel) -> Result<(), AppError> {
    let pass_id = entry.pass_id.clone().take().expect("an entry names its pass");
    let lessons = entry.lessons.clone().take().expect("an entry names its lessons");
    if lessons != 0 {
        pass::Entity::update_many()
            .col_expr(pass::Column::LessonsLeft, Expr::col(pass::Column::LessonsLeft).add(lessons))
            .filter(pass::Column::Id.eq(pass_id))
            .exec(db)
            .await?;
    }
    pass_entry::ActiveModel { created_at: Set(Utc::now()), ..entry }.insert(db).await?;
    Ok(())
}

/// A write-off or return of one lesson for a mark.
fn lesson_entry(pass_id: i32, kind: EntryKind, mark: &attendance::Model, by: Option<i32>) -> pass_entry::ActiveModel {
    pass_entry::ActiveModel {
        pass_id: Set(pass_id),
        kind: Set(kind),
        lessons: Set(if kind == EntryKind::WriteOff { -1 } else { 1 }),
        attendance_id: Set(Some(mark.id)),
        lesson_date: Set(Some(mark.session_date)),
        created_by: Set(by),
        ..Default::default()
    }
}

/// Brings a mark's charge in line with what it says now: a lesson that
/// costs and is not charged is written off the pass that ends first (or
/// goes on credit); a charge the mark no longer calls for is returned.
pub async fn settle(
    db: &impl ConnectionTrait,
    books: &mut Books,
    mark: attendance::Model,
    absence_costs: bool,
    by: Option<i32>,
) -> Result<(), AppError> {
    let costs = costs_a_lesson(mark.present, absence_costs);
    let charged = mark.charged_pass_id.is_some() || mark.on_credit;
    if costs == charged {
        return Ok(());
    }
    let mut row: attendance::ActiveModel = mark.clone().into();
    if costs {
        match books.payer(mark.session_date) {
            Some((p, state)) => {
                append(db, lesson_entry(p.id, EntryKind::WriteOff, &mark, by)).await?;
                state.lessons_left -= 1;
                row.charged_pass_id = Set(Some(p.id));
            }
            None => row.on_credit = Set(true),
        }
        let mark = row.update(db).await?;
        if mark.on_credit {
            credit::charge_lesson(db, &mark, by).await?;
        }
    } else {
        if let Some(pass_id) = mark.charged_pass_id {
            if let Some((_, state)) = books.passes.iter_mut().find(|(p, _)| p.id == pass_id) {
                state.lessons_left += 1;
            }
        }
        if mark.on_credit {
            credit::undo_lesson_charge(db, &mark, "отметка изменена, занятие не в долг", by).await?;
        }
        attendance::ActiveModel { on_credit: Set(false), ..return_charge(db, mark, by).await? }.update(db).await?;
    }
    Ok(())
}

/// Gives a mark's lesson back to the pass it was written off (a new entry:
/// the write-off stays in the ledger); answers the mark uncharged, for the
/// caller to write with whatever else changes.
pub async fn return_charge(db: &impl ConnectionTrait, mark: attendance::Model, by: Option<i32>) -> Result<attendance::ActiveModel, AppError> {
    if let Some(pass_id) = mark.charged_pass_id {
        append(db, lesson_entry(pass_id, EntryKind::Return, &mark, by)).await?;
    }
    Ok(attendance::ActiveModel { charged_pass_id: Set(None), ..mark.into() })
}

/// Lessons on credit of `student` in `course`, oldest first.
pub async fn credits(db: &impl ConnectionTrait, student: i32, course: i32) -> Result<Vec<attendance::Model>, AppError> {
    let enrollments = enrollment::Entity::find()
        .select_only()
        .column(enrollment::Column::Id)
        .filter(enrollment::Column::StudentId.eq(student))
        .filter(enrollment::Column::CourseId.eq(course))
        .into_tuple::<i32>()
        .all(db)
        .await?;
    Ok(attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.is_in(enrollments))
        .filter(attendance::Column::OnCredit.eq(true))
        .order_by_asc(attendance::Column::SessionDate)
        .order_by_asc(attendance::Column::Id)
        .all(db)
        .await?)
}

/// A pass just sold pays the student's lessons on credit for its course
/// first, oldest first, while it has lessons.
pub async fn pay_credits(db: &impl ConnectionTrait, p: &pass::Model, by: Option<i32>) -> Result<u32, AppError> {
    let (Some(student), Some(course)) = (p.student_id, p.course_id) else { return Ok(0) };
    let mut left = p.lessons_left;
    let mut paid = 0;
    for mark in credits(db, student, course).await? {
        if left == 0 {
            break;
        }
        append(db, lesson_entry(p.id, EntryKind::WriteOff, &mark, by)).await?;
        credit::undo_lesson_charge(db, &mark, &format!("списано с абонемента «{}»", p.name), by).await?;
        let mut row: attendance::ActiveModel = mark.into();
        row.on_credit = Set(false);
        row.charged_pass_id = Set(Some(p.id));
        row.update(db).await?;
        left -= 1;
        paid += 1;
    }
    Ok(paid)
}
