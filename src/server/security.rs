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
    trace::TraceLayer,
};

/// Largest request body accepted by default. Upload routes set their own
/// limits (see [`limit_bodies`]).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Policy for anything that is not a page: nothing may load from it.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of an HTML page whose scripts carry `nonce`.
pub fn csp_for_page(nonce: &str) -> String {
    csp_allowing_scripts(&format!("'nonce-{nonce}'"))
}

/// The policy of an HTML page whose inline scripts are those that `sources`
/// allows (a nonce, or the hashes of the scripts of a kept page).
pub fn csp_allowing_scripts(sources: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {sources} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Runs in the reactive context of every rendered page: the request's user
/// slot (see `auth::current_user`), and the policy. leptos_axum has put a
/// fresh nonce there for the hydration scripts; the header names the same one.
pub fn page_context() {
    super::auth::provide_request_user();
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

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A 304 carries no policy: the browser would put it on the copy it kept,
    // whose scripts match the policy that copy came with.
    if res.status() != StatusCode::NOT_MODIFIED {
        res.headers_mut().entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(DEFAULT_CSP));
    }
    res
}

/// Whether a request that changes state comes from our own pages. Browsers
/// send `Sec-Fetch-Site` or `Origin` with every such request; clients that
/// send neither (curl, the test suite) are not browsers and carry no
/// ambient cookies an attacker could ride on.
pub fn is_same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            host.is_some() && origin_host == host
        }
    }
}

async fn refuse_cross_origin(req: Request, next: Next) -> Response {
    if is_same_origin(req.method(), req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(uri = %req.uri(), "refused a cross-origin state-changing request");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Запрос с другого сайта отклонён.",
    )
        .into_response()
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
        .layer(CompressionLayer::new().compress_when(compressible))
        .layer(middleware::from_fn(refuse_cross_origin))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http())
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
        assert!(is_same_origin(&post, &HeaderMap::new()));
    }

    #[test]
    fn page_policy_names_the_nonce_and_forbids_framing() {
        let csp = csp_for_page("abc123");
        assert!(csp.contains("'nonce-abc123'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
