//! `robots.txt` and `sitemap.xml`, written from the database at each
//! request: a new course is in the sitemap the moment it is published.
use crate::{
    domain::text::escape_html,
    server::{
        AppState,
        addresses::Kind,
        entities::{course, course_teacher, show, teacher, user},
    },
};
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
        .route(super::SCHOOL_IMAGE.path, get(school_image))
}

/// The picture of links to pages without one of their own, from the
/// binary itself: every host has it, whatever its static files.
async fn school_image() -> Response {
    let mut res = include_bytes!("../../public/og-school.png").as_slice().into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    res
}

/// Addresses no search engine should list: personal pages, the office,
/// the data requests of pages, and the forms of signing in. `$` ends a
/// rule where a prefix would also close a public page (`/teach` is not `/teachers`).
/// The schedule's weeks go on without end: a crawler that followed «next
/// week» would never finish, and they are the schedule itself anyway.
const PRIVATE: [&str; 13] = [
    "/my/", "/teach$", "/teach/", "/admin$", "/admin/", "/api/", "/login", "/register", "/forgot", "/reset-password",
    "/confirm-email", "/courses/*/enroll", "/courses?*week=",
];

/// The rules for crawlers, naming the sitemap by its absolute address.
pub fn robots_txt(site: &url::Url) -> String {
    let mut text = String::from("User-agent: *\n");
    for path in PRIVATE {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str("Allow: /\n\n");
    text.push_str(&format!("Sitemap: {}\n", crate::server::links::to(site, "sitemap.xml")));
    text
}

async fn robots(State(state): State<AppState>) -> Response {
    text_response("text/plain; charset=utf-8", robots_txt(&state.config.site_url))
}

fn text_response(content_type: &'static str, body: String) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}

/// One address of the sitemap and when what it shows last changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub modified: Option<DateTime<Utc>>,
}

/// The most addresses one sitemap file may hold (sitemaps.org).
pub const PER_FILE: usize = 50_000;

#[derive(serde::Deserialize)]
struct Part {
    part: Option<usize>,
}

async fn sitemap(State(state): State<AppState>, Query(part): Query<Part>) -> Response {
    let entries = match entries(&state.db, state.today(), Utc::now()).await {
        Ok(entries) => entries,
        Err(e) => {
            tracing::error!(error = %e, "building the sitemap");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match document(&state.config.site_url, &entries, part.part, PER_FILE) {
        Some(xml) => text_response("application/xml; charset=utf-8", xml),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The sitemap: the addresses themselves while they fit in one file; past
/// that an index of parts (`?part=1`, `?part=2` …), each a file of its own.
/// `None` for a part that does not exist.
pub fn document(site: &url::Url, entries: &[Entry], part: Option<usize>, per_file: usize) -> Option<String> {
    let at = |path: &str| escape_html(&crate::server::links::to(site, path));
    let chunks: Vec<&[Entry]> = entries.chunks(per_file.max(1)).collect();
    let urlset = |chunk: &[Entry]| {
        let mut xml = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#,
            "\n"
        ));
        for e in chunk {
            xml.push_str(&format!("<url><loc>{}</loc>", at(&e.path)));
            if let Some(t) = e.modified {
                xml.push_str(&format!("<lastmod>{}</lastmod>", t.format("%Y-%m-%dT%H:%M:%SZ")));
            }
            xml.push_str("</url>\n");
        }
        xml.push_str("</urlset>\n");
        xml
    };
    match part {
        None if chunks.len() <= 1 => Some(urlset(chunks.first().copied().unwrap_or_default())),
        None => {
            let mut xml = String::from(concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                "\n",
                r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#,
                "\n"
            ));
            for (i, chunk) in chunks.iter().enumerate() {
                xml.push_str(&format!("<sitemap><loc>{}</loc>", at(&format!("sitemap.xml?part={}", i + 1))));
                if let Some(t) = chunk.iter().filter_map(|e| e.modified).max() {
                    xml.push_str(&format!("<lastmod>{}</lastmod>", t.format("%Y-%m-%dT%H:%M:%SZ")));
                }
                xml.push_str("</sitemap>\n");
            }
            xml.push_str("</sitemapindex>\n");
            Some(xml)
        }
        Some(n) if chunks.len() > 1 => chunks.get(n.checked_sub(1)?).map(|chunk| urlset(chunk)),
        Some(_) => None,
    }
}

/// Every public page: the home page, the schedule and the afisha, the
/// privacy policy, each course on the schedule, each upcoming show, each
/// teacher of a course on the schedule, each public portfolio.
pub async fn entries(db: &DatabaseConnection, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Entry>, DbErr> {
    let courses = crate::server::courses::visible()
        .filter(course::Column::TermEnd.gte(today))
        .filter(course::Column::Slug.is_not_null())
        .all(db)
        .await?;
    let shows = show::Entity::find()
        .filter(show::Column::StartsAt.gte(now))
        .filter(show::Column::Slug.is_not_null())
        .all(db)
        .await?;
    let course_ids: Vec<i32> = courses.iter().map(|c| c.id).collect();
    let teacher_ids: Vec<i32> = course_teacher::Entity::find()
        .select_only()
        .column(course_teacher::Column::TeacherId)
        .filter(course_teacher::Column::CourseId.is_in(course_ids))
        .into_tuple()
        .all(db)
        .await?;
    let teachers = teacher::Entity::find()
        .find_also_related(user::Entity)
        .filter(teacher::Column::Id.is_in(teacher_ids))
        .filter(teacher::Column::Slug.is_not_null())
        .filter(user::Column::IsActive.eq(true))
        .all(db)
        .await?;
    let portfolios = crate::portfolio::service::public_owners(db, None).await?;

    let newest_course = courses.iter().map(|c| c.updated_at).max();
    let newest_show = shows.iter().map(|s| s.updated_at).max();
    let mut list = vec![
        Entry { path: "/".into(), modified: newest_course.max(newest_show) },
        Entry { path: "/courses".into(), modified: newest_course },
        Entry { path: "/afisha".into(), modified: newest_show },
        Entry { path: "/privacy".into(), modified: None },
    ];
    let slug = |s: &Option<String>| s.clone().unwrap_or_default();
    list.extend(courses.iter().map(|c| Entry { path: Kind::Course.path(&slug(&c.slug)), modified: Some(c.updated_at) }));
    list.extend(shows.iter().map(|s| Entry { path: Kind::Show.path(&slug(&s.slug)), modified: Some(s.updated_at) }));
    list.extend(teachers.iter().map(|(t, u)| Entry {
        path: Kind::Teacher.path(&slug(&t.slug)),
        modified: Some(u.as_ref().map_or(t.updated_at, |u| u.updated_at.max(t.updated_at))),
    }));
    list.extend(
        portfolios
            .into_iter()
            .map(|(owner, at)| Entry { path: crate::portfolio::wire::public_href(owner), modified: Some(at) }),
    );
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> url::Url {
        url::Url::parse("https://kulisy.example/").unwrap()
    }

    fn entries(n: usize) -> Vec<Entry> {
        (0..n).map(|i| Entry { path: format!("/courses/k-{i}"), modified: None }).collect()
    }

    #[test]
    fn robots_closes_the_private_areas_and_names_the_sitemap() {
        let text = robots_txt(&site());
        for rule in ["Disallow: /my/", "Disallow: /admin/", "Disallow: /api/", "Disallow: /teach$", "Disallow: /login"] {
            assert!(text.contains(rule), "{rule}");
        }
        assert!(!text.contains("Disallow: /teach\n"), "would close /teachers too");
        assert!(text.ends_with("Sitemap: https://kulisy.example/sitemap.xml\n"));
    }

    #[test]
    fn a_long_sitemap_becomes_an_index_of_parts() {
        let one = document(&site(), &entries(3), None, 3).unwrap();
        assert!(one.contains("<urlset") && one.matches("<url>").count() == 3);
        assert_eq!(document(&site(), &entries(3), Some(1), 3), None, "no parts while it fits");

        let index = document(&site(), &entries(7), None, 3).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(index.contains("<loc>https://kulisy.example/sitemap.xml?part=3</loc>"));
        let last = document(&site(), &entries(7), Some(3), 3).unwrap();
        assert_eq!(last.matches("<url>").count(), 1);
        assert!(last.contains("/courses/k-6"));
        assert_eq!(document(&site(), &entries(7), Some(4), 3), None);
        assert_eq!(document(&site(), &entries(7), Some(0), 3), None);
    }
}
