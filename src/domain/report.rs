//! The passes' monthly report: per course, passes sold and their money,
//! lessons written off, lessons that expired unused («сгорели») and
//! lessons on credit; totals; and the CSV that opens in Russian Excel
//! (UTF-8 with a BOM, `;` between fields, a decimal comma).
use super::money::Kopecks;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub course_title: String,
    pub passes_sold: i64,
    pub revenue: Kopecks,
    pub written_off: i64,
    pub expired: i64,
    pub on_credit: i64,
}

/// A month of the report: its first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Month {
    /// «2026-12»; the month of `today` when empty or wrong.
    pub fn parse(raw: &str, today: NaiveDate) -> Month {
        let first = NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&d.year()))
            .unwrap_or_else(|| today.with_day(1).expect("the first of a month"));
        let last = first.checked_add_months(Months::new(1)).expect("a month later").pred_opt().expect("a day before");
        Month { first, last }
    }

    /// «2026-12», as the form and the address carry it.
    pub fn slug(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// The sums of every column.
pub fn totals(rows: &[ReportRow]) -> ReportRow {
    rows.iter().fold(ReportRow { course_title: "Итого".into(), ..Default::default() }, |mut t, r| {
        t.passes_sold += r.passes_sold;
        t.revenue = Kopecks(t.revenue.0 + r.revenue.0);
        t.written_off += r.written_off;
        t.expired += r.expired;
        t.on_credit += r.on_credit;
        t
    })
}

/// One CSV field: quoted when it holds `;`, a quote or a line break, and
/// kept from being read as a formula (a leading `=`, `+`, `-`, `@`).
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// Rubles with a decimal comma and no grouping: «3200,50».
fn rubles(k: Kopecks) -> String {
    format!("{},{:02}", k.0 / 100, k.0 % 100)
}

pub fn csv(rows: &[ReportRow]) -> String {
    let mut out = String::from("\u{feff}Курс;Продано абонементов;Сумма, ₽;Списано занятий;Сгорело занятий;Занятий в долг\r\n");
    for r in rows.iter().chain(std::iter::once(&totals(rows))) {
        out.push_str(&format!(
            "{};{};{};{};{};{}\r\n",
            field(&r.course_title),
            r.passes_sold,
            rubles(r.revenue),
            r.written_off,
            r.expired,
            r.on_credit
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_read_or_falls_back_to_this_one() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let dec = Month::parse("2026-12", today);
        assert_eq!((dec.first.day(), dec.last.day()), (1, 31));
        assert_eq!(Month::parse("2027-02", today).last, NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
        assert_eq!(Month::parse("что-то", today), dec);
        assert_eq!(Month::parse("9999-01", today), dec);
        assert_eq!(dec.slug(), "2026-12");
    }

    #[test]
    fn the_csv_opens_in_russian_excel() {
        let rows = vec![
            ReportRow { course_title: "Этюды; \"весна\"".into(), passes_sold: 2, revenue: Kopecks(640_050), written_off: 5, expired: 1, on_credit: 0 },
            ReportRow { course_title: "=HYPERLINK(\"x\")".into(), passes_sold: 1, revenue: Kopecks(100), written_off: 0, expired: 0, on_credit: 2 },
        ];
        let text = csv(&rows);
        assert!(text.starts_with('\u{feff}'), "a BOM");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[1], "\"Этюды; \"\"весна\"\"\";2;6400,50;5;1;0");
        assert_eq!(lines[2], "\"'=HYPERLINK(\"\"x\"\")\";1;1,00;0;0;2", "never a formula");
        assert_eq!(lines[3], "Итого;3;6401,50;5;1;2");
    }
}
