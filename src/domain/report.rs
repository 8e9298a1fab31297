//! The passes' monthly report: per course, passes sold and their money,
//! lessons written off, lessons that expired unused («сгорели») and
//! lessons on credit; totals; and the CSV that opens in Russian Excel
//! (UTF-8 with a BOM, `;` between fields, a decimal comma).
use super::money::Kopecks;
use chrono::{Datelike, Days, Months, NaiveDate};
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

/// Money in and out for one line of a revenue report: a day, a month, a
/// course, a way of paying. Refunds are counted positive here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueRow {
    pub label: String,
    pub payments: Kopecks,
    pub refunds: Kopecks,
}

impl RevenueRow {
    pub fn net(&self) -> Kopecks {
        Kopecks(self.payments.0 - self.refunds.0)
    }
}

/// The «Итого» line of a revenue report.
pub fn revenue_total(rows: &[RevenueRow]) -> RevenueRow {
    RevenueRow {
        label: "Итого".into(),
        payments: Kopecks(rows.iter().map(|r| r.payments.0).sum()),
        refunds: Kopecks(rows.iter().map(|r| r.refunds.0).sum()),
    }
}

/// A revenue report as CSV, its first column named `what`, with the total.
pub fn revenue_csv(what: &str, rows: &[RevenueRow]) -> String {
    let total = revenue_total(rows);
    let cells = rows.iter().chain(std::iter::once(&total)).map(|r| vec![r.label.clone(), rubles(r.payments), rubles(r.refunds), rubles(r.net())]);
    csv_table(&[what, "Поступило, ₽", "Возвраты, ₽", "Итого, ₽"], cells)
}

/// Any period of the money reports: its first and last day, both counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The longest period a report covers: three years, so that one
    /// address cannot ask the server to add up a century.
    pub const LONGEST_DAYS: u64 = 3 * 366;

    /// «2026-12-01» and «2026-12-31»; this month when either is empty or
    /// wrong, the two swapped when given the wrong way round, and cut to
    /// the longest period from its first day.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Period {
        let day = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok().filter(|d| (2000..=2100).contains(&d.year()));
        let (from, to) = match (day(from), day(to)) {
            (Some(a), Some(b)) if a <= b => (a, b),
            (Some(a), Some(b)) => (b, a),
            _ => {
                let month = Month::parse("", today);
                (month.first, month.last)
            }
        };
        Period { from, to: to.min(from + Days::new(Self::LONGEST_DAYS - 1)) }
    }

    /// The first day of each month the period touches.
    pub fn months(self) -> Vec<NaiveDate> {
        let mut month = self.from.with_day(1).expect("the first of a month");
        let mut out = Vec::new();
        while month <= self.to {
            out.push(month);
            month = month.checked_add_months(Months::new(1)).expect("a month later");
        }
        out
    }
}

/// A number as Excel reads it: `-12,50`, `3`.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, part) = digits.split_once(',').unwrap_or((digits, "0"));
    !whole.is_empty() && !part.is_empty() && whole.bytes().chain(part.bytes()).all(|b| b.is_ascii_digit())
}

/// One CSV field: quoted when it holds `;`, a quote or a line break, and
/// kept from being read as a formula (a leading `=`, `+`, `-`, `@`) unless
/// it is a plain number.
fn field(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text);
    let text = if formula { format!("'{text}") } else { text.to_string() };
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// Rubles with a decimal comma and no grouping: «3200,50», «-1,50».
pub fn rubles(k: Kopecks) -> String {
    k.decimal().replace('.', ",")
}

/// A table for Russian Excel: UTF-8 with a BOM, `;` between fields, CRLF.
pub fn csv_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let line = |cells: Vec<String>| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(";") + "\r\n";
    let mut out = String::from("\u{feff}");
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

pub fn csv(rows: &[ReportRow]) -> String {
    let header = ["Курс", "Продано абонементов", "Сумма, ₽", "Списано занятий", "Сгорело занятий", "Занятий в долг"];
    let total = totals(rows);
    let cells = rows.iter().chain(std::iter::once(&total)).map(|r| {
        vec![r.course_title.clone(), r.passes_sold.to_string(), rubles(r.revenue), r.written_off.to_string(), r.expired.to_string(), r.on_credit.to_string()]
    });
    csv_table(&header, cells)
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

    #[test]
    fn numbers_stay_numbers_and_text_never_a_formula() {
        assert_eq!(rubles(Kopecks(-150)), "-1,50");
        assert_eq!(rubles(Kopecks(7)), "0,07");
        let text = csv_table(&["a", "b", "c"], [vec!["-1,50".into(), "-1,5,0".into(), "-".into()]]);
        assert_eq!(text.split("\r\n").nth(1), Some("-1,50;'-1,5,0;'-"));
    }

    #[test]
    fn a_period_is_read_swapped_cut_or_falls_back_to_this_month() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(Period::parse("2026-01-05", "2026-02-10", today), Period { from: d(2026, 1, 5), to: d(2026, 2, 10) });
        assert_eq!(Period::parse("2026-02-10", "2026-01-05", today), Period { from: d(2026, 1, 5), to: d(2026, 2, 10) });
        assert_eq!(Period::parse("", "2026-01-05", today), Period { from: d(2026, 12, 1), to: d(2026, 12, 31) });
        assert_eq!(Period::parse("2001-01-01", "2099-01-01", today).to, d(2004, 1, 3), "3 × 366 days at most");
        assert_eq!(Period::parse("2026-11-20", "2027-01-03", today).months(), vec![d(2026, 11, 1), d(2026, 12, 1), d(2027, 1, 1)]);
    }
}
