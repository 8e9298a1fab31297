//! Payments through the real router on SQLite and PostgreSQL: the school's
//! bank details, checked field by field (the Bank of Russia's control key of
//! each account against the BIC, the INN's check digits) before anything is
//! stored; a pass asked for comes with its invoice, paid in part, overpaid,
//! refunded; the invoice's payment QR code read back; a storm of payments,
//! refunds, sales and marks. Every test ends with the books' invariants
//! (`common::money::assert_money_books`).
#![cfg(feature = "ssr")]
mod common;
use chrono::{Datelike, Duration};
use common::{
    TestApp,
    money::{assert_money_books, read_qr},
    passes::{assert_books, pass_now, pass_type, sell},
};
use kulisy::{
    domain::{EnrollmentStatus, Role, ledger::{InvoiceStatus, MoneyKind}, payment_qr},
    server::{
        entities::{audit_log, invoice, money_account, money_entry, pass},
        settings,
    },
};
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

/// A payment form as the office sends it, on `invoice`.
fn payment(invoice: i32, amount: &str, method: &str, receipt: &str, key: &str) -> Vec<(&'static str, String)> {
    [("invoice", invoice.to_string()), ("amount", amount.into()), ("method", method.into()), ("receipt_number", receipt.into()), ("key", key.into())]
        .into()
}

fn key(name: &str) -> String {
    format!("{name}-{}", rand::random::<u64>())
}

async fn only_invoice(app: &TestApp) -> invoice::Model {
    let all = invoice::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

async fn a_pass_asked_for_is_invoiced_paid_in_parts_and_then_active(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (office_user, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (_, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    for _ in 0..2 {
        let res = masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await;
        assert!(res.ok(), "{}", res.body);
    }
    let inv = only_invoice(&app).await;
    assert_eq!(inv.number().to_string(), format!("{}-000001", app.today().year()));
    assert_eq!((inv.total, inv.status), (320_000, InvoiceStatus::Open));
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], -320_000, "owed");

    // Bad forms are refused beside their fields, and nothing is recorded.
    for (amount, method, receipt, field) in [("1000", "cash", "", "receipt_number"), ("1000", "card", "", "receipt_number"),
        ("-5", "cash", "1", "amount"), ("0", "cash", "1", "amount"), ("10,555", "cash", "1", "amount"), ("abc", "cash", "1", "amount"),
        ("１０", "cash", "1", "amount"), ("10000000,01", "cash", "1", "amount")] {
        let res = office.submit("/api/payments/record", &payment(inv.id, amount, method, receipt, &key("bad"))).await;
        assert_eq!(res.status, 422, "{amount} {method} «{receipt}»: {}", res.body);
        assert!(res.body.contains(field), "{amount}: beside {field}: {}", res.body);
    }
    assert_eq!(money_entry::Entity::find().filter(money_entry::Column::Kind.eq(MoneyKind::Payment)).count(&app.state.db).await.unwrap(), 0);
    assert_eq!(office.submit("/api/payments/record", &payment(inv.id, "1", "wire", "", &key("m"))).await.status, 400, "no such method");

    // 1 000 ₽ in cash, the form sent twice at once: one payment.
    let cash = payment(inv.id, "1 000", "cash", "ФД 00123", &key("cash"));
    let mut second_tab = app.browser_as(&office_user).await;
    let (a, b) = futures::join!(office.submit("/api/payments/record", &cash), second_tab.submit("/api/payments/record", &cash));
    assert!(a.ok() && b.ok(), "{} {}", a.body, b.body);
    let inv = only_invoice(&app).await;
    assert_eq!((inv.paid, inv.status), (100_000, InvoiceStatus::PartlyPaid));
    let waiting = pass::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    assert!(waiting.sold_at.is_none(), "a pass partly paid still waits");

    // 2 500 ₽ by transfer: 2 200 pay the rest, 300 stay as the family's advance.
    assert!(office.submit("/api/payments/record", &payment(inv.id, "2500", "transfer", "", &key("transfer"))).await.ok());
    let inv = only_invoice(&app).await;
    assert_eq!((inv.paid, inv.status), (320_000, InvoiceStatus::Paid));
    let active = pass_now(&app, waiting.id).await;
    assert!(active.sold_at.is_some() && active.lessons_left == 8, "paid, the pass is active: {active:?}");
    let mine = masha.call("/api/payments/mine", &[]).await.json();
    assert_eq!(mine[0]["balance"], 30_000, "the advance: {mine}");
    assert_eq!(mine[0]["invoices"][0]["status"], "paid");
    let audited = audit_log::Entity::find().filter(audit_log::Column::Entity.eq("payment")).count(&app.state.db).await.unwrap();
    assert_eq!(audited, 3, "each entry audited: the 1 000, the 2 200 on the invoice, the 300 advance");
    let res = office.call("/api/payments/invoice/cancel", &[("id", &inv.id.to_string()), ("reason", "Ошибка")]).await;
    assert!(res.status == 409 && res.body.contains("сначала оформите возврат"), "a paid invoice stays: {}", res.body);
    assert_money_books(&app).await;
    assert_books(&app).await;
}

async fn a_refund_never_exceeds_its_payment(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (_, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
    let inv = only_invoice(&app).await;
    assert!(office.submit("/api/payments/record", &payment(inv.id, "1000", "cash", "17", &key("cash"))).await.ok());
    let paid = money_entry::Entity::find().filter(money_entry::Column::Kind.eq(MoneyKind::Payment)).one(&app.state.db).await.unwrap().unwrap();
    let refund = |amount: &str, reason: &str, key: &str| {
        vec![("entry", paid.id.to_string()), ("amount", amount.to_string()), ("reason", reason.to_string()), ("key", key.to_string())]
    };
    for (amount, reason, field) in [("1500", "Болезнь", "amount"), ("400", "", "reason"), ("-1", "Болезнь", "amount")] {
        let res = office.submit("/api/payments/refund", &refund(amount, reason, &key("bad"))).await;
        assert_eq!(res.status, 422, "{amount}: {}", res.body);
        assert!(res.body.contains(field), "{}", res.body);
    }
    let once = refund("400", "Пропустил месяц по болезни", &key("refund"));
    for _ in 0..2 {
        assert!(office.submit("/api/payments/refund", &once).await.ok());
    }
    let inv = only_invoice(&app).await;
    assert_eq!((inv.paid, inv.status), (60_000, InvoiceStatus::PartlyPaid));
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], -260_000);
    assert!(office.submit("/api/payments/refund", &refund("600", "Остаток", &key("rest"))).await.ok());
    let res = office.submit("/api/payments/refund", &refund("1", "Ещё", &key("more"))).await;
    assert!(res.status == 422 && res.body.contains("Этот платёж уже возвращён полностью."), "{}", res.body);
    assert_eq!((only_invoice(&app).await.paid, only_invoice(&app).await.status), (0, InvoiceStatus::Open));
    // Nothing left paid on it: the office may cancel it, with a reason, once.
    let id = inv.id.to_string();
    assert_eq!(office.call("/api/payments/invoice/cancel", &[("id", &id), ("reason", " ")]).await.status, 422);
    for _ in 0..2 {
        assert!(office.call("/api/payments/invoice/cancel", &[("id", &id), ("reason", "Семья передумала")]).await.ok());
    }
    assert_eq!(only_invoice(&app).await.status, InvoiceStatus::Cancelled);
    assert_eq!(masha.call("/api/payments/mine", &[]).await.json()[0]["balance"], 0, "the charge undone");
    let res = office.submit("/api/payments/record", &payment(inv.id, "100", "cash", "3", &key("late"))).await;
    assert!(res.status == 409 && res.body.contains("Счёт отменён"), "{}", res.body);
    assert_money_books(&app).await;
}

/// The invoice's QR code, read back from its picture, carries every field
/// of the invoice and the school; a name with `|` and `=` adds or changes none.
async fn the_payment_qr_code_reads_back_as_the_invoice(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200,50").await;
    let (petya, mut b) = app.signed_in("petya@kulisy.test", "Петя|Sum=1|BIC=000000000", Role::Student).await;
    app.request_of(&c, petya.id, EnrollmentStatus::Confirmed).await;
    assert!(b.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
    let inv = only_invoice(&app).await;
    let id = inv.id.to_string();
    let view = b.call("/api/payments/invoice", &[("id", &id)]).await.json();
    assert_eq!(view["payment"], "NoDetails", "no QR without the school's details: {view}");

    assert!(office.submit("/api/payments/bank/save", &details()).await.ok());
    let view = b.call("/api/payments/invoice", &[("id", &id)]).await.json();
    let text = read_qr(view["payment"]["Bank"]["qr_svg"].as_str().unwrap());
    let number = inv.number();
    assert_eq!(
        payment_qr::fields(&text).expect("the standard's header"),
        [
            ("Name", "ООО «Кулисы»"),
            ("PersonalAcc", "40702810200000012345"),
            ("BankName", "ПАО Сбербанк"),
            ("BIC", "044525225"),
            ("CorrespAcc", "30101810400000000225"),
            ("PayeeINN", "7707083893"),
            ("KPP", "773601001"),
            ("Sum", "320050"),
            ("Purpose", format!("Оплата по счёту {number}, Петя/Sum-1/BIC-000000000").as_str()),
        ]
    );
    // After 1 000 ₽ the code asks for the rest.
    assert!(office.submit("/api/payments/record", &payment(inv.id, "1000", "cash", "1", &key("cash"))).await.ok());
    let view = b.call("/api/payments/invoice", &[("id", &id)]).await.json();
    let text = read_qr(view["payment"]["Bank"]["qr_svg"].as_str().unwrap());
    assert!(text.contains("|Sum=220050|"), "{text}");

    // Another family does not see it; the office does; a teacher sees no money.
    let (_, mut other) = app.signed_in("other@kulisy.test", "Другая", Role::Student).await;
    assert_eq!(other.call("/api/payments/invoice", &[("id", &id)]).await.status, 404);
    assert!(office.call("/api/payments/office/invoice", &[("id", &id)]).await.ok());
    let teacher = app.user(&c.teacher_email).await.unwrap();
    assert_eq!(app.browser_as(&teacher).await.call("/api/payments/invoice", &[("id", &id)]).await.status, 403);
    assert_money_books(&app).await;
}

/// A guardian's child's pass is invoiced to the family: either guardian sees it.
async fn a_childs_invoice_belongs_to_the_family(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (mother, mut b) = app.signed_in("mother@kulisy.test", "Мама", Role::Student).await;
    assert!(common::family::add_child(&mut b, "Миша", &common::family::born(9, app.today()).to_string(), "").await.ok());
    let misha = common::family::child(&app, &mother, "Миша").await;
    app.request_of(&c, misha.id, EnrollmentStatus::Confirmed).await;
    assert!(b.call("/api/passes/request", &[("member", &misha.id.to_string()), ("pass_type", &t.to_string())]).await.ok());
    let inv = only_invoice(&app).await;
    let account = money_account::Entity::find_by_id(inv.account_id).one(&app.state.db).await.unwrap().unwrap();
    assert!(account.family_id.is_some() && account.user_id.is_none(), "{account:?}");
    assert_eq!(inv.student_id, Some(misha.id));
    let mine = b.call("/api/payments/mine", &[]).await.json();
    assert_eq!(mine[0]["invoices"][0]["student_name"], "Миша", "{mine}");

    // A teenager of the family with a login of their own asks for a pass:
    // the family's account pays, and the teenager opens the invoice.
    let (teen, mut teen_browser) = app.signed_in("teen@kulisy.test", "Вера", Role::Student).await;
    let now = chrono::Utc::now();
    sea_orm::ActiveModelTrait::insert(
        kulisy::server::entities::family_child::ActiveModel {
            family_id: sea_orm::ActiveValue::Set(account.family_id.unwrap()),
            child_id: sea_orm::ActiveValue::Set(teen.id),
            consented_at: sea_orm::ActiveValue::Set(now),
            policy_version: sea_orm::ActiveValue::Set("test".into()),
            created_at: sea_orm::ActiveValue::Set(now),
            ..Default::default()
        },
        &app.state.db,
    )
    .await
    .unwrap();
    app.request_of(&c, teen.id, EnrollmentStatus::Confirmed).await;
    let asked = teen_browser.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.json();
    let teens = invoice::Entity::find_by_id(asked[0].as_i64().unwrap() as i32).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(teens.account_id, account.id, "the family pays");
    assert!(teen_browser.call("/api/payments/invoice", &[("id", &teens.id.to_string())]).await.ok());
    assert!(b.call("/api/payments/invoice", &[("id", &teens.id.to_string())]).await.ok(), "and the parent sees it");
    assert_money_books(&app).await;
}

/// 100 requests at once: payments (some sent twice), refunds, sales and
/// attendance marks (lessons on credit among them) over five students. The books hold, and each form
/// wrote once.
async fn a_storm_of_money_keeps_the_books(app: TestApp) {
    let c = app.course("Этюды", 20, -60, 20).await;
    let (office_user, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "60", "3200").await;
    let prices = [("course_id", c.id.to_string()), ("format", "personal".into()), ("lesson_price", "450".into()), ("trial_price", "0".into())];
    assert!(office.submit("/api/passes/prices", &prices).await.ok());
    let today = app.today();
    let mut students = Vec::new();
    for i in 0..5 {
        let (e, mut b) = app.enrolled(&c, &format!("s{i}@kulisy.test"), EnrollmentStatus::Confirmed).await;
        assert!(b.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
        // Lessons marked before it began go on credit, until a sale pays them.
        sell(&app, &mut office, e.student_id.unwrap(), t, today - Duration::days(10)).await;
        students.push(e);
    }
    let invoices = invoice::Entity::find().all(&app.state.db).await.unwrap();
    let invoice_of = |e: &kulisy::server::entities::enrollment::Model| invoices.iter().find(|i| i.student_id == e.student_id).unwrap().id;
    for e in &students {
        assert!(office.submit("/api/payments/record", &payment(invoice_of(e), "500", "cash", "0", &key("first"))).await.ok());
    }
    let first_payments = money_entry::Entity::find().filter(money_entry::Column::Kind.eq(MoneyKind::Payment)).all(&app.state.db).await.unwrap();
    let office_cookies = app.browser_as(&office_user).await.cookies;
    let teacher_cookies = app.browser_as(&app.user(&c.teacher_email).await.unwrap()).await.cookies;
    let keys: Vec<String> = (0..100).map(|i| key(&format!("storm{i}"))).collect();
    let calls = (0..100).map(|i| {
        // Five forms in a row for one student, each student in turn.
        let e = &students[(i / 5) % 5];
        let mut b = app.browser();
        b.cookies = if i % 5 == 3 { teacher_cookies.clone() } else { office_cookies.clone() };
        let form: Vec<(&'static str, String)> = match i % 5 {
            // A payment, and the same form again (a retry, a second tab).
            0 => payment(invoice_of(e), "700", "cash", &format!("R{i}"), &keys[i]),
            1 => payment(invoice_of(e), "700", "cash", &format!("R{}", i - 1), &keys[i - 1]),
            2 => {
                let p = first_payments.iter().find(|p| p.invoice_id == Some(invoice_of(e))).unwrap();
                vec![("entry", p.id.to_string()), ("amount", "150".into()), ("reason", "Перерасчёт".into()), ("key", keys[i].clone())]
            }
            3 => vec![("enrollment_id", e.id.to_string()), ("date", (today - Duration::days(7 * (1 + (i as i64 / 5) % 3))).to_string()),
                ("present", ((i / 15) % 2 == 0).to_string())],
            _ => vec![("student", e.student_id.unwrap().to_string()), ("pass_type", t.to_string()), ("valid_from", String::new()), ("key", keys[i].clone())],
        };
        let path = ["/api/payments/record", "/api/payments/record", "/api/payments/refund", "/api/teaching/attendance", "/api/passes/sell"][i % 5];
        async move {
            let res = b.submit(path, &form).await;
            // A refund past what is left of its payment is refused; all else goes through.
            let refused_refund = i % 5 == 2 && res.status == 422 && res.body.contains("Вернуть можно не больше");
            assert!(res.ok() || refused_refund, "{path}: {} {}", res.status, res.body);
        }
    });
    futures::future::join_all(calls).await;
    let entries = money_entry::Entity::find().all(&app.state.db).await.unwrap();
    let storm_payments = entries.iter().filter(|e| e.kind == MoneyKind::Payment && e.receipt_number.as_deref().is_some_and(|r| r.starts_with('R')));
    let with_key = storm_payments.filter(|e| e.idempotency_key.is_some()).count();
    assert_eq!(with_key, 20, "twenty payment forms, each sent twice, recorded once each");
    let refunds = entries.iter().filter(|e| e.kind == MoneyKind::Refund).count();
    assert_eq!(refunds, 15, "three refunds of 150 ₽ fit in each 500 ₽ payment, the fourth does not");
    assert!(entries.iter().any(|e| e.attendance_id.is_some() && e.kind == MoneyKind::Charge), "lessons went on credit");
    assert_money_books(&app).await;
    assert_books(&app).await;
}

/// An unpaid invoice past its due date: on the office's lists, and a letter
/// three days after, once; a paid one is neither.
async fn overdue_invoices_are_listed_and_told_once(app: TestApp) {
    let c = app.course("Этюды", 10, -30, 20).await;
    let (_, mut office) = app.signed_in("office@kulisy.test", "Офис", Role::Admin).await;
    let t = pass_type(&mut office, &c, "8", "35", "3200").await;
    let (e, mut masha) = app.enrolled(&c, "masha@kulisy.test", EnrollmentStatus::Confirmed).await;
    assert!(masha.call("/api/passes/request", &[("member", ""), ("pass_type", &t.to_string())]).await.ok());
    let inv = only_invoice(&app).await;
    let owed = office.call("/api/payments/office/owed", &[]).await.json();
    assert_eq!(owed["overdue"].as_array().unwrap().len(), 0, "not due yet: {owed}");
    assert_eq!(owed["debtors"][0]["debt"], 320_000);
    assert_eq!(owed["debtors"][0]["person"], e.student_id.unwrap());

    let site = app.state.config.site_url.clone();
    let round = |day| kulisy::payments::service::letters::send_due(&app.state.db, &site, day);
    assert_eq!(round(inv.due_on + Duration::days(2)).await.unwrap(), 0, "not yet three days late");
    assert_eq!(round(inv.due_on + Duration::days(3)).await.unwrap(), 1);
    assert_eq!(round(inv.due_on + Duration::days(4)).await.unwrap(), 0, "once");
    let letter = app.outbox().await.into_iter().find(|m| m.subject.contains("ждёт оплаты")).expect("the letter");
    assert_eq!(letter.to_addr, "masha@kulisy.test");
    assert!(letter.subject.contains(&inv.number().to_string()) && letter.body_text.contains(&format!("/my/invoices/{}", inv.id)), "{letter:?}");

    let mut late: invoice::ActiveModel = inv.clone().into();
    late.due_on = sea_orm::ActiveValue::Set(app.today() - Duration::days(1));
    sea_orm::ActiveModelTrait::update(late, &app.state.db).await.unwrap();
    let owed = office.call("/api/payments/office/owed", &[]).await.json();
    assert_eq!(owed["overdue"][0]["number"], inv.number().to_string(), "{owed}");
    assert!(office.get("/admin/payments").await.body.contains(&inv.number().to_string()));

    assert!(office.submit("/api/payments/record", &payment(inv.id, "3200", "transfer", "", &key("all"))).await.ok());
    let owed = office.call("/api/payments/office/owed", &[]).await.json();
    assert!(owed["overdue"].as_array().unwrap().is_empty() && owed["debtors"].as_array().unwrap().is_empty(), "{owed}");
    assert_money_books(&app).await;
}

/// The README's parent: the son's pass paid in cash, the next one's invoice
/// open with a QR code to pay by; the books hold.
async fn the_demo_family_has_a_paid_and_an_open_invoice(app: TestApp) {
    let parent = app.user("parent@kulisy.test").await.unwrap();
    let mut b = app.browser_as(&parent).await;
    let money = b.call("/api/payments/mine", &[]).await.json();
    assert_eq!(money.as_array().unwrap().len(), 1, "{money}");
    assert_eq!(money[0]["balance"], -640_000, "the open invoice is owed");
    let invoices = money[0]["invoices"].as_array().unwrap();
    let statuses: Vec<&str> = invoices.iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["open", "paid"]);
    let open = b.call("/api/payments/invoice", &[("id", &invoices[0]["id"].to_string())]).await.json();
    let text = read_qr(open["payment"]["Bank"]["qr_svg"].as_str().unwrap());
    let fields = payment_qr::fields(&text).unwrap();
    assert!(fields.contains(&("Sum", "640000")) && fields.contains(&("PayeeINN", "7701234560")), "{text}");
    assert_money_books(&app).await;
}

both_databases!(mod demo, spawn_demo, the_demo_family_has_a_paid_and_an_open_invoice);

both_databases!(
    spawn,
    bank_details_are_checked_before_they_are_stored,
    only_the_office_reads_and_writes_them,
    a_pass_asked_for_is_invoiced_paid_in_parts_and_then_active,
    a_refund_never_exceeds_its_payment,
    the_payment_qr_code_reads_back_as_the_invoice,
    a_childs_invoice_belongs_to_the_family,
    a_storm_of_money_keeps_the_books,
    overdue_invoices_are_listed_and_told_once,
);
