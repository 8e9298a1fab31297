//! What the public pages show: courses, their weekly slots and teachers, and
//! the shows of the afisha. Times are local to the school.
use super::{CourseFormat, CourseId, ShowId, TeacherId, family::AgeRange};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
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
    pub id: TeacherId,
    pub name: String,
    pub specialization: String,
    /// The teacher's public page: `/teachers/<slug>`.
    pub path: String,
}

/// The schedule as everyone sees it at one version of the catalogue: its
/// courses in order, each with its card as the server writes it, and
/// everyone who teaches on it (for the teacher filter).
#[derive(Debug, Default)]
pub struct Listing {
    pub courses: Vec<(CourseCard, String)>,
    pub teachers: Vec<TeacherRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseCard {
    pub id: CourseId,
    pub title: String,
    /// The course's page: `/courses/<slug>`.
    pub path: String,
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
    /// Shown on the public schedule (the office also sees drafts).
    pub published: bool,
    /// The ages the course is for.
    pub ages: AgeRange,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub card: CourseCard,
    pub description: String,
    /// What a lesson, a trial lesson and each pass on sale cost.
    pub prices: Vec<super::money::PriceLine>,
    /// JSON-LD as the server wrote it, safe inside `<script>`.
    pub structured_data: String,
}

/// A picture of a record (a poster, a teacher's photo) with its size, as a
/// shared link shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShowCard {
    pub id: ShowId,
    pub title: String,
    /// The show's page: `/afisha/<slug>`.
    pub path: String,
    pub starts_at: NaiveDateTime,
    pub venue: String,
    pub summary: String,
    pub poster_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShowDetail {
    pub card: ShowCard,
    pub description: String,
    /// The poster, when its size is known.
    pub picture: Option<Picture>,
    /// JSON-LD as the server wrote it, safe inside `<script>`.
    pub structured_data: String,
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

/// How the schedule is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleView {
    #[default]
    List,
    Week,
}

/// The schedule's filters and view, as kept in the page address so that a
/// filtered view can be shared and works without JavaScript.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleQuery {
    pub teacher: Option<TeacherId>,
    /// ISO weekday, 1 = Monday.
    pub weekday: Option<u8>,
    pub format: Option<CourseFormat>,
    /// «Для детей N лет»: courses whose age range holds this age.
    pub age: Option<u8>,
    pub only_free: bool,
    pub view: ScheduleView,
    /// Any day of the week to show; the current week when absent.
    pub week: Option<NaiveDate>,
}

impl ScheduleQuery {
    /// Reads the address's parameters; values that make no sense are ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> ScheduleQuery {
        ScheduleQuery {
            teacher: get("teacher").and_then(|t| t.parse().ok()),
            weekday: get("day").and_then(|d| d.parse().ok()).filter(|d| (1..=7).contains(d)),
            format: get("format").as_deref().and_then(CourseFormat::from_slug),
            age: get("age").and_then(|a| a.parse().ok()).filter(|a| (1..=99).contains(a)),
            only_free: get("free").is_some_and(|f| !f.is_empty()),
            view: if get("view").as_deref() == Some("week") { ScheduleView::Week } else { ScheduleView::List },
            week: get("week").and_then(|w| super::iso::parse_date(&w)),
        }
    }

    /// The address of this view of the schedule.
    pub fn href(&self) -> String {
        let mut params = Vec::new();
        if let Some(t) = self.teacher {
            params.push(format!("teacher={t}"));
        }
        if let Some(d) = self.weekday {
            params.push(format!("day={d}"));
        }
        if let Some(f) = self.format {
            params.push(format!("format={}", f.slug()));
        }
        if let Some(a) = self.age {
            params.push(format!("age={a}"));
        }
        if self.only_free {
            params.push("free=1".into());
        }
        if self.view == ScheduleView::Week {
            params.push("view=week".into());
            if let Some(w) = self.week {
                params.push(format!("week={w}"));
            }
        }
        if params.is_empty() { "/courses".into() } else { format!("/courses?{}", params.join("&")) }
    }

    pub fn is_filtered(&self) -> bool {
        self.teacher.is_some() || self.weekday.is_some() || self.format.is_some() || self.age.is_some() || self.only_free
    }

    pub fn admits(&self, c: &CourseCard) -> bool {
        self.teacher.is_none_or(|t| c.teachers.iter().any(|x| x.id == t))
            && self.weekday.is_none_or(|d| c.slots.iter().any(|s| s.weekday == d))
            && self.format.is_none_or(|f| c.formats.contains(&f))
            && self.age.is_none_or(|a| c.ages.fits(a.into()))
            && (!self.only_free || c.seats_left > 0)
    }
}

/// Monday of the week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// One lesson on a given date, for the week calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub date: NaiveDate,
    pub starts_at: NaiveTime,
    pub duration_minutes: u32,
    pub room: String,
    /// The course's page.
    pub path: String,
    pub title: String,
    pub teachers: String,
    pub seats_left: i32,
    pub capacity: i32,
}

/// The lessons of `courses` in the week starting `monday`, by day and time;
/// a weekday filter keeps only that day's lessons.
pub fn week_lessons<'a>(
    courses: impl IntoIterator<Item = &'a CourseCard>,
    monday: NaiveDate,
    weekday: Option<u8>,
) -> Vec<Lesson> {
    let mut lessons = Vec::new();
    for c in courses {
        for s in &c.slots {
            if weekday.is_some_and(|d| d != s.weekday) {
                continue;
            }
            let date = monday + Days::new(u64::from(s.weekday.clamp(1, 7) - 1));
            if date < c.term_start || date > c.term_end {
                continue;
            }
            lessons.push(Lesson {
                date,
                starts_at: s.starts_at,
                duration_minutes: s.duration_minutes,
                room: s.room.clone(),
                path: c.path.clone(),
                title: c.title.clone(),
                teachers: c.teachers.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
                seats_left: c.seats_left,
                capacity: c.capacity,
            });
        }
    }
    lessons.sort_by(|a, b| (a.date, a.starts_at, &a.title).cmp(&(b.date, b.starts_at, &b.title)));
    lessons
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

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn card(id: i32, teacher: i32, weekday: u8, formats: Vec<CourseFormat>, seats_left: i32) -> CourseCard {
        CourseCard {
            id: CourseId(id),
            title: format!("Курс {id}"),
            path: format!("/courses/{id}"),
            summary: String::new(),
            term_start: d(1),
            term_end: d(20),
            formats,
            capacity: 10,
            seats_left,
            slots: vec![Slot {
                weekday,
                starts_at: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
                duration_minutes: 90,
                room: "Зал".into(),
            }],
            teachers: vec![TeacherRef {
                id: TeacherId(teacher),
                name: format!("Педагог {teacher}"),
                specialization: String::new(),
                path: format!("/teachers/{teacher}"),
            }],
            published: true,
            ages: AgeRange::ANY,
        }
    }

    fn params(pairs: &[(&str, &str)]) -> ScheduleQuery {
        ScheduleQuery::from_params(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn filters_read_from_the_address_and_write_back_the_same() {
        let q = params(&[("teacher", "3"), ("day", "2"), ("format", "pair"), ("age", "8"), ("free", "1"), ("view", "week"), ("week", "2026-12-07")]);
        assert_eq!(q.age, Some(8));
        assert_eq!(q.teacher, Some(TeacherId(3)));
        assert_eq!(q.weekday, Some(2));
        assert_eq!(q.format, Some(CourseFormat::Pair));
        assert!(q.only_free);
        assert_eq!(q.view, ScheduleView::Week);
        assert_eq!(q.href(), "/courses?teacher=3&day=2&format=pair&age=8&free=1&view=week&week=2026-12-07");
        assert_eq!(params(&[("day", "9"), ("teacher", "x"), ("format", "solo"), ("age", "0")]), ScheduleQuery::default());
        assert_eq!(params(&[("age", "восемь")]), ScheduleQuery::default());
        assert_eq!(ScheduleQuery::default().href(), "/courses");
    }

    #[test]
    fn each_filter_narrows_the_list() {
        use CourseFormat::*;
        let courses = [
            card(1, 1, 1, vec![Personal], 3),
            CourseCard { ages: AgeRange { min: Some(7), max: Some(10) }, ..card(2, 2, 2, vec![Pair], 0) },
            CourseCard { ages: AgeRange { min: Some(11), max: None }, ..card(3, 1, 2, vec![Personal, Pair], 5) },
        ];
        let ids = |q: ScheduleQuery| courses.iter().filter(|c| q.admits(c)).map(|c| c.id.0).collect::<Vec<_>>();
        assert_eq!(ids(ScheduleQuery::default()), [1, 2, 3]);
        assert_eq!(ids(ScheduleQuery { teacher: Some(TeacherId(1)), ..Default::default() }), [1, 3]);
        assert_eq!(ids(ScheduleQuery { weekday: Some(2), ..Default::default() }), [2, 3]);
        assert_eq!(ids(ScheduleQuery { format: Some(Pair), ..Default::default() }), [2, 3]);
        assert_eq!(ids(ScheduleQuery { only_free: true, ..Default::default() }), [1, 3]);
        // «Для детей 8 лет»: courses for everyone, and those whose range holds 8.
        assert_eq!(ids(ScheduleQuery { age: Some(8), ..Default::default() }), [1, 2]);
        assert_eq!(ids(ScheduleQuery { age: Some(11), ..Default::default() }), [1, 3]);
        assert_eq!(ids(ScheduleQuery { teacher: Some(TeacherId(2)), only_free: true, ..Default::default() }), Vec::<i32>::new());
    }

    #[test]
    fn the_week_holds_lessons_inside_each_term_only() {
        // 30 November 2026 is a Monday; course terms run 1–20 December.
        assert_eq!(monday_of(d(3)), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let courses = [card(1, 1, 1, vec![], 1), card(2, 1, 3, vec![], 1)];
        let first_week = week_lessons(&courses, monday_of(d(3)), None);
        assert_eq!(first_week.iter().map(|l| l.date).collect::<Vec<_>>(), [d(2)], "Monday 30 Nov is before the term");
        let second = week_lessons(&courses, d(7), None);
        assert_eq!(second.iter().map(|l| l.date).collect::<Vec<_>>(), [d(7), d(9)]);
        assert_eq!(week_lessons(&courses, d(7), Some(3)).len(), 1);
        assert!(week_lessons(&courses, d(21), None).is_empty(), "after the term");
    }
}
