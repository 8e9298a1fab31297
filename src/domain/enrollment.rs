use super::ru;
use crate::error::FieldError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How a course is taken: alone with the teacher, or as a pair of students.
/// Its slug (`personal`, `pair`) is what the wire, forms and addresses carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))")
)]
pub enum CourseFormat {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "personal"))]
    Personal,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "pair"))]
    Pair,
}

super::slug::slug_serde!(CourseFormat);

impl CourseFormat {
    pub const ALL: [CourseFormat; 2] = [CourseFormat::Personal, CourseFormat::Pair];

    pub fn slug(self) -> &'static str {
        match self {
            CourseFormat::Personal => "personal",
            CourseFormat::Pair => "pair",
        }
    }

    pub fn from_slug(slug: &str) -> Option<CourseFormat> {
        CourseFormat::ALL.into_iter().find(|f| f.slug() == slug)
    }

    /// Seats one request of this format holds: a pair takes two.
    pub fn seats(self) -> i32 {
        match self {
            CourseFormat::Personal => 1,
            CourseFormat::Pair => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CourseFormat::Personal => "Персональное",
            CourseFormat::Pair => "Парное",
        }
    }
}

/// Where an enrollment request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))")
)]
pub enum EnrollmentStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "waitlisted"))]
    Waitlisted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "pending"))]
    Pending,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "confirmed"))]
    Confirmed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "completed"))]
    Completed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rejected"))]
    Rejected,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

super::slug::slug_serde!(EnrollmentStatus);

impl EnrollmentStatus {
    /// Statuses whose enrollments hold seats for their period.
    pub const HOLDING_SEATS: [EnrollmentStatus; 2] =
        [EnrollmentStatus::Pending, EnrollmentStatus::Confirmed];

    pub fn holds_seats(self) -> bool {
        Self::HOLDING_SEATS.contains(&self)
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrollmentStatus::Waitlisted => "В листе ожидания",
            EnrollmentStatus::Pending => "Ожидание",
            EnrollmentStatus::Confirmed => "Подтверждено",
            EnrollmentStatus::Completed => "Завершено",
            EnrollmentStatus::Rejected => "Отклонено",
            EnrollmentStatus::Cancelled => "Отменено",
        }
    }
}

/// Something that happens to an enrollment request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Seats freed up and a waitlisted request now fits.
    Promote,
    /// The student withdrew the request.
    Cancel,
    /// The teacher accepted the student.
    Confirm,
    /// The teacher declined, with a reason.
    Reject,
    /// The period of a confirmed enrollment ended.
    Complete,
    /// The period ended before anyone decided on the request.
    Expire,
}

impl EnrollmentStatus {
    /// The enrollment state machine: the status after `event`, or `None`
    /// when the event cannot happen in this status. Every status change in
    /// the school goes through here.
    pub fn after(self, event: Event) -> Option<EnrollmentStatus> {
        use EnrollmentStatus::*;
        use Event::*;
        match (self, event) {
            (Waitlisted, Promote) => Some(Pending),
            (Waitlisted | Pending | Confirmed, Cancel) => Some(Cancelled),
            (Waitlisted | Pending, Expire) => Some(Cancelled),
            (Pending, Confirm) => Some(Confirmed),
            (Pending, Reject) => Some(Rejected),
            (Confirmed, Complete) => Some(Completed),
            _ => None,
        }
    }

    /// Whether the student may still withdraw a request in this status
    /// whose period starts on `start`. A waitlisted request may always go;
    /// a booked seat only before its first day.
    pub fn student_may_cancel(self, start: NaiveDate, today: NaiveDate) -> bool {
        match self {
            EnrollmentStatus::Waitlisted => true,
            EnrollmentStatus::Pending | EnrollmentStatus::Confirmed => today < start,
            _ => false,
        }
    }

    /// Requests that still count: they hold a seat or wait for one.
    pub const ACTIVE: [EnrollmentStatus; 3] =
        [EnrollmentStatus::Waitlisted, EnrollmentStatus::Pending, EnrollmentStatus::Confirmed];

    pub const ALL: [EnrollmentStatus; 6] = [
        EnrollmentStatus::Waitlisted,
        EnrollmentStatus::Pending,
        EnrollmentStatus::Confirmed,
        EnrollmentStatus::Completed,
        EnrollmentStatus::Rejected,
        EnrollmentStatus::Cancelled,
    ];

    /// The status as the wire, addresses and the database write it.
    pub fn slug(self) -> &'static str {
        match self {
            EnrollmentStatus::Waitlisted => "waitlisted",
            EnrollmentStatus::Pending => "pending",
            EnrollmentStatus::Confirmed => "confirmed",
            EnrollmentStatus::Completed => "completed",
            EnrollmentStatus::Rejected => "rejected",
            EnrollmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_slug(slug: &str) -> Option<EnrollmentStatus> {
        EnrollmentStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The class of its badge.
    pub fn css(self) -> &'static str {
        self.slug()
    }
}

/// What a named pair partner said to the invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))")
)]
pub enum PartnerAnswer {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "invited"))]
    Invited,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "declined"))]
    Declined,
}

impl PartnerAnswer {
    pub fn label(self) -> &'static str {
        match self {
            PartnerAnswer::Invited => "ждём ответа партнёра",
            PartnerAnswer::Accepted => "партнёр согласился",
            PartnerAnswer::Declined => "партнёр отказался",
        }
    }
}

/// The days an enrollment covers, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn overlaps(self, other: Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The period offered when the student picks none: the rest of the
    /// term, or the whole term if it has not begun.
    pub fn default_for(term: Period, today: NaiveDate) -> Period {
        Period { start: term.start.max(today), end: term.end }
    }

    /// Checks a requested period against the course term and today; each
    /// problem is reported on the field it belongs to.
    pub fn check(
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        term: Period,
        today: NaiveDate,
    ) -> Result<Period, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(FieldError { field: field.into(), message })
        };
        match start {
            None => problem("period_start", "Укажите дату начала.".into()),
            Some(s) if s < today => problem("period_start", "Дата начала уже прошла.".into()),
            Some(s) if s < term.start => problem(
                "period_start",
                format!("Курс начинается {}: выберите дату не раньше.", ru::date(term.start)),
            ),
            Some(s) if s > term.end => problem(
                "period_start",
                format!("Курс заканчивается {}: выберите дату не позже.", ru::date(term.end)),
            ),
            Some(_) => {}
        }
        match (start, end) {
            (_, None) => problem("period_end", "Укажите дату окончания.".into()),
            (_, Some(e)) if e > term.end => problem(
                "period_end",
                format!("Курс заканчивается {}: выберите дату не позже.", ru::date(term.end)),
            ),
            (Some(s), Some(e)) if e < s => {
                problem("period_end", "Окончание должно быть не раньше начала.".into())
            }
            _ => {}
        }
        match (start, end) {
            (Some(start), Some(end)) if problems.is_empty() => Ok(Period { start, end }),
            _ => Err(problems),
        }
    }
}

/// Seats held on the busiest day of `window` by the given bookings
/// (period, seats). Bookings that never meet the window count for nothing,
/// so two students taking the first and the second half of a term share
/// one seat.
pub fn peak_seats(bookings: impl IntoIterator<Item = (Period, i32)>, window: Period) -> i32 {
    // +seats on a booking's first day in the window, -seats the day after it ends.
    let mut changes: Vec<(NaiveDate, i32)> = Vec::new();
    for (p, seats) in bookings {
        if p.overlaps(window) {
            changes.push((p.start.max(window.start), seats));
            changes.push((p.end.min(window.end) + Days::new(1), -seats));
        }
    }
    // Ends sort before starts on the same day: that day the seat is free again.
    changes.sort_unstable();
    let (mut now, mut peak) = (0, 0);
    for (_, delta) in changes {
        now += delta;
        peak = peak.max(now);
    }
    peak
}

/// Seats still free out of `capacity` when `held` are taken; never negative,
/// even if an admin lowered the capacity below what was already booked.
pub fn seats_left(capacity: i32, held: i64) -> i32 {
    (i64::from(capacity) - held).max(0) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_holds_two_seats() {
        assert_eq!(CourseFormat::Personal.seats(), 1);
        assert_eq!(CourseFormat::Pair.seats(), 2);
    }

    #[test]
    fn only_pending_and_confirmed_hold_seats() {
        use EnrollmentStatus::*;
        for s in [Waitlisted, Completed, Rejected, Cancelled] {
            assert!(!s.holds_seats(), "{s:?}");
        }
        assert!(Pending.holds_seats() && Confirmed.holds_seats());
    }

    #[test]
    fn seats_left_never_goes_negative() {
        assert_eq!(seats_left(12, 9), 3);
        assert_eq!(seats_left(12, 12), 0);
        assert_eq!(seats_left(4, 6), 0);
    }

    use chrono::NaiveDate;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn p(a: u32, b: u32) -> Period {
        Period { start: d(a), end: d(b) }
    }

    const ALL_STATUSES: [EnrollmentStatus; 6] = EnrollmentStatus::ALL;
    const ALL_EVENTS: [Event; 6] =
        [Event::Promote, Event::Cancel, Event::Confirm, Event::Reject, Event::Complete, Event::Expire];

    #[test]
    fn the_state_machine_allows_exactly_these_transitions() {
        use EnrollmentStatus::*;
        use Event::*;
        let allowed = [
            (Waitlisted, Promote, Pending),
            (Waitlisted, Cancel, Cancelled),
            (Waitlisted, Expire, Cancelled),
            (Pending, Confirm, Confirmed),
            (Pending, Reject, Rejected),
            (Pending, Cancel, Cancelled),
            (Pending, Expire, Cancelled),
            (Confirmed, Cancel, Cancelled),
            (Confirmed, Complete, Completed),
        ];
        // Every (status, event) pair: the listed ones lead where listed, all others nowhere.
        for status in ALL_STATUSES {
            for event in ALL_EVENTS {
                let expected = allowed.iter().find(|(s, e, _)| *s == status && *e == event).map(|t| t.2);
                assert_eq!(status.after(event), expected, "{status:?} + {event:?}");
            }
        }
    }

    #[test]
    fn finished_requests_never_change_again() {
        use EnrollmentStatus::*;
        for status in [Completed, Rejected, Cancelled] {
            assert!(ALL_EVENTS.iter().all(|e| status.after(*e).is_none()), "{status:?}");
            assert!(!status.student_may_cancel(d(20), d(1)));
        }
    }

    #[test]
    fn a_booked_seat_can_be_given_up_only_before_the_first_day() {
        use EnrollmentStatus::*;
        for status in [Pending, Confirmed] {
            assert!(status.student_may_cancel(d(10), d(9)));
            assert!(!status.student_may_cancel(d(10), d(10)));
            assert!(!status.student_may_cancel(d(10), d(11)));
        }
        assert!(Waitlisted.student_may_cancel(d(10), d(11)));
    }

    #[test]
    fn active_statuses_are_the_holding_ones_and_the_waitlist() {
        for status in ALL_STATUSES {
            let active = EnrollmentStatus::ACTIVE.contains(&status);
            assert_eq!(active, status.holds_seats() || status == EnrollmentStatus::Waitlisted);
        }
    }

    #[test]
    fn a_period_inside_the_term_passes() {
        let term = p(1, 31);
        assert_eq!(Period::check(Some(d(5)), Some(d(20)), term, d(2)), Ok(p(5, 20)));
        assert_eq!(Period::check(Some(d(5)), Some(d(5)), term, d(5)), Ok(p(5, 5)), "one day, today");
    }

    fn fields(result: Result<Period, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn bad_periods_are_reported_on_their_field() {
        let term = p(10, 20);
        assert_eq!(fields(Period::check(Some(d(8)), Some(d(15)), term, d(1))), ["period_start"], "before the term");
        assert_eq!(fields(Period::check(Some(d(12)), Some(d(25)), term, d(1))), ["period_end"], "after the term");
        assert_eq!(fields(Period::check(Some(d(15)), Some(d(12)), term, d(1))), ["period_end"], "reversed");
        assert_eq!(fields(Period::check(Some(d(11)), Some(d(15)), term, d(12))), ["period_start"], "in the past");
        assert_eq!(fields(Period::check(None, None, term, d(1))), ["period_start", "period_end"]);
        assert_eq!(fields(Period::check(Some(d(21)), Some(d(22)), term, d(1))), ["period_start", "period_end"]);
    }

    #[test]
    fn the_default_period_is_what_is_left_of_the_term() {
        assert_eq!(Period::default_for(p(10, 20), d(1)), p(10, 20));
        assert_eq!(Period::default_for(p(10, 20), d(14)), p(14, 20));
    }

    #[test]
    fn peak_counts_the_busiest_day_only() {
        let window = p(1, 31);
        assert_eq!(peak_seats([], window), 0);
        // First and second half of the month share a seat.
        assert_eq!(peak_seats([(p(1, 15), 1), (p(16, 31), 1)], window), 1);
        // Overlapping on the 15th: both seats are taken that day.
        assert_eq!(peak_seats([(p(1, 15), 1), (p(15, 31), 2)], window), 3);
        // Bookings outside the window do not count, and a pair counts double.
        assert_eq!(peak_seats([(p(1, 5), 2), (p(10, 12), 2)], p(6, 9)), 0);
        assert_eq!(peak_seats([(p(1, 5), 2), (p(3, 12), 1)], p(5, 9)), 3);
    }
}
