//! Notices of absence and make-ups: when a notice comes in time, and the
//! school's rules for passes the office sets.
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The school's rules for passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassRules {
    /// Whether an absence without notice costs a lesson.
    pub absence_written_off: bool,
    /// How many hours ahead a notice must come to spare the lesson.
    pub notice_hours: i64,
    /// How many days a make-up credit lasts.
    pub makeup_days: i64,
}

impl Default for PassRules {
    fn default() -> Self {
        PassRules { absence_written_off: false, notice_hours: 12, makeup_days: 30 }
    }
}

/// The rules as the office's form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassRulesForm {
    pub absence_written_off: Option<String>,
    pub notice_hours: String,
    pub makeup_days: String,
}

impl PassRules {
    pub fn parse(form: &PassRulesForm) -> Result<PassRules, Vec<(&'static str, &'static str)>> {
        let hours = super::pass::whole_number(&form.notice_hours, 0, 168);
        let days = super::pass::whole_number(&form.makeup_days, 1, 180);
        match (hours, days) {
            (Some(h), Some(d)) => Ok(PassRules { absence_written_off: form.absence_written_off.is_some(), notice_hours: h.into(), makeup_days: d.into() }),
            (h, d) => Err([
                (h.is_none(), ("notice_hours", "Часов до занятия — от 0 до 168.")),
                (d.is_none(), ("makeup_days", "Срок отработки — от 1 до 180 дней.")),
            ]
            .into_iter()
            .filter_map(|(wrong, p)| wrong.then_some(p))
            .collect()),
        }
    }

    /// Whether a notice told at `told_at` of a lesson starting at
    /// `lesson_starts` (both on the school's clock) spares the lesson.
    pub fn in_time(self, lesson_starts: NaiveDateTime, told_at: NaiveDateTime) -> bool {
        told_at <= lesson_starts - Duration::hours(self.notice_hours)
    }

    /// The last day a make-up credit given on `today` may be used.
    pub fn makeup_until(self, today: NaiveDate) -> NaiveDate {
        today + Duration::days(self.makeup_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_notice_is_in_time_up_to_the_cut_off() {
        let rules = PassRules::default();
        let lesson = at(10, 19, 0);
        assert!(rules.in_time(lesson, at(10, 6, 59)), "a minute before the cut-off");
        assert!(rules.in_time(lesson, at(10, 7, 0)), "at the cut-off");
        assert!(!rules.in_time(lesson, at(10, 7, 1)), "a minute after");
        assert!(PassRules { notice_hours: 0, ..rules }.in_time(lesson, at(10, 19, 0)));
        assert_eq!(rules.makeup_until(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    #[test]
    fn the_rules_are_within_sane_bounds() {
        let form = |h: &str, d: &str| PassRulesForm { absence_written_off: Some("on".into()), notice_hours: h.into(), makeup_days: d.into() };
        assert_eq!(PassRules::parse(&form("24", "14")), Ok(PassRules { absence_written_off: true, notice_hours: 24, makeup_days: 14 }));
        let fields = |h, d| PassRules::parse(&form(h, d)).unwrap_err().into_iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(fields("169", "0"), ["notice_hours", "makeup_days"]);
        assert_eq!(fields("-1", "30"), ["notice_hours"]);
    }
}
