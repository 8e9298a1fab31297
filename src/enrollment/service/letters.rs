//! What the school tells people about a request.
use crate::server::{
    entities::{course, enrollment},
    mail::{self, Addressee, Mail},
    links,
    teachers,
};
use crate::domain::ru;
use sea_orm::{
    ConnectionTrait,
    DbErr,
};

/// The lines every letter about an enrollment carries.
pub(super) struct Details {
    lines: Vec<String>,
}

impl Details {
    pub(super) fn of(course: &course::Model, teacher: Option<&str>, e: &enrollment::Model, partner: Option<&str>) -> Details {
        let mut lines = vec![format!("Курс: {}", course.title)];
        if let Some(t) = teacher {
            lines.push(format!("Педагог: {t}"));
        }
        lines.push(format!("Формат: {}", e.format.label().to_lowercase()));
        if let Some(p) = partner {
            lines.push(format!("Партнёр: {p}"));
        }
        lines.push(format!("Период: {}", ru::date_range(e.period_start, e.period_end)));
        Details { lines }
    }

    pub(super) fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// A letter about `person`'s request, to everyone who reads their letters
/// (`mail::compose_about`: themselves, their guardians), queued in `db`'s transaction.
pub(super) async fn tell(
    db: &impl ConnectionTrait,
    person_id: i32,
    person: &impl Addressee,
    subject: &str,
    paragraphs: &[&str],
    history: &str,
) -> Result<(), DbErr> {
    for letter in letters(db, person_id, person, subject, paragraphs, history).await? {
        mail::enqueue(db, letter).await?;
    }
    Ok(())
}

/// The letters [`tell`] would queue, for a caller that adds to them.
pub(super) async fn letters(
    db: &impl ConnectionTrait,
    person_id: i32,
    person: &impl Addressee,
    subject: &str,
    paragraphs: &[&str],
    history: &str,
) -> Result<Vec<Mail>, DbErr> {
    mail::compose_about(db, person_id, person, subject, paragraphs, Some(("Мои записи", history))).await
}

/// How a letter to the teacher names who asked: the student and their
/// address, or (for a child without a login) the child alone.
pub(super) fn applicant(person: &impl Addressee) -> String {
    if crate::server::families::is_deliverable(person.address()) {
        format!("{} ({})", person.name(), person.address())
    } else {
        person.name().to_string()
    }
}

pub(super) async fn notify_teacher(
    db: &impl ConnectionTrait,
    site: &url::Url,
    teacher_id: Option<i32>,
    course: &course::Model,
    about: &Details,
    applicant: &str,
) -> Result<(), DbErr> {
    let Some(teacher_id) = teacher_id else { return Ok(()) };
    let Some((_, t)) = teachers::one(db, teacher_id).await? else {
        return Ok(());
    };
    let link = links::to(site, links::DESK);
    mail::enqueue(db, mail::compose(
        &t.email, &t.full_name, "Новая заявка на курс",
        &[&format!("{applicant} записывается на курс «{}».", course.title), &about.text(),
          "Подтвердите или отклоните заявку в личном кабинете."],
        Some(("Открыть кабинет", &link)),
    )).await
}
