//! What the money tests share: the books' invariants, and the payment QR
//! code read back from its drawing as a bank app would read it.
use super::TestApp;
use kulisy::{
    domain::{
        ledger::{InvoiceStatus, MoneyKind},
        money::Kopecks,
    },
    server::entities::{attendance, audit_log, invoice, money_account, money_entry},
};
use sea_orm::EntityTrait;
use std::collections::{HashMap, HashSet};

/// Each account's balance is the sum of its entries; each invoice's paid
/// amount is its payments less their refunds, within its total, and its
/// status says so; no refund exceeds its payment; each invoice's total was
/// charged once.
pub async fn assert_money_books(app: &TestApp) {
    let db = &app.state.db;
    let entries = money_entry::Entity::find().all(db).await.unwrap();
    for a in money_account::Entity::find().all(db).await.unwrap() {
        let sum: i64 = entries.iter().filter(|e| e.account_id == a.id).map(|e| e.amount).sum();
        assert_eq!(a.balance, sum, "account {}: balance = the sum of its entries", a.id);
    }
    for i in invoice::Entity::find().all(db).await.unwrap() {
        let on_it = entries.iter().filter(|e| e.invoice_id == Some(i.id));
        let paid: i64 = on_it.clone().filter(|e| matches!(e.kind, MoneyKind::Payment | MoneyKind::Refund)).map(|e| e.amount).sum();
        assert_eq!(i.paid, paid, "invoice {}: paid = payments − refunds", i.id);
        assert!((0..=i.total).contains(&i.paid), "invoice {}: paid {} within 0..={}", i.id, i.paid, i.total);
        assert_eq!(i.status, InvoiceStatus::of(Kopecks(i.total), Kopecks(i.paid), i.cancelled_at.is_some()), "invoice {}", i.id);
        let charges: Vec<i64> = on_it.clone().filter(|e| e.kind == MoneyKind::Charge).map(|e| e.amount).collect();
        assert_eq!(charges, [-i.total], "invoice {}: its total charged once", i.id);
        let corrections: Vec<i64> = on_it.filter(|e| e.kind == MoneyKind::Correction).map(|e| e.amount).collect();
        let undone: &[i64] = if i.cancelled_at.is_some() { &[i.total] } else { &[] };
        assert_eq!(corrections, undone, "invoice {}: a cancelled invoice's charge undone once", i.id);
    }
    let mut refunded: HashMap<i32, i64> = HashMap::new();
    for r in entries.iter().filter(|e| e.kind == MoneyKind::Refund) {
        *refunded.entry(r.entry_id.expect("a refund names its payment")).or_default() -= r.amount;
    }
    for (payment, back) in refunded {
        let p = entries.iter().find(|e| e.id == payment).expect("the payment");
        assert!(p.kind == MoneyKind::Payment && back <= p.amount, "payment {payment}: refunded {back} of {}", p.amount);
    }
    // A lesson on credit is owed once while it is on credit, and not at
    // all once a pass paid it or its mark changed.
    let marks = attendance::Entity::find().all(db).await.unwrap();
    let mut per_mark: HashMap<i32, i64> = HashMap::new();
    for e in entries.iter().filter(|e| e.attendance_id.is_some()) {
        *per_mark.entry(e.attendance_id.unwrap()).or_default() += e.amount;
    }
    for (mark, owed) in per_mark {
        let on_credit = marks.iter().find(|m| m.id == mark).is_some_and(|m| m.on_credit);
        assert!(if on_credit { owed < 0 } else { owed == 0 }, "mark {mark}: on credit {on_credit}, owed {owed}");
        let charges = entries.iter().filter(|e| e.attendance_id == Some(mark) && e.kind == MoneyKind::Charge).count();
        let undone = entries.iter().filter(|e| e.attendance_id == Some(mark) && e.kind == MoneyKind::Correction).count();
        assert!(charges == undone + usize::from(on_credit), "mark {mark}: {charges} charges, {undone} undone");
    }
    // Every entry is in the audit log, under its kind.
    let audited: HashSet<(String, Option<i32>)> =
        audit_log::Entity::find().all(db).await.unwrap().into_iter().map(|a| (a.entity, a.entity_id)).collect();
    for e in &entries {
        assert!(audited.contains(&(e.kind.slug().to_string(), Some(e.id))), "entry {} ({:?}) not in the audit log", e.id, e.kind);
    }
    let keys: Vec<&String> = entries.iter().filter_map(|e| e.idempotency_key.as_ref()).collect();
    assert_eq!(keys.len(), keys.iter().collect::<HashSet<_>>().len(), "one entry per form");
}

/// The text of a QR code drawn by the server (`server::qr::svg`), read from
/// its picture: the drawing's unit squares painted eight pixels each, then
/// found and decoded by `rqrr`.
pub fn read_qr(svg: &str) -> String {
    let size: usize = svg.split("viewBox=\"0 0 ").nth(1).and_then(|v| v.split(' ').next()).unwrap().parse().unwrap();
    let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    let dark: HashSet<(usize, usize)> = path
        .split('M')
        .filter(|s| !s.is_empty())
        .map(|square| {
            let (x, rest) = square.split_once(',').unwrap();
            let y = rest.split('h').next().unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    const SCALE: usize = 8;
    let mut picture = rqrr::PreparedImage::prepare_from_greyscale(size * SCALE, size * SCALE, |x, y| {
        if dark.contains(&(x / SCALE, y / SCALE)) { 0 } else { 255 }
    });
    let grids = picture.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().expect("a readable QR code").1
}
