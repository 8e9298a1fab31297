//! The office's CSV downloads (reports for Excel): plain links, not server
//! functions, so each is checked here like one — signed in, of the office —
//! and never cached.
use super::{AppState, auth, guards::Office};
use crate::error::AppError;
use axum::{
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

/// Answers the CSV `make` writes, named `file`, to the office only; `make`
/// runs only after the caller was checked.
pub async fn office_csv(state: &AppState, headers: &HeaderMap, file: &str, make: impl Future<Output = Result<String, AppError>>) -> Response {
    let Some(u) = auth::user_of_request(&state.db, headers).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    if Office::check(&state.db, &u).await.is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    match make.await {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
