//! The monthly report as a CSV download for Russian Excel: the office only.
use crate::{
    domain::report::{Month, csv},
    server::{AppState, downloads::office_csv},
};
use axum::{
    Router,
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
    routing::get,
};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/passes/report.csv", get(report_csv))
}

async fn report_csv(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let today = state.today();
    let month = Month::parse(query.get("month").map(String::as_str).unwrap_or_default(), today);
    let file = format!("kulisy-passes-{}.csv", month.slug());
    let rows = super::service::reports::report(&state.db, month, today, state.config.time_zone);
    office_csv(&state, &headers, &file, async { Ok(csv(&rows.await?)) }).await
}
