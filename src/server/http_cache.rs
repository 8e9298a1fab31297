//! How long browsers and the server itself may keep what they were sent.
//!
//! - Built CSS, JS and wasm carry a content hash in their names (see
//!   `with_built_assets`): browsers keep them for a year without asking.
//! - Public pages for visitors who are not signed in are rendered at most
//!   once a second per address and served from memory in between, with an
//!   `ETag`, so a browser that has the page gets a bodiless 304.
//! - Every other page is `private, no-cache`: never kept by a shared cache.
//!
//! Why a second (`KULISY_PAGE_CACHE_MS`) and not "until the data changes": the schedule's free seats
//! change with every booking, and a change counter every booking had to
//! update would make all bookings of the school queue on one row. A visitor
//! who is not signed in sees seats at most a second old; booking itself
//! always counts seats under the course's lock, and everyone signed in gets
//! a fresh page.
//!
//! Every response still gets its own CSP nonce: the page is kept cut at the
//! nonce it was rendered with, and a new one is put into the cuts each time.
use super::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// All kept pages together; past it, new pages are served but not kept.
const BUDGET_BYTES: usize = 32 * 1024 * 1024;
/// Larger pages are not kept.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// The pages that look the same to every visitor who is not signed in.
/// Personal pages, forms and the students' portfolios (whose items can be
/// made private at any moment) are not among them.
pub fn is_public_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let is_id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match segments.as_slice() {
        [""] | ["courses"] | ["afisha"] => true,
        ["courses" | "afisha" | "teachers", id] => is_id(id),
        _ => false,
    }
}

/// Whether the request carries any of our cookies (a session, a message to
/// show, a sign-in step): then the page may differ from the public one.
fn has_our_cookies(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim_start().starts_with("kulisy_"))
}

/// A rendered page cut where its nonce was.
struct Page {
    rendered_at: Instant,
    pieces: Vec<Bytes>,
    etag: HeaderValue,
    content_type: HeaderValue,
}

impl Page {
    fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    /// The page with a fresh nonce, or 304 if the browser has it already.
    fn respond(&self, if_none_match: Option<&HeaderValue>) -> Response {
        let mut res = if if_none_match == Some(&self.etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let nonce = leptos::nonce::Nonce::new();
            let mut body = Vec::with_capacity(self.len() + self.pieces.len() * nonce.len());
            for (i, piece) in self.pieces.iter().enumerate() {
                if i > 0 {
                    body.extend_from_slice(nonce.as_bytes());
                }
                body.extend_from_slice(piece);
            }
            let mut res = Response::new(Body::from(body));
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Ok(csp) = HeaderValue::from_str(&super::security::csp_for_page(&nonce)) {
                h.insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            res
        };
        let h = res.headers_mut();
        h.insert(header::ETAG, self.etag.clone());
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        h.insert(header::VARY, HeaderValue::from_static("Cookie"));
        res
    }
}

/// The nonce that the page's policy names.
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let csp = headers.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let (_, rest) = csp.split_once("'nonce-")?;
    let (nonce, _) = rest.split_once('\'')?;
    (nonce.len() >= 16).then(|| nonce.to_string())
}

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, std::sync::Arc<Page>>>,
}

impl PageCache {
    fn fresh(&self, key: &str, lifetime: Duration) -> Option<std::sync::Arc<Page>> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.get(key).filter(|p| p.rendered_at.elapsed() < lifetime).cloned()
    }

    fn keep(&self, key: String, page: std::sync::Arc<Page>, lifetime: Duration) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.retain(|_, p| p.rendered_at.elapsed() < lifetime);
        let used: usize = pages.values().map(|p| p.len()).sum();
        if used + page.len() <= BUDGET_BYTES {
            pages.insert(key, page);
        }
    }
}

/// Middleware: the rules at the head of this module.
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with(&format!("/{}/", state.leptos.site_pkg_dir)) {
        let lifetime = if state.leptos.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
        let mut res = next.run(req).await;
        if res.status().is_success() {
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
        }
        return res;
    }
    let cacheable = req.method() == Method::GET
        && is_public_page(req.uri().path())
        && !has_our_cookies(req.headers());
    if !cacheable {
        let mut res = next.run(req).await;
        if is_html(res.headers()) {
            res.headers_mut()
                .entry(header::CACHE_CONTROL)
                .or_insert(HeaderValue::from_static("private, no-cache"));
        }
        return res;
    }
    let key = req.uri().to_string();
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let lifetime = state.config.public_page_lifetime;
    if let Some(page) = state.pages.fresh(&key, lifetime) {
        return page.respond(if_none_match.as_ref());
    }
    let res = next.run(req).await;
    let (parts, body) = res.into_parts();
    let keepable = parts.status == StatusCode::OK
        && is_html(&parts.headers)
        && !parts.headers.contains_key(header::SET_COOKIE);
    let (Some(nonce), true) = (nonce_of(&parts.headers), keepable) else {
        return Response::from_parts(parts, body);
    };
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let pieces: Vec<Bytes> = {
        let mut pieces = Vec::new();
        let mut start = 0;
        for at in memchr::memmem::find_iter(&bytes, nonce.as_bytes()) {
            pieces.push(bytes.slice(start..at));
            start = at + nonce.len();
        }
        pieces.push(bytes.slice(start..));
        pieces
    };
    let etag = {
        let mut digest = Sha256::new();
        for piece in &pieces {
            digest.update(piece);
            digest.update([0]);
        }
        let hex: String = digest.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect();
        HeaderValue::from_str(&format!("\"{hex}\"")).expect("hex is a valid header value")
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned().expect("checked by is_html");
    let page = std::sync::Arc::new(Page { rendered_at: Instant::now(), pieces, etag, content_type });
    if !lifetime.is_zero() {
        state.pages.keep(key, page.clone(), lifetime);
    }
    page.respond(if_none_match.as_ref())
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_pages_are_the_catalogue_and_the_afisha() {
        for path in ["/", "/courses", "/courses/12", "/afisha", "/afisha/3", "/teachers/4"] {
            assert!(is_public_page(path), "{path}");
        }
        for path in [
            "/courses/12/enroll", "/my/enrollments", "/students/3/portfolio", "/login", "/admin",
            "/courses/x", "/teachers/", "/api/enrollments/seats", "/pkg/kulisy.css",
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

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let mut h = HeaderMap::new();
        let csp = crate::server::security::csp_for_page("AbCdEfGhIjKlMnOpQrStUv");
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).unwrap());
        assert_eq!(nonce_of(&h).as_deref(), Some("AbCdEfGhIjKlMnOpQrStUv"));
    }
}
