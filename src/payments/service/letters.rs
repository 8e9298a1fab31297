//! The letter about an invoice still unpaid three days after its due date,
//! sent once (`sent_reminders` claims it) to the student and their
//! guardians (`mail::compose_about`), with the invoice's link.
use crate::{
    domain::{ledger::InvoiceStatus, money::Kopecks, ru},
    server::{
        entities::{invoice, user},
        links, mail,
        reminders::claim,
    },
};
use chrono::{Days, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Days after the due date the family is reminded.
pub const OVERDUE_AFTER: u64 = 3;

/// Queues the letters due on `today`; returns how many were sent.
pub async fn send_due(db: &DatabaseConnection, site: &url::Url, today: NaiveDate) -> Result<u64, DbErr> {
    let Some(due_by) = today.checked_sub_days(Days::new(OVERDUE_AFTER)) else { return Ok(0) };
    let overdue = invoice::Entity::find()
        .filter(invoice::Column::Status.is_in([InvoiceStatus::Open, InvoiceStatus::PartlyPaid]))
        .filter(invoice::Column::DueOn.lte(due_by))
        .all(db)
        .await?;
    if overdue.is_empty() {
        return Ok(0);
    }
    let students: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(overdue.iter().filter_map(|i| i.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let school = crate::server::settings::school(db).await?;
    let mut sent = 0;
    for inv in overdue {
        let Some(student) = inv.student_id.and_then(|s| students.get(&s)).filter(|u| u.is_active) else { continue };
        let txn = crate::server::db::write(db).await?;
        if !claim(&txn, "invoice_overdue", inv.id, &inv.due_on.to_string()).await? {
            continue;
        }
        let number = inv.number();
        let title = format!("Счёт № {number} ждёт оплаты");
        let text = format!(
            "Счёт № {number} нужно было оплатить до {}. Осталось оплатить {}. Оплатить можно по QR-коду в приложении банка — он на странице счёта — или на ресепшене.",
            ru::date(inv.due_on),
            Kopecks(inv.total - inv.paid)
        );
        let link = links::to(site, &format!("{}/{}", links::INVOICES, inv.id));
        for letter in mail::compose_about(&txn, student.id, student, &title, &[&text], Some(("Открыть счёт", &link))).await? {
            mail::enqueue_signed(&txn, letter, &school).await?;
        }
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Looks for letters due every hour for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz) {
    crate::server::workers::every("invoice_letters", std::time::Duration::from_secs(60 * 60), move || {
        let (db, site) = (db.clone(), site.clone());
        async move { send_due(&db, &site, Utc::now().with_timezone(&tz).date_naive()).await }
    });
}
