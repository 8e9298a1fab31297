//! The school's money books: entries that are only ever added (a charge, a
//! payment, a refund, a correction), invoices numbered per year, and the
//! rules of applying a payment and refunding one. An account's balance is
//! the sum of its entries: a payment adds, a charge and a refund take away;
//! below zero the family owes, above zero it has paid in advance.
use super::money::Kopecks;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an entry of the books records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))"))]
pub enum MoneyKind {
    /// What the family owes for: an invoice issued, a lesson on credit.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "charge"))]
    Charge,
    /// Money that arrived, by the office's record.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "payment"))]
    Payment,
    /// Money given back from a payment.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "refund"))]
    Refund,
    /// An entry's mistake undone by its opposite, with a reason.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "correction"))]
    Correction,
}

impl MoneyKind {
    pub const ALL: [MoneyKind; 4] = [MoneyKind::Charge, MoneyKind::Payment, MoneyKind::Refund, MoneyKind::Correction];

    pub fn slug(self) -> &'static str {
        match self {
            MoneyKind::Charge => "charge",
            MoneyKind::Payment => "payment",
            MoneyKind::Refund => "refund",
            MoneyKind::Correction => "correction",
        }
    }

    pub fn from_slug(slug: &str) -> Option<MoneyKind> {
        MoneyKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            MoneyKind::Charge => "Начисление",
            MoneyKind::Payment => "Оплата",
            MoneyKind::Refund => "Возврат",
            MoneyKind::Correction => "Исправление",
        }
    }
}

super::slug::slug_serde!(MoneyKind);

/// How money arrived. An online provider's confirmed payment would be one
/// more method here (see ARCHITECTURE.md, «Money»).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))"))]
pub enum PaymentMethod {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cash"))]
    Cash,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "card"))]
    Card,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "transfer"))]
    Transfer,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sbp"))]
    Sbp,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 4] = [PaymentMethod::Cash, PaymentMethod::Card, PaymentMethod::Transfer, PaymentMethod::Sbp];

    pub fn slug(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Sbp => "sbp",
        }
    }

    pub fn from_slug(slug: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Наличные",
            PaymentMethod::Card => "Карта (терминал)",
            PaymentMethod::Transfer => "Банковский перевод",
            PaymentMethod::Sbp => "СБП",
        }
    }
}

super::slug::slug_serde!(PaymentMethod);

/// An invoice's number: its year and its place in that year, «2027-000123».
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct InvoiceNumber {
    pub year: i32,
    pub seq: i32,
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.year, self.seq)
    }
}

/// Where an invoice stands, from its total, what was paid on it and
/// whether the office cancelled it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))"))]
pub enum InvoiceStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "open"))]
    Open,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "partly_paid"))]
    PartlyPaid,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "paid"))]
    Paid,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 4] = [InvoiceStatus::Open, InvoiceStatus::PartlyPaid, InvoiceStatus::Paid, InvoiceStatus::Cancelled];

    pub fn of(total: Kopecks, paid: Kopecks, cancelled: bool) -> InvoiceStatus {
        match () {
            _ if cancelled => InvoiceStatus::Cancelled,
            _ if paid >= total => InvoiceStatus::Paid,
            _ if paid.0 > 0 => InvoiceStatus::PartlyPaid,
            _ => InvoiceStatus::Open,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "open",
            InvoiceStatus::PartlyPaid => "partly_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_slug(slug: &str) -> Option<InvoiceStatus> {
        InvoiceStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Open => "Ожидает оплаты",
            InvoiceStatus::PartlyPaid => "Оплачен частично",
            InvoiceStatus::Paid => "Оплачен",
            InvoiceStatus::Cancelled => "Отменён",
        }
    }

    /// Whether money may still be paid on it.
    pub fn awaits_payment(self) -> bool {
        matches!(self, InvoiceStatus::Open | InvoiceStatus::PartlyPaid)
    }
}

super::slug::slug_serde!(InvoiceStatus);

/// A payment of `amount` on an invoice with `outstanding` left to pay: what
/// goes to the invoice, and what is left over as the family's advance.
pub fn split_payment(amount: Kopecks, outstanding: Kopecks) -> (Kopecks, Kopecks) {
    let applied = Kopecks(amount.0.min(outstanding.0.max(0)));
    (applied, Kopecks(amount.0 - applied.0))
}

/// Whether `amount` may be refunded from a payment of `paid` of which
/// `refunded` went back already.
pub fn check_refund(amount: Kopecks, paid: Kopecks, refunded: Kopecks) -> Result<(), &'static str> {
    let left = paid.0 - refunded.0;
    if left <= 0 {
        Err("Этот платёж уже возвращён полностью.")
    } else if amount.0 > left {
        Err("Вернуть можно не больше, чем осталось от платежа.")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_office_writes_them() {
        assert_eq!(InvoiceNumber { year: 2027, seq: 123 }.to_string(), "2027-000123");
        assert_eq!(InvoiceNumber { year: 2027, seq: 1_234_567 }.to_string(), "2027-1234567");
    }

    #[test]
    fn status_follows_what_was_paid() {
        let total = Kopecks(320_000);
        assert_eq!(InvoiceStatus::of(total, Kopecks(0), false), InvoiceStatus::Open);
        assert_eq!(InvoiceStatus::of(total, Kopecks(1), false), InvoiceStatus::PartlyPaid);
        assert_eq!(InvoiceStatus::of(total, total, false), InvoiceStatus::Paid);
        assert_eq!(InvoiceStatus::of(total, total, true), InvoiceStatus::Cancelled);
        assert!(InvoiceStatus::PartlyPaid.awaits_payment() && !InvoiceStatus::Paid.awaits_payment());
    }

    #[test]
    fn an_overpayment_becomes_an_advance() {
        assert_eq!(split_payment(Kopecks(500), Kopecks(300)), (Kopecks(300), Kopecks(200)));
        assert_eq!(split_payment(Kopecks(100), Kopecks(300)), (Kopecks(100), Kopecks(0)));
        assert_eq!(split_payment(Kopecks(100), Kopecks(0)), (Kopecks(0), Kopecks(100)));
    }

    #[test]
    fn a_refund_never_exceeds_what_is_left_of_its_payment() {
        assert_eq!(check_refund(Kopecks(300), Kopecks(500), Kopecks(200)), Ok(()));
        assert!(check_refund(Kopecks(301), Kopecks(500), Kopecks(200)).is_err());
        assert!(check_refund(Kopecks(1), Kopecks(500), Kopecks(500)).is_err());
    }

    #[test]
    fn methods_and_statuses_cross_the_wire_as_slugs() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::from_slug(m.slug()), Some(m));
        }
        for s in InvoiceStatus::ALL {
            assert_eq!(InvoiceStatus::from_slug(s.slug()), Some(s));
        }
        for k in MoneyKind::ALL {
            assert_eq!(MoneyKind::from_slug(k.slug()), Some(k));
        }
    }
}
