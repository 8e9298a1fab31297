//! What the public pages show: courses, their weekly slots and teachers, and
//! the shows of the afisha. Times are local to the school.
use super::CourseFormat;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// ISO weekday, 1 = Monday.
    pub weekday: u8,
    pub starts_at: NaiveTime,
    pub duration_minutes: u32,
    pub room: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherRef {
    pub id: i32,
    pub name: String,
    pub specialization: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: i32,
    pub title: String,
    /// First paragraph of the description.
    pub summary: String,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub formats: Vec<CourseFormat>,
    pub capacity: i32,
    /// Free seats over the whole term.
    pub seats_left: i32,
    pub slots: Vec<Slot>,
    pub teachers: Vec<TeacherRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub card: CourseCard,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShowCard {
    pub id: i32,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub venue: String,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShowDetail {
    pub card: ShowCard,
    pub description: String,
}

/// The first paragraph of a longer text, for cards and meta descriptions.
pub fn summary_of(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// Splits a text into paragraphs for display (blank lines separate them).
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_the_first_non_empty_paragraph() {
        assert_eq!(summary_of("\n\nПервый.\nещё\n\nВторой."), "Первый.\nещё");
        assert_eq!(summary_of(""), "");
        assert_eq!(paragraphs("а\n\n\n\nб"), ["а", "б"]);
    }
}
