//! The text of a payment QR code in the Russian standard for bank transfers
//! (ГОСТ Р 56042-2014): «ST00012|Name=…|PersonalAcc=…|…|Sum=…|Purpose=…»,
//! which bank apps scan to fill a transfer. `ST0001` is the format, `2`
//! says UTF-8, and `|` separates the fields — so no value may hold a `|`,
//! and none an `=` either (a reader splits a field at its first `=`, and
//! some at every one). A value typed by a person is made safe here, so a
//! name like «Иванов|Sum=1» can neither add a field nor change one.
use super::{bank::BankDetails, money::Kopecks};

/// The header: format ST0001, UTF-8 (2), fields separated by `|`.
const HEADER: &str = "ST00012";

/// The longest purpose the standard allows.
const PURPOSE_MAX: usize = 210;

/// The QR code's text for paying `sum` to the school with `purpose`.
/// `details` were checked when stored (they hold no `|` or `=`, and their
/// lengths fit); they are made safe again all the same, as they are text.
pub fn payload(details: &BankDetails, sum: Kopecks, purpose: &str) -> String {
    let mut fields = vec![
        ("Name", safe(&details.payee, super::bank::PAYEE_MAX)),
        ("PersonalAcc", safe(&details.account, 20)),
        ("BankName", safe(&details.bank_name, super::bank::BANK_NAME_MAX)),
        ("BIC", safe(&details.bic, 9)),
        ("CorrespAcc", safe(&details.correspondent_account, 20)),
        ("PayeeINN", safe(&details.inn, 12)),
    ];
    if !details.kpp.is_empty() {
        fields.push(("KPP", safe(&details.kpp, 9)));
    }
    fields.push(("Sum", sum.0.max(0).to_string()));
    fields.push(("Purpose", safe(purpose, PURPOSE_MAX)));
    let mut text = HEADER.to_string();
    for (key, value) in fields {
        text.push('|');
        text.push_str(key);
        text.push('=');
        text.push_str(&value);
    }
    text
}

/// A value as the code may carry it: one line, no separators, at most
/// `max` characters. `|` becomes `/` and `=` a dash, so the text still
/// reads as the person wrote it.
fn safe(value: &str, max: usize) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| match c {
            '|' => '/',
            '=' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(max).collect()
}

/// The fields of a payment QR code's text, in order, as a bank app reads
/// them; `None` when it is not the standard's UTF-8 format.
pub fn fields(text: &str) -> Option<Vec<(&str, &str)>> {
    let rest = text.strip_prefix(HEADER)?.strip_prefix('|')?;
    rest.split('|').map(|field| field.split_once('=')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school() -> BankDetails {
        BankDetails {
            payee: "ООО «Кулисы»".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            account: "40702810200000012345".into(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            correspondent_account: "30101810400000000225".into(),
        }
    }

    #[test]
    fn the_fields_follow_the_standard() {
        let text = payload(&school(), Kopecks(320_050), "Оплата по счёту 2027-000123, Миша Морозов");
        assert!(text.starts_with("ST00012|Name=ООО «Кулисы»|PersonalAcc=40702810200000012345|"), "{text}");
        assert_eq!(
            fields(&text).unwrap(),
            [
                ("Name", "ООО «Кулисы»"),
                ("PersonalAcc", "40702810200000012345"),
                ("BankName", "ПАО Сбербанк"),
                ("BIC", "044525225"),
                ("CorrespAcc", "30101810400000000225"),
                ("PayeeINN", "7707083893"),
                ("KPP", "773601001"),
                ("Sum", "320050"),
                ("Purpose", "Оплата по счёту 2027-000123, Миша Морозов"),
            ]
        );
    }

    #[test]
    fn a_name_cannot_add_or_change_a_field() {
        let details = BankDetails { payee: "Кулисы|Sum=1|PersonalAcc=1".into(), ..school() };
        let text = payload(&details, Kopecks(500_000), "Оплата по счёту 2027-000001, Иванов|Sum=1\n|BIC=000000000");
        let read = fields(&text).unwrap();
        assert_eq!(read.len(), 9, "{text}");
        assert_eq!(read.iter().filter(|(k, _)| *k == "Sum").collect::<Vec<_>>(), [&("Sum", "500000")]);
        assert_eq!(read.iter().find(|(k, _)| *k == "BIC").unwrap().1, "044525225");
        assert_eq!(read[0], ("Name", "Кулисы/Sum-1/PersonalAcc-1"));
        assert_eq!(read[8], ("Purpose", "Оплата по счёту 2027-000001, Иванов/Sum-1 /BIC-000000000"));
        assert!(!text.contains('\n'));
    }

    #[test]
    fn a_sole_trader_has_no_kpp_and_a_long_purpose_is_cut() {
        let details = BankDetails { inn: "500100732259".into(), kpp: String::new(), ..school() };
        let text = payload(&details, Kopecks(100), &"а".repeat(300));
        let read = fields(&text).unwrap();
        assert!(read.iter().all(|(k, _)| *k != "KPP"));
        assert_eq!(read.last().unwrap().1.chars().count(), 210);
    }
}
