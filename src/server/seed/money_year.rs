//! A year of a school's money for the reports' benchmark (`make
//! bench-reports`): `teachers` teachers with a course and a rate each,
//! `students` adult students spread over the courses, every week of the
//! past year marked (nine in ten present), and every month a pass of eight
//! lessons invoiced and paid (cash, card, transfer, СБП in turn), every
//! fiftieth payment partly refunded. Written in bulk, as the books would
//! hold them: each account's balance is the sum of its entries.
use crate::domain::{
    CourseFormat, EnrollmentStatus, Role,
    ledger::{InvoiceStatus, MoneyKind, PaymentMethod},
    payroll::PayBasis,
};
use crate::server::entities::*;
use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

const CHUNK: usize = 300;

/// Inserts rows in chunks small enough for either database's limit of bound values.
async fn insert_all<A: sea_orm::ActiveModelTrait + Send>(db: &impl sea_orm::ConnectionTrait, rows: Vec<A>) -> Result<(), DbErr> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The ids of rows just written, by the key they were written with.
async fn ids_by_key<E: EntityTrait>(db: &impl sea_orm::ConnectionTrait, id: E::Column, key: E::Column, prefix: &str) -> Result<HashMap<String, i32>, DbErr>
where
    E::Column: ColumnTrait,
{
    let rows: Vec<(i32, Option<String>)> = E::find().select_only().column(id).column(key).filter(key.starts_with(prefix)).into_tuple().all(db).await?;
    Ok(rows.into_iter().filter_map(|(id, k)| Some((k?, id))).collect())
}

pub async fn add_money_year(db: &DatabaseConnection, students: usize, teachers: usize, today: NaiveDate) -> Result<String, DbErr> {
    let now = Utc::now();
    let txn = crate::server::db::write(db).await?;
    let year_ago = today - Days::new(364);
    let person = |email: String, name: String, role| user::new_account(&crate::domain::Email::parse(&email).expect("valid address"), "!".into(), role, name, true);
    insert_all(&txn, (0..teachers).map(|t| person(format!("money-teacher{t:02}@example.ru"), format!("Педагог {t}"), Role::Teacher)).collect()).await?;
    insert_all(&txn, (0..students).map(|s| person(format!("money-student{s:05}@example.ru"), format!("Ученик {s}"), Role::Student)).collect()).await?;
    let users: HashMap<String, i32> =
        user::Entity::find().select_only().columns([user::Column::Email, user::Column::Id]).filter(user::Column::Email.starts_with("money-")).into_tuple().all(&txn).await?.into_iter().collect();
    let user_of = |kind: &str, n: usize, width: usize| users[&format!("money-{kind}{n:0width$}@example.ru")];

    let mut courses = Vec::with_capacity(teachers);
    for t in 0..teachers {
        let teacher = teacher::ActiveModel {
            user_id: Set(user_of("teacher", t, 2)),
            specialization: Set("Актёрское мастерство".into()),
            bio: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let teacher = teacher::Entity::insert(teacher).exec(&txn).await?.last_insert_id;
        let basis = if t % 2 == 0 { PayBasis::PerLesson } else { PayBasis::PerStudent };
        teacher_pay_rate::Entity::insert(teacher_pay_rate::ActiveModel { teacher_id: Set(teacher), basis: Set(basis), rate: Set(150_000), updated_by: Set(None), updated_at: Set(now) })
            .exec_without_returning(&txn)
            .await?;
        let c = course::ActiveModel {
            title: Set(format!("Группа {t} (год денег)")),
            description: Set(String::new()),
            capacity: Set(((students / teachers.max(1)) + 1) as i32),
            term_start: Set(year_ago),
            term_end: Set(today + Days::new(30)),
            offers_personal: Set(true),
            offers_pair: Set(false),
            is_published: Set(false),
            seat_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let c = course::Entity::insert(c).exec(&txn).await?.last_insert_id;
        course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(c), teacher_id: Set(teacher) }).exec_without_returning(&txn).await?;
        let weekday = (t % 7) as i16 + 1;
        course_slot::Entity::insert(course_slot::ActiveModel {
            course_id: Set(c),
            weekday: Set(weekday),
            starts_at: Set(NaiveTime::from_hms_opt(18, 0, 0).expect("six o'clock")),
            duration_minutes: Set(90),
            room: Set("Большой зал".into()),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
        courses.push((c, weekday, user_of("teacher", t, 2)));
    }

    let course_of = |s: usize| courses[s % courses.len()];
    let enrollments = (0..students).map(|s| enrollment::ActiveModel {
        student_id: Set(Some(user_of("student", s, 5))),
        course_id: Set(course_of(s).0),
        format: Set(CourseFormat::Personal),
        period_start: Set(year_ago),
        period_end: Set(today + Days::new(30)),
        status: Set(EnrollmentStatus::Confirmed),
        seats: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    insert_all(&txn, enrollments.collect()).await?;
    let enrollment_of: HashMap<i32, i32> = enrollment::Entity::find()
        .select_only()
        .columns([enrollment::Column::StudentId, enrollment::Column::Id])
        .filter(enrollment::Column::CourseId.is_in(courses.iter().map(|c| c.0)))
        .into_tuple::<(Option<i32>, i32)>()
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|(s, e)| Some((s?, e)))
        .collect();

    let mut marks = Vec::new();
    for s in 0..students {
        let (_, weekday, marker) = course_of(s);
        let first = year_ago + Days::new(u64::from((weekday as u32 + 7 - year_ago.weekday().number_from_monday()) % 7));
        let mut day = first;
        let mut week = 0;
        while day < today {
            marks.push(attendance::ActiveModel {
                enrollment_id: Set(enrollment_of[&user_of("student", s, 5)]),
                session_date: Set(day),
                present: Set((s + week) % 10 != 0),
                marked_by: Set(Some(marker)),
                marked_at: Set(now),
                charged_pass_id: Set(None),
                on_credit: Set(false),
                ..Default::default()
            });
            day = day + Days::new(7);
            week += 1;
        }
    }
    let marked = marks.len();
    insert_all(&txn, marks).await?;

    insert_all(&txn, (0..students).map(|s| money_account::ActiveModel { user_id: Set(Some(user_of("student", s, 5))), balance: Set(0), created_at: Set(now), ..Default::default() }).collect()).await?;
    let account_of: HashMap<i32, i32> = money_account::Entity::find()
        .select_only()
        .columns([money_account::Column::UserId, money_account::Column::Id])
        .filter(money_account::Column::UserId.is_in(users.values().copied()))
        .into_tuple::<(Option<i32>, i32)>()
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|(u, a)| Some((u?, a)))
        .collect();
    let months: Vec<NaiveDate> = (0..12).map(|m| year_ago.with_day(1).expect("a first") + Months::new(m) + Days::new(4)).filter(|d| *d <= today).collect();
    let price = 320_000;
    let key = |what: &str, s: usize, m: usize| format!("money-year-{what}-{s}-{m}");
    let (mut passes, mut invoices) = (Vec::new(), Vec::new());
    for s in 0..students {
        for (m, &day) in months.iter().enumerate() {
            let student = user_of("student", s, 5);
            passes.push(pass::ActiveModel {
                student_id: Set(Some(student)),
                course_id: Set(Some(course_of(s).0)),
                format: Set(CourseFormat::Personal),
                name: Set("8 занятий".into()),
                lessons_bought: Set(8),
                price: Set(price),
                valid_from: Set(day),
                valid_until: Set(day + Days::new(34)),
                lessons_left: Set(0),
                sold_at: Set(Some(now)),
                idempotency_key: Set(Some(key("pass", s, m))),
                created_at: Set(now),
                ..Default::default()
            });
            invoices.push(invoice::ActiveModel {
                year: Set(day.year()),
                seq: Set((s * 12 + m) as i32 + 1_000_000),
                account_id: Set(account_of[&student]),
                student_id: Set(Some(student)),
                total: Set(price),
                paid: Set(price),
                status: Set(InvoiceStatus::Paid),
                due_on: Set(day + Days::new(5)),
                idempotency_key: Set(Some(key("invoice", s, m))),
                created_at: Set(now),
                ..Default::default()
            });
        }
    }
    insert_all(&txn, passes).await?;
    insert_all(&txn, invoices).await?;
    let pass_ids = ids_by_key::<pass::Entity>(&txn, pass::Column::Id, pass::Column::IdempotencyKey, "money-year-").await?;
    let invoice_ids = ids_by_key::<invoice::Entity>(&txn, invoice::Column::Id, invoice::Column::IdempotencyKey, "money-year-").await?;
    let (mut lines, mut entries) = (Vec::new(), Vec::new());
    let methods = PaymentMethod::ALL;
    let entry = |account: i32, kind, amount: i64, invoice: i32, day: Option<NaiveDate>, method: Option<PaymentMethod>, key: String| money_entry::ActiveModel {
        account_id: Set(account),
        kind: Set(kind),
        amount: Set(amount),
        invoice_id: Set(Some(invoice)),
        method: Set(method),
        paid_on: Set(day),
        receipt_number: Set(method.map(|_| "ФД 1".to_string())),
        idempotency_key: Set(Some(key)),
        created_at: Set(now),
        ..Default::default()
    };
    for s in 0..students {
        let account = account_of[&user_of("student", s, 5)];
        for (m, &day) in months.iter().enumerate() {
            let invoice = invoice_ids[&key("invoice", s, m)];
            lines.push(invoice_line::ActiveModel { invoice_id: Set(invoice), description: Set("Абонемент «8 занятий»".into()), amount: Set(price), pass_id: Set(Some(pass_ids[&key("pass", s, m)])), ..Default::default() });
            entries.push(entry(account, MoneyKind::Charge, -price, invoice, None, None, key("charge", s, m)));
            entries.push(entry(account, MoneyKind::Payment, price, invoice, Some(day), Some(methods[(s + m) % methods.len()]), key("payment", s, m)));
        }
    }
    insert_all(&txn, lines).await?;
    let paid = entries.len() / 2;
    insert_all(&txn, entries).await?;
    // Every fiftieth payment partly given back: the refund names its payment.
    let payments = ids_by_key::<money_entry::Entity>(&txn, money_entry::Column::Id, money_entry::Column::IdempotencyKey, "money-year-payment-").await?;
    let mut refunds = Vec::new();
    for s in (0..students).step_by(50) {
        let invoice = invoice_ids[&key("invoice", s, 0)];
        let refund = money_entry::ActiveModel {
            entry_id: Set(Some(payments[&key("payment", s, 0)])),
            reason: Set(Some("Перерасчёт".into())),
            ..entry(account_of[&user_of("student", s, 5)], MoneyKind::Refund, -40_000, invoice, None, Some(methods[s % methods.len()]), key("refund", s, 0))
        };
        refunds.push(refund);
    }
    let refunded = refunds.len();
    insert_all(&txn, refunds).await?;
    // Each refunded invoice partly paid again, its account owing the refund.
    for s in (0..students).step_by(50) {
        let invoice = invoice_ids[&key("invoice", s, 0)];
        invoice::Entity::update_many()
            .col_expr(invoice::Column::Paid, (price - 40_000).into())
            .col_expr(invoice::Column::Status, InvoiceStatus::PartlyPaid.into())
            .filter(invoice::Column::Id.eq(invoice))
            .exec(&txn)
            .await?;
        money_account::Entity::update_many()
            .col_expr(money_account::Column::Balance, (-40_000i64).into())
            .filter(money_account::Column::Id.eq(account_of[&user_of("student", s, 5)]))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(format!("{students} students, {teachers} teachers: {marked} attendance marks, {paid} paid invoices, {refunded} refunds over the past year"))
}
