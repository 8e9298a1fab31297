//! The week calendar of the schedule: seven day columns on a wide screen,
//! a list of days on a phone (the same markup; CSS decides). Its days are
//! written by the server as HTML text, as the list's cards are (see `card`),
//! and reach the browser once.
use crate::{
    domain::{ScheduleQuery, catalogue::monday_of, ru},
    ui::PageHtml,
};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn WeekCalendar(days: PageHtml, q: ScheduleQuery, today: NaiveDate) -> impl IntoView {
    let monday = monday_of(q.week.unwrap_or(today));
    let sunday = monday + Days::new(6);
    let week_href = |monday: NaiveDate| ScheduleQuery { week: Some(monday), ..q.clone() }.href();
    view! {
        <div class="week-nav">
            <A href=week_href(monday - Days::new(7))>"← Предыдущая неделя"</A>
            <h2 class="week-nav__title">{format!("{} – {}", ru::day_month(monday), ru::date(sunday))}</h2>
            <A href=week_href(monday + Days::new(7))>"Следующая неделя →"</A>
        </div>
        <div class="week" inner_html=days.0 />
    }
}

/// The days of the week `q` names (this week by default) with the lessons
/// of `courses`, each a `<section>` (written by the server only).
#[cfg(feature = "ssr")]
pub fn days_html<'a>(
    courses: impl IntoIterator<Item = &'a crate::domain::CourseCard>,
    q: &ScheduleQuery,
    today: NaiveDate,
) -> String {
    use crate::domain::{catalogue::week_lessons, text::push_escaped};
    use chrono::Datelike;
    let monday = monday_of(q.week.unwrap_or(today));
    let lessons = week_lessons(courses, monday, q.weekday);
    let mut out = String::with_capacity(lessons.len() * 300 + 7 * 120);
    let days = (0..7u64)
        .map(|offset| monday + Days::new(offset))
        .filter(|day| q.weekday.is_none_or(|d| u32::from(d) == day.weekday().number_from_monday()));
    for day in days {
        out.push_str(if day == today { r#"<section class="week__day week__day--today">"# } else { r#"<section class="week__day">"# });
        let weekday = day.weekday().number_from_monday() as u8;
        out.push_str(r#"<h3 class="week__date">"#);
        out.push_str(ru::weekday(weekday).unwrap_or_default());
        out.push_str(", ");
        out.push_str(&ru::day_month(day));
        out.push_str("</h3>");
        let mut todays = lessons.iter().filter(|l| l.date == day).peekable();
        if todays.peek().is_none() {
            out.push_str(r#"<p class="muted week__empty">Занятий нет</p>"#);
        } else {
            out.push_str(r#"<ul class="week__lessons">"#);
            for l in todays {
                out.push_str(r#"<li class="lesson"><span class="lesson__time">"#);
                out.push_str(&ru::time_range(l.starts_at, l.duration_minutes));
                out.push_str(r#"</span><a class="lesson__title" href=""#);
                push_escaped(&mut out, &l.path);
                out.push_str(r#"">"#);
                push_escaped(&mut out, &l.title);
                out.push_str(r#"</a><span class="muted">"#);
                push_escaped(&mut out, &l.room);
                out.push_str(" · ");
                push_escaped(&mut out, &l.teachers);
                out.push_str(if l.seats_left <= 0 {
                    r#"</span><span class="lesson__seats lesson__seats--full">"#
                } else {
                    r#"</span><span class="lesson__seats">"#
                });
                out.push_str(&ru::availability(l.seats_left, l.capacity));
                out.push_str("</span></li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::{CourseCard, CourseFormat, Slot, TeacherRef, ids::{CourseId, TeacherId}};
    use chrono::NaiveTime;

    #[test]
    fn a_week_lists_each_lesson_on_its_day_and_keeps_typed_text_text() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let course = CourseCard {
            id: CourseId(1),
            title: "<script>alert(1)</script>".into(),
            path: "/courses/1".into(),
            summary: String::new(),
            formats: vec![CourseFormat::Personal],
            seats_left: 0,
            capacity: 4,
            term_start: tuesday - Days::new(30),
            term_end: tuesday + Days::new(30),
            slots: vec![Slot { weekday: 3, starts_at: NaiveTime::from_hms_opt(18, 0, 0).unwrap(), duration_minutes: 90, room: "Зал & фойе".into() }],
            teachers: vec![TeacherRef { id: TeacherId(1), name: "Анна".into(), specialization: String::new(), path: String::new() }],
            published: true,
            ages: crate::domain::family::AgeRange::ANY,
        };
        let html = days_html(&[course], &ScheduleQuery::default(), tuesday);
        assert_eq!(html.matches("<section").count(), 7);
        assert_eq!(html.matches(r#"<li class="lesson">"#).count(), 1, "{html}");
        assert!(html.contains(r#"<section class="week__day week__day--today"><h3 class="week__date">Вторник, 1 декабря</h3>"#), "{html}");
        assert!(html.contains("Среда, 2 декабря</h3><ul"), "the lesson is on Wednesday: {html}");
        assert!(html.contains("18:00–19:30") && html.contains("Зал &amp; фойе · Анна"), "{html}");
        assert!(html.contains("lesson__seats--full"), "{html}");
        assert!(!html.contains("<script") && html.contains("&lt;script&gt;"), "{html}");
    }
}
