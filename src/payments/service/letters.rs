//! The letters about invoices, each with the invoice's link and sent once
//! (`server::once_letters`): a new invoice, and one still unpaid three days
//! after its due date.
use crate::{
    domain::{ledger::InvoiceStatus, money::Kopecks, ru},
    server::{
        entities::invoice,
        links,
        once_letters::{self, OnceLetter},
    },
};
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

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
    let letters = overdue
        .into_iter()
        .filter_map(|inv| {
            let number = inv.number();
            let text = format!(
                "Счёт № {number} нужно было оплатить до {}. Осталось оплатить {}. Оплатить можно по QR-коду в приложении банка — он на странице счёта — или на ресепшене.",
                ru::date(inv.due_on),
                Kopecks(inv.total - inv.paid)
            );
            Some(OnceLetter {
                kind: "invoice_overdue",
                subject_id: inv.id,
                occasion: inv.due_on.to_string(),
                student: inv.student_id?,
                title: format!("Счёт № {number} ждёт оплаты"),
                text,
                link: ("Открыть счёт", links::to(site, &format!("{}/{}", links::INVOICES, inv.id))),
            })
        })
        .collect();
    once_letters::send(db, letters).await
}

/// The letter that tells the family of a new invoice, with its link; once.
pub async fn tell_issued(db: &DatabaseConnection, site: &url::Url, inv: &invoice::Model) -> Result<u64, DbErr> {
    let Some(student) = inv.student_id else { return Ok(0) };
    let number = inv.number();
    let letter = OnceLetter {
        kind: "invoice_issued",
        subject_id: inv.id,
        occasion: String::new(),
        student,
        title: format!("Счёт № {number}"),
        text: format!(
            "Школа выставила счёт № {number} на {}, оплатить до {}. Оплатить можно по QR-коду в приложении банка — он на странице счёта — или на ресепшене.",
            Kopecks(inv.total),
            ru::date(inv.due_on)
        ),
        link: ("Открыть счёт", links::to(site, &format!("{}/{}", links::INVOICES, inv.id))),
    };
    once_letters::send(db, vec![letter]).await
}

/// Looks for letters due every hour for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, site: url::Url, tz: chrono_tz::Tz) {
    once_letters::every_hour("invoice_letters", db, site, tz, |db, site, today| async move { send_due(&db, &site, today).await });
}
