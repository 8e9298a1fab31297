//! The week calendar of the schedule: seven day columns on a wide screen,
//! a list of days on a phone (the same markup; CSS decides).
use crate::domain::{
    CourseCard, ScheduleQuery,
    catalogue::{Lesson, monday_of, week_lessons},
    ru,
};
use chrono::{Datelike, Days, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn WeekCalendar(courses: Vec<CourseCard>, q: ScheduleQuery, today: NaiveDate) -> impl IntoView {
    let monday = monday_of(q.week.unwrap_or(today));
    let sunday = monday + Days::new(6);
    let lessons = week_lessons(&courses, monday, q.weekday);
    let week_href = |monday: NaiveDate| ScheduleQuery { week: Some(monday), ..q.clone() }.href();
    let days = (0..7u64)
        .map(|offset| monday + Days::new(offset))
        .filter(|day| q.weekday.is_none_or(|d| u32::from(d) == day.weekday().number_from_monday()))
        .map(|day| {
            let todays: Vec<Lesson> = lessons.iter().filter(|l| l.date == day).cloned().collect();
            view! { <Day day today=day == today lessons=todays /> }
        })
        .collect_view();
    view! {
        <div class="week-nav">
            <A href=week_href(monday - Days::new(7))>"← Предыдущая неделя"</A>
            <h2 class="week-nav__title">{format!("{} – {}", ru::day_month(monday), ru::date(sunday))}</h2>
            <A href=week_href(monday + Days::new(7))>"Следующая неделя →"</A>
        </div>
        <div class="week">{days}</div>
    }
}

#[component]
fn Day(day: NaiveDate, today: bool, lessons: Vec<Lesson>) -> impl IntoView {
    let weekday = day.weekday().number_from_monday() as u8;
    let title = format!("{}, {}", ru::weekday(weekday).unwrap_or_default(), ru::day_month(day));
    let body = if lessons.is_empty() {
        view! { <p class="muted week__empty">"Занятий нет"</p> }.into_any()
    } else {
        view! {
            <ul class="week__lessons">
                {lessons
                    .into_iter()
                    .map(|l| {
                        let seats = ru::availability(l.seats_left, l.capacity);
                        let full = l.seats_left <= 0;
                        view! {
                            <li class="lesson">
                                <span class="lesson__time">{ru::time_range(l.starts_at, l.duration_minutes)}</span>
                                <A href=l.path.clone() attr:class="lesson__title">{l.title}</A>
                                <span class="muted">{l.room} " · " {l.teachers}</span>
                                <span class="lesson__seats" class:lesson__seats--full=full>{seats}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="week__day" class:week__day--today=today>
            <h3 class="week__date">{title}</h3>
            {body}
        </section>
    }
}
