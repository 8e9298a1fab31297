//! Money of the school: whole kopecks, never floats. Typed in as «3200»,
//! «3 200» or «3200,50» and shown as «3 200 ₽» (a narrow no-break space
//! between thousands, as Russian typography sets it).
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in kopecks (1 ₽ = 100 kopecks): a price is never negative, a
/// balance below zero is a debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Kopecks(pub i64);

/// The most a price may be: 10 000 000 ₽.
pub const MAX_PRICE: Kopecks = Kopecks(10_000_000 * 100);

/// One line of a course's public price list: «Абонемент «8 занятий»…».
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceLine {
    pub name: String,
    pub price: Kopecks,
}

/// What is wrong with a typed amount, said to the person who typed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyProblem {
    Missing,
    NotANumber,
    Negative,
    TooManyDecimals,
    TooLarge,
    Zero,
}

impl MoneyProblem {
    pub fn message(self) -> &'static str {
        match self {
            MoneyProblem::Missing => "Укажите цену.",
            MoneyProblem::NotANumber => "Цена — число рублей, например 3200 или 3 200,50.",
            MoneyProblem::Negative => "Цена не может быть отрицательной.",
            MoneyProblem::TooManyDecimals => "Копеек — не больше двух знаков после запятой.",
            MoneyProblem::TooLarge => "Цена не может быть больше 10 000 000 ₽.",
            MoneyProblem::Zero => "Цена должна быть больше нуля.",
        }
    }
}

/// Whether zero is an answer: a trial lesson may be free, a pass may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zero {
    Allowed,
    Refused,
}

impl Kopecks {
    /// Reads rubles as a person types them: digits in groups of three
    /// separated by spaces (ordinary, no-break or narrow no-break), and up
    /// to two decimals after a comma or a point. Only ASCII digits: a
    /// full-width «３» is not a number here.
    pub fn parse(raw: &str, zero: Zero) -> Result<Kopecks, MoneyProblem> {
        let text = raw.trim();
        let text = text.strip_suffix('₽').map(str::trim_end).unwrap_or(text);
        if text.is_empty() {
            return Err(MoneyProblem::Missing);
        }
        if text.starts_with('-') || text.starts_with('−') {
            return Err(MoneyProblem::Negative);
        }
        let (whole, fraction) = match text.split_once([',', '.']) {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let whole = digits_of_grouped(whole).ok_or(MoneyProblem::NotANumber)?;
        let kopecks = match fraction {
            None => 0,
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(MoneyProblem::NotANumber),
            Some(f) if f.len() > 2 => return Err(MoneyProblem::TooManyDecimals),
            Some(f) => f.parse::<i64>().map_err(|_| MoneyProblem::NotANumber)? * if f.len() == 1 { 10 } else { 1 },
        };
        // More digits than any allowed price: refused before arithmetic.
        if whole.len() > 9 {
            return Err(MoneyProblem::TooLarge);
        }
        let rubles: i64 = whole.parse().map_err(|_| MoneyProblem::NotANumber)?;
        let amount = Kopecks(rubles * 100 + kopecks);
        match amount {
            a if a > MAX_PRICE => Err(MoneyProblem::TooLarge),
            Kopecks(0) if zero == Zero::Refused => Err(MoneyProblem::Zero),
            a => Ok(a),
        }
    }

    /// As typed into a form again: «3200» or «3200,50».
    pub fn typed(self) -> String {
        match self.0 % 100 {
            0 => (self.0 / 100).to_string(),
            k => format!("{},{k:02}", self.0 / 100),
        }
    }

    /// As schema.org's `price` reads it: «3200.00».
    pub fn decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// As a price list shows it: «бесплатно» for nothing.
    pub fn or_free(self) -> String {
        if self.is_zero() { "бесплатно".into() } else { self.to_string() }
    }
}

/// The digits of «3 200» or «3200», or nothing when the groups are wrong.
fn digits_of_grouped(whole: &str) -> Option<String> {
    let groups: Vec<&str> = whole.split([' ', '\u{a0}', '\u{202f}']).collect();
    let well_grouped = groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && (groups.len() == 1 || groups[0].len() <= 3);
    well_grouped.then(|| groups.concat())
}

/// «3 200 ₽», «3 200,50 ₽», «0 ₽», «−150 ₽» (a true minus sign).
impl fmt::Display for Kopecks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("\u{2212}")?;
        }
        let abs = self.0.unsigned_abs();
        let rubles = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in rubles.chars().enumerate() {
            if i > 0 && (rubles.len() - i) % 3 == 0 {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        match abs % 100 {
            0 => write!(f, "{grouped}\u{a0}₽"),
            k => write!(f, "{grouped},{k:02}\u{a0}₽"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<i64, MoneyProblem> {
        Kopecks::parse(raw, Zero::Refused).map(|k| k.0)
    }

    #[test]
    fn reads_rubles_as_people_type_them() {
        assert_eq!(parse("3200"), Ok(320_000));
        assert_eq!(parse("3 200"), Ok(320_000));
        assert_eq!(parse("3\u{a0}200"), Ok(320_000));
        assert_eq!(parse("3\u{202f}200 ₽"), Ok(320_000));
        assert_eq!(parse("3200,50"), Ok(320_050));
        assert_eq!(parse("3200.5"), Ok(320_050));
        assert_eq!(parse(" 10 000 000 "), Ok(1_000_000_000));
        assert_eq!(Kopecks::parse("0", Zero::Allowed), Ok(Kopecks(0)));
    }

    #[test]
    fn refuses_what_is_not_a_price() {
        assert_eq!(parse(""), Err(MoneyProblem::Missing));
        assert_eq!(parse("-5"), Err(MoneyProblem::Negative));
        assert_eq!(parse("−5"), Err(MoneyProblem::Negative));
        assert_eq!(parse("0"), Err(MoneyProblem::Zero));
        assert_eq!(parse("0,00"), Err(MoneyProblem::Zero));
        assert_eq!(parse("12,345"), Err(MoneyProblem::TooManyDecimals));
        assert_eq!(parse("три"), Err(MoneyProblem::NotANumber));
        assert_eq!(parse("12a"), Err(MoneyProblem::NotANumber));
        assert_eq!(parse("３２００"), Err(MoneyProblem::NotANumber), "full-width digits");
        assert_eq!(parse("32 00"), Err(MoneyProblem::NotANumber), "a group of two");
        assert_eq!(parse("1,2,3"), Err(MoneyProblem::NotANumber));
        assert_eq!(parse("10000000,01"), Err(MoneyProblem::TooLarge));
        assert_eq!(parse("99999999999999999999"), Err(MoneyProblem::TooLarge));
        assert_eq!(parse("1e5"), Err(MoneyProblem::NotANumber));
    }

    #[test]
    fn shows_rubles_with_narrow_spaces() {
        assert_eq!(Kopecks(320_000).to_string(), "3\u{202f}200\u{a0}₽");
        assert_eq!(Kopecks(320_050).to_string(), "3\u{202f}200,50\u{a0}₽");
        assert_eq!(Kopecks(1_000_000_000).to_string(), "10\u{202f}000\u{202f}000\u{a0}₽");
        assert_eq!(Kopecks(50_000).to_string(), "500\u{a0}₽");
        assert_eq!(Kopecks(0).to_string(), "0\u{a0}₽");
        assert_eq!(Kopecks(320_050).typed(), "3200,50");
        assert_eq!(Kopecks(320_000).decimal(), "3200.00");
        assert_eq!(Kopecks(-320_050).to_string(), "\u{2212}3\u{202f}200,50\u{a0}₽", "a debt");
        assert_eq!(Kopecks(-150).decimal(), "-1.50");
        for k in [0, 5, 100, 320_050, 1_000_000_000] {
            assert_eq!(Kopecks::parse(&Kopecks(k).to_string(), Zero::Allowed), Ok(Kopecks(k)), "shown reads back");
        }
    }
}
