//! The public school as search engines and messengers read it: robots.txt,
//! the sitemap, readable addresses and where old ones lead, one canonical
//! address per page, OpenGraph and Twitter cards, and structured data.
#![cfg(feature = "ssr")]
mod common;
use common::{TestApp, TestResponse};
use kulisy::domain::Role;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

// ---- reading pages as a crawler does ----------------------------------

fn decode(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The attributes of every `<name …>` start tag, in order, decoded.
fn tags(html: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            let end = rest.find('>').expect("a closed tag");
            let mut attrs = BTreeMap::new();
            let mut s = &rest[..end];
            while let Some(eq) = s.find("=\"") {
                let key = s[..eq].trim().trim_start_matches('/').trim().to_string();
                let value_end = s[eq + 2..].find('"').expect("a closed value");
                attrs.insert(key.rsplit(' ').next().unwrap_or_default().to_string(), decode(&s[eq + 2..eq + 2 + value_end]));
                s = &s[eq + 2 + value_end + 1..];
            }
            attrs
        })
        .collect()
}

/// The `content` of every `<meta {key}="{value}">`.
fn meta(html: &str, key: &str, value: &str) -> Vec<String> {
    tags(html, "meta")
        .into_iter()
        .filter(|a| a.get(key).map(String::as_str) == Some(value))
        .filter_map(|a| a.get("content").cloned())
        .collect()
}

fn canonicals(html: &str) -> Vec<String> {
    tags(html, "link").into_iter().filter(|a| a.get("rel").map(String::as_str) == Some("canonical")).filter_map(|a| a.get("href").cloned()).collect()
}

fn is_noindex(html: &str) -> bool {
    meta(html, "name", "robots").iter().any(|c| c.contains("noindex"))
}

/// Every JSON-LD object of the page (top-level arrays unpacked).
fn structured(html: &str) -> Vec<Value> {
    const OPEN: &str = r#"<script type="application/ld+json""#;
    html.match_indices(OPEN)
        .flat_map(|(at, _)| {
            let rest = &html[at..];
            let rest = &rest[rest.find('>').expect("an open tag") + 1..];
            let text = &rest[..rest.find("</script>").expect("closed")];
            match serde_json::from_str::<Value>(text).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}: {text}")) {
                Value::Array(items) => items,
                one => vec![one],
            }
        })
        .collect()
}

fn of_type<'a>(data: &'a [Value], t: &str) -> &'a Value {
    data.iter()
        .find(|v| v["@type"] == t || v["@type"].as_array().is_some_and(|ts| ts.iter().any(|x| x == t)))
        .unwrap_or_else(|| panic!("no {t} in {data:?}"))
}

fn has(v: &Value, props: &[&str]) {
    for p in props {
        assert!(!v[p].is_null(), "{} lacks {p}: {v}", v["@type"]);
    }
}

/// The site-relative addresses a page links to (`href="/…"`), without
/// the stylesheet, icons and scripts.
fn links(html: &str) -> BTreeSet<String> {
    tags(html, "a").into_iter().filter_map(|a| a.get("href").cloned()).filter(|h| h.starts_with('/') && !h.starts_with("//")).collect()
}

fn path_of(url: &str, site: &str) -> String {
    format!("/{}", url.strip_prefix(site).unwrap_or_else(|| panic!("{url} is not under {site}")))
}

/// Whether robots.txt closes `path` to crawlers (its `*` and `$`).
fn disallowed(robots: &str, path: &str) -> bool {
    robots.lines().filter_map(|l| l.strip_prefix("Disallow: ")).any(|rule| {
        let (rule, exact) = rule.strip_suffix('$').map_or((rule, false), |r| (r, true));
        let mut rest = path;
        for (i, part) in rule.split('*').enumerate() {
            match rest.find(part) {
                Some(at) if i > 0 || at == 0 => rest = &rest[at + part.len()..],
                _ => return false,
            }
        }
        !exact || rest.is_empty()
    })
}

fn site(app: &TestApp) -> String {
    app.state.config.site_url.to_string()
}

async fn sitemap_paths(app: &TestApp) -> Vec<String> {
    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("application/xml"));
    let site = site(app);
    res.body
        .split("<loc>")
        .skip(1)
        .map(|s| decode(&s[..s.find("</loc>").expect("closed loc")]))
        .map(|url| path_of(&url, &site))
        .collect()
}

// ---- the tests ----------------------------------------------------------

async fn robots_txt_keeps_crawlers_to_the_public_pages(app: TestApp) {
    let res = app.get("/robots.txt").await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("text/plain"));
    let robots = res.body;
    for private in ["/my/enrollments", "/teach", "/teach/courses/1", "/admin", "/admin/people", "/api/home", "/login", "/register", "/forgot", "/reset-password", "/courses/3/enroll", "/confirm-email-change"] {
        assert!(disallowed(&robots, private), "{private} is open");
    }
    for public in ["/", "/courses", "/courses/scenicheskaya-rech", "/afisha", "/teachers/mihail-andreevich-lebedev", "/students/3/portfolio", "/privacy", "/pkg/kulisy.css"] {
        assert!(!disallowed(&robots, public), "{public} is closed");
    }
    assert!(robots.contains(&format!("Sitemap: {}sitemap.xml", site(&app))));
}

async fn the_sitemap_and_a_crawl_from_home_find_the_same_pages(app: TestApp) {
    let robots = app.get("/robots.txt").await.body;
    let site = site(&app);
    let sitemap: BTreeSet<String> = sitemap_paths(&app).await.into_iter().collect();
    for path in &sitemap {
        assert!(!disallowed(&robots, path), "{path} is in the sitemap and closed to crawlers");
        for private in ["/my/", "/teach/", "/admin", "/api/", "/login"] {
            assert!(!path.starts_with(private) && path != "/teach", "{path} in the sitemap");
        }
    }
    for kind in ["/courses/", "/afisha/", "/teachers/", "/students/"] {
        assert!(sitemap.iter().any(|p| p.starts_with(kind)), "no {kind} page in the sitemap");
    }
    // Every sitemap address is a page, and its own canonical address.
    for path in &sitemap {
        let res = app.get(path).await;
        assert_eq!(res.status, 200, "{path}");
        assert_eq!(canonicals(&res.body), [format!("{}{}", site.trim_end_matches('/'), path)], "{path}");
        assert!(!is_noindex(&res.body), "{path}");
    }

    // A visitor's crawl from the home page, as robots.txt allows it.
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut indexable = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        let res: TestResponse = app.get(&path).await;
        let next: Vec<String> = match res.status.as_u16() {
            200 => {
                if !is_noindex(&res.body) {
                    let canonical = canonicals(&res.body);
                    assert_eq!(canonical.len(), 1, "{path}: {canonical:?}");
                    indexable.insert(path_of(&canonical[0], &site));
                }
                links(&res.body).into_iter().collect()
            }
            status => panic!("{path} answers {status}, linked from the site: links use the current address"),
        };
        for link in next {
            let link = link.split('#').next().unwrap_or_default().to_string();
            if !disallowed(&robots, &link) && !link.is_empty() && seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        assert!(seen.len() < 400, "the crawl does not end");
    }
    assert_eq!(indexable, sitemap, "what the crawl may index is what the sitemap lists");
}

async fn every_public_page_has_its_card_and_structured_data(app: TestApp) {
    let site = site(&app);
    let paths = sitemap_paths(&app).await;
    let course_titles: Vec<String> =
        kulisy::server::entities::course::Entity::find().all(&app.state.db).await.unwrap().into_iter().map(|c| c.title).collect();
    use sea_orm::EntityTrait;
    for path in &paths {
        let html = app.get(path).await.body;
        assert!(html.contains(r#"<html lang="ru""#), "{path}");
        let url = format!("{}{}", site.trim_end_matches('/'), path);
        let one = |key: &str, value: &str| {
            let found = meta(&html, key, value);
            assert_eq!(found.len(), 1, "{path}: {value} {found:?}");
            found[0].clone()
        };
        assert_eq!(one("property", "og:url"), url);
        assert_eq!(one("property", "og:locale"), "ru_RU");
        assert_eq!(one("property", "og:site_name"), "Кулисы");
        assert!(!one("name", "description").is_empty());
        assert_eq!(one("property", "og:description"), one("name", "description"));
        let title = one("property", "og:title");
        assert!(html.contains(&format!("<title>{}", kulisy::domain::text::escape_html(&title))), "{path}: og:title is the page's title");
        let image = one("property", "og:image");
        assert!(image.starts_with(&site), "{path}: absolute image {image}");
        assert!(one("property", "og:image:width").parse::<u32>().unwrap() > 0);
        assert!(one("property", "og:image:height").parse::<u32>().unwrap() > 0);
        assert_eq!(one("name", "twitter:image"), image);
        assert!(["summary", "summary_large_image"].contains(&one("name", "twitter:card").as_str()));
        assert_eq!(app.get(&path_of(&image, &site)).await.status, 200, "{path}: {image}");

        let data = structured(&html);
        let og_type = one("property", "og:type");
        let (kind, trail_end) = match path.split('/').nth(1).unwrap_or_default() {
            "" => {
                let school = of_type(&data, "EducationalOrganization");
                has(school, &["name", "url", "logo", "address", "telephone", "email", "sameAs"]);
                assert!(school["@type"].as_array().unwrap().iter().any(|t| t == "PerformingArtsTheater"), "the school stages shows");
                assert_eq!(og_type, "website");
                (None, None)
            }
            "courses" if path != "/courses" => {
                let course = of_type(&data, "Course");
                has(course, &["name", "description", "provider", "hasCourseInstance", "url"]);
                assert_eq!(course["url"], url);
                let instance = &course["hasCourseInstance"][0];
                assert_eq!(instance["@type"], "CourseInstance");
                assert_eq!(instance["courseMode"], "onsite");
                has(instance, &["courseSchedule", "instructor", "location", "remainingAttendeeCapacity", "maximumAttendeeCapacity"]);
                for schedule in instance["courseSchedule"].as_array().unwrap() {
                    has(schedule, &["byDay", "startTime", "endTime", "startDate", "endDate", "repeatFrequency"]);
                    assert!(schedule["byDay"].as_str().unwrap().starts_with("https://schema.org/"));
                }
                assert_eq!(instance["instructor"][0]["@type"], "Person");
                assert_eq!(instance["location"]["address"]["@type"], "PostalAddress");
                // Nothing of another course on this one's page.
                let name = course["name"].as_str().unwrap();
                for other in course_titles.iter().filter(|t| t.as_str() != name) {
                    assert!(!data.iter().any(|v| v.to_string().contains(&format!("\"{other}\""))), "{other} on {path}");
                }
                (Some(course["name"].clone()), Some("Курсы и расписание"))
            }
            "afisha" if path != "/afisha" => {
                let show = of_type(&data, "TheaterEvent");
                has(show, &["name", "startDate", "location", "eventStatus", "eventAttendanceMode", "image", "performer", "organizer"]);
                let start = show["startDate"].as_str().unwrap();
                assert!(chrono::DateTime::parse_from_rfc3339(start).is_ok() && start.ends_with("+03:00"), "with the Moscow offset: {start}");
                assert_eq!(show["location"]["@type"], "Place");
                assert_eq!(show["location"]["address"]["@type"], "PostalAddress");
                assert_eq!(og_type, "article");
                (Some(show["name"].clone()), Some("Афиша"))
            }
            "teachers" => {
                let person = of_type(&data, "Person");
                has(person, &["name", "jobTitle", "worksFor", "description", "url"]);
                assert_eq!(og_type, "profile");
                (Some(person["name"].clone()), Some("Курсы и расписание"))
            }
            _ => (None, None),
        };
        if let (Some(name), Some(parent)) = (kind, trail_end) {
            let crumbs = of_type(&data, "BreadcrumbList")["itemListElement"].as_array().unwrap().clone();
            let names: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
            assert_eq!(names, ["Главная", parent, name.as_str().unwrap()], "{path}");
            assert_eq!(crumbs.last().unwrap()["item"], url);
            // The same trail the page shows.
            let nav = &html[html.find(r#"<ol class="breadcrumbs">"#).expect("breadcrumbs on the page")..];
            let nav = &nav[..nav.find("</ol>").unwrap()];
            for n in &names {
                assert!(nav.contains(&kulisy::domain::text::escape_html(n)), "{path}: {n} not in the page's trail");
            }
            assert!(html.contains(&format!("<h1>{}</h1>", kulisy::domain::text::escape_html(name.as_str().unwrap()))));
        }
    }
}

async fn private_and_error_pages_are_not_indexed(app: TestApp) {
    let mut pages = vec!["/login", "/register", "/forgot", "/reset-password?token=x", "/my/enrollments", "/my/profile", "/teach", "/admin", "/no/such/page", "/courses/net-takogo"];
    let courses = app.get("/courses").await.body;
    let course = links(&courses).into_iter().find(|l| l.starts_with("/courses/") && !l.contains('?')).map(|l| l.to_string());
    let enroll = format!("{}/enroll", course.expect("a course on the schedule"));
    pages.push(&enroll);
    for path in pages {
        let res = app.get(path).await;
        assert!(is_noindex(&res.body), "{path} ({}) may be indexed", res.status);
        assert!(canonicals(&res.body).is_empty(), "{path} names a canonical address");
    }
    let (_, mut student) = app.signed_in("s@example.ru", "Ученица", Role::Student).await;
    for path in ["/my/enrollments", "/my/portfolio", "/my/reviews", "/my/profile"] {
        assert!(is_noindex(&student.get(path).await.body), "{path}");
    }
}

async fn filtered_schedules_point_at_the_schedule(app: TestApp) {
    let site = site(&app);
    for view in ["/courses?format=pair", "/courses?view=week", "/courses?teacher=1&day=2", "/courses?view=week&week=2026-12-07"] {
        let html = app.get(view).await.body;
        assert_eq!(canonicals(&html), [format!("{site}courses")], "{view}");
        assert!(is_noindex(&html), "{view} is not indexed on its own");
    }
    let html = app.get("/courses").await.body;
    assert!(!is_noindex(&html));
}

async fn readable_addresses_move_with_their_titles_and_old_ones_lead_on(app: TestApp) {
    let (_, mut office) = app.signed_in("office@example.ru", "Ольга Белова", Role::Admin).await;
    let teacher = kulisy::server::entities::teacher::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    use sea_orm::EntityTrait;
    let today = chrono::Local::now().date_naive();
    let (start, end) = ((today + chrono::Duration::days(7)).to_string(), (today + chrono::Duration::days(60)).to_string());
    let form = |id: &str, title: &str| -> Vec<(&'static str, String)> {
        vec![
            ("id", id.to_string()),
            ("course[title]", title.to_string()),
            ("course[description]", "Курс для начинающих.".into()),
            ("course[capacity]", "8".into()),
            ("course[term_start]", start.clone()),
            ("course[term_end]", end.clone()),
            ("course[personal]", "on".into()),
            ("course[published]", "on".into()),
            ("course[teachers][0]", teacher.id.to_string()),
            ("course[slots][0][weekday]", "3".into()),
            ("course[slots][0][starts_at]", "19:00".into()),
            ("course[slots][0][minutes]", "90".into()),
            ("course[slots][0][room]", "Зал".into()),
        ]
    };
    let newest_course = async || {
        use sea_orm::{QueryOrder, EntityTrait};
        let c = kulisy::server::entities::course::Entity::find().order_by_desc(kulisy::server::entities::course::Column::Id).one(&app.state.db).await;
        c.unwrap().unwrap().id
    };
    async fn save(b: &mut common::Browser<'_>, form: Vec<(&'static str, String)>) {
        let res = b.submit("/api/admin/courses/save", &form).await;
        assert!(res.ok(), "{}", res.body);
    }
    save(&mut office, form("", "Сценический бой: шпага")).await;
    let id = newest_course().await;
    let first = "/courses/scenicheskij-boj-shpaga";
    assert_eq!(app.get(first).await.status, 200);
    // Its number leads to its name.
    let by_number = app.get(&format!("/courses/{id}")).await;
    assert_eq!((by_number.status.as_u16(), by_number.header("location")), (301, first));
    // A second course of the same title gets a name of its own.
    save(&mut office, form("", "Сценический бой: шпага")).await;
    let twin = newest_course().await;
    assert_eq!(app.get(&format!("/courses/{twin}")).await.header("location"), "/courses/scenicheskij-boj-shpaga-2");

    // Renamed: the new name answers, the old one leads to it.
    save(&mut office, form(&id.to_string(), "Сценический бой: рапира")).await;
    let renamed = "/courses/scenicheskij-boj-rapira";
    assert_eq!(app.get(renamed).await.status, 200);
    let old = app.get(first).await;
    assert_eq!((old.status.as_u16(), old.header("location")), (301, renamed));
    assert_eq!(app.get(&format!("{first}?utm_source=vk")).await.header("location"), format!("{renamed}?utm_source=vk"));
    // The twin does not take the name the first one had.
    save(&mut office, form(&twin.to_string(), "Сценический бой: шпага")).await;
    assert_eq!(app.get(&format!("/courses/{twin}")).await.header("location"), "/courses/scenicheskij-boj-shpaga-2");
    // Renamed back: the old name is its own again.
    save(&mut office, form(&id.to_string(), "Сценический бой: шпага")).await;
    assert_eq!(app.get(first).await.status, 200);
    assert_eq!(app.get(renamed).await.header("location"), first);

    // Deleted: every address it had says it is gone, with a way on.
    assert!(office.call("/api/admin/courses/remove", &[("id", &id.to_string())]).await.ok());
    for gone in [first, renamed] {
        let res = app.get(gone).await;
        assert_eq!(res.status, 410, "{gone}");
        assert!(res.body.contains("Снято с расписания") && res.body.contains(r#"href="/courses""#));
        assert!(is_noindex(&res.body));
    }
    assert_eq!(app.get(&format!("/courses/{id}")).await.status, 404);
    assert!(!sitemap_paths(&app).await.iter().any(|p| p == first));

    // Shows: named, renamed, deleted.
    let show = |id: &str, title: &str| {
        vec![
            ("id", id.to_string()),
            ("title", title.to_string()),
            ("starts_at", format!("{}T19:00", today + chrono::Duration::days(20))),
            ("venue", "Малая сцена".to_string()),
            ("description", "Спектакль выпускников.".to_string()),
        ]
    };
    let res = office.submit("/api/admin/shows/save", &show("", "Чайка")).await;
    assert!(res.ok(), "{}", res.body);
    let show_id = {
        use sea_orm::{QueryOrder, EntityTrait};
        let s = kulisy::server::entities::show::Entity::find().order_by_desc(kulisy::server::entities::show::Column::Id).one(&app.state.db).await;
        s.unwrap().unwrap().id.to_string()
    };
    assert_eq!(app.get("/afisha/chajka").await.status, 200);
    assert!(sitemap_paths(&app).await.iter().any(|p| p == "/afisha/chajka"));
    assert!(office.submit("/api/admin/shows/save", &show(&show_id, "Чайка. Премьера")).await.ok());
    assert_eq!(app.get("/afisha/chajka").await.header("location"), "/afisha/chajka-premera");
    assert!(office.call("/api/admin/shows/delete", &[("id", &show_id)]).await.ok());
    assert_eq!(app.get("/afisha/chajka").await.status, 410);
    assert_eq!(app.get("/afisha/chajka-premera").await.status, 410);

    // Unknown or malformed addresses are missing pages, never errors.
    for missing in ["/courses/net-takogo", "/courses/Rech", "/courses/a--b", "/afisha/%3Cscript%3E", "/teachers/999999"] {
        assert_eq!(app.get(missing).await.status, 404, "{missing}");
    }
}

async fn a_teacher_renamed_keeps_their_page_and_leaving_forgets_the_old_name(app: TestApp) {
    let (u, mut t) = app.signed_in("lebedeva@example.ru", "Анна Лебедева", Role::Student).await;
    let (_, mut office) = app.signed_in("office@example.ru", "Ольга Белова", Role::Admin).await;
    assert!(office.call("/api/admin/people/role", &[("id", &u.id.to_string()), ("role", "teacher")]).await.ok());
    assert_eq!(app.get("/teachers/anna-lebedeva").await.status, 200);
    let res = t.call("/api/account/profile/update", &[("full_name", "Анна Сергеевна Лебедева"), ("phone", ""), ("contacts", ""), ("about", "")]).await;
    assert!(res.ok(), "{}", res.body);
    assert_eq!(app.get("/teachers/anna-lebedeva").await.header("location"), "/teachers/anna-sergeevna-lebedeva");
    assert_eq!(app.get("/teachers/anna-sergeevna-lebedeva").await.status, 200);
    let res = office.call("/api/admin/person/delete", &[("id", &u.id.to_string()), ("confirm", "on")]).await;
    assert!(res.ok(), "{}", res.body);
    let kept = kulisy::server::entities::former_address::Entity::find().all(&app.state.db).await.unwrap();
    use sea_orm::EntityTrait;
    assert!(!kept.iter().any(|f| f.slug.contains("lebedeva")), "the name went with the account: {kept:?}");
    assert_eq!(app.get("/teachers/anna-lebedeva").await.status, 404);
}

async fn markup_in_a_title_stays_text_in_every_place_it_lands(app: TestApp) {
    let title = r#"</script><script>alert(1)</script>"Лир" & 'сын'"#;
    let c = app.course(title, 5, 3, 4).await;
    let page = app.page(&format!("/courses/{}", c.id)).await;
    assert_eq!(page.status, 200);
    let html = &page.body;
    assert!(!html.contains("<script>alert(1)"), "markup ran");
    assert_eq!(meta(html, "property", "og:title"), [title]);
    assert_eq!(meta(html, "name", "twitter:title"), [title]);
    let data = structured(html);
    assert_eq!(of_type(&data, "Course")["name"], title);
    let text = &html[html.find(r#"<script type="application/ld+json""#).unwrap()..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</script>").unwrap()];
    assert!(!text.contains('<'), "no tag inside the data block");
}

/// A school from before readable addresses: its records get theirs at start.
async fn records_without_an_address_get_one_at_start(app: TestApp) {
    let c = app.course("Сценическая речь", 5, 3, 4).await;
    let twin = app.course("Сценическая речь", 5, 3, 4).await;
    assert_eq!(app.get(&format!("/courses/{}", c.id)).await.status, 200, "its number is its address meanwhile");
    kulisy::server::addresses::settle_missing(&app.state.db).await.unwrap();
    let moved = app.get(&format!("/courses/{}", c.id)).await;
    assert_eq!((moved.status.as_u16(), moved.header("location")), (301, "/courses/scenicheskaya-rech"));
    assert_eq!(app.get(&format!("/courses/{}", twin.id)).await.header("location"), "/courses/scenicheskaya-rech-2");
    assert_eq!(app.get(&format!("/teachers/{}", c.teacher_id)).await.header("location"), "/teachers/irina-sokolova");
    assert_eq!(app.get(&format!("/teachers/{}", twin.teacher_id)).await.header("location"), "/teachers/irina-sokolova-2");
    // Again: nothing moves.
    kulisy::server::addresses::settle_missing(&app.state.db).await.unwrap();
    assert_eq!(app.get("/courses/scenicheskaya-rech").await.status, 200);
}

both_databases!(spawn, records_without_an_address_get_one_at_start);

async fn crawlers_revalidate_public_pages_cheaply(app: TestApp) {
    let first = app.get("/afisha").await;
    assert_eq!(first.status, 200);
    let modified = first.header("last-modified").to_string();
    let etag = first.header("etag").to_string();
    assert!(httpdate::parse_http_date(&modified).is_ok(), "{modified}");
    let again = app
        .send(axum::http::Request::get("/afisha").header("if-modified-since", &modified).body(axum::body::Body::empty()).unwrap())
        .await;
    assert_eq!(again.status, 304);
    let by_tag = app.send(axum::http::Request::get("/afisha").header("if-none-match", &etag).body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(by_tag.status, 304);
    // The sitemap, read from the whole school, is built once and kept too.
    let before = app.queries.load(std::sync::atomic::Ordering::SeqCst);
    let sitemap = app.get("/sitemap.xml").await;
    let built = app.queries.load(std::sync::atomic::Ordering::SeqCst);
    assert!(built > before && sitemap.body.contains("<urlset"));
    let again = app.get("/sitemap.xml").await;
    assert_eq!(app.queries.load(std::sync::atomic::Ordering::SeqCst), built, "served from memory");
    assert_eq!((again.body.as_str(), again.header("etag")), (sitemap.body.as_str(), sitemap.header("etag")));
    assert!(again.header("content-type").starts_with("application/xml"));
}

both_databases!(
    spawn_demo,
    robots_txt_keeps_crawlers_to_the_public_pages,
    the_sitemap_and_a_crawl_from_home_find_the_same_pages,
    every_public_page_has_its_card_and_structured_data,
    filtered_schedules_point_at_the_schedule,
    private_and_error_pages_are_not_indexed,
    readable_addresses_move_with_their_titles_and_old_ones_lead_on,
    a_teacher_renamed_keeps_their_page_and_leaving_forgets_the_old_name,
    markup_in_a_title_stays_text_in_every_place_it_lands,
);

async fn spawn_cached(backend: common::Backend) -> TestApp {
    let app = TestApp::spawn_with(backend, &[("KULISY_PAGE_CACHE_MS", "60000")]).await;
    assert!(kulisy::server::seed::ensure_demo_school(&app.state.db, app.state.config.time_zone).await.unwrap());
    app
}

mod revalidation {
    use super::*;
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        crawlers_revalidate_public_pages_cheaply(spawn_cached(common::Backend::Sqlite).await).await
    }
}
