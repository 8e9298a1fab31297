//! Dates as machines read them — `2026-12-07` in addresses and date fields,
//! `2026-12-07T19:00` in `<time datetime>` — written and read without
//! chrono's format strings: their parser and formatter are the largest part
//! of chrono in the browser bundle, and these two shapes are all the pages
//! need.
use chrono::{NaiveDate, NaiveDateTime, Timelike};

/// `YYYY-MM-DD` as date inputs send it; `None` when empty or malformed.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().split('-');
    let mut number = |digits: usize| {
        let part = parts.next().filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))?;
        part.parse::<u32>().ok()
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `2026-12-07T19:00`, the value of a `<time datetime>` to the minute.
pub fn date_time(dt: NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}", dt.date(), dt.hour(), dt.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_date_fields_send_them() {
        assert_eq!(parse_date("2026-12-07"), NaiveDate::from_ymd_opt(2026, 12, 7));
        assert_eq!(parse_date(" 2027-02-28 "), NaiveDate::from_ymd_opt(2027, 2, 28));
        for bad in ["", "2026-2-07", "2026-02-30", "07.12.2026", "2026-12-07-1", "2026-12", "+026-12-07", "２０２６-12-07", "2026-1２-07"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_times_to_the_minute() {
        let dt = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(9, 7, 59).unwrap();
        assert_eq!(date_time(dt), "2026-03-05T09:07");
    }
}
