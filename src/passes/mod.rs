//! Passes (абонементы): the office's prices and pass types, passes sold to
//! students (or asked for by them), lessons written off by attendance
//! (`service::ledger`, called by the teacher's marks), freezes, and what
//! the student, the guardian and the office see of them.
mod pages;
pub mod wire;
/// The rules (in transactions); server only.
#[cfg(feature = "ssr")]
pub mod service;
/// The monthly report's CSV download.
#[cfg(feature = "ssr")]
pub mod routes;

pub use pages::{MyPassesPage, OfficePassesPage, PersonPassesPanel, PricingPage};
pub use wire::*;

use crate::{
    domain::{CourseFormat, CourseId, UserId},
    error::AppError,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::pass::PassTypeForm,
    server::{flash, guards::{ActingFor, Office, Student}, state},
    ui::FlashKind,
};

/// The office: a course's prices and pass types.
#[server(endpoint = "passes/pricing")]
pub async fn load_pricing(course_id: CourseId) -> Result<CoursePricing, AppError> {
    let office = Office::of_request().await?;
    service::prices::pricing(&state()?.db, &office, course_id).await
}

/// The office: the price of a lesson and of a trial lesson in one format.
#[server(endpoint = "passes/prices")]
pub async fn save_prices(course_id: CourseId, format: CourseFormat, lesson_price: String, trial_price: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    service::prices::set_prices(&state()?.db, &office, course_id, format, &lesson_price, &trial_price).await?;
    flash::set_for_plain_form(FlashKind::Success, "Цены сохранены.");
    Ok(())
}

/// The office: a new pass type on sale.
#[server(endpoint = "passes/types/add")]
pub async fn add_pass_type(
    course_id: CourseId,
    format: CourseFormat,
    name: String,
    lessons: String,
    valid_days: String,
    price: String,
    key: String,
) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let form = PassTypeForm { name, lessons, valid_days, price };
    service::prices::add_pass_type(&state()?.db, &office, course_id, format, &form, &key).await?;
    flash::set_for_plain_form(FlashKind::Success, "Абонемент добавлен в продажу.");
    Ok(())
}

/// The office: a pass type off sale (`on_sale` absent) or back on.
#[server(endpoint = "passes/types/on-sale")]
pub async fn set_pass_type_on_sale(id: i32, on_sale: Option<String>) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    service::prices::set_on_sale(&state()?.db, &office, id, on_sale.is_some()).await?;
    flash::set_for_plain_form(FlashKind::Success, if on_sale.is_some() { "Абонемент снова в продаже." } else { "Абонемент снят с продажи." });
    Ok(())
}

/// The office sells a pass; `key` makes a second sending of the same form
/// sell nothing more.
#[server(endpoint = "passes/sell")]
pub async fn sell_pass(student: UserId, pass_type: i32, valid_from: String, key: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let s = state()?;
    service::sales::sell(&s.db, &office, student, pass_type, &valid_from, &key, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Абонемент продан.");
    Ok(())
}

/// The office starts a pass a student asked for before it is paid (the
/// school trusts the family): its invoice stays owed. Paying the invoice
/// starts the pass by itself (`payments`).
#[server(endpoint = "passes/confirm")]
pub async fn confirm_pass(id: i32) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let s = state()?;
    service::sales::confirm_request(&s.db, &office, id, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Абонемент действует; счёт за него остаётся к оплате.");
    Ok(())
}

/// The office freezes one pass for a period.
#[server(endpoint = "passes/freeze")]
pub async fn freeze_pass(id: i32, from: String, until: String, reason: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let (freeze, reason) = service::freezes::parse(&from, &until, &reason)?;
    service::freezes::freeze_pass(&state()?.db, &office, id, freeze, &reason).await?;
    flash::set_for_plain_form(FlashKind::Success, "Абонемент заморожен: срок продлён на эти дни.");
    Ok(())
}

/// The office freezes every running pass of a course (the school is closed).
#[server(endpoint = "passes/freeze-course")]
pub async fn freeze_course(course_id: CourseId, from: String, until: String, reason: String) -> Result<String, AppError> {
    let office = Office::of_request().await?;
    let (freeze, reason) = service::freezes::parse(&from, &until, &reason)?;
    let frozen = service::freezes::freeze_course(&state()?.db, &office, course_id, freeze, &reason).await?;
    let text = format!("Заморожено абонементов: {frozen}.");
    flash::set_for_plain_form(FlashKind::Success, &text);
    Ok(text)
}

/// A student's passes and, for a guardian, their children's.
#[server(endpoint = "passes/mine")]
pub async fn load_my_passes() -> Result<Vec<MemberPasses>, AppError> {
    let me = ActingFor::check(&state()?.db, &Student::of_request().await?, None, state()?.today()).await?;
    let s = state()?;
    service::views::my_passes(&s.db, &me, s.today()).await
}

/// A student (or guardian, for `member`) asks for a pass: it waits with its
/// invoice, paid by QR code or at the desk. Answers the invoice's id and number.
#[server(endpoint = "passes/request")]
pub async fn request_pass(#[server(default)] member: String, pass_type: i32) -> Result<(i32, String), AppError> {
    let acting = ActingFor::of_request(&member).await?;
    let s = state()?;
    let invoice = crate::payments::service::invoices::ask_for_pass(&s.db, &acting, pass_type, s.today()).await?;
    crate::payments::service::letters::tell_issued(&s.db, &s.config.site_url, &invoice).await?;
    let text = format!("Абонемент ждёт оплаты: счёт № {} — в разделе «Оплата».", invoice.number());
    flash::set_for_plain_form(FlashKind::Success, &text);
    Ok((invoice.id, invoice.number().to_string()))
}

/// A student (or guardian, for `member`) tells the school they will miss
/// one lesson; in time, a make-up credit is given.
#[server(endpoint = "passes/absence")]
pub async fn report_absence(#[server(default)] member: String, enrollment_id: crate::domain::EnrollmentId, date: String) -> Result<String, AppError> {
    let acting = ActingFor::of_request(&member).await?;
    let s = state()?;
    // The day comes from the page's own button, never typed.
    let date = crate::domain::iso::parse_date(&date).ok_or(AppError::BadRequest)?;
    let now = s.to_local(chrono::Utc::now());
    let in_time = service::makeups::report_absence(&s.db, &acting, enrollment_id, date, now).await?;
    let text = if in_time {
        "Спасибо, что предупредили: занятие не спишется, а отработку можно назначить ниже."
    } else {
        "Пропуск отмечен. Предупредили позже срока, поэтому отработки не будет."
    };
    flash::set_for_plain_form(FlashKind::Success, text);
    Ok(text.to_string())
}

/// A student (or guardian) books a make-up credit into a lesson: `lesson`
/// is the course and day, «12:2026-12-10».
#[server(endpoint = "passes/makeup")]
pub async fn book_makeup(#[server(default)] member: String, credit: i32, lesson: String) -> Result<(), AppError> {
    let acting = ActingFor::of_request(&member).await?;
    let s = state()?;
    let wrong = || AppError::field("lesson", "Выберите занятие для отработки.");
    let (course, day) = lesson.split_once(':').ok_or_else(wrong)?;
    let course = CourseId(course.parse().map_err(|_| wrong())?);
    let day = crate::domain::iso::parse_date(day).ok_or_else(wrong)?;
    service::makeups::book_makeup(&s.db, &acting, credit, course, day, s.today()).await?;
    flash::set_for_plain_form(FlashKind::Success, "Отработка назначена: педагог увидит вас в списке занятия.");
    Ok(())
}

/// The office: the school's rules for passes.
#[server(endpoint = "passes/rules")]
pub async fn load_pass_rules() -> Result<crate::domain::makeup::PassRules, AppError> {
    Office::of_request().await?;
    Ok(crate::server::settings::pass_rules(&state()?.db).await?)
}

#[server(endpoint = "passes/rules/save")]
pub async fn save_pass_rules(absence_written_off: Option<String>, notice_hours: String, makeup_days: String) -> Result<(), AppError> {
    let office = Office::of_request().await?;
    let form = crate::domain::makeup::PassRulesForm { absence_written_off, notice_hours, makeup_days };
    service::prices::set_rules(&state()?.db, &office, &form).await?;
    flash::set_for_plain_form(FlashKind::Success, "Правила абонементов сохранены.");
    Ok(())
}

/// The office: passes waiting for payment, ending soon, lessons on credit,
/// and the report of `month` («2026-12»; this month when empty).
#[server(endpoint = "passes/office")]
pub async fn load_office_passes(#[server(default)] month: String) -> Result<OfficePasses, AppError> {
    Office::of_request().await?;
    let s = state()?;
    let today = s.today();
    let month = crate::domain::report::Month::parse(&month, today);
    service::reports::office_passes(&s.db, month, today, s.config.time_zone).await
}
