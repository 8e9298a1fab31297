//! Russian presentation of dates, times and counts. Values arrive already in
//! the school's time zone (converted on the server), so this module needs no
//! zone database and stays small in the browser bundle.
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

const MONTHS_GENITIVE: [&str; 12] = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
];

const WEEKDAYS: [&str; 7] = [
    "Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье",
];
const WEEKDAYS_SHORT: [&str; 7] = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];

/// `29 ноября 2026`
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS_GENITIVE[d.month0() as usize], d.year())
}

/// `29 ноября` — for dates in the current season where the year is obvious.
pub fn day_month(d: NaiveDate) -> String {
    format!("{} {}", d.day(), MONTHS_GENITIVE[d.month0() as usize])
}

const MONTHS: [&str; 12] = [
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
];

/// `янв`, `май` — a month under a chart's bar.
pub fn month_short(d: NaiveDate) -> &'static str {
    ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"][d.month0() as usize]
}

/// `декабрь 2026` — a month of a report.
pub fn month(d: NaiveDate) -> String {
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

/// Months as Russian abbreviates them after a day: `3 дек.`, `1 мая`.
const MONTHS_SHORT: [&str; 12] =
    ["янв.", "февр.", "марта", "апр.", "мая", "июня", "июля", "авг.", "сент.", "окт.", "нояб.", "дек."];

/// Labels of consecutive weeks on a chart, by their first days: the day
/// alone, with the month on the first week and where the month changes
/// (`23 нояб.`, `30`, `7 дек.`, `14`).
pub fn week_labels(first_days: &[NaiveDate]) -> Vec<String> {
    let mut previous_month = None;
    first_days
        .iter()
        .map(|d| {
            let label = if previous_month == Some(d.month()) {
                d.day().to_string()
            } else {
                format!("{} {}", d.day(), MONTHS_SHORT[d.month0() as usize])
            };
            previous_month = Some(d.month());
            label
        })
        .collect()
}

/// `19:00`
pub fn time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `29 ноября 2026, 19:00`
pub fn date_time(dt: NaiveDateTime) -> String {
    format!("{}, {}", date(dt.date()), time(dt.time()))
}

/// `19:00–21:30`
pub fn time_range(start: NaiveTime, minutes: u32) -> String {
    let end = start + chrono::Duration::minutes(i64::from(minutes));
    format!("{}–{}", time(start), time(end))
}

/// `1 сентября – 25 декабря 2026`; both years are written when they differ.
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    if start.year() == end.year() {
        format!("{} – {}", day_month(start), date(end))
    } else {
        format!("{} – {}", date(start), date(end))
    }
}

/// ISO weekday (1 = Monday) as a full name; `None` outside 1..=7.
pub fn weekday(iso: u8) -> Option<&'static str> {
    WEEKDAYS.get(usize::from(iso).checked_sub(1)?).copied()
}

pub fn weekday_short(iso: u8) -> Option<&'static str> {
    WEEKDAYS_SHORT.get(usize::from(iso).checked_sub(1)?).copied()
}

/// Picks the Russian plural form: `plural(3, ["место", "места", "мест"])`.
pub fn plural(n: i64, forms: [&'static str; 3]) -> &'static str {
    let n = n.abs();
    match (n % 10, n % 100) {
        (1, r) if r != 11 => forms[0],
        (2..=4, r) if !(12..=14).contains(&r) => forms[1],
        _ => forms[2],
    }
}

/// What the schedule says about free seats.
pub fn availability(seats_left: i32, capacity: i32) -> String {
    if seats_left <= 0 {
        "Мест нет — лист ожидания".to_string()
    } else {
        format!("Свободно {seats_left} из {capacity}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_name_their_month_where_it_changes() {
        let weeks = [d(2026, 11, 16), d(2026, 11, 23), d(2026, 11, 30), d(2026, 12, 7), d(2026, 12, 14)];
        assert_eq!(week_labels(&weeks), ["16 нояб.", "23", "30", "7 дек.", "14"]);
        assert_eq!(week_labels(&[d(2026, 4, 27), d(2026, 5, 4)]), ["27 апр.", "4 мая"]);
        assert!(week_labels(&[]).is_empty());
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_read_as_in_russian() {
        assert_eq!(month(d(2027, 5, 9)), "май 2027");
        assert_eq!(date(d(2026, 11, 29)), "29 ноября 2026");
        assert_eq!(date(d(2027, 5, 1)), "1 мая 2027");
        let dt = d(2026, 12, 3).and_hms_opt(19, 5, 0).unwrap();
        assert_eq!(date_time(dt), "3 декабря 2026, 19:05");
    }

    #[test]
    fn ranges_write_the_year_once_when_it_is_shared() {
        assert_eq!(date_range(d(2026, 9, 1), d(2026, 12, 25)), "1 сентября – 25 декабря 2026");
        assert_eq!(
            date_range(d(2026, 12, 1), d(2027, 2, 28)),
            "1 декабря 2026 – 28 февраля 2027"
        );
    }

    #[test]
    fn time_ranges_use_24_hours() {
        let t = NaiveTime::from_hms_opt(18, 30, 0).unwrap();
        assert_eq!(time_range(t, 150), "18:30–21:00");
    }

    #[test]
    fn weekdays_are_iso_numbered() {
        assert_eq!(weekday(1), Some("Понедельник"));
        assert_eq!(weekday_short(7), Some("Вс"));
        assert_eq!(weekday(0), None);
        assert_eq!(weekday(8), None);
    }

    #[test]
    fn plural_forms() {
        let forms = ["место", "места", "мест"];
        let cases = [
            (0, "мест"), (1, "место"), (2, "места"), (4, "места"), (5, "мест"), (11, "мест"),
            (12, "мест"), (14, "мест"), (21, "место"), (22, "места"), (111, "мест"), (101, "место"),
        ];
        for (n, want) in cases {
            assert_eq!(plural(n, forms), want, "{n}");
        }
    }

    #[test]
    fn availability_wording() {
        assert_eq!(availability(3, 12), "Свободно 3 из 12");
        assert_eq!(availability(0, 12), "Мест нет — лист ожидания");
    }
}
