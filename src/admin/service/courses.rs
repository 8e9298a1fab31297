//! The office's work on courses: create, edit (with its rules on capacity
//! and the letters to enrolled students), and delete or archive.
use crate::server::addresses::{self, Kind};
use crate::domain::ids::CourseId;
use super::audit::{diff, record};
use crate::server::{
    Config,
    entities::{course, course_slot, course_teacher, enrollment, teacher, user},
    mail,
};
use crate::{
    admin::wire::{CourseEditor, CourseForm, ListQuery, Page, SlotForm, TeacherChoice},
    domain::{CourseCard, EnrollmentStatus, enrollment::Event, family::AgeRange, iso::parse_date, ru, text::{self, Lines}},
    enrollment::service as enrollments,
    schedule::service::cards,
    error::{AppError, FieldError},
};
use crate::server::guards::Office;
use chrono::{NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

/// Slot rows the form offers; empty rows are ignored.
pub const SLOT_ROWS: usize = 4;

/// A course form after checking.
struct Checked {
    title: String,
    description: String,
    capacity: i32,
    term_start: NaiveDate,
    term_end: NaiveDate,
    ages: AgeRange,
    personal: bool,
    pair: bool,
    published: bool,
    teachers: Vec<i32>,
    slots: Vec<(i16, NaiveTime, i32, String)>,
}

fn check(form: &CourseForm, known_teachers: &[i32]) -> Result<Checked, AppError> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: &str| problems.push(FieldError { field: field.into(), message: message.into() });
    const TITLE: &str = "Укажите название — до 200 символов.";
    let title = text::required(&form.title, 200, Lines::One, TITLE, TITLE)
        .map_err(|m| problem("course[title]", m))
        .unwrap_or_default();
    let description = text::clean(&form.description, 5000, Lines::Many)
        .map_err(|p| problem("course[description]", p.or_too_long("Описание — не длиннее 5000 символов.")))
        .unwrap_or_default();
    let capacity = form.capacity.trim().parse::<i32>().ok().filter(|c| (1..=500).contains(c));
    if capacity.is_none() {
        problem("course[capacity]", "Вместимость — целое число от 1 до 500.");
    }
    let (start, end) = (parse_date(&form.term_start), parse_date(&form.term_end));
    if start.is_none() {
        problem("course[term_start]", "Укажите дату начала.");
    }
    match (start, end) {
        (_, None) => problem("course[term_end]", "Укажите дату окончания."),
        (Some(s), Some(e)) if e < s => problem("course[term_end]", "Окончание должно быть не раньше начала."),
        _ => {}
    }
    let ages = AgeRange::parse(&form.age_min, &form.age_max)
        .map_err(|(field, message)| problem(&format!("course[{field}]"), message))
        .unwrap_or_default();
    let (personal, pair) = (form.personal.is_some(), form.pair.is_some());
    if !personal && !pair {
        problem("course[pair]", "Выберите хотя бы один формат.");
    }
    let mut teachers: Vec<i32> = form.teachers.iter().copied().filter(|t| known_teachers.contains(t)).collect();
    teachers.sort_unstable();
    teachers.dedup();
    if teachers.is_empty() {
        problem("course[teachers]", "Выберите хотя бы одного педагога.");
    }
    let mut slots = Vec::new();
    let mut bad_slot = false;
    for (i, s) in form.slots.iter().enumerate().take(SLOT_ROWS) {
        if s.weekday.is_empty() && s.starts_at.is_empty() && s.room.trim().is_empty() {
            continue;
        }
        let weekday = s.weekday.parse::<i16>().ok().filter(|d| (1..=7).contains(d));
        let time = NaiveTime::parse_from_str(&s.starts_at, "%H:%M").ok();
        let minutes = s.minutes.trim().parse::<i32>().ok().filter(|m| (15..=600).contains(m));
        let room = text::clean(&s.room, 100, Lines::One).unwrap_or_default();
        match (weekday, time, minutes) {
            (Some(d), Some(t), Some(m)) if !room.is_empty() => slots.push((d, t, m, room)),
            _ => {
                bad_slot = true;
                problem(
                    &format!("course[slots][{i}]"),
                    "Занятие: укажите день, время, длительность (15–600 минут) и аудиторию.",
                )
            }
        }
    }
    if slots.is_empty() && !bad_slot {
        problem("course[slots][0]", "Добавьте хотя бы одно занятие в неделю.");
    }
    match (capacity, start, end) {
        (Some(capacity), Some(term_start), Some(term_end)) if problems.is_empty() => Ok(Checked {
            title,
            description,
            capacity,
            term_start,
            term_end,
            ages,
            personal,
            pair,
            published: form.published.is_some(),
            teachers,
            slots,
        }),
        _ => Err(AppError::Invalid(problems)),
    }
}

fn course_json(c: &course::Model, teachers: &[i32], slots: &[(i16, NaiveTime, i32, String)]) -> Value {
    json!({
        "title": c.title, "description": c.description, "capacity": c.capacity,
        "term_start": c.term_start, "term_end": c.term_end, "ages": c.ages().label(),
        "offers_personal": c.offers_personal, "offers_pair": c.offers_pair, "is_published": c.is_published,
        "teachers": teachers,
        "slots": slots.iter().map(|(d, t, m, r)| format!("{} {} {m} мин, {r}", ru::weekday_short(*d as u8).unwrap_or_default(), ru::time(*t))).collect::<Vec<_>>(),
    })
}

async fn teachers_and_slots(
    db: &impl ConnectionTrait,
    course_id: i32,
) -> Result<(Vec<i32>, Vec<(i16, NaiveTime, i32, String)>), AppError> {
    let mut teachers = crate::server::teachers::of_course(db, course_id).await?;
    teachers.sort_unstable();
    let slots = course_slot::Entity::find()
        .filter(course_slot::Column::CourseId.eq(course_id))
        .order_by_asc(course_slot::Column::Weekday)
        .order_by_asc(course_slot::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.weekday, s.starts_at, s.duration_minutes, s.room))
        .collect();
    Ok((teachers, slots))
}

/// Everyone who may teach, for the form's choices.
async fn all_teachers(db: &impl ConnectionTrait) -> Result<Vec<TeacherChoice>, AppError> {
    let mut list: Vec<TeacherChoice> = crate::server::teachers::with_accounts(db, None)
        .await?
        .into_iter()
        .filter(|(_, u)| u.is_active)
        .map(|(t, u)| TeacherChoice { id: t.id, name: u.full_name, specialization: t.specialization })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// The form for a new course (`None`) or an existing one.
pub async fn editor(db: &DatabaseConnection, id: Option<CourseId>) -> Result<CourseEditor, AppError> {
    let teachers = all_teachers(db).await?;
    let Some(id) = id else {
        return Ok(CourseEditor { id: None, form: CourseForm::blank(), teachers, active_enrollments: 0 });
    };
    let c = course::Entity::find_by_id(id).filter(course::Column::ArchivedAt.is_null()).one(db).await?.ok_or(AppError::NotFound)?;
    let (chosen, slots) = teachers_and_slots(db, id.0).await?;
    let mut slot_rows: Vec<SlotForm> = slots
        .into_iter()
        .map(|(d, t, m, room)| SlotForm { weekday: d.to_string(), starts_at: ru::time(t), minutes: m.to_string(), room })
        .collect();
    slot_rows.resize(SLOT_ROWS.max(slot_rows.len()), SlotForm::default());
    let on = |b: bool| b.then(|| "on".to_string());
    Ok(CourseEditor {
        id: Some(id.0),
        form: CourseForm {
            title: c.title,
            description: c.description,
            capacity: c.capacity.to_string(),
            term_start: c.term_start.to_string(),
            term_end: c.term_end.to_string(),
            age_min: c.age_min.map(|a| a.to_string()).unwrap_or_default(),
            age_max: c.age_max.map(|a| a.to_string()).unwrap_or_default(),
            personal: on(c.offers_personal),
            pair: on(c.offers_pair),
            published: on(c.is_published),
            teachers: chosen,
            slots: slot_rows,
        },
        teachers,
        active_enrollments: active_of(db, id.0).await?.len(),
    })
}

async fn active_of(db: &impl ConnectionTrait, course_id: i32) -> Result<Vec<enrollment::Model>, AppError> {
    Ok(enrollment::Entity::find()
        .filter(enrollment::Column::CourseId.eq(course_id))
        .filter(enrollment::Column::Status.is_in(EnrollmentStatus::ACTIVE))
        .all(db)
        .await?)
}

async fn write_children(db: &impl ConnectionTrait, course_id: i32, c: &Checked) -> Result<(), AppError> {
    course_teacher::Entity::delete_many().filter(course_teacher::Column::CourseId.eq(course_id)).exec(db).await?;
    course_slot::Entity::delete_many().filter(course_slot::Column::CourseId.eq(course_id)).exec(db).await?;
    for &t in &c.teachers {
        course_teacher::Entity::insert(course_teacher::ActiveModel { course_id: Set(course_id), teacher_id: Set(t) })
            .exec_without_returning(db)
            .await?;
    }
    for (d, t, m, room) in &c.slots {
        course_slot::ActiveModel {
            course_id: Set(course_id),
            weekday: Set(*d),
            starts_at: Set(*t),
            duration_minutes: Set(*m),
            room: Set(room.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Letters to every student with an active request in the course.
async fn tell_students(
    db: &impl ConnectionTrait,
    config: &Config,
    students: &[enrollment::Model],
    subject: &str,
    paragraphs: &[&str],
) -> Result<(), AppError> {
    let history = crate::server::links::to(&config.site_url, crate::server::links::HISTORY);
    let ids: Vec<i32> = students.iter().filter_map(|e| e.student_id).collect();
    let school = crate::server::settings::school(db).await?;
    for u in user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await? {
        for letter in mail::compose_about(db, u.id, &u, subject, paragraphs, Some(("Мои записи", &history))).await? {
            mail::enqueue_signed(db, letter, &school).await?;
        }
    }
    Ok(())
}

/// Creates a course (`id` is `None`) or saves changes to one. Returns its id.
pub async fn save(
    db: &DatabaseConnection,
    config: &Config,
    actor: &Office,
    id: Option<CourseId>,
    form: &CourseForm,
    today: NaiveDate,
) -> Result<i32, AppError> {
    let known: Vec<i32> = teacher::Entity::find().all(db).await?.into_iter().map(|t| t.id).collect();
    let c = check(form, &known)?;
    let txn = crate::server::db::write(db).await?;
    let now = Utc::now();
    let saved = match id {
        None => {
            let saved = course::ActiveModel {
                title: Set(c.title.clone()),
                description: Set(c.description.clone()),
                capacity: Set(c.capacity),
                term_start: Set(c.term_start),
                term_end: Set(c.term_end),
                age_min: Set(c.ages.columns().0),
                age_max: Set(c.ages.columns().1),
                offers_personal: Set(c.personal),
                offers_pair: Set(c.pair),
                is_published: Set(c.published),
                seat_version: Set(0),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            write_children(&txn, saved.id, &c).await?;
            addresses::settle(&txn, Kind::Course, saved.id, &c.title).await?;
            record(&txn, actor, "create", "course", Some(saved.id), diff(&json!({}), &course_json(&saved, &c.teachers, &c.slots))).await?;
            saved
        }
        Some(id) => {
            // Under the course's lock: no booking slips in between the
            // seat count and the new capacity.
            let old = enrollments::lock_course(&txn, id.0).await?;
            if old.archived_at.is_some() {
                return Err(AppError::NotFound);
            }
            let (old_teachers, old_slots) = teachers_and_slots(&txn, id.0).await?;
            let window = crate::domain::enrollment::Period { start: today.max(c.term_start), end: c.term_end.max(today) };
            let held = old.capacity - crate::server::seats::free_seats(&txn, &old, window).await?;
            if c.capacity < held {
                return Err(AppError::field(
                    "course[capacity]",
                    format!("Уже занято мест: {held}. Вместимость не может быть меньше."),
                ));
            }
            let before = course_json(&old, &old_teachers, &old_slots);
            let mut row: course::ActiveModel = old.clone().into();
            row.title = Set(c.title.clone());
            row.description = Set(c.description.clone());
            row.capacity = Set(c.capacity);
            row.term_start = Set(c.term_start);
            row.term_end = Set(c.term_end);
            (row.age_min, row.age_max) = (Set(c.ages.columns().0), Set(c.ages.columns().1));
            row.offers_personal = Set(c.personal);
            row.offers_pair = Set(c.pair);
            row.is_published = Set(c.published);
            row.updated_at = Set(now);
            let saved = row.update(&txn).await?;
            write_children(&txn, id.0, &c).await?;
            addresses::settle(&txn, Kind::Course, id.0, &c.title).await?;
            let mut new_slots = c.slots.clone();
            new_slots.sort();
            let mut sorted_old = old_slots.clone();
            sorted_old.sort();
            if new_slots != sorted_old || (old.term_start, old.term_end) != (c.term_start, c.term_end) {
                let when = c
                    .slots
                    .iter()
                    .map(|(d, t, m, r)| format!("{} {}, {r}", ru::weekday(*d as u8).unwrap_or_default(), ru::time_range(*t, *m as u32)))
                    .collect::<Vec<_>>()
                    .join("; ");
                tell_students(&txn, config, &active_of(&txn, id.0).await?, "Изменилось расписание курса", &[
                    &format!("В расписании курса «{}» изменения.", c.title),
                    &format!("Срок: {}.", ru::date_range(c.term_start, c.term_end)),
                    &format!("Занятия: {when}."),
                ])
                .await?;
            }
            record(&txn, actor, "update", "course", Some(id.0), diff(&before, &course_json(&saved, &c.teachers, &c.slots))).await?;
            // More places or other dates may free seats: the waitlist moves
            // up now, ahead of anyone who books next.
            enrollments::promote_waitlist(&txn, &config.site_url, &saved, today).await?;
            saved
        }
    };
    txn.commit().await?;
    Ok(saved.id)
}

/// Removes a course. With active requests the office must confirm: they
/// are cancelled with a reason, each student gets a letter, and the course
/// is archived (its history stays); without any history it is deleted.
pub async fn remove(
    db: &DatabaseConnection,
    config: &Config,
    actor: &Office,
    id: CourseId,
    confirmed: bool,
) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let c = enrollments::lock_course(&txn, id.0).await?;
    if c.archived_at.is_some() {
        return Err(AppError::NotFound);
    }
    let active = active_of(&txn, id.0).await?;
    if !active.is_empty() && !confirmed {
        return Err(AppError::field(
            "confirm",
            format!(
                "На курс записано заявок: {}. Подтвердите удаление: заявки будут отменены, ученики получат письмо.",
                active.len()
            ),
        ));
    }
    const REASON: &str = "Курс отменён школой.";
    for e in &active {
        enrollments::apply(&txn, e.clone(), Event::Cancel, Some(REASON), Some(actor.id)).await?;
    }
    tell_students(&txn, config, &active, "Курс отменён", &[
        &format!("К сожалению, курс «{}» отменён, и ваша заявка на него закрыта.", c.title),
        "Посмотрите другие курсы в расписании — будем рады видеть вас.",
    ])
    .await?;
    addresses::bury(&txn, Kind::Course, id.0).await?;
    let any_history = enrollment::Entity::find().filter(enrollment::Column::CourseId.eq(id)).one(&txn).await?.is_some();
    if any_history {
        let mut row: course::ActiveModel = c.clone().into();
        row.archived_at = Set(Some(Utc::now()));
        row.is_published = Set(false);
        row.update(&txn).await?;
    } else {
        course::Entity::delete_by_id(id).exec(&txn).await?;
    }
    record(&txn, actor, if any_history { "archive" } else { "delete" }, "course", Some(id.0), json!({ "title": [c.title, null], "cancelled_requests": active.len() }))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// One page of the courses not archived, published or not, for the office:
/// found by title (case-insensitive in any alphabet, so matched here rather
/// than by SQLite's ASCII-only `lower`), newest term or title first.
pub async fn office_courses(
    db: &DatabaseConnection,
    today: NaiveDate,
    q: &ListQuery,
) -> Result<Page<CourseCard>, AppError> {
    let needle = crate::server::search::search_words(&q.search)?.to_lowercase();
    let mut found: Vec<(i32, String, NaiveDate)> = course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .column(course::Column::Title)
        .column(course::Column::TermStart)
        .filter(course::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .filter(|(_, title, _): &(i32, String, NaiveDate)| title.to_lowercase().contains(&needle))
        .collect();
    match q.sort.as_str() {
        "title" => found.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0))),
        _ => found.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1))),
    }
    let page = Page::cut(found.into_iter().map(|c| c.0).collect(), q.page);
    let mut rows = course::Entity::find().filter(course::Column::Id.is_in(page.items.iter().copied())).all(db).await?;
    rows.sort_by_key(|c| page.items.iter().position(|id| *id == c.id));
    Ok(Page { items: cards(db, rows, today).await?, page: page.page, pages: page.pages, total: page.total })
}
