//! What each request leaves behind for the operators: an id, one log line,
//! its count and duration in the metrics — and the guards that answer for a
//! request that hangs or panics.
//!
//! The id is the proxy's `X-Request-Id` when it sent a well-formed one (so a
//! request can be followed from nginx's log into ours), a new one otherwise;
//! it is returned in the answer and carried by every log line written while
//! the request runs.
use super::metrics;
use axum::{
    extract::{MatchedPath, Request},
    http::{HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    any::Any,
    sync::{Arc, OnceLock},
    time::{Duration, Instant},
};
use tower_http::{catch_panic::CatchPanicLayer, timeout::TimeoutLayer};
use tracing::Instrument;

const REQUEST_ID: &str = "x-request-id";

/// How long a page or a server function may take before its caller is told
/// to try again (503). Uploads and downloads are not held to it: a video
/// takes as long as the network does.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// The template of the route that answered, written by [`name_route`] for
/// [`trace`] to read — into a slot the request carries, so that it is known
/// even when the handler panicked or ran out of time.
#[derive(Clone, Default)]
struct Route(Arc<OnceLock<String>>);

/// An id from outside is used only if it looks like one: a proxy's UUID or
/// similar, never text that would forge log lines.
fn incoming_id(req: &Request) -> Option<HeaderValue> {
    let value = req.headers().get(REQUEST_ID)?;
    let ok = (8..=64).contains(&value.len())
        && value.as_bytes().iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| value.clone())
}

fn new_id() -> HeaderValue {
    let bits: u128 = rand::random();
    HeaderValue::from_str(&format!("{bits:032x}")).expect("hex is a valid header value")
}

/// The outermost layer: the id, the log line and the metrics of a request.
pub async fn trace(mut req: Request, next: Next) -> Response {
    let id = incoming_id(&req).unwrap_or_else(new_id);
    req.headers_mut().insert(REQUEST_ID, id.clone());
    let route = Route::default();
    req.extensions_mut().insert(route.clone());
    let method = req.method().clone();
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %id.to_str().unwrap_or_default());
    let mut res = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let route = route.0.get().map_or("other", String::as_str);
    let status = res.status().as_u16();
    span.in_scope(|| {
        tracing::info!(method = %method, route, status, ms = took.as_secs_f64() * 1000.0, "request");
    });
    metrics::request(method.as_str(), route, status, took);
    res.headers_mut().insert(REQUEST_ID, id);
    res
}

/// Put on every route (`Router::route_layer`): names the route's template
/// for [`trace`]. Addresses no route matches (files, unknown pages) stay
/// "other".
pub async fn name_route(path: MatchedPath, req: Request, next: Next) -> Response {
    if let Some(Route(slot)) = req.extensions().get::<Route>() {
        let _ = slot.set(path.as_str().to_owned());
    }
    next.run(req).await
}

/// A request that panics is answered 500 (in Russian, by the error layer
/// around this one) and logged with its id; the server goes on.
pub fn panic_guard() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(answer_panic as fn(Box<dyn Any + Send + 'static>) -> Response)
}

fn answer_panic(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// A request still unanswered after [`ANSWER_WITHIN`] gets a 503.
pub fn time_limit() -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, ANSWER_WITHIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_id(value: &str) -> Request {
        Request::builder().header(REQUEST_ID, value).body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn a_proxys_id_is_kept_only_when_it_looks_like_one() {
        assert!(incoming_id(&with_id("0f3a9c2e-1b7d-4e5f-9a8b-7c6d5e4f3a2b")).is_some());
        assert!(incoming_id(&with_id("short")).is_none());
        assert!(incoming_id(&with_id(&"a".repeat(65))).is_none());
        assert!(incoming_id(&with_id("abc def ghi jkl")).is_none());
        assert!(incoming_id(&with_id("abcdefgh\" level=error")).is_none());
        assert_eq!(new_id().len(), 32);
    }
}
