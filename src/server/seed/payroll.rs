//! The demo school's payroll: each teacher's rate (Соколова per student who
//! came, Лебедев and Орлова per lesson), and the movement course's recent
//! Wednesdays marked by Орлова for Мария and Никита — adults paying by the
//! lesson, so their lessons stand on credit. Marks go through the passes'
//! rules (`ledger::settle`), as a teacher's would.
use crate::{
    domain::{CourseFormat, EnrollmentStatus, payroll::PayBasis},
    passes::service::ledger::{Books, settle},
    server::entities::{attendance, course, enrollment, teacher, teacher_pay_rate},
};
use chrono::{Days, NaiveDate, Utc, Weekday};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

pub(super) async fn seed(db: &impl ConnectionTrait, teacher_ids: &[i32], movement: i32, students: [i32; 2], today: NaiveDate) -> Result<(), DbErr> {
    let now = Utc::now();
    let rates = [(PayBasis::PerStudent, 40_000), (PayBasis::PerLesson, 200_000), (PayBasis::PerLesson, 180_000)];
    for (&t, (basis, rate)) in teacher_ids.iter().zip(rates) {
        teacher_pay_rate::ActiveModel { teacher_id: Set(t), basis: Set(basis), rate: Set(rate), updated_by: Set(None), updated_at: Set(now) }.insert(db).await?;
    }
    let c = course::Entity::find_by_id(movement).one(db).await?.ok_or(DbErr::RecordNotFound("movement".into()))?;
    let orlova = teacher::Entity::find_by_id(teacher_ids[2]).one(db).await?.ok_or(DbErr::RecordNotFound("Орлова".into()))?;
    let last_wednesday = super::last_weekday(today, Weekday::Wed);
    let wednesdays: Vec<NaiveDate> = [last_wednesday - Days::new(7), last_wednesday].into_iter().filter(|d| *d >= c.term_start).collect();
    for (i, student) in students.into_iter().enumerate() {
        let e = enrollment::ActiveModel {
            student_id: Set(Some(student)),
            course_id: Set(c.id),
            teacher_id: Set(Some(orlova.id)),
            format: Set(CourseFormat::Personal),
            period_start: Set(c.term_start),
            period_end: Set(c.term_end),
            status: Set(EnrollmentStatus::Confirmed),
            seats: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let mut books = Books::of(db, student, c.id).await.map_err(super::money::seed_error)?;
        for (n, &day) in wednesdays.iter().enumerate() {
            // Никита missed the first one.
            let present = !(i == 1 && n == 0);
            let mark = attendance::ActiveModel {
                enrollment_id: Set(e.id),
                session_date: Set(day),
                present: Set(present),
                marked_by: Set(Some(orlova.user_id)),
                marked_at: Set(now),
                charged_pass_id: Set(None),
                on_credit: Set(false),
                ..Default::default()
            }
            .insert(db)
            .await?;
            settle(db, &mut books, mark, false, Some(orlova.user_id)).await.map_err(super::money::seed_error)?;
        }
    }
    Ok(())
}
