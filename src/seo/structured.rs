//! The structured data (schema.org in JSON-LD) of the public pages, built
//! from the same records the page shows. The server writes it; the page
//! only places the text (see [`super::StructuredData`]).
//!
//! No `aggregateRating`: the reviews are collected by the school about its
//! own courses and teachers, which Google's review-snippet rules call
//! self-serving and Yandex's rules for its rich snippets do not accept
//! either. The page shows them; the markup does not claim them.
use crate::domain::{CourseDetail, ShowDetail, catalogue::Picture, school::School};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde_json::{Value, json};
use url::Url;

/// What every builder needs: where the site is and whose it is.
pub struct Site {
    pub url: Url,
    pub school: School,
    pub time_zone: chrono_tz::Tz,
}

impl Site {
    pub async fn of(state: &crate::server::AppState) -> Result<Site, sea_orm::DbErr> {
        Ok(Site {
            url: state.config.site_url.clone(),
            school: crate::server::settings::school(&state.db).await?,
            time_zone: state.config.time_zone,
        })
    }

    fn at(&self, path: &str) -> String {
        crate::server::links::to(&self.url, path)
    }

    fn organization(&self) -> Value {
        json!({ "@type": "EducationalOrganization", "name": self.school.name, "url": self.at("/") })
    }

    fn postal_address(&self) -> Value {
        json!({ "@type": "PostalAddress", "streetAddress": self.school.address, "addressCountry": "RU" })
    }

    fn image(&self, picture: Option<&Picture>) -> String {
        self.at(picture.map_or(super::SCHOOL_IMAGE.path, |p| p.url.as_str()))
    }

    /// A local wall-clock time of the school with its offset.
    fn instant(&self, local: NaiveDateTime) -> Option<String> {
        self.time_zone.from_local_datetime(&local).earliest().map(|t| t.to_rfc3339())
    }

    /// The page's trail as [`super::Breadcrumbs`] shows it, ending at the page.
    fn breadcrumbs(&self, trail: &[(&str, &str)], name: &str, path: &str) -> Value {
        let items: Vec<Value> = trail
            .iter()
            .chain([(name, path)].iter())
            .enumerate()
            .map(|(i, (name, path))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": self.at(path) }))
            .collect();
        json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
    }
}

/// The text of a `<script type="application/ld+json">`: JSON in which no
/// `<`, `>` or `&` appears as itself, so no title can close the script
/// (`</script>`) or open a comment; line separators are escaped as well.
pub fn script_text(data: &Value) -> String {
    let json = serde_json::to_string(data).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The school, on the home page: an educational organisation, and a
/// theatre too when it stages shows.
pub fn school(site: &Site, stages_shows: bool) -> Value {
    let s = &site.school;
    let types: Vec<&str> =
        if stages_shows { vec!["EducationalOrganization", "PerformingArtsTheater"] } else { vec!["EducationalOrganization"] };
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": types,
        "name": s.name,
        "url": site.at("/"),
        "logo": site.at("/favicon.svg"),
        "image": site.image(None),
        "sameAs": s.social,
    });
    let fields = [("address", (!s.address.is_empty()).then(|| site.postal_address())), ("telephone", (!s.phone.is_empty()).then(|| json!(s.phone))), ("email", (!s.email.is_empty()).then(|| json!(s.email)))];
    for (name, value) in fields {
        if let Some(value) = value {
            data[name] = value;
        }
    }
    data
}

/// schema.org wants a description: the record's text, or what names it.
fn text_or(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() { fallback.to_string() } else { text.to_string() }
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn clock(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A course with its term as a course instance: when it meets, who
/// teaches, where, and how many places are left.
pub fn course(site: &Site, c: &CourseDetail) -> Value {
    let card = &c.card;
    let schedules: Vec<Value> = card
        .slots
        .iter()
        .map(|slot| {
            let end = slot.starts_at + chrono::Duration::minutes(i64::from(slot.duration_minutes));
            json!({
                "@type": "Schedule",
                "byDay": format!("https://schema.org/{}", DAYS[usize::from(slot.weekday.clamp(1, 7) - 1)]),
                "startTime": clock(slot.starts_at),
                "endTime": clock(end),
                "startDate": date(card.term_start),
                "endDate": date(card.term_end),
                "repeatFrequency": "P1W",
                "scheduleTimezone": site.time_zone.name(),
            })
        })
        .collect();
    let instructors: Vec<Value> = card
        .teachers
        .iter()
        .map(|t| json!({ "@type": "Person", "name": t.name, "jobTitle": t.specialization, "url": site.at(&t.path) }))
        .collect();
    let mut course = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": card.title,
        "description": text_or(&c.description, &card.title),
        "url": site.at(&card.path),
        "inLanguage": "ru",
        "provider": site.organization(),
        "hasCourseInstance": [{
            "@type": "CourseInstance",
            "name": card.title,
            "courseMode": "onsite",
            "startDate": date(card.term_start),
            "endDate": date(card.term_end),
            "courseSchedule": schedules,
            "instructor": instructors,
            "location": { "@type": "Place", "name": site.school.name, "address": site.postal_address() },
            "maximumAttendeeCapacity": card.capacity,
            "remainingAttendeeCapacity": card.seats_left.max(0),
        }],
    });
    // The price list as schema.org Offers, priced in rubles ("3200.00").
    if let (false, Some(fields)) = (c.prices.is_empty(), course.as_object_mut()) {
        let offers = c
            .prices
            .iter()
            .map(|line| json!({ "@type": "Offer", "name": line.name, "price": line.price.decimal(), "priceCurrency": "RUB",
                "url": site.at(&card.path), "category": if line.price.is_zero() { "Free" } else { "Paid" } }))
            .collect();
        fields.insert("offers".into(), Value::Array(offers));
    }
    // schema.org's CreativeWork: "7-10", "15-".
    if let (Some(ages), Some(fields)) = (card.ages.typical_age_range(), course.as_object_mut()) {
        fields.insert("typicalAgeRange".into(), Value::String(ages));
    }
    json!([course, site.breadcrumbs(super::COURSE_TRAIL, &card.title, &card.path)])
}

/// A show of the school's theatre.
pub fn show(site: &Site, s: &ShowDetail) -> Value {
    let card = &s.card;
    let event = json!({
        "@context": "https://schema.org",
        "@type": "TheaterEvent",
        "name": card.title,
        "description": text_or(&s.description, &card.title),
        "url": site.at(&card.path),
        "startDate": site.instant(card.starts_at),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": { "@type": "Place", "name": card.venue, "address": site.postal_address() },
        "image": [site.image(s.picture.as_ref())],
        "performer": { "@type": "PerformingGroup", "name": site.school.name, "url": site.at("/") },
        "organizer": site.organization(),
    });
    json!([event, site.breadcrumbs(super::SHOW_TRAIL, &card.title, &card.path)])
}

/// A teacher of the school.
pub fn teacher(site: &Site, name: &str, specialization: &str, bio: &str, path: &str, picture: Option<&Picture>) -> Value {
    let mut person = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": name,
        "jobTitle": specialization,
        "worksFor": site.organization(),
        "url": site.at(path),
        "description": text_or(bio, &format!("{name} — {specialization}")),
    });
    if let Some(p) = picture {
        person["image"] = json!(site.at(&p.url));
    }
    json!([person, site.breadcrumbs(super::TEACHER_TRAIL, name, path)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_breaks_out_of_the_script() {
        let hostile = json!({ "name": "</script><script>alert(1)</script><!-- & \u{2028}" });
        let text = script_text(&hostile);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert!(!text.contains('\u{2028}'));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), hostile, "still the same JSON");
    }
}
