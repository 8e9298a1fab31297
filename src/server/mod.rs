//! Server-only code: configuration, database, entities, security middleware,
//! the router, and the demo school. Nothing here reaches the browser bundle.
pub mod addresses;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod bundle;
pub mod catalogue;
pub mod client;
pub mod config;
pub mod courses;
pub mod crypto;
pub mod downloads;
pub mod db;
pub mod entities;
pub mod families;
pub mod flash;
pub mod guards;
pub mod mail;
pub mod metrics;
pub mod mfa;
pub mod observe;
pub mod once_letters;
pub mod http_cache;
pub mod heap;
pub mod links;
pub mod listen;
pub mod password;
pub mod photos;
pub mod qr;
pub mod reminders;
pub mod render_gate;
pub mod retention;
pub mod search;
pub mod seats;
pub mod security;
pub mod seed;
pub mod settings;
pub mod storage;
pub mod teachers;
pub mod throttle;
pub mod tokens;
pub mod uploads;
pub mod workers;

pub use app::{AppState, build_router};
pub use config::Config;

use crate::error::AppError;

/// The application state from inside a server function or a component
/// rendered on the server.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the response being built (page or server function).
pub fn set_status(status: u16) {
    if let (Some(opts), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        opts.set_status(code);
    }
}
