//! Reviews of courses: their states and the rules for what a student writes.
use serde::{Deserialize, Serialize};

/// Stored as its `as_str` (the column of `reviews.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))")
)]
pub enum ReviewStatus {
    /// Written, waiting for a moderator; only the author sees it.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "pending"))]
    Pending,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "published"))]
    Published,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rejected"))]
    Rejected,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 3] = [ReviewStatus::Pending, ReviewStatus::Published, ReviewStatus::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Published => "published",
            ReviewStatus::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "на модерации",
            ReviewStatus::Published => "опубликован",
            ReviewStatus::Rejected => "отклонён",
        }
    }

    /// The author may still change the text.
    pub fn editable_by_author(self) -> bool {
        self == ReviewStatus::Pending
    }
}

pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 3000;

/// Checks a rating as a form sends it.
pub fn parse_rating(raw: &str) -> Result<i16, &'static str> {
    match raw.trim().parse::<i16>() {
        Ok(r @ 1..=5) => Ok(r),
        _ => Err("Поставьте оценку от 1 до 5."),
    }
}

/// Checks the text of a review; returns it trimmed.
pub fn clean_body(raw: &str) -> Result<String, &'static str> {
    let body = super::text::clean(raw, BODY_MAX, super::text::Lines::Many)
        .map_err(|p| p.or_too_long("Отзыв слишком длинный: не больше 3000 символов."))?;
    if body.chars().count() < BODY_MIN {
        return Err("Напишите хотя бы пару слов: не меньше 10 символов.");
    }
    Ok(body)
}

/// The average of published ratings as people read it: "4,5 из 5".
/// Kept in tenths, an integer: formatting a float would bring Rust's float
/// printing (16 KB) into the browser bundle for this one number.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub average_tenths: u16,
    pub count: u32,
}

impl RatingSummary {
    pub fn of(ratings: impl IntoIterator<Item = i16>) -> Option<RatingSummary> {
        let (sum, count) = ratings.into_iter().fold((0i64, 0u32), |(s, c), r| (s + i64::from(r), c + 1));
        let count_wide = i64::from(count);
        // Rounded half up: 4,45 reads "4,5".
        let tenths = (sum * 20 + count_wide).checked_div(count_wide * 2)?;
        Some(RatingSummary { average_tenths: u16::try_from(tenths).ok()?, count })
    }

    pub fn text(&self) -> String {
        format!("{},{} из 5", self.average_tenths / 10, self.average_tenths % 10)
    }
}

/// "★★★★☆" for a rating, with the number for screen readers beside it.
pub fn stars(rating: i16) -> String {
    let r = rating.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(r), "☆".repeat(5 - r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five() {
        assert_eq!(parse_rating("5"), Ok(5));
        assert_eq!(parse_rating(" 1 "), Ok(1));
        for bad in ["0", "6", "", "пять", "4.5", "-1"] {
            assert!(parse_rating(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bodies_need_words_and_a_limit() {
        assert_eq!(clean_body("  Отличный курс!  "), Ok("Отличный курс!".into()));
        assert!(clean_body("Класс").is_err());
        assert!(clean_body(&"я".repeat(3001)).is_err());
        assert!(clean_body("Хорошо\nочень хорошо").is_ok());
        assert!(clean_body("Хорошо\u{0}очень хорошо").is_err());
    }

    #[test]
    fn only_pending_reviews_change_hands() {
        assert!(ReviewStatus::Pending.editable_by_author());
        assert!(!ReviewStatus::Published.editable_by_author());
        assert!(!ReviewStatus::Rejected.editable_by_author());
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn averages_read_in_russian() {
        assert_eq!(RatingSummary::of([]), None);
        let s = RatingSummary::of([5, 4]).unwrap();
        assert_eq!((s.count, s.text()), (2, "4,5 из 5".to_string()));
        assert_eq!(RatingSummary::of([5, 5, 4]).unwrap().text(), "4,7 из 5");
        // 89 / 20 = 4,45: half up.
        assert_eq!(RatingSummary::of([[5; 9].as_slice(), &[4; 11]].concat()).unwrap().text(), "4,5 из 5");
        assert_eq!(RatingSummary::of([1]).unwrap().text(), "1,0 из 5");
        assert_eq!(RatingSummary::of([5; 7]).unwrap().text(), "5,0 из 5");
        assert_eq!(stars(4), "★★★★☆");
    }
}
