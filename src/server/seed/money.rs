//! The demo school's books: bank details (fictitious, valid by the control
//! keys), and the family's two invoices — the son's «4 занятия», paid in
//! cash with its receipt's number, and an «8 занятий» he asked for next,
//! waiting for payment. Written as the books write them: each invoice's
//! total charged, each payment entered (`accounts::append`: the balance
//! their sum, each in the audit log).
use crate::{
    payments::service::accounts::append,
    domain::{
        bank::BankDetails,
        ledger::{InvoiceStatus, MoneyKind, PaymentMethod},
    },
    server::{
        entities::{family_child, invoice, invoice_counter, invoice_line, money_account, money_entry, pass, pass_type, user},
        settings,
    },
};
use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// A payee that is no one: the INN and accounts pass the checks, the names say «демо».
fn demo_bank() -> BankDetails {
    BankDetails {
        payee: "ООО «Кулисы» (демо)".into(),
        inn: "7701234560".into(),
        kpp: "770101001".into(),
        account: "40702810200000012345".into(),
        bank_name: "ПАО Сбербанк".into(),
        bic: "044525225".into(),
        correspondent_account: "30101810400000000225".into(),
    }
}

pub(super) async fn seed(db: &impl ConnectionTrait, son: i32, today: NaiveDate) -> Result<(), DbErr> {
    let details = BankDetails::check(&demo_bank()).map_err(|p| DbErr::Custom(format!("demo bank details: {p:?}")))?;
    settings::put(db, settings::BANK_DETAILS, &serde_json::to_string(&details).map_err(|e| DbErr::Custom(e.to_string()))?).await?;
    let Some(bought) = pass::Entity::find().filter(pass::Column::StudentId.eq(son)).order_by_asc(pass::Column::Id).one(db).await? else {
        return Ok(());
    };
    let Some(family) = family_child::Entity::find().filter(family_child::Column::ChildId.eq(son)).one(db).await? else {
        return Ok(());
    };
    let now = Utc::now();
    let name = user::Entity::find_by_id(son).one(db).await?.map(|u| u.full_name).unwrap_or_default();
    let account = money_account::ActiveModel { family_id: Set(Some(family.family_id)), balance: Set(0), created_at: Set(now), ..Default::default() }
        .insert(db)
        .await?;
    // The next pass he asked for: «8 занятий» of the same course, waiting.
    let eight = pass_type::Entity::find()
        .filter(pass_type::Column::CourseId.eq(bought.course_id))
        .filter(pass_type::Column::Lessons.eq(8))
        .one(db)
        .await?
        .ok_or(DbErr::RecordNotFound("«8 занятий»".into()))?;
    let asked = pass::ActiveModel { requested_by: Set(family_guardian_of(db, family.family_id).await?), ..pass::ActiveModel::of_type(&eight, son, today) }
        .insert(db)
        .await?;
    for (seq, p, paid_on) in [(1, &bought, Some(bought.valid_from)), (2, &asked, None)] {
        let created = paid_on.unwrap_or(today);
        let inv = invoice::ActiveModel {
            year: Set(today.year()),
            seq: Set(seq),
            account_id: Set(account.id),
            student_id: Set(Some(son)),
            total: Set(p.price),
            paid: Set(if paid_on.is_some() { p.price } else { 0 }),
            status: Set(if paid_on.is_some() { InvoiceStatus::Paid } else { InvoiceStatus::Open }),
            due_on: Set(created.checked_add_days(Days::new(5)).unwrap_or(created)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        invoice_line::ActiveModel {
            invoice_id: Set(inv.id),
            description: Set(format!("Абонемент «{}», Детская театральная студия — {name}", p.name)),
            amount: Set(p.price),
            pass_id: Set(Some(p.id)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let entry = |kind, amount| money_entry::ActiveModel {
            account_id: Set(account.id),
            kind: Set(kind),
            amount: Set(amount),
            invoice_id: Set(Some(inv.id)),
            created_at: Set(now),
            ..Default::default()
        };
        append(db, entry(MoneyKind::Charge, -p.price)).await.map_err(seed_error)?;
        if let Some(day) = paid_on {
            let payment = money_entry::ActiveModel {
                method: Set(Some(PaymentMethod::Cash)),
                receipt_number: Set(Some("ФД 000145".into())),
                paid_on: Set(Some(day)),
                ..entry(MoneyKind::Payment, p.price)
            };
            append(db, payment).await.map_err(seed_error)?;
        }
    }
    invoice_counter::ActiveModel { year: Set(today.year()), last: Set(2) }.insert(db).await?;
    Ok(())
}

pub(super) fn seed_error(e: crate::error::AppError) -> DbErr {
    DbErr::Custom(format!("{e:?}"))
}

async fn family_guardian_of(db: &impl ConnectionTrait, family: i32) -> Result<Option<i32>, DbErr> {
    use crate::server::entities::family_guardian;
    Ok(family_guardian::Entity::find().filter(family_guardian::Column::FamilyId.eq(family)).one(db).await?.map(|g| g.user_id))
}
