//! What people see of the passes: a student's (or a child's) passes with
//! their history, lessons on credit, the passes they may ask for; the
//! office's view of a person; a roster's lessons left.
use super::{ledger::state_of, prices::pass_type_view};
use crate::{
    domain::{UserId, money::Kopecks, pass::Freeze},
    error::AppError,
    passes::wire::{CreditView, EntryView, MemberPasses, Offer, PassView, PersonPasses},
    server::{
        courses,
        entities::{attendance, enrollment, pass, pass_entry, pass_type, user},
        families,
        guards::ActingFor,
    },
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// What a person's page and the student's page show of one person.
struct Account {
    passes: Vec<PassView>,
    credits: Vec<CreditView>,
    offers: Vec<Offer>,
}

/// Each student's passes, credits and offers, in a fixed number of
/// statements however many students (a guardian's children).
async fn accounts_of(
    db: &impl ConnectionTrait,
    students: &[i32],
    enrollments: &[enrollment::Model],
    today: NaiveDate,
) -> Result<HashMap<i32, Account>, AppError> {
    let passes = pass::Entity::find()
        .filter(pass::Column::StudentId.is_in(students.iter().copied()))
        .order_by_desc(pass::Column::ValidUntil)
        .order_by_desc(pass::Column::Id)
        .all(db)
        .await?;
    let credit_marks = attendance::Entity::find()
        .filter(attendance::Column::EnrollmentId.is_in(enrollments.iter().map(|e| e.id)))
        .filter(attendance::Column::OnCredit.eq(true))
        .order_by_asc(attendance::Column::SessionDate)
        .all(db)
        .await?;
    let enrolled: HashMap<i32, (i32, i32)> = enrollments.iter().filter_map(|e| e.student_id.map(|s| (e.id, (s, e.course_id)))).collect();
    let course_ids: Vec<i32> = enrollments.iter().map(|e| e.course_id).chain(passes.iter().filter_map(|p| p.course_id)).collect();
    let names = courses::names(db, course_ids.iter().copied()).await?;
    let title = |id: Option<i32>| id.and_then(|c| names.get(&c)).map(|n| n.title.clone()).unwrap_or_else(|| "Курс удалён".into());
    let mut entries: HashMap<i32, Vec<EntryView>> = HashMap::new();
    for e in pass_entry::Entity::find()
        .filter(pass_entry::Column::PassId.is_in(passes.iter().map(|p| p.id)))
        .order_by_asc(pass_entry::Column::Id)
        .all(db)
        .await?
    {
        let freeze = e.freeze_from.zip(e.freeze_until).map(|(from, until)| Freeze { from, until });
        entries.entry(e.pass_id).or_default().push(EntryView {
            kind: e.kind,
            lessons: e.lessons,
            lesson_date: e.lesson_date,
            freeze,
            reason: e.reason,
            at: e.created_at,
        });
    }
    let types = pass_type::Entity::find()
        .filter(pass_type::Column::CourseId.is_in(enrollments.iter().map(|e| e.course_id)))
        .filter(pass_type::Column::OnSale.eq(true))
        .order_by_asc(pass_type::Column::CourseId)
        .order_by_asc(pass_type::Column::Lessons)
        .all(db)
        .await?;
    let mut accounts: HashMap<i32, Account> =
        students.iter().map(|&s| (s, Account { passes: Vec::new(), credits: Vec::new(), offers: Vec::new() })).collect();
    for p in passes {
        let Some(account) = p.student_id.and_then(|s| accounts.get_mut(&s)) else { continue };
        // A pass's freezes are its ledger's freeze entries.
        let freezes: Vec<Freeze> = entries.get(&p.id).into_iter().flatten().filter_map(|e| e.freeze).collect();
        let status = state_of(&p, freezes).status(today);
        account.passes.push(PassView {
            id: p.id,
            course_title: title(p.course_id),
            name: p.name,
            lessons_bought: p.lessons_bought,
            lessons_left: p.lessons_left,
            valid_from: p.valid_from,
            valid_until: p.valid_until,
            price: Kopecks(p.price),
            status,
            history: entries.remove(&p.id).unwrap_or_default(),
        });
    }
    for m in credit_marks {
        let Some(&(student, course)) = enrolled.get(&m.enrollment_id) else { continue };
        if let Some(account) = accounts.get_mut(&student) {
            account.credits.push(CreditView { course_title: title(Some(course)), date: m.session_date });
        }
    }
    for (&student, account) in accounts.iter_mut() {
        // A pass is for a course one holds a seat in, not one left or refused.
        let theirs: Vec<i32> = enrollments
            .iter()
            .filter(|e| e.student_id == Some(student) && e.status.holds_seats())
            .map(|e| e.course_id)
            .collect();
        account.offers = types
            .iter()
            .filter(|t| theirs.contains(&t.course_id))
            .map(|t| Offer { course_title: title(Some(t.course_id)), pass_type: pass_type_view(t) })
            .collect();
    }
    Ok(accounts)
}

async fn enrollments_of(db: &impl ConnectionTrait, students: &[i32]) -> Result<Vec<enrollment::Model>, AppError> {
    Ok(enrollment::Entity::find().filter(enrollment::Column::StudentId.is_in(students.iter().copied())).all(db).await?)
}

/// The student's own passes and, for a guardian, each child's.
pub async fn my_passes(db: &DatabaseConnection, me: &ActingFor, today: NaiveDate) -> Result<Vec<MemberPasses>, AppError> {
    let mut members = vec![(me.id, me.name.clone(), String::new())];
    for child in families::minors_guarded_by(db, me.id, today).await? {
        members.push((child.id, child.full_name, child.id.to_string()));
    }
    let ids: Vec<i32> = members.iter().map(|m| m.0).collect();
    let enrollments = enrollments_of(db, &ids).await?;
    let mut accounts = accounts_of(db, &ids, &enrollments, today).await?;
    let mut absences = super::absences::absences_of(db, &ids, &enrollments, today).await?;
    Ok(members
        .into_iter()
        .map(|(id, name, member_field)| {
            let Account { passes, credits, offers } = accounts.remove(&id).expect("one account per member");
            let super::absences::Absences { upcoming, makeups } = absences.remove(&id).unwrap_or_default();
            MemberPasses { member: UserId(id), name, member_field, passes, credits, offers, upcoming, makeups }
        })
        .collect())
}

/// A person's passes on their office page (the office's person page
/// checked its caller), with a fresh sale key.
pub async fn person_passes(db: &DatabaseConnection, student: UserId, today: NaiveDate) -> Result<PersonPasses, AppError> {
    user::Entity::find_by_id(student).one(db).await?.ok_or(AppError::NotFound)?;
    let enrollments = enrollments_of(db, &[student.0]).await?;
    let Account { passes, credits, offers } =
        accounts_of(db, &[student.0], &enrollments, today).await?.remove(&student.0).expect("one account");
    Ok(PersonPasses { student, passes, credits, offers, sale_key: crate::server::crypto::random_token() })
}

/// Lessons left per student of a course on `today`: the sum over their
/// sold passes that are still running (one statement for the roster).
pub async fn lessons_left_in(db: &impl ConnectionTrait, course: i32, students: impl IntoIterator<Item = i32>, today: NaiveDate) -> Result<HashMap<i32, i32>, AppError> {
    let mut left = HashMap::new();
    for p in pass::Entity::find()
        .filter(pass::Column::CourseId.eq(course))
        .filter(pass::Column::StudentId.is_in(students))
        .filter(pass::Column::SoldAt.is_not_null())
        .filter(pass::Column::ValidUntil.gte(today))
        .all(db)
        .await?
    {
        *left.entry(p.student_id.unwrap_or_default()).or_insert(0) += p.lessons_left;
    }
    Ok(left)
}
