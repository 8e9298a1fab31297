//! The guards around every request: one that panics is answered 500, one
//! that hangs 503, both in Russian, and every log line a request writes
//! carries its id. A test binary of its own: the log test installs the
//! process's subscriber (tracing caches which log lines anyone listens to
//! per process, so a subscriber set for one thread misses lines whose
//! interest another test's thread decided first).
#![cfg(feature = "ssr")]
use axum::{Router, body::Body, http::Request, routing::get};
use http_body_util::BodyExt;
use kulisy::server::{observe, security};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// A router with the production guards around handlers that misbehave.
fn guarded(router: Router) -> Router {
    let router = router.layer(observe::time_limit()).route_layer(axum::middleware::from_fn(observe::name_route));
    security::protect(router)
}

async fn body_text(res: axum::response::Response) -> String {
    String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

/// Log lines of the code under test, as `KULISY_LOG_FORMAT=json` writes them.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn json(&self) -> Vec<serde_json::Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_panicking_request_answers_500_in_russian_and_is_logged_with_its_id() {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt().json().with_writer(move || writer.clone()).finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only test here that logs");

    async fn boom() -> &'static str {
        tracing::info!("about to fail");
        panic!("the handler fell over")
    }
    let app = guarded(Router::new().route("/boom", get(boom)).route("/fine", get(|| async { "ok" })));
    let res = app.clone().oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 500);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let text = body_text(res).await;
    assert!(text.chars().any(|c| ('а'..='я').contains(&c)), "{text}");
    assert!(!text.contains("fell over"), "no internals to the visitor: {text}");
    // The server goes on.
    let res = app.oneshot(Request::get("/fine").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 200);

    // Every line of the failed request carries its id: the handler's own,
    // the panic, and the request's summary with its route and status.
    let of_request: Vec<_> = lines.json().into_iter().filter(|l| l["span"]["id"] == id.as_str()).collect();
    let messages: Vec<_> = of_request.iter().map(|l| l["fields"]["message"].as_str().unwrap_or("").to_owned()).collect();
    assert!(messages.iter().any(|m| m == "about to fail"), "{messages:?}");
    assert!(of_request.iter().any(|l| l["fields"]["panic"] == "the handler fell over"), "{of_request:?}");
    let summary = of_request.iter().find(|l| l["fields"]["message"] == "request").expect("a summary line");
    assert_eq!(summary["fields"]["status"], 500);
    assert_eq!(summary["fields"]["method"], "GET");
    assert_eq!(summary["fields"]["route"], "/boom");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_request_that_hangs_is_answered_503_in_russian() {
    async fn stuck() -> &'static str {
        tokio::time::sleep(observe::ANSWER_WITHIN * 10).await;
        "too late"
    }
    let app = guarded(Router::new().route("/stuck", get(stuck)));
    let res = app.oneshot(Request::get("/stuck").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("x-request-id"));
    let text = body_text(res).await;
    assert!(text.chars().any(|c| ('а'..='я').contains(&c)), "{text}");
}
