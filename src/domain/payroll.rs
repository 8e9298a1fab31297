//! Teacher payroll: a lesson counts when its attendance was marked, and a
//! teacher is paid by the rate the office set — per lesson taught or per
//! student who came to it.
use super::money::Kopecks;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))"))]
pub enum PayBasis {
    #[default]
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "lesson"))]
    PerLesson,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "student"))]
    PerStudent,
}

impl PayBasis {
    pub const ALL: [PayBasis; 2] = [PayBasis::PerLesson, PayBasis::PerStudent];

    pub fn slug(self) -> &'static str {
        match self {
            PayBasis::PerLesson => "lesson",
            PayBasis::PerStudent => "student",
        }
    }

    pub fn from_slug(slug: &str) -> Option<PayBasis> {
        PayBasis::ALL.into_iter().find(|b| b.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            PayBasis::PerLesson => "за занятие",
            PayBasis::PerStudent => "за ученика на занятии",
        }
    }
}

super::slug::slug_serde!(PayBasis);

/// A teacher's rate: how, and how much.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRate {
    pub basis: PayBasis,
    pub rate: Kopecks,
}

impl PayRate {
    /// The pay for `lessons` taught with `visits` students present in all;
    /// `None` past what kopecks can count (never in a real school).
    pub fn pay(self, lessons: i64, visits: i64) -> Option<Kopecks> {
        let units = match self.basis {
            PayBasis::PerLesson => lessons,
            PayBasis::PerStudent => visits,
        };
        self.rate.0.checked_mul(units).map(Kopecks)
    }
}

/// One teacher's line of the payroll for a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayrollRow {
    pub teacher_id: i32,
    pub name: String,
    pub rate: PayRate,
    /// Lessons whose attendance was marked.
    pub lessons: i64,
    /// Students present at them, make-up visitors too.
    pub visits: i64,
    pub pay: Kopecks,
}

/// The payroll as CSV for Russian Excel, with the total.
pub fn csv(rows: &[PayrollRow]) -> String {
    use super::report::{csv_table, rubles};
    let mut cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| vec![r.name.clone(), r.rate.basis.label().into(), rubles(r.rate.rate), r.lessons.to_string(), r.visits.to_string(), rubles(r.pay)])
        .collect();
    let sum = |f: fn(&PayrollRow) -> i64| rows.iter().map(f).sum::<i64>();
    cells.push(vec!["Итого".into(), String::new(), String::new(), sum(|r| r.lessons).to_string(), sum(|r| r.visits).to_string(), rubles(Kopecks(sum(|r| r.pay.0)))]);
    csv_table(&["Педагог", "Ставка", "Ставка, ₽", "Занятий", "Учеников на занятиях", "К выплате, ₽"], cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_follows_the_basis() {
        let per_lesson = PayRate { basis: PayBasis::PerLesson, rate: Kopecks(150_000) };
        let per_student = PayRate { basis: PayBasis::PerStudent, rate: Kopecks(30_050) };
        assert_eq!(per_lesson.pay(4, 37), Some(Kopecks(600_000)));
        assert_eq!(per_student.pay(4, 37), Some(Kopecks(1_111_850)));
        assert_eq!(PayRate::default().pay(10, 10), Some(Kopecks(0)), "no rate, no pay");
        assert_eq!(per_lesson.pay(i64::MAX, 0), None, "an overflow is refused, not wrapped");
    }

    #[test]
    fn a_basis_crosses_as_its_slug() {
        for b in PayBasis::ALL {
            assert_eq!(PayBasis::from_slug(b.slug()), Some(b));
        }
        assert_eq!(PayBasis::from_slug("hour"), None);
    }

    #[test]
    fn the_payroll_csv_has_a_line_per_teacher_and_the_total() {
        let rate = PayRate { basis: PayBasis::PerStudent, rate: Kopecks(25_000) };
        let rows = [
            PayrollRow { teacher_id: 1, name: "Анна; \"Б\"".into(), rate, lessons: 4, visits: 30, pay: Kopecks(750_000) },
            PayrollRow { teacher_id: 2, name: "Олег".into(), rate: PayRate::default(), lessons: 2, visits: 0, pay: Kopecks(0) },
        ];
        let text = csv(&rows);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Педагог;Ставка;Ставка, ₽;Занятий;Учеников на занятиях;К выплате, ₽");
        assert_eq!(lines[1], "\"Анна; \"\"Б\"\"\";за ученика на занятии;250,00;4;30;7500,00");
        assert_eq!(lines[3], "Итого;;;6;30;7500,00");
    }
}
