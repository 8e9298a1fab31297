use serde::{Deserialize, Serialize};

/// How a course is taken: alone with the teacher, or as a pair of students.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

impl CourseFormat {
    pub const ALL: [CourseFormat; 2] = [CourseFormat::Personal, CourseFormat::Pair];

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
}
