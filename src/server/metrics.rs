//! What Prometheus reads at `GET /metrics` (its text format): requests by
//! route and status with their durations, the database pool, the outbox,
//! worker runs, bookings, waitlist promotions and uploaded bytes.
//!
//! The counters belong to this process (Prometheus adds up the processes it
//! scrapes); the outbox's numbers are read from the database at each scrape,
//! so every process reports the same queue. Only the addresses in
//! `KULISY_METRICS_FROM` may read them: anyone else gets a 404, as if there
//! were nothing here.
use super::{AppState, client};
use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use prometheus_client::{
    encoding::{EncodeLabelSet, prometheus_text},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};
use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::{net::SocketAddr, sync::LazyLock, time::Duration};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The route's template (`/courses/{slug}`), never the address asked
    /// for: a label per address would let anyone grow the table.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WorkerLabels {
    worker: &'static str,
    outcome: &'static str,
}

fn latency_buckets() -> Histogram {
    // 1 ms … 16 s
    Histogram::new([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 16.0])
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    worker_runs: Family<WorkerLabels, Counter>,
    bookings: Counter,
    promotions: Counter,
    upload_bytes: Counter,
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("kulisy");
    let requests = Family::default();
    let durations = Family::new_with_constructor(latency_buckets as fn() -> Histogram);
    let worker_runs = Family::default();
    let (bookings, promotions, upload_bytes) = (Counter::default(), Counter::default(), Counter::default());
    registry.register("http_requests", "Requests answered, by method, route and status", requests.clone());
    registry.register("http_request_duration_seconds", "Time to answer a request (to its headers), by route", durations.clone());
    registry.register("worker_runs", "Background worker rounds, by worker and outcome", worker_runs.clone());
    registry.register("bookings", "Course requests made (seats taken or waitlist places)", bookings.clone());
    registry.register("waitlist_promotions", "Waitlisted requests moved up to a freed seat", promotions.clone());
    registry.register("upload_bytes", "Bytes of files uploaded and stored", upload_bytes.clone());
    Metrics { registry, requests, durations, worker_runs, bookings, promotions, upload_bytes }
});

/// One answered request.
pub fn request(method: &str, route: &str, status: u16, took: Duration) {
    let route = route.to_owned();
    METRICS.requests.get_or_create(&RequestLabels { method: method.to_owned(), route: route.clone(), status }).inc();
    METRICS.durations.get_or_create(&RouteLabels { route }).observe(took.as_secs_f64());
}

/// One round of a background worker.
pub fn worker_ran<T, E>(worker: &'static str, result: &Result<T, E>) {
    let outcome = if result.is_ok() { "ok" } else { "error" };
    METRICS.worker_runs.get_or_create(&WorkerLabels { worker, outcome }).inc();
}

pub fn booked() {
    METRICS.bookings.inc();
}

pub fn promoted(count: u64) {
    METRICS.promotions.inc_by(count);
}

pub fn uploaded(bytes: u64) {
    METRICS.upload_bytes.inc_by(bytes);
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>, ConnectInfo(peer): ConnectInfo<SocketAddr>, headers: HeaderMap) -> Response {
    let asker = client::address(peer.ip(), &headers, &state.config.trusted_proxies);
    if !state.config.metrics_from.iter().any(|network| network.contains(asker)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let now = read_database(&state).await.inspect_err(|e| tracing::warn!(error = %e, "metrics: the database's numbers"));
    let mut text = String::new();
    let written = prometheus_text::encode(&mut text, &METRICS.registry)
        .and_then(|()| now.map_or(Ok(()), |now| prometheus_text::encode(&mut text, &now)));
    if written.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut res = text.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(prometheus_text::CONTENT_TYPE));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The numbers read at this scrape: the pool of this process, and the
/// outbox as the database holds it (the same from every process).
async fn read_database(state: &AppState) -> Result<Registry, DbErr> {
    let db = &state.db;
    let (open, idle) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT \
               CAST((SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')) AS BIGINT) AS queued, \
               (SELECT MIN(created_at) FROM outbox WHERE status IN ('queued', 'sending')) AS oldest, \
               CAST((SELECT COUNT(*) FROM outbox WHERE status = 'failed') AS BIGINT) AS failed",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("outbox".into()))?;
    let oldest: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "oldest")?;
    let mut now = Registry::with_prefix("kulisy");
    let mut gauge = |name: &str, help: &str, value: i64| {
        let g: Gauge = Gauge::default();
        g.set(value);
        now.register(name, help, g);
    };
    gauge("db_pool_connections", "Database connections open in this process", open.into());
    gauge("db_pool_idle", "Of those, waiting for a request", i64::try_from(idle).unwrap_or(i64::MAX));
    gauge("outbox_queued", "Letters waiting to be sent", row.try_get("", "queued")?);
    gauge("outbox_oldest_seconds", "Age of the oldest letter waiting to be sent",
        oldest.map_or(0, |at| (chrono::Utc::now() - at).num_seconds().max(0)));
    gauge("letters_failed", "Letters given up after every attempt", row.try_get("", "failed")?);
    Ok(now)
}
