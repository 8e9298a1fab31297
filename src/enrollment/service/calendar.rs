//! Calendar export (RFC 5545): an `.ics` file per enrollment and a personal
//! subscription feed at a secret, revocable address.
//!
//! Each weekly slot becomes one recurring event in the school's local time
//! (`TZID`), with a `VTIMEZONE` describing that zone over the dates the file
//! covers, so calendar applications show the right hour even across
//! daylight-saving changes.
use crate::server::{
    AppState, Config, auth,
    entities::{course, course_slot, enrollment, user},
    guards::{ActingFor, Student},
};
use crate::{
    domain::{EnrollmentStatus, UserId, enrollment::PartnerAnswer, school::School},
    error::AppError,
};
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};
use sha2::Sha256;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/my/enrollments/{id}/calendar.ics", get(enrollment_file))
        .route("/calendar/{user_id}/{file}", get(feed))
}

/// A weekly lesson of an enrollment, from its first to its last date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub uid: String,
    pub title: String,
    pub location: String,
    pub description: String,
    /// Local start of the first lesson.
    pub first: NaiveDateTime,
    /// Local start of the last lesson.
    pub last: NaiveDateTime,
    pub minutes: u32,
    pub confirmed: bool,
}

/// The first and last date in `[start, end]` falling on ISO weekday `weekday`.
pub fn weekday_bounds(weekday: u8, start: NaiveDate, end: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let weekday = u32::from(weekday);
    let first = start + Days::new(u64::from((weekday + 7 - start.weekday().number_from_monday()) % 7));
    let last = end - Days::new(u64::from((end.weekday().number_from_monday() + 7 - weekday) % 7));
    (first <= last).then_some((first, last))
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Writes one content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The instant a wall-clock time of the school names (the earlier one when
/// a clock change makes it ambiguous, the hour after when it skips it).
fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// `VTIMEZONE` for `tz` covering `[from, to]`: the offset in force at the
/// start and every change of it up to the end, found to the minute.
fn vtimezone(out: &mut String, tz: Tz, from: NaiveDate, to: NaiveDate) {
    let offset_at = |t: DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc());
    let seconds = |o: &<Tz as TimeZone>::Offset| (o.base_utc_offset() + o.dst_offset()).num_seconds() as i32;
    let start = Utc.from_utc_datetime(&from.and_hms_opt(0, 0, 0).expect("midnight")) - Duration::days(1);
    let end = Utc.from_utc_datetime(&to.and_hms_opt(0, 0, 0).expect("midnight")) + Duration::days(2);

    let mut changes = vec![(start, offset_at(start), offset_at(start))];
    let mut t = start;
    while t < end {
        let next = t + Duration::days(1);
        let before = changes.last().expect("one at least").2;
        let after = offset_at(next);
        if seconds(&after) != seconds(&before) {
            // The first minute of the day that has the new offset.
            let (mut lo, mut hi) = (0i64, 24 * 60);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if seconds(&offset_at(t + Duration::minutes(mid))) == seconds(&before) { lo = mid } else { hi = mid }
            }
            changes.push((t + Duration::minutes(hi), before, after));
        }
        t = next;
    }

    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", tz.name()));
    for (at, before, after) in changes {
        let kind = if after.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
        let onset = at.naive_utc() + Duration::seconds(i64::from(seconds(&before)));
        line(out, &format!("BEGIN:{kind}"));
        line(out, &format!("DTSTART:{}", local_stamp(onset)));
        line(out, &format!("TZOFFSETFROM:{}", offset_text(seconds(&before))));
        line(out, &format!("TZOFFSETTO:{}", offset_text(seconds(&after))));
        if let Some(name) = chrono_tz::OffsetName::abbreviation(&after) {
            line(out, &format!("TZNAME:{name}"));
        }
        line(out, &format!("END:{kind}"));
    }
    line(out, "END:VTIMEZONE");
}

/// A whole calendar file of `series` in the school's zone.
pub fn calendar(name: &str, tz: Tz, series: &[Series], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Kulisy//Raspisanie//RU");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    line(&mut out, &format!("X-WR-TIMEZONE:{}", tz.name()));
    let from = series.iter().map(|s| s.first.date()).min();
    let to = series.iter().map(|s| s.last.date()).max();
    if let (Some(from), Some(to)) = (from, to) {
        vtimezone(&mut out, tz, from, to);
    }
    for s in series {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", s.uid));
        line(&mut out, &format!("DTSTAMP:{}", utc_stamp(now)));
        line(&mut out, &format!("DTSTART;TZID={}:{}", tz.name(), local_stamp(s.first)));
        line(&mut out, &format!("DURATION:PT{}M", s.minutes));
        // UNTIL is an instant in UTC when DTSTART has a zone (§3.3.10).
        line(&mut out, &format!("RRULE:FREQ=WEEKLY;UNTIL={}", utc_stamp(instant(tz, s.last))));
        line(&mut out, &format!("SUMMARY:{}", text(&s.title)));
        line(&mut out, &format!("LOCATION:{}", text(&s.location)));
        line(&mut out, &format!("DESCRIPTION:{}", text(&s.description)));
        line(&mut out, if s.confirmed { "STATUS:CONFIRMED" } else { "STATUS:TENTATIVE" });
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// The weekly lessons of `enrollments`, one series per slot.
pub async fn series_of(
    db: &impl ConnectionTrait,
    site: &url::Url,
    school: &School,
    enrollments: &[enrollment::Model],
    today: NaiveDate,
) -> Result<Vec<Series>, DbErr> {
    let course_ids: Vec<i32> = enrollments.iter().map(|e| e.course_id).collect();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let slots = course_slot::Entity::find().filter(course_slot::Column::CourseId.is_in(course_ids)).all(db).await?;
    let teachers = crate::server::teachers::teacher_names(db, enrollments.iter().filter_map(|e| e.teacher_id)).await?;
    // A child's lessons say whose they are: a guardian's calendar holds the
    // whole family's.
    let children: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(enrollments.iter().filter_map(|e| e.student_id)))
        .filter(user::Column::BirthDate.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|u| crate::server::families::is_minor(u, today))
        .map(|u| (u.id, u.full_name))
        .collect();
    let host = site.host_str().unwrap_or("kulisy");

    let mut series = Vec::new();
    for e in enrollments {
        let Some(c) = courses.get(&e.course_id) else { continue };
        let teacher = e.teacher_id.and_then(|t| teachers.get(&t)).map(|t| format!("Педагог: {t}. ")).unwrap_or_default();
        for slot in slots.iter().filter(|s| s.course_id == c.id) {
            let Some((first, last)) = weekday_bounds(slot.weekday.clamp(1, 7) as u8, e.period_start, e.period_end) else {
                continue;
            };
            series.push(Series {
                uid: format!("enrollment-{}-slot-{}@{host}", e.id, slot.id),
                title: match e.student_id.and_then(|id| children.get(&id)) {
                    Some(child) => format!("{} ({child}) — «{}»", c.title, school.name),
                    None => format!("{} — «{}»", c.title, school.name),
                },
                location: slot.room.clone(),
                description: format!("{teacher}Формат: {}.", e.format.label().to_lowercase()),
                first: first.and_time(slot.starts_at),
                last: last.and_time(slot.starts_at),
                minutes: slot.duration_minutes.max(0) as u32,
                confirmed: e.status == EnrollmentStatus::Confirmed,
            });
        }
    }
    Ok(series)
}

fn ics_response(body: String, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// Whether `u` takes part in `e`: its student, or a partner who said yes
/// or has not answered yet.
fn takes_part(e: &enrollment::Model, u: &user::Model) -> bool {
    e.student_id == Some(u.id)
        || (e.partner_id == Some(u.id) && e.partner_status != Some(PartnerAnswer::Declined))
}

async fn enrollment_file(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i32>) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let result = async {
        let Some(e) = enrollment::Entity::find_by_id(id).one(&state.db).await? else { return Ok(None) };
        let for_my_child = match (Student::check(&u), e.student_id) {
            (Ok(guardian), Some(child)) if child != u.id => {
                ActingFor::check(&state.db, &guardian, Some(UserId(child)), state.today()).await.is_ok()
            }
            _ => false,
        };
        if !(takes_part(&e, &u) || for_my_child) || !EnrollmentStatus::ACTIVE.contains(&e.status) {
            return Ok(None);
        }
        let school = crate::server::settings::school(&state.db).await?;
        let series = series_of(&state.db, &state.config.site_url, &school, std::slice::from_ref(&e), state.today()).await?;
        let name = format!("{} — занятия", school.name);
        Ok::<_, DbErr>(Some(calendar(&name, state.config.time_zone, &series, Utc::now())))
    }
    .await;
    match result {
        Ok(Some(body)) => ics_response(body, &format!("kulisy-{id}.ics")),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The secret part of a feed address: a MAC of the user and the nonce
/// under the server's key, so nothing secret is stored to be leaked.
fn feed_token(config: &Config, user_id: i32, nonce: i32) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&config.secret_key.0).expect("any key length");
    mac.update(format!("kulisy calendar feed\0{user_id}\0{nonce}").as_bytes());
    mac.finalize().into_bytes()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The feed's address for `u`, when the feed is on.
pub fn feed_url(config: &Config, u: &user::Model) -> Option<String> {
    let nonce = u.calendar_feed_nonce?;
    Some(crate::server::links::to(&config.site_url, &format!("calendar/{}/{}.ics", u.id, feed_token(config, u.id, nonce))))
}

pub enum FeedChange {
    /// On, at a new address; any earlier address stops working.
    NewAddress,
    Off,
}

pub async fn change_feed(db: &DatabaseConnection, u: &user::Model, change: FeedChange) -> Result<(), AppError> {
    let mut row: user::ActiveModel = u.clone().into();
    row.calendar_feed_nonce = Set(match change {
        FeedChange::NewAddress => Some(rand::random::<i32>()),
        FeedChange::Off => None,
    });
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(())
}

async fn feed(State(state): State<AppState>, Path((user_id, file)): Path<(i32, String)>) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(token) = file.strip_suffix(".ics") else { return not_found() };
    let result = async {
        let Some(u) = user::Entity::find_by_id(user_id).one(&state.db).await? else { return Ok(None) };
        let Some(nonce) = u.calendar_feed_nonce.filter(|_| u.is_active) else { return Ok(None) };
        let expected = feed_token(&state.config, u.id, nonce);
        // Compared in constant time: the address is the only credential.
        if !constant_time_eq(expected.as_bytes(), token.as_bytes()) {
            return Ok(None);
        }
        // A guardian's feed holds their children's sessions too.
        let children = crate::server::families::minors_guarded_by(&state.db, u.id, state.today()).await?;
        let confirmed = enrollment::Entity::find()
            .filter(enrollment::Column::Status.eq(EnrollmentStatus::Confirmed))
            .filter(
                Condition::any()
                    .add(enrollment::Column::StudentId.eq(u.id))
                    .add(enrollment::Column::StudentId.is_in(children.iter().map(|c| c.id)))
                    .add(
                        Condition::all()
                            .add(enrollment::Column::PartnerId.eq(u.id))
                            .add(enrollment::Column::PartnerStatus.eq(PartnerAnswer::Accepted)),
                    ),
            )
            .all(&state.db)
            .await?;
        let school = crate::server::settings::school(&state.db).await?;
        let series = series_of(&state.db, &state.config.site_url, &school, &confirmed, state.today()).await?;
        let name = format!("{} — мои занятия", school.name);
        Ok::<_, DbErr>(Some(calendar(&name, state.config.time_zone, &series, Utc::now())))
    }
    .await;
    match result {
        Ok(Some(body)) => ics_response(body, "kulisy.ics"),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekday_bounds_find_the_first_and_last_lesson() {
        // 1 December 2026 is a Tuesday.
        assert_eq!(weekday_bounds(2, d(2026, 12, 1), d(2026, 12, 31)), Some((d(2026, 12, 1), d(2026, 12, 29))));
        assert_eq!(weekday_bounds(1, d(2026, 12, 1), d(2026, 12, 31)), Some((d(2026, 12, 7), d(2026, 12, 28))));
        assert_eq!(weekday_bounds(1, d(2026, 12, 1), d(2026, 12, 6)), None, "no Monday in the period");
    }

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "Сценическая речь ".repeat(10)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "Сценическая речь ".repeat(10)));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn a_zone_with_clock_changes_gets_both_offsets() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Europe::Berlin, d(2027, 1, 10), d(2027, 5, 1));
        assert!(out.contains("BEGIN:DAYLIGHT"), "{out}");
        // Clocks go forward at 02:00 local on 28 March 2027.
        assert!(out.contains("DTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"), "{out}");
        let mut moscow = String::new();
        vtimezone(&mut moscow, chrono_tz::Europe::Moscow, d(2027, 1, 10), d(2027, 5, 1));
        assert!(!moscow.contains("DAYLIGHT") && moscow.contains("TZOFFSETTO:+0300"), "{moscow}");
    }
}
