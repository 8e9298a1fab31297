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

pub(super) fn letter(to: &impl Addressee, subject: &str, paragraphs: &[&str], history: &str) -> Mail {
    mail::compose(to.address(), to.name(), subject, paragraphs, Some(("Мои записи", history)))
}

pub(super) async fn notify_teacher(
    db: &impl ConnectionTrait,
    site: &url::Url,
    teacher_id: Option<i32>,
    course: &course::Model,
    about: &Details,
    student: &impl Addressee,
) -> Result<(), DbErr> {
    let Some(teacher_id) = teacher_id else { return Ok(()) };
    let Some((_, t)) = teachers::one(db, teacher_id).await? else {
        return Ok(());
    };
    let link = links::to(site, links::DESK);
    mail::enqueue(db, mail::compose(
        &t.email, &t.full_name, "Новая заявка на курс",
        &[&format!("{} ({}) записывается на курс «{}».", student.name(), student.address(), course.title), &about.text(),
          "Подтвердите или отклоните заявку в личном кабинете."],
        Some(("Открыть кабинет", &link)),
    )).await
}
