//! Families: children's ages, the age ranges of courses, and the ages at
//! which the law changes who acts (152-ФЗ, ГК РФ ст. 26, 28).
use super::{iso::parse_date, ru};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// From this age a child may have a login of their own, invited by a guardian.
pub const OWN_LOGIN_AGE: u16 = 14;
/// From this age a person acts only for themselves: guardians lose access.
pub const ADULT_AGE: u16 = 18;
/// The oldest birth date a person may give, in years before today.
const OLDEST_YEARS: i32 = 100;

/// Full years on `day` of someone born on `birth`: the birthday itself
/// counts (born 29 February: the year turns on 1 March in common years).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u16 {
    let years = day.year() - birth.year() - i32::from((day.month(), day.day()) < (birth.month(), birth.day()));
    u16::try_from(years).unwrap_or(0)
}

/// A birth date as a date field sends it, checked against `today`.
pub fn parse_birth_date(text: &str, today: NaiveDate) -> Result<NaiveDate, &'static str> {
    if text.trim().is_empty() {
        return Err("Укажите дату рождения.");
    }
    let date = parse_date(text).ok_or("Дата указана неверно: выберите её в календаре.")?;
    if date > today {
        return Err("Дата рождения не может быть в будущем.");
    }
    if today.year() - date.year() > OLDEST_YEARS {
        return Err("Проверьте год рождения: он больше ста лет назад.");
    }
    Ok(date)
}

/// "9 лет", "1 год", "14 лет".
pub fn age_label(age: u16) -> String {
    format!("{age} {}", ru::plural(i64::from(age), ["год", "года", "лет"]))
}

/// The ages a course is for, in full years on its first day; `None` ends are
/// open. `AgeRange::ANY` is a course for everyone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    pub min: Option<u8>,
    pub max: Option<u8>,
}

/// The widest range the office may set: a school teaches from 3 to 99.
const AGE_LIMITS: std::ops::RangeInclusive<u8> = 3..=99;

impl AgeRange {
    pub const ANY: AgeRange = AgeRange { min: None, max: None };

    /// From the database's columns; a value out of `u8` reads as open.
    pub fn from_columns(min: Option<i16>, max: Option<i16>) -> AgeRange {
        AgeRange { min: min.and_then(|v| u8::try_from(v).ok()), max: max.and_then(|v| u8::try_from(v).ok()) }
    }

    pub fn columns(self) -> (Option<i16>, Option<i16>) {
        (self.min.map(i16::from), self.max.map(i16::from))
    }

    /// The office's two fields (empty = open): `(field, message)` on a problem.
    pub fn parse(min: &str, max: &str) -> Result<AgeRange, (&'static str, &'static str)> {
        let read = |text: &str, field: &'static str| -> Result<Option<u8>, (&'static str, &'static str)> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<u8>() {
                Ok(age) if AGE_LIMITS.contains(&age) => Ok(Some(age)),
                _ => Err((field, "Возраст — целое число лет от 3 до 99.")),
            }
        };
        let range = AgeRange { min: read(min, "age_min")?, max: read(max, "age_max")? };
        match range {
            AgeRange { min: Some(lo), max: Some(hi) } if lo > hi => {
                Err(("age_max", "Верхняя граница возраста меньше нижней."))
            }
            _ => Ok(range),
        }
    }

    pub fn is_any(self) -> bool {
        self == AgeRange::ANY
    }

    pub fn fits(self, age: u16) -> bool {
        self.min.is_none_or(|lo| age >= u16::from(lo)) && self.max.is_none_or(|hi| age <= u16::from(hi))
    }

    /// What cards and pages say: "7–10 лет", "от 15 лет", "до 6 лет"; `None` for everyone.
    pub fn label(self) -> Option<String> {
        match (self.min, self.max) {
            (None, None) => None,
            (Some(lo), Some(hi)) if lo == hi => Some(age_label(lo.into())),
            (Some(lo), Some(hi)) => Some(format!("{lo}–{}", age_label(hi.into()))),
            (Some(lo), None) => Some(format!("от {}", age_label(lo.into()))),
            (None, Some(hi)) => Some(format!("до {}", age_label(hi.into()))),
        }
    }

    /// schema.org's `typicalAgeRange`: "7-10", "15-".
    pub fn typical_age_range(self) -> Option<String> {
        match (self.min, self.max) {
            (None, None) => None,
            (lo, hi) => Some(format!("{}-{}", lo.unwrap_or(*AGE_LIMITS.start()), hi.map(|h| h.to_string()).unwrap_or_default())),
        }
    }

    /// Why a person of `age` on the first day `start` may not take the course.
    pub fn refusal(self, name: &str, age: u16, start: NaiveDate) -> Option<String> {
        (!self.fits(age)).then(|| {
            format!(
                "Курс для возраста {}, а {name} на первое занятие ({}) будет {}.",
                self.label().unwrap_or_default(),
                ru::date(start),
                age_label(age),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_birthday_itself_counts() {
        assert_eq!(age_on(d(2018, 9, 1), d(2026, 8, 31)), 7);
        assert_eq!(age_on(d(2018, 9, 1), d(2026, 9, 1)), 8);
        assert_eq!(age_on(d(2016, 2, 29), d(2026, 2, 28)), 9);
        assert_eq!(age_on(d(2016, 2, 29), d(2026, 3, 1)), 10);
        assert_eq!(age_on(d(2030, 1, 1), d(2026, 1, 1)), 0);
    }

    #[test]
    fn birth_dates_are_past_and_plausible() {
        let today = d(2026, 12, 7);
        assert_eq!(parse_birth_date("2017-03-04", today), Ok(d(2017, 3, 4)));
        assert_eq!(parse_birth_date("2026-12-07", today), Ok(today));
        assert!(parse_birth_date("2026-12-08", today).unwrap_err().contains("будущем"));
        assert!(parse_birth_date("1925-01-01", today).unwrap_err().contains("ста лет"));
        assert!(parse_birth_date("04.03.2017", today).unwrap_err().contains("неверно"));
        assert!(parse_birth_date("  ", today).unwrap_err().contains("Укажите"));
    }

    #[test]
    fn age_ranges_read_fit_and_say_themselves() {
        let kids = AgeRange::parse("7", "10").unwrap();
        assert!(kids.fits(7) && kids.fits(10) && !kids.fits(6) && !kids.fits(11));
        assert_eq!(kids.label().as_deref(), Some("7–10 лет"));
        assert_eq!(kids.typical_age_range().as_deref(), Some("7-10"));
        let teens = AgeRange::parse("15", "").unwrap();
        assert_eq!(teens.label().as_deref(), Some("от 15 лет"));
        assert_eq!(teens.typical_age_range().as_deref(), Some("15-"));
        assert_eq!(AgeRange::parse("", "6").unwrap().label().as_deref(), Some("до 6 лет"));
        assert_eq!(AgeRange::parse("21", "21").unwrap().label().as_deref(), Some("21 год"));
        assert!(AgeRange::parse("", "").unwrap().is_any() && AgeRange::ANY.fits(0) && AgeRange::ANY.label().is_none());
        assert_eq!(AgeRange::parse("10", "7"), Err(("age_max", "Верхняя граница возраста меньше нижней.")));
        for bad in ["2", "100", "-1", "7.5", "семь", "999999"] {
            assert_eq!(AgeRange::parse(bad, "").unwrap_err().0, "age_min", "{bad}");
        }
        assert_eq!(AgeRange::from_columns(Some(300), Some(12)), AgeRange { min: None, max: Some(12) });
    }

    #[test]
    fn refusals_name_the_child_the_day_and_the_age() {
        let eight_up = AgeRange { min: Some(8), max: None };
        assert_eq!(eight_up.refusal("Маша", 8, d(2026, 9, 1)), None);
        assert_eq!(
            eight_up.refusal("Маша", 7, d(2026, 9, 1)).as_deref(),
            Some("Курс для возраста от 8 лет, а Маша на первое занятие (1 сентября 2026) будет 7 лет.")
        );
    }
}
