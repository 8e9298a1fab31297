//! The security baseline every response passes through: a nonce-based
//! Content-Security-Policy for pages, anti-sniffing and referrer headers,
//! refusal of state-changing requests from other origins, and body limits.
use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use leptos::prelude::use_context;
use tower_http::{
    compression::{
        CompressionLayer,
        predicate::{DefaultPredicate, NotForContentType, Predicate},
    },
    limit::RequestBodyLimitLayer,
};

/// Largest request body accepted by default. Upload routes set their own
/// limits (see [`limit_bodies`]).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Policy for anything that is not a page: nothing may load from it.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of an HTML page whose scripts carry `nonce`: only the scripts
/// the application writes run (they alone are given the nonce).
pub fn csp_for_page(nonce: &str) -> String {
    page_policy(&format!(" 'nonce-{nonce}'"))
}

/// The policy of a page rendered for a request: naming the nonce the
/// request's scripts were given (see [`PageNonce`]); without one, no inline
/// script runs.
pub fn page_policy_for(nonce: Option<&PageNonce>) -> HeaderValue {
    let policy = nonce.map_or_else(|| page_policy(""), |nonce| csp_for_page(nonce.as_str()));
    HeaderValue::from_str(&policy).expect("an ASCII policy")
}

fn page_policy(inline_scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'{inline_scripts} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The nonce a request's page gives its scripts, made by `security_headers`
/// before anything renders. The page's scripts and its policy both take it
/// from here, so the policy names the scripts' nonce even when the header the
/// render sets does not reach the response (seen twice in the browser tests:
/// a signed-in page arrived with the policy of a non-page, and could not start).
#[derive(Clone, Debug)]
pub struct PageNonce(std::sync::Arc<str>);

impl PageNonce {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Runs in the reactive context of every rendered page: the request's user
/// slot (see `auth::current_user`), the request's nonce for the hydration
/// scripts (in place of the one leptos_axum made), and the policy naming it.
pub fn page_context() {
    super::auth::provide_request_user();
    if let Some(PageNonce(nonce)) =
        use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&csp_for_page(nonce.as_inner())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = PageNonce(leptos::nonce::Nonce::new().as_inner().clone());
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // JSON answers are someone's own data (a profile, a list of requests):
    // no cache, the browser's included, keeps them.
    if h.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json")) {
        h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A 304 carries no policy: the browser would put it on the copy it kept,
    // whose scripts match the policy that copy came with.
    // A page without the render's own policy gets the one naming the nonce
    // its scripts were given (see `PageNonce`); anything else, none at all.
    if res.status() != StatusCode::NOT_MODIFIED && !res.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        let is_page = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let policy = if is_page { page_policy_for(Some(&nonce)) } else { HeaderValue::from_static(DEFAULT_CSP) };
        res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    res
}

/// The host (and port) of an absolute address: `https://a.ru:8443/x` → `a.ru:8443`.
fn authority_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// Whether a request that changes state comes from our own pages.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`, `Origin`
/// or `Referer` (in that order of trust). A request with none of them is
/// not from a browser page an attacker controls, or from a browser old
/// enough to hide all three: it passes only with a body a form or our
/// script sends (a form, or JSON). `text/plain` is refused, being what a
/// foreign page can post anywhere without asking.
pub fn is_same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let host = text("host");
    if let Some(origin) = text("origin") {
        return host.is_some() && authority_of(origin) == host;
    }
    if let Some(referer) = text("referer") {
        return host.is_some() && authority_of(referer) == host;
    }
    let content_type = text("content-type").unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(essence.as_str(), "application/x-www-form-urlencoded" | "multipart/form-data" | "application/json")
}

async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    if is_same_origin(req.method(), req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(uri = %req.uri(), "refused a cross-origin state-changing request");
    own_words(StatusCode::FORBIDDEN, "Запрос с другого сайта отклонён.")
}

/// Whether `location` leads to a page of this site (`host`): a path of
/// our own, or an absolute address of our own host. `//evil.example` and
/// `/\evil.example` are other sites to a browser. A proxy may pass the
/// host without its port (nginx's `$host`): the name alone then decides.
pub fn is_own_location(location: &str, host: Option<&str>) -> bool {
    if let Some(path) = location.strip_prefix('/') {
        return !path.starts_with(['/', '\\']);
    }
    let scheme_ok = location.starts_with("https://") || location.starts_with("http://");
    let (Some(authority), Some(host)) = (authority_of(location), host) else { return false };
    scheme_ok && (authority == host || (!host.contains(':') && host_name(authority) == host))
}

/// `a.ru:8443` → `a.ru`.
fn host_name(authority: &str) -> &str {
    match authority.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => authority,
    }
}

/// Redirects go only to this site's own pages: leptos sends a failed plain
/// form back to whatever `Referer` the request named, which may be foreign.
async fn keep_redirects_home(req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).cloned();
    let mut res = next.run(req).await;
    let host = host.as_ref().and_then(|h| h.to_str().ok());
    let foreign = res
        .headers()
        .get(header::LOCATION)
        .is_some_and(|l| !l.to_str().is_ok_and(|l| is_own_location(l, host)));
    if foreign {
        tracing::warn!("a redirect to another site was turned to the home page");
        res.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    res
}

/// Marks a plain-text error whose words are ours (Russian, safe to show).
#[derive(Clone, Copy)]
struct OwnWords;

/// A short plain-text answer in our own words.
fn own_words(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response();
    res.extensions_mut().insert(OwnWords);
    res
}

/// What a failed request is told when the code that refused it said nothing
/// fit to show (axum's "Invalid URL: Cannot parse…", an empty 404 …).
fn words_for(status: StatusCode) -> String {
    use crate::error::AppError;
    let words = match status.as_u16() {
        400 | 422 => return AppError::BadRequest.to_string(),
        401 => return AppError::Unauthenticated.to_string(),
        403 => return AppError::Forbidden.to_string(),
        404 | 410 => return AppError::NotFound.to_string(),
        405 => "Такой запрос здесь не принимается.",
        408 => "Запрос шёл слишком долго. Попробуйте снова.",
        413 => "Слишком большой запрос.",
        415 => "Неподдерживаемый формат данных.",
        416 => "Запрошенная часть файла недоступна.",
        429 => return AppError::TooManyRequests.to_string(),
        503 => return AppError::Unavailable.to_string(),
        500..=599 => return AppError::Internal.to_string(),
        _ => "Запрос не выполнен.",
    };
    words.to_string()
}

/// Every failed answer that is not a page or JSON of ours says what
/// happened in Russian, never in the words of a library.
async fn plain_errors_in_russian(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_error = status.is_client_error() || status.is_server_error();
    let kind = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let plain = kind.is_empty() || kind.starts_with("text/plain");
    if !is_error || !plain || res.extensions().get::<OwnWords>().is_some() {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    Response::from_parts(parts, axum::body::Body::from(words_for(status)))
}

/// On an https site every cookie the application sets is `Secure`: the
/// session, the flash message, the sign-in ticket, whoever set it.
pub async fn secure_cookies(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if state.config.site_url.scheme() != "https" || !res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let cookies: Vec<HeaderValue> = res.headers().get_all(header::SET_COOKIE).iter().cloned().collect();
    res.headers_mut().remove(header::SET_COOKIE);
    for cookie in cookies {
        let text = cookie.to_str().unwrap_or_default();
        let secure = if text.to_ascii_lowercase().contains("; secure") {
            cookie
        } else {
            HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
        };
        res.headers_mut().append(header::SET_COOKIE, secure);
    }
    res
}

/// Refuses bodies past [`MAX_BODY_BYTES`] on every route of `router`;
/// routes that take large uploads are merged after it and count for
/// themselves.
pub fn limit_bodies<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    router.layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
}

/// Wraps the whole router (the last layer added runs first).
pub fn protect<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    // Video is compressed already, and a compressed body would break the
    // byte ranges a player seeks with.
    let compressible = DefaultPredicate::new().and(NotForContentType::const_new("video/"));
    router
        .layer(super::observe::panic_guard())
        .layer(CompressionLayer::new().compress_when(compressible))
        .layer(middleware::from_fn(plain_errors_in_russian))
        .layer(middleware::from_fn(keep_redirects_home))
        .layer(middleware::from_fn(refuse_cross_origin))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(super::observe::trace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_are_always_allowed() {
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(is_same_origin(&Method::GET, &h));
    }

    #[test]
    fn writes_need_the_same_origin() {
        let post = Method::POST;
        assert!(is_same_origin(&post, &headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_origin(&post, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_origin(&post, &headers(&[("sec-fetch-site", "same-site")])));
        let own = headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]);
        assert!(is_same_origin(&post, &own));
        let evil = headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]);
        assert!(!is_same_origin(&post, &evil));
        assert!(!is_same_origin(&post, &headers(&[("origin", "null"), ("host", "a")])));
    }

    #[test]
    fn without_origin_the_referer_decides() {
        let post = Method::POST;
        let own = headers(&[("referer", "http://a.ru:3000/my/profile?x=1"), ("host", "a.ru:3000")]);
        assert!(is_same_origin(&post, &own));
        let foreign = headers(&[("referer", "https://evil.example/a.ru:3000"), ("host", "a.ru:3000")]);
        assert!(!is_same_origin(&post, &foreign));
        let lookalike = headers(&[("referer", "https://a.ru:3000.evil.example/"), ("host", "a.ru:3000")]);
        assert!(!is_same_origin(&post, &lookalike));
    }

    #[test]
    fn without_any_provenance_only_forms_and_json_pass() {
        let post = Method::POST;
        for ok in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json"] {
            assert!(is_same_origin(&post, &headers(&[("content-type", ok)])), "{ok}");
        }
        for refused in ["text/plain", "text/plain; charset=utf-8", ""] {
            assert!(!is_same_origin(&post, &headers(&[("content-type", refused)])), "{refused}");
        }
        assert!(!is_same_origin(&post, &HeaderMap::new()));
    }

    #[test]
    fn redirects_stay_on_this_site() {
        let host = Some("a.ru:3000");
        for own in ["/", "/my/profile?__err=x", "http://a.ru:3000/x", "https://a.ru:3000/"] {
            assert!(is_own_location(own, host), "{own}");
        }
        assert!(is_own_location("https://a.ru:8443/login", Some("a.ru")), "nginx's $host has no port");
        assert!(!is_own_location("https://a.ru.evil:8443/login", Some("a.ru")));
        for foreign in ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil", "http://a.ru:3000.evil/"] {
            assert!(!is_own_location(foreign, host), "{foreign}");
        }
    }

    #[test]
    fn every_error_status_has_russian_words() {
        for code in [400, 401, 403, 404, 405, 413, 415, 416, 422, 429, 500, 502, 503, 418] {
            let words = words_for(StatusCode::from_u16(code).unwrap());
            assert!(words.chars().any(|c| ('а'..='я').contains(&c)), "{code}: {words}");
        }
    }

    #[test]
    fn page_policy_names_the_nonce_and_forbids_framing() {
        let csp = csp_for_page("abc123");
        assert!(csp.contains("'nonce-abc123'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
