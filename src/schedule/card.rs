//! A course's card as HTML text. The schedule shows two hundred of them on
//! one page: written as text they cost the server a small part of what two
//! hundred components cost, and they reach the browser once, in the HTML
//! (see `ui::PageHtml`). Every text a person typed goes through
//! `push_escaped`.
use crate::domain::{CourseCard, ru, text::push_escaped};

/// The class of a seats badge: free or full.
pub fn availability_class(seats_left: i32) -> &'static str {
    if seats_left > 0 { "badge badge--free" } else { "badge badge--full" }
}

/// The formats a course offers, as the card and the course's page name them.
pub fn formats_text(card: &CourseCard) -> String {
    card.formats.iter().map(|f| f.label()).collect::<Vec<_>>().join(" · ")
}

/// A course's whole card, its `<article>` (written by the server only).
#[cfg(feature = "ssr")]
pub fn card_html(course: &CourseCard) -> String {
    let mut out = String::with_capacity(800);
    out.push_str(r#"<article class="card course-card">"#);
    push_card_body(&mut out, course);
    out.push_str("</article>");
    out
}

/// What is inside one card's `<article>`.
pub fn card_body_html(course: &CourseCard) -> String {
    let mut out = String::with_capacity(700);
    push_card_body(&mut out, course);
    out
}

fn push_card_body(out: &mut String, c: &CourseCard) {
    out.push_str(r#"<h3 class="card__title"><a href=""#);
    push_escaped(out, &c.path);
    out.push_str(r#"">"#);
    push_escaped(out, &c.title);
    out.push_str(r#"</a></h3><p class="muted">"#);
    out.push_str(&ru::date_range(c.term_start, c.term_end));
    if let Some(ages) = c.ages.label() {
        out.push_str(" · ");
        out.push_str(&ages);
    }
    out.push_str(r#"</p><ul class="slot-list">"#);
    for s in &c.slots {
        out.push_str("<li><abbr");
        if let Some(day) = ru::weekday(s.weekday) {
            out.push_str(r#" title=""#);
            out.push_str(day);
            out.push('"');
        }
        out.push('>');
        out.push_str(ru::weekday_short(s.weekday).unwrap_or_default());
        out.push_str("</abbr> ");
        out.push_str(&ru::time_range(s.starts_at, s.duration_minutes));
        out.push_str("</li>");
    }
    out.push_str("</ul><p>");
    push_escaped(out, &c.summary);
    out.push_str(r#"</p><p class="card__meta"><span>"#);
    for (i, t) in c.teachers.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_escaped(out, &t.name);
    }
    out.push_str("</span><span>");
    out.push_str(&formats_text(c));
    out.push_str(r#"</span></p><span class=""#);
    out.push_str(availability_class(c.seats_left));
    out.push_str(r#"">"#);
    out.push_str(&ru::availability(c.seats_left, c.capacity));
    out.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CourseFormat, Slot, TeacherRef, ids::{CourseId, TeacherId}};
    use chrono::{NaiveDate, NaiveTime};

    fn card(title: &str, teacher: &str) -> CourseCard {
        CourseCard {
            id: CourseId(7),
            title: title.into(),
            path: "/courses/scenicheskaya-rech".into(),
            summary: "Голос & дыхание".into(),
            term_start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            term_end: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
            formats: vec![CourseFormat::Personal, CourseFormat::Pair],
            capacity: 12,
            seats_left: 0,
            slots: vec![Slot {
                weekday: 2,
                starts_at: NaiveTime::from_hms_opt(19, 30, 0).unwrap(),
                duration_minutes: 90,
                room: "8".into(),
            }],
            teachers: vec![TeacherRef { id: TeacherId(1), name: teacher.into(), specialization: String::new(), path: String::new() }],
            published: true,
            ages: crate::domain::family::AgeRange::ANY,
        }
    }

    #[test]
    fn a_card_says_what_the_schedule_promises() {
        let html = card_html(&card("Сценическая речь", "Анна Орлова"));
        assert!(html.starts_with(r#"<article class="card course-card"><h3 class="card__title"><a href="/courses/scenicheskaya-rech">Сценическая речь</a></h3>"#), "{html}");
        assert!(html.contains(r#"<li><abbr title="Вторник">Вт</abbr> 19:30–21:00</li>"#), "{html}");
        assert!(html.contains("<p>Голос &amp; дыхание</p>"), "{html}");
        assert!(html.contains(r#"<span class="badge badge--full">Мест нет — лист ожидания</span></article>"#), "{html}");
        assert!(!html.contains(" лет"), "a course for everyone names no ages: {html}");
        let kids = CourseCard { ages: crate::domain::family::AgeRange { min: Some(7), max: Some(10) }, ..card("Театр", "А") };
        assert!(card_html(&kids).contains("20 декабря 2026 · 7–10 лет</p>"), "{}", card_html(&kids));
    }

    #[test]
    fn typed_text_stays_text() {
        let html = card_body_html(&card("<script>alert(1)</script>", r#""><img src=x onerror=alert(1)>"#));
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    }
}
