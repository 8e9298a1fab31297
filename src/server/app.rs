//! The application state and the axum router that serves pages, server
//! functions, static files and `/healthz`.
use super::{Config, db, security};
use crate::app::{App, shell};
use crate::error::AppError;
use axum::{
    Json, Router,
    body::Body,
    extract::{FromRef, Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use leptos::server_fn;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use leptos::prelude::*;
use leptos_axum::LeptosRoutes;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    /// Uploaded files (see `storage`).
    pub media: Arc<dyn super::storage::MediaStore>,
    /// Public pages as rendered a moment ago (see `http_cache`).
    pub pages: Arc<super::http_cache::PageCache>,
    /// Pages rendering at this moment (see `render_gate`).
    pub renders: Arc<super::render_gate::RenderGate>,
    /// The schedule as last read, while the catalogue stays as it was.
    pub schedule: Arc<super::catalogue::Kept<crate::domain::catalogue::Listing>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: Config, leptos: LeptosOptions) -> Self {
        // The settings were checked when read: building the client cannot fail.
        let media = super::storage::open(&config).expect("KULISY_MEDIA settings checked by Config");
        AppState {
            db,
            config: Arc::new(config),
            leptos,
            media,
            pages: Default::default(),
            renders: Default::default(),
            schedule: Default::default(),
        }
    }

    /// An instant as the school's clock on the wall shows it.
    pub fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.config.time_zone).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.to_local(Utc::now()).date()
    }
}

/// Leptos settings that match the assets built for this binary: hashed
/// names are used only when `hash.txt` (written by cargo-leptos beside the
/// binary) is there. A binary built by plain `cargo build`, or a test, has
/// none, and leptos would fail every page trying to read it.
pub fn with_built_assets(mut options: LeptosOptions) -> LeptosOptions {
    if options.hash_files {
        let beside_binary = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
        if !beside_binary.is_some_and(|path| path.exists()) {
            tracing::warn!("no hash.txt beside the binary: asset names without hashes");
            options.hash_files = false;
        }
    }
    options
}

/// The app's routes, generated once per process. Generating renders the app
/// with resource loading suspended by a process-wide flag (leptos_server);
/// a page whose resource first polls during that window never finishes. Doing
/// it once, before any router can serve, keeps the two from meeting. The
/// state is there as on every request: what the shell reads of it (the
/// school's address) is found rather than logged as missing.
fn route_list(state: &AppState) -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| {
            let state = state.clone();
            leptos_axum::generate_route_list_with_exclusions_and_ssg_and_context(App, None, move || provide_context(state.clone())).0
        })
        .clone()
}

/// Everything the server answers, with the security middleware around it.
pub fn build_router(state: AppState) -> Router {
    let routes = route_list(&state);
    let leptos = state.leptos.clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, security::page_context, move || shell(leptos.clone()))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::render_gate::admit));
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(super::metrics::serve))
        .merge(super::uploads::routes())
        .merge(crate::account::routes::routes())
        .merge(crate::portfolio::routes::routes())
        .merge(crate::passes::routes::routes())
        .merge(crate::payments::routes::routes())
        .merge(crate::enrollment::service::calendar::routes())
        .merge(crate::seo::routes::routes())
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(security::page_context, shell));
    let router = router.layer(axum::middleware::from_fn(server_fn_error_status)).layer(super::observe::time_limit());
    let router = security::limit_bodies(router)
        .merge(crate::account::routes::upload_routes())
        .merge(crate::admin::routes::upload_routes())
        .merge(crate::portfolio::routes::upload_routes())
        .route_layer(axum::middleware::from_fn(super::observe::name_route));
    let router = router
        // Inside the page cache: a kept page is served without asking where its record is.
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::addresses::redirect_to_current))
        .layer(axum::middleware::from_fn_with_state(state.clone(), super::http_cache::serve))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::secure_cookies));
    security::protect(router).with_state(state)
}

/// leptos answers every failed server function with 500; the status that
/// matches the [`AppError`] (403, 404, 422 …) tells clients and logs more.
async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    // A plain form post is redirected back to its page with the error in the
    // URL: that redirect must stay one.
    if !res.headers().contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
        || res.status().is_redirection()
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}

/// Liveness and readiness in one: 200 while the database answers, 503 if
/// not, within a second either way (load balancers check every two, and a
/// database that is down would otherwise keep this waiting for a pool
/// connection for ten).
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let answered = tokio::time::timeout(std::time::Duration::from_millis(800), db::is_reachable(&state.db)).await;
    if answered.unwrap_or(false) {
        (StatusCode::OK, Json(serde_json::json!({"status": "ok", "database": "reachable"})))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "error", "database": "unreachable"})),
        )
    }
}
