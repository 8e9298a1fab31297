//! How the public pages present themselves to search engines and to
//! messengers: one canonical address each, the OpenGraph and Twitter cards
//! a shared link shows, the structured data (JSON-LD) the server writes,
//! and `robots.txt` / `sitemap.xml`.
/// `robots.txt` and `sitemap.xml`; server only.
#[cfg(feature = "ssr")]
pub mod routes;
/// The JSON-LD of the school, courses, shows and teachers; server only.
#[cfg(feature = "ssr")]
pub mod structured;

use crate::{domain::catalogue::Picture, school::SchoolDetails};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::components::A;

/// Where the site answers (`SITE_URL`, ending in `/`): read on the server,
/// handed to the browser with the page. Never taken from a request.
#[derive(Clone, Debug)]
pub struct SiteUrl(String);

impl SiteUrl {
    pub fn provide() {
        let site = SharedValue::new(|| {
            #[cfg(feature = "ssr")]
            return crate::server::state().map(|s| s.config.site_url.to_string()).unwrap_or_default();
            #[cfg(not(feature = "ssr"))]
            String::new()
        });
        provide_context(SiteUrl(site.into_inner()));
    }

    /// The absolute address of a path on this site.
    pub fn absolute(path: &str) -> String {
        let site = use_context::<SiteUrl>().map(|s| s.0).unwrap_or_default();
        format!("{}/{}", site.trim_end_matches('/'), path.trim_start_matches('/'))
    }
}

/// The school's picture for pages that have none of their own.
pub const SCHOOL_IMAGE: ShareImage = ShareImage { path: "/og-school.png", width: 1200, height: 630 };

/// A picture a shared link shows: a path on this site and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShareImage {
    pub path: &'static str,
    pub width: u32,
    pub height: u32,
}

/// What kind of thing the page is, for `og:type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    Website,
    Article,
    Profile,
}

impl PageKind {
    fn og_type(self) -> &'static str {
        match self {
            PageKind::Website => "website",
            PageKind::Article => "article",
            PageKind::Profile => "profile",
        }
    }
}

/// The head of a public page: title, description, canonical address,
/// OpenGraph and Twitter cards. `path` is the page's canonical path; a view
/// of it that should not be indexed on its own (a filtered schedule) says
/// `noindex` and still points at the canonical page.
#[component]
pub fn PublicHead(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
    #[prop(default = PageKind::Website)] kind: PageKind,
    #[prop(default = None)] picture: Option<Picture>,
    #[prop(default = None)] alt: Option<String>,
    #[prop(optional)] noindex: bool,
) -> impl IntoView {
    let school = SchoolDetails::expect();
    let page_title = title.clone();
    let url = SiteUrl::absolute(&path);
    let (image, width, height) = match &picture {
        Some(p) => (SiteUrl::absolute(&p.url), p.width, p.height),
        None => (SiteUrl::absolute(SCHOOL_IMAGE.path), SCHOOL_IMAGE.width, SCHOOL_IMAGE.height),
    };
    let image_alt = alt.unwrap_or_else(|| title.clone());
    let card = if width >= 600 && width > height { "summary_large_image" } else { "summary" };
    let tags = move || {
        let (title, description, url, image, image_alt) =
            (title.clone(), description.clone(), url.clone(), image.clone(), image_alt.clone());
        Suspend::new(async move {
            let site_name = school.wait().await.name;
            let full_title = if title.is_empty() { format!("{site_name} — театральная школа") } else { title.clone() };
            view! {
                <Meta name="description" content=description.clone() />
                <Link rel="canonical" href=url.clone() />
                {noindex.then(|| view! { <Meta name="robots" content="noindex, follow" /> })}
                <Meta property="og:type" content=kind.og_type() />
                <Meta property="og:title" content=full_title.clone() />
                <Meta property="og:description" content=description.clone() />
                <Meta property="og:url" content=url />
                <Meta property="og:locale" content="ru_RU" />
                <Meta property="og:site_name" content=site_name />
                <Meta property="og:image" content=image.clone() />
                <Meta property="og:image:width" content=width.to_string() />
                <Meta property="og:image:height" content=height.to_string() />
                <Meta property="og:image:alt" content=image_alt.clone() />
                <Meta name="twitter:card" content=card />
                <Meta name="twitter:title" content=full_title />
                <Meta name="twitter:description" content=description />
                <Meta name="twitter:image" content=image />
                <Meta name="twitter:image:alt" content=image_alt />
            }
        })
    };
    view! {
        <Title text=page_title />
        <Suspense>{tags}</Suspense>
    }
}

/// The page's structured data as the server wrote it (already safe for a
/// `<script>`: see `structured::script_text`). The browser does not run a
/// data block; it carries the page's nonce all the same, so that every
/// inline script of a page is one the application wrote.
#[component]
pub fn StructuredData(json: String) -> impl IntoView {
    (!json.is_empty()).then(|| view! { <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json></script> })
}

/// The trail from the home page to this one, as the page's structured data
/// lists it: links to the pages above, the page itself as plain text.
#[component]
pub fn Breadcrumbs(trail: &'static [(&'static str, &'static str)], #[prop(into)] here: String) -> impl IntoView {
    view! {
        <nav aria-label="Навигационная цепочка">
            <ol class="breadcrumbs">
                {trail.iter().map(|(name, href)| view! { <li><A href=*href>{*name}</A></li> }).collect_view()}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}

/// The trails of the public pages, shared by the page and its structured data.
pub const COURSE_TRAIL: &[(&str, &str)] = &[("Главная", "/"), ("Курсы и расписание", "/courses")];
pub const SHOW_TRAIL: &[(&str, &str)] = &[("Главная", "/"), ("Афиша", "/afisha")];
pub const TEACHER_TRAIL: &[(&str, &str)] = COURSE_TRAIL;

/// A page's description from its text: one line, at most about 160
/// characters (what search results show), cut on a word; the fallback when
/// the text is empty.
pub fn describe(text: &str, fallback: &str) -> String {
    const MAX: usize = 160;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = if line.is_empty() { fallback.to_string() } else { line };
    if line.chars().count() <= MAX {
        return line;
    }
    let cut: String = line.chars().take(MAX - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end_matches([',', '.', ':', ';', '—', '-', ' ']);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn descriptions_are_one_short_line() {
        assert_eq!(describe("  Курс\n\nо  речи ", "x"), "Курс о речи");
        assert_eq!(describe(" \n", "Сценическая речь"), "Сценическая речь");
        let long = describe(&"слово, ".repeat(60), "x");
        assert!(long.chars().count() <= 160 && long.ends_with("слово…"), "{long}");
    }
}
