//! Passes (абонементы): what a pass type may be, a pass's state on a day,
//! and which days a pass covers. No I/O: the server's `passes` service
//! applies these in its transactions.
use super::money::{Kopecks, MoneyProblem, Zero};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A pass holds 1..=200 lessons…
pub const MAX_LESSONS: i32 = 200;
/// …valid for 1..=730 days (two school years at most).
pub const MAX_VALID_DAYS: i32 = 730;
/// A freeze lasts at most 90 days at a time.
pub const MAX_FREEZE_DAYS: i64 = 90;

/// What the office types to put a pass type on sale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassTypeForm {
    pub name: String,
    pub lessons: String,
    pub valid_days: String,
    pub price: String,
}

/// A pass type as the rules accept it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassTerms {
    pub name: String,
    pub lessons: i32,
    pub valid_days: i32,
    pub price: Kopecks,
}

/// (field, message) for each wrong field.
pub type Problems = Vec<(&'static str, &'static str)>;

impl PassTerms {
    pub fn parse(form: &PassTypeForm) -> Result<PassTerms, Problems> {
        let mut problems = Problems::new();
        let name = super::text::required(
            &form.name,
            100,
            super::text::Lines::One,
            "Назовите абонемент, например «8 занятий».",
            "Название — не длиннее 100 символов.",
        )
        .map_err(|m| problems.push(("name", m)))
        .ok();
        let lessons = whole_number(&form.lessons, 1, MAX_LESSONS)
            .ok_or_else(|| problems.push(("lessons", "Занятий в абонементе — от 1 до 200.")))
            .ok();
        let valid_days = whole_number(&form.valid_days, 1, MAX_VALID_DAYS)
            .ok_or_else(|| problems.push(("valid_days", "Срок действия — от 1 до 730 дней.")))
            .ok();
        let price = Kopecks::parse(&form.price, Zero::Refused).map_err(|p| problems.push(("price", p.message()))).ok();
        match (name, lessons, valid_days, price) {
            (Some(name), Some(lessons), Some(valid_days), Some(price)) if problems.is_empty() => {
                Ok(PassTerms { name, lessons, valid_days, price })
            }
            _ => Err(problems),
        }
    }
}

/// A whole number in `min..=max` written with ASCII digits only.
pub fn whole_number(raw: &str, min: i32, max: i32) -> Option<i32> {
    let t = raw.trim();
    if t.is_empty() || t.len() > 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|n| (min..=max).contains(n))
}

/// The prices of a course in one format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prices {
    pub lesson: Kopecks,
    pub trial: Kopecks,
}

impl Prices {
    /// A lesson's price is required; a trial lesson may be free (0).
    pub fn parse(lesson: &str, trial: &str) -> Result<Prices, Problems> {
        let lesson = Kopecks::parse(lesson, Zero::Refused);
        let trial = Kopecks::parse(trial, Zero::Allowed).or_else(|p| match p {
            MoneyProblem::Missing => Ok(Kopecks(0)),
            p => Err(p),
        });
        match (lesson, trial) {
            (Ok(lesson), Ok(trial)) => Ok(Prices { lesson, trial }),
            (lesson, trial) => Err([("lesson_price", lesson.err()), ("trial_price", trial.err())]
                .into_iter()
                .filter_map(|(f, p)| p.map(|p| (f, p.message())))
                .collect()),
        }
    }
}

/// Where a pass stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PassStatus {
    /// Asked for by the student, waiting for the office (and payment).
    Requested,
    Active,
    Frozen,
    UsedUp,
    Expired,
}

impl PassStatus {
    pub fn label(self) -> &'static str {
        match self {
            PassStatus::Requested => "ждёт оплаты",
            PassStatus::Active => "действует",
            PassStatus::Frozen => "заморожен",
            PassStatus::UsedUp => "занятия закончились",
            PassStatus::Expired => "срок истёк",
        }
    }
}

/// Days a pass does not count: `from..=until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freeze {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

impl Freeze {
    /// A freeze of at least a day and at most [`MAX_FREEZE_DAYS`].
    pub fn new(from: NaiveDate, until: NaiveDate) -> Result<Freeze, &'static str> {
        let days = (until - from).num_days() + 1;
        if days < 1 {
            return Err("Конец заморозки — не раньше её начала.");
        }
        if days > MAX_FREEZE_DAYS {
            return Err("Заморозка — не дольше 90 дней за раз.");
        }
        Ok(Freeze { from, until })
    }

    pub fn days(self) -> u64 {
        ((self.until - self.from).num_days() + 1) as u64
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.until
    }
}

/// What the books know of one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassState {
    pub sold: bool,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub lessons_left: i32,
    pub freezes: Vec<Freeze>,
}

impl PassState {
    /// Whether a lesson on `day` may be written off this pass.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.sold
            && self.lessons_left > 0
            && self.valid_from <= day
            && day <= self.valid_until
            && !self.freezes.iter().any(|f| f.contains(day))
    }

    pub fn status(&self, today: NaiveDate) -> PassStatus {
        match self {
            PassState { sold: false, .. } => PassStatus::Requested,
            PassState { lessons_left: ..=0, .. } => PassStatus::UsedUp,
            s if today > s.valid_until => PassStatus::Expired,
            s if s.freezes.iter().any(|f| f.contains(today)) => PassStatus::Frozen,
            _ => PassStatus::Active,
        }
    }
}

/// The last day of a pass that starts on `from` and runs `valid_days`.
pub fn valid_until(from: NaiveDate, valid_days: i32) -> NaiveDate {
    from + Days::new(valid_days.max(1) as u64 - 1)
}

/// The end of a pass moved by a freeze.
pub fn extended(valid_until: NaiveDate, freeze: Freeze) -> NaiveDate {
    valid_until + Days::new(freeze.days())
}

/// The kinds of entry in a pass's ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))"))]
pub enum EntryKind {
    /// The lessons bought.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sale"))]
    Sale,
    /// A lesson attended (or missed without notice, where the school says so).
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "write_off"))]
    WriteOff,
    /// A write-off undone: its mark was changed.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "return"))]
    Return,
    /// Days the pass did not count; its end moved by them.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "freeze"))]
    Freeze,
}

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Sale => "Покупка",
            EntryKind::WriteOff => "Списано занятие",
            EntryKind::Return => "Занятие возвращено",
            EntryKind::Freeze => "Заморозка",
        }
    }
}

/// Whether a mark costs a lesson: attending always; an absence only where
/// it costs (the school's rule, and no notice in time).
pub fn costs_a_lesson(present: bool, absence_costs: bool) -> bool {
    present || absence_costs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn form(name: &str, lessons: &str, days: &str, price: &str) -> PassTypeForm {
        PassTypeForm { name: name.into(), lessons: lessons.into(), valid_days: days.into(), price: price.into() }
    }

    #[test]
    fn a_pass_type_has_sane_terms() {
        let ok = PassTerms::parse(&form("8 занятий", "8", "35", "3 200")).unwrap();
        assert_eq!((ok.lessons, ok.valid_days, ok.price), (8, 35, Kopecks(320_000)));
        let fields = |f: PassTypeForm| PassTerms::parse(&f).unwrap_err().into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(form("", "0", "0", "0")), ["name", "lessons", "valid_days", "price"]);
        assert_eq!(fields(form("x", "1000", "3650", "-1")), ["lessons", "valid_days", "price"]);
        assert_eq!(fields(form("x", "８", "30", "100")), ["lessons"], "full-width digits");
        assert_eq!(fields(form("x", "8", "30", "100,555")), ["price"]);
    }

    #[test]
    fn prices_need_a_lesson_price_and_allow_a_free_trial() {
        assert_eq!(Prices::parse("1500", ""), Ok(Prices { lesson: Kopecks(150_000), trial: Kopecks(0) }));
        assert_eq!(Prices::parse("1500", "0"), Ok(Prices { lesson: Kopecks(150_000), trial: Kopecks(0) }));
        let problems = Prices::parse("0", "abc").unwrap_err();
        assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), ["lesson_price", "trial_price"]);
    }

    #[test]
    fn a_pass_covers_its_days_but_not_its_frozen_ones() {
        let mut pass = PassState { sold: true, valid_from: d(1), valid_until: d(10), lessons_left: 2, freezes: vec![] };
        assert!(pass.covers(d(1)) && pass.covers(d(10)));
        assert!(!pass.covers(d(11)), "after its end");
        let freeze = Freeze::new(d(4), d(6)).unwrap();
        pass.freezes.push(freeze);
        pass.valid_until = extended(pass.valid_until, freeze);
        assert_eq!(pass.valid_until, d(13), "three frozen days move the end");
        assert!(!pass.covers(d(5)) && pass.covers(d(7)) && pass.covers(d(13)));
        assert_eq!(pass.status(d(5)), PassStatus::Frozen);
        assert_eq!(pass.status(d(14)), PassStatus::Expired);
        pass.lessons_left = 0;
        assert!(!pass.covers(d(7)));
        assert_eq!(pass.status(d(7)), PassStatus::UsedUp);
        assert_eq!(PassState { sold: false, ..pass }.status(d(7)), PassStatus::Requested);
    }

    #[test]
    fn a_freeze_is_a_day_to_ninety() {
        assert_eq!(Freeze::new(d(3), d(3)).unwrap().days(), 1);
        assert!(Freeze::new(d(3), d(2)).is_err());
        assert!(Freeze::new(d(1), d(1) + Days::new(90)).is_err());
        assert_eq!(valid_until(d(1), 35), NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    }

    #[test]
    fn absence_costs_a_lesson_only_by_the_schools_rule() {
        assert!(costs_a_lesson(true, false));
        assert!(!costs_a_lesson(false, false));
        assert!(costs_a_lesson(false, true));
    }
}
