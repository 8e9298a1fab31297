//! Payments through the real router on SQLite and PostgreSQL: the school's
//! bank details, checked field by field (the Bank of Russia's control key of
//! each account against the BIC, the INN's check digits) before anything is
//! stored, for the office only.
#![cfg(feature = "ssr")]
mod common;
use common::TestApp;
use kulisy::{domain::Role, server::{entities::audit_log, settings}};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Fictitious details that pass every check: an account at Сбербанк's BIC.
fn details() -> Vec<(&'static str, String)> {
    [
        ("payee", "ООО «Кулисы»"),
        ("inn", "7707083893"),
        ("kpp", "773601001"),
        ("account", "4070 2810 2000 0001 2345"),
        ("bank_name", "ПАО Сбербанк"),
        ("bic", "044525225"),
        ("correspondent_account", "30101810400000000225"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// The details with some fields typed otherwise.
fn with(changes: &[(&str, &str)]) -> Vec<(&'static str, String)> {
    details()
        .into_iter()
        .map(|(k, v)| (k, changes.iter().find(|(c, _)| *c == k).map_or(v, |(_, typed)| typed.to_string())))
        .collect()
}

async fn bank_details_are_checked_before_they_are_stored(app: TestApp) {
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    for (field, value, message) in [
        ("account", "40702810200000012346", "Счёт не сходится с БИК по контрольному ключу: проверьте цифры."),
        ("account", "4070281020000001234", "Расчётный счёт — 20 цифр."),
        ("correspondent_account", "30101810400000000226", "Корр. счёт не сходится с БИК по контрольному ключу: проверьте цифры."),
        ("bic", "04452522Б", "БИК — 9 цифр."),
        ("inn", "7707083894", "ИНН — 10 или 12 цифр с верными контрольными цифрами."),
        ("inn", "７７０７０８３８９３", "ИНН — 10 или 12 цифр с верными контрольными цифрами."),
        ("kpp", "", "У организации (ИНН из 10 цифр) укажите КПП."),
        ("payee", "Кулисы|Sum=1", "Без символов «|» и «=»: их не пропустит QR-код для оплаты."),
        ("bank_name", "", "Укажите банк."),
    ] {
        let res = office.submit("/api/payments/bank/save", &with(&[(field, value)])).await;
        assert_eq!(res.status, 422, "{field}={value}: {}", res.body);
        assert!(res.body.contains(field) && res.body.contains(message), "{field}={value}: {}", res.body);
        assert_eq!(settings::bank_details(&app.state.db).await.unwrap(), None, "nothing stored for {field}={value}");
    }
    assert!(office.submit("/api/payments/bank/save", &details()).await.ok());
    let stored = settings::bank_details(&app.state.db).await.unwrap().expect("stored");
    assert_eq!(stored.account, "40702810200000012345", "typed in groups, stored as digits");
    let read = office.call("/api/payments/bank", &[]).await.json();
    assert_eq!(read["payee"], "ООО «Кулисы»");
    // A sole trader: twelve digits and no KPP.
    assert!(office.submit("/api/payments/bank/save", &with(&[("inn", "500100732259"), ("kpp", "")])).await.ok());
    assert_eq!(settings::bank_details(&app.state.db).await.unwrap().unwrap().kpp, "");
    let audited = audit_log::Entity::find().filter(audit_log::Column::Entity.eq("setting")).count(&app.state.db).await.unwrap();
    assert_eq!(audited, 2, "each change on the record");
}

async fn only_the_office_reads_and_writes_them(app: TestApp) {
    let (_, mut teacher) = app.signed_in("teacher@kulisy.test", "Педагог", Role::Teacher).await;
    let (_, mut student) = app.signed_in("student@kulisy.test", "Ученица", Role::Student).await;
    for b in [&mut teacher, &mut student] {
        assert_eq!(b.submit("/api/payments/bank/save", &details()).await.status, 403);
        assert_eq!(b.call("/api/payments/bank", &[]).await.status, 403);
    }
    assert_eq!(settings::bank_details(&app.state.db).await.unwrap(), None);
}

both_databases!(spawn, bank_details_are_checked_before_they_are_stored, only_the_office_reads_and_writes_them);
