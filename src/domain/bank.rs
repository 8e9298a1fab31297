//! The school's bank details, as a payment order and the payment QR code
//! need them, checked the way banks check them: the Bank of Russia's control
//! key of an account against its BIC, and the tax service's check digits of
//! an INN. A mistyped digit is caught here, not by a family's bank app.
use serde::{Deserialize, Serialize};

/// Payee, account and bank, each already checked (see [`BankDetails::check`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDetails {
    /// The payee as registered: «ООО «Кулисы»», «ИП Петрова Анна Сергеевна».
    pub payee: String,
    pub inn: String,
    /// Empty for a sole trader (ИП), who has none.
    pub kpp: String,
    pub account: String,
    pub bank_name: String,
    pub bic: String,
    pub correspondent_account: String,
}

/// A field of the details and what is wrong with it, said to the office.
pub type Problem = (&'static str, &'static str);

/// The longest payee and bank names the payment QR code carries
/// (ГОСТ Р 56042-2014, table 1).
pub const PAYEE_MAX: usize = 160;
pub const BANK_NAME_MAX: usize = 45;

impl BankDetails {
    /// Every problem of the typed details, by field; none means they may be
    /// stored and printed on invoices. Digits are read as typed, spaces
    /// removed (accounts are often copied in groups).
    pub fn check(raw: &BankDetails) -> Result<BankDetails, Vec<Problem>> {
        let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let details = BankDetails {
            payee: squeeze(&raw.payee),
            inn: digits(&raw.inn),
            kpp: digits(&raw.kpp).to_uppercase(),
            account: digits(&raw.account),
            bank_name: squeeze(&raw.bank_name),
            bic: digits(&raw.bic),
            correspondent_account: digits(&raw.correspondent_account),
        };
        let mut problems = Vec::new();
        let mut name = |field, value: &str, max: usize, missing, long| {
            if value.is_empty() {
                problems.push((field, missing));
            } else if value.chars().count() > max {
                problems.push((field, long));
            } else if value.contains(['|', '=']) || value.chars().any(char::is_control) {
                problems.push((field, "Без символов «|» и «=»: их не пропустит QR-код для оплаты."));
            }
        };
        name("payee", &details.payee, PAYEE_MAX, "Укажите получателя платежа.", "Получатель — не длиннее 160 символов.");
        name("bank_name", &details.bank_name, BANK_NAME_MAX, "Укажите банк.", "Название банка — не длиннее 45 символов.");
        if !inn_is_valid(&details.inn) {
            problems.push(("inn", "ИНН — 10 или 12 цифр с верными контрольными цифрами."));
        }
        if !details.kpp.is_empty() && !kpp_is_valid(&details.kpp) {
            problems.push(("kpp", "КПП — 9 знаков: например, 770101001. У ИП КПП нет — оставьте пустым."));
        }
        if details.kpp.is_empty() && details.inn.len() == 10 {
            problems.push(("kpp", "У организации (ИНН из 10 цифр) укажите КПП."));
        }
        let bic_ok = is_digits(&details.bic, 9);
        if !bic_ok {
            problems.push(("bic", "БИК — 9 цифр."));
        }
        if !is_digits(&details.account, 20) {
            problems.push(("account", "Расчётный счёт — 20 цифр."));
        } else if bic_ok && !account_matches_bic(&details.account, &details.bic) {
            problems.push(("account", "Счёт не сходится с БИК по контрольному ключу: проверьте цифры."));
        }
        if !is_digits(&details.correspondent_account, 20) {
            problems.push(("correspondent_account", "Корреспондентский счёт — 20 цифр."));
        } else if bic_ok && !correspondent_matches_bic(&details.correspondent_account, &details.bic) {
            problems.push(("correspondent_account", "Корр. счёт не сходится с БИК по контрольному ключу: проверьте цифры."));
        }
        if problems.is_empty() { Ok(details) } else { Err(problems) }
    }
}

/// One line, single spaces, no ends.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// The Bank of Russia's control key: the digits, weighted 7, 1, 3 over and
/// over, sum to a multiple of ten.
fn control_sum_is_zero(digits: &str) -> bool {
    let sum: u32 = digits.bytes().zip([7, 1, 3].into_iter().cycle()).map(|(d, w)| u32::from(d - b'0') * w).sum();
    sum % 10 == 0
}

/// A settlement account at a bank is checked with the last three digits
/// of the bank's BIC before it.
pub fn account_matches_bic(account: &str, bic: &str) -> bool {
    is_digits(account, 20) && is_digits(bic, 9) && control_sum_is_zero(&format!("{}{account}", &bic[6..]))
}

/// A correspondent account is checked with «0» and the BIC's fifth and
/// sixth digits (the Bank of Russia's division) before it.
pub fn correspondent_matches_bic(account: &str, bic: &str) -> bool {
    is_digits(account, 20) && is_digits(bic, 9) && control_sum_is_zero(&format!("0{}{account}", &bic[4..6]))
}

/// An INN of an organisation (10 digits, one check digit) or of a person
/// (12 digits, two).
pub fn inn_is_valid(inn: &str) -> bool {
    let d: Vec<u32> = inn.bytes().map(|b| u32::from(b.wrapping_sub(b'0'))).collect();
    if d.iter().any(|&x| x > 9) {
        return false;
    }
    let check = |weights: &[u32], n: usize| weights.iter().zip(&d).map(|(w, x)| w * x).sum::<u32>() % 11 % 10 == d[n];
    match d.len() {
        10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8], 9),
        12 => check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10) && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11),
        _ => false,
    }
}

/// A KPP: four digits (the tax office), two digits or capital Latin letters
/// (the reason), three digits.
fn kpp_is_valid(kpp: &str) -> bool {
    let b = kpp.as_bytes();
    b.len() == 9
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published correspondent accounts of large banks, with their BICs.
    const BANKS: [(&str, &str); 4] = [
        ("044525225", "30101810400000000225"), // Сбербанк
        ("044525187", "30101810700000000187"), // ВТБ
        ("044525593", "30101810200000000593"), // Альфа-Банк
        ("044525974", "30101810145250000974"), // Т-Банк
    ];

    /// Every one-digit change of `s`.
    fn one_digit_changes(s: &str) -> impl Iterator<Item = String> + '_ {
        (0..s.len()).flat_map(move |i| {
            (b'0'..=b'9').filter(move |&d| d != s.as_bytes()[i]).map(move |d| {
                let mut b = s.as_bytes().to_vec();
                b[i] = d;
                String::from_utf8(b).unwrap()
            })
        })
    }

    #[test]
    fn published_correspondent_accounts_match_their_bics() {
        for (bic, account) in BANKS {
            assert!(correspondent_matches_bic(account, bic), "{bic} {account}");
        }
    }

    #[test]
    fn a_one_digit_change_of_an_account_is_caught() {
        for (bic, account) in BANKS {
            for changed in one_digit_changes(account) {
                assert!(!correspondent_matches_bic(&changed, bic), "{bic} {changed}");
            }
        }
    }

    #[test]
    fn a_settlement_account_is_checked_with_the_bics_last_digits() {
        // The demo school's fictitious account at Сбербанк's BIC.
        let (bic, account) = ("044525225", "40702810200000012345");
        assert!(account_matches_bic(account, bic));
        assert!(!correspondent_matches_bic(account, bic), "not the same key as a correspondent account");
        for changed in one_digit_changes(account) {
            assert!(!account_matches_bic(&changed, bic), "{changed}");
        }
        assert!(!account_matches_bic(account, "044525974"), "another bank's BIC");
    }

    #[test]
    fn inns_are_checked_by_their_check_digits() {
        for inn in ["7707083893", "7736207543", "7710140679", "500100732259"] {
            assert!(inn_is_valid(inn), "{inn}");
            for changed in one_digit_changes(inn) {
                assert!(!inn_is_valid(&changed), "{changed}");
            }
        }
        for bad in ["", "770708389", "77070838931", "770708389Х", "７７０７０８３８９３"] {
            assert!(!inn_is_valid(bad), "{bad}");
        }
    }

    fn sample() -> BankDetails {
        BankDetails {
            payee: "  ООО  «Кулисы» ".into(),
            inn: "7707083893".into(),
            kpp: "773601001".into(),
            account: "4070 2810 2000 0001 2345".into(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            correspondent_account: "30101810400000000225".into(),
        }
    }

    #[test]
    fn details_are_tidied_and_accepted() {
        let d = BankDetails::check(&sample()).unwrap();
        assert_eq!(d.payee, "ООО «Кулисы»");
        assert_eq!(d.account, "40702810200000012345");
    }

    #[test]
    fn each_bad_field_is_named() {
        let fields = |d: BankDetails| BankDetails::check(&d).err().unwrap_or_default().into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(BankDetails { payee: "Кулисы|Sum=1".into(), ..sample() }), ["payee"]);
        assert_eq!(fields(BankDetails { bank_name: "Банк=Банк".into(), ..sample() }), ["bank_name"]);
        assert_eq!(fields(BankDetails { payee: "А".repeat(161), ..sample() }), ["payee"]);
        assert_eq!(fields(BankDetails { kpp: String::new(), ..sample() }), ["kpp"]);
        assert_eq!(fields(BankDetails { kpp: "7701ab001".into(), ..sample() }), Vec::<&str>::new());
        assert_eq!(fields(BankDetails { kpp: "77AB01001".into(), ..sample() }), ["kpp"]);
        assert_eq!(fields(BankDetails { bic: "04452522".into(), ..sample() }), ["bic"]);
        assert_eq!(fields(BankDetails { account: "40702810200000012346".into(), ..sample() }), ["account"]);
        assert_eq!(fields(BankDetails { correspondent_account: "30101810400000000226".into(), ..sample() }), ["correspondent_account"]);
        assert_eq!(fields(BankDetails::default()).len(), 6, "all but the KPP's own check");
    }
}

