//! The monthly report as a CSV download for Russian Excel: the office only.
use crate::{domain::report::{Month, csv}, server::{AppState, auth, guards::Office}};
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/passes/report.csv", get(report_csv))
}

async fn report_csv(State(state): State<AppState>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if Office::check(&state.db, &u).await.is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let today = state.today();
    let month = Month::parse(query.get("month").map(String::as_str).unwrap_or_default(), today);
    match super::service::reports::report(&state.db, month, today, state.config.time_zone).await {
        Ok(rows) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"kulisy-passes-{}.csv\"", month.slug())),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            csv(&rows),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
