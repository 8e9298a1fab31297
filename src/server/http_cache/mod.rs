//! How long browsers and the server itself may keep what they were sent.
//!
//! - Built CSS, JS and wasm carry a content hash in their names (see
//!   `with_built_assets`): browsers keep them for a year without asking.
//! - Public pages for visitors who are not signed in are rendered at most
//!   once a second per address (`KULISY_PAGE_CACHE_MS`) and kept in memory,
//!   compressed once, with an `ETag` and a `Last-Modified` (when the page
//!   last rendered differently), so a browser or a crawler that has the
//!   page gets a bodiless 304 — from any process: the tag is the page's
//!   bytes without its nonce ([`page::tag_of`]).
//! - Every other page is `private, no-cache`: never kept by a shared cache.
//!
//! Why a second and not "until the data changes": the schedule's free seats
//! change with every booking, and a change counter every booking had to
//! update would make all bookings of the school queue on one row. A visitor
//! who is not signed in sees seats at most a second old; booking itself
//! always counts seats under the course's lock, and everyone signed in gets
//! a fresh page.
//!
//! A kept page is the same bytes for everyone, so it keeps the policy of the
//! render that made it: the nonce that render gave to the scripts the
//! application writes. A script that came in through stored text carries no
//! nonce and does not run. (Hashing whatever inline scripts a render holds
//! would allow an injected one too.)
mod page;

use super::AppState;
use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use page::Page;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, atomic::Ordering},
    time::Duration,
};

/// All kept pages together; past it, new pages are served but not kept.
const BUDGET_BYTES: usize = 32 * 1024 * 1024;
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;
/// While one request renders a page anew, the others get the page as it was,
/// for at most this long past its lifetime (then they render too).
const STALE_GRACE: Duration = Duration::from_secs(10);

/// The pages that look the same to every visitor who is not signed in.
/// Personal pages, forms and the students' portfolios (whose items can be
/// made private at any moment) are not among them.
pub fn is_public_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        // The sitemap is read from the whole school: a flood of requests
        // for it costs one build a second.
        [""] | ["courses"] | ["afisha"] | ["sitemap.xml"] => true,
        ["courses" | "afisha" | "teachers", address] => crate::domain::address::is_slug(address),
        _ => false,
    }
}

/// A public page asked for by a visitor who is not signed in: the same page
/// for every such visitor.
fn looks_the_same_to_every_visitor(path: &str, headers: &HeaderMap) -> bool {
    is_public_page(path) && !has_our_cookies(headers)
}

/// Whether the request carries any of our cookies (a session, a message to
/// show, a sign-in step): then the page may differ from the public one.
fn has_our_cookies(headers: &HeaderMap) -> bool {
    super::flash::cookies_in(headers).any(|(name, _)| name.starts_with("kulisy_"))
}

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, Arc<Page>>>,
    /// One lock per address being rendered right now (see [`PageCache::render_turn`]).
    renders: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// A request's turn to render one address; the address leaves the table of
/// renders with the last request that waited for it.
struct RenderTurn<'a> {
    cache: &'a PageCache,
    key: &'a str,
    lock: Option<Arc<tokio::sync::Mutex<()>>>,
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for RenderTurn<'_> {
    fn drop(&mut self) {
        // The guard holds the lock too: let it go first.
        drop(self.turn.take());
        let mut renders = self.cache.renders.lock().unwrap_or_else(|e| e.into_inner());
        // Two holders left: the table and this turn; nobody else is waiting.
        if self.lock.take().is_some_and(|lock| Arc::strong_count(&lock) == 2) {
            renders.remove(self.key);
        }
    }
}

impl PageCache {
    /// Waits until no other request is rendering `key`. Requests for a page
    /// that is not kept (the first ones after a start, or after it was
    /// dropped) would otherwise all render it at once: 64 connections made
    /// 64 renders, a 650 ms tail and 250 MB of memory. Now one renders and
    /// the others are served what it kept.
    async fn render_turn<'a>(&'a self, key: &'a str) -> RenderTurn<'a> {
        let lock = {
            let mut renders = self.renders.lock().unwrap_or_else(|e| e.into_inner());
            renders.entry(key.to_string()).or_default().clone()
        };
        let turn = lock.clone().lock_owned().await;
        RenderTurn { cache: self, key, lock: Some(lock), turn: Some(turn) }
    }

    fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn keep(&self, key: String, page: Arc<Page>, lifetime: Duration) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|_, p| p.rendered_at.elapsed() < lifetime + STALE_GRACE);
        let used: usize = pages.values().map(|p| p.size()).sum();
        if used + page.size() <= BUDGET_BYTES {
            pages.insert(key, page);
        }
    }

    fn forget(&self, key: &str) {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// Middleware: the rules at the head of this module.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let pkg = req.uri().path().strip_prefix('/').and_then(|p| p.strip_prefix(&*state.leptos.site_pkg_dir));
    if pkg.is_some_and(|rest| rest.starts_with('/')) {
        let lifetime = if state.leptos.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
        let mut res = next.run(req).await;
        if res.status().is_success() {
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
        }
        return res;
    }
    let lifetime = state.config.public_page_lifetime;
    let cacheable = !lifetime.is_zero()
        && req.method() == Method::GET
        && looks_the_same_to_every_visitor(req.uri().path(), req.headers());
    if !cacheable {
        return personal(next.run(req).await);
    }
    let key = req.uri().to_string();
    let servable = |page: &Page| {
        let age = page.rendered_at.elapsed();
        // Fresh; or someone else is already rendering it anew.
        age < lifetime || (age < lifetime + STALE_GRACE && page.refreshing.swap(true, Ordering::AcqRel))
    };
    if let Some(page) = state.pages.get(&key).filter(|page| servable(page)) {
        return page.respond(req.headers());
    }
    let _turn = state.pages.render_turn(&key).await;
    // Whoever rendered while this request waited may have kept the page.
    if let Some(page) = state.pages.get(&key).filter(|page| page.rendered_at.elapsed() < lifetime) {
        return page.respond(req.headers());
    }
    let request_headers = req.headers().clone();
    let nonce = req.extensions().get::<super::security::PageNonce>().cloned();
    let (parts, body) = next.run(req).await.into_parts();
    let keepable = parts.status == StatusCode::OK
        && (is_html(&parts.headers) || is_of_type(&parts.headers, "application/xml"))
        && !parts.headers.contains_key(header::SET_COOKIE)
        && !parts.headers.contains_key(header::CONTENT_ENCODING);
    if !keepable {
        state.pages.forget(&key);
        return personal(Response::from_parts(parts, body));
    }
    let Ok(html) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        state.pages.forget(&key);
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned().expect("checked above");
    // The render's own policy; when its header did not reach the response
    // (seen under load), the one naming the nonce this request's scripts
    // were given — not one without it, which would stop the kept page's
    // scripts for everyone it is sent to.
    let policy = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .cloned()
        .unwrap_or_else(|| super::security::page_policy_for(nonce.as_ref()));
    // Compressing takes a few milliseconds: off the threads that serve requests.
    let old = state.pages.get(&key);
    let made = tokio::task::spawn_blocking(move || Page::make_or_renew(old, html, content_type, policy, nonce.as_ref().map(|n| n.as_str())))
        .await
        .ok()
        .flatten();
    let Some(page) = made.map(Arc::new) else {
        state.pages.forget(&key);
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    state.pages.keep(key.clone(), page.clone(), lifetime);
    page.respond(&request_headers)
}

/// A page that is not the same for everyone: no shared cache may keep it.
fn personal(mut res: Response) -> Response {
    if is_html(res.headers()) {
        res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("private, no-cache"));
    }
    res
}

fn is_html(headers: &HeaderMap) -> bool {
    is_of_type(headers, "text/html")
}

fn is_of_type(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(media_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_pages_are_the_catalogue_and_the_afisha() {
        for path in ["/", "/courses", "/courses/12", "/courses/scenicheskaya-rech", "/afisha", "/afisha/3", "/teachers/4", "/sitemap.xml"] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/courses/12/enroll", "/my/enrollments", "/students/3/portfolio", "/login", "/admin",
            "/courses/Rech", "/courses/a--b", "/courses/%D1%80", "/teachers/", "/api/enrollments/seats", "/pkg/kulisy.css",
        ] {
            assert!(!is_public_page(path), "{path}");
        }
    }

    #[test]
    fn any_of_our_cookies_means_a_personal_page() {
        let mut h = HeaderMap::new();
        assert!(!has_our_cookies(&h));
        h.insert(header::COOKIE, HeaderValue::from_static("theme=dark; _ga=1"));
        assert!(!has_our_cookies(&h));
        h.insert(header::COOKIE, HeaderValue::from_static("theme=dark; kulisy_flash=s.x"));
        assert!(has_our_cookies(&h));
    }

    /// Every address a request asked for (any query string) passes through
    /// the table of renders: it must leave with the last request.
    #[tokio::test]
    async fn an_address_leaves_the_table_of_renders_with_its_last_request() {
        let cache = PageCache::default();
        let in_table = |cache: &PageCache| cache.renders.lock().unwrap().len();
        drop(cache.render_turn("/courses?a=1").await);
        assert_eq!(in_table(&cache), 0);
        let first = cache.render_turn("/courses?a=2").await;
        let mut second = std::pin::pin!(cache.render_turn("/courses?a=2"));
        assert!(poll_once(second.as_mut()).is_none(), "a second render of the same address at once");
        drop(first);
        assert_eq!(in_table(&cache), 1, "the waiting request still holds its place");
        drop(second.await);
        assert_eq!(in_table(&cache), 0);
    }

    fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
        let waker = std::task::Waker::noop();
        match future.poll(&mut std::task::Context::from_waker(waker)) {
            std::task::Poll::Ready(out) => Some(out),
            std::task::Poll::Pending => None,
        }
    }

}
