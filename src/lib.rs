//! Kulisy («Кулисы») — the web platform of a theatre school.
//!
//! The crate compiles twice: with `ssr` into the server (`src/main.rs`), and
//! with `hydrate` into the browser bundle. Server-only code lives in
//! [`server`]; everything else is shared and must stay free of database,
//! crypto and mail crates (checked by `tests/bundle.rs`).
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod app;
pub mod domain;
pub mod enrollment;
pub mod error;
pub mod family;
pub mod home;
pub mod passes;
pub mod payments;
pub mod portfolio;
pub mod reviews;
pub mod schedule;
pub mod seo;
pub mod school;
pub mod shows;
pub mod teaching;
pub mod ui;
pub mod viewer;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Marks on the page's timeline: `make bench` reads how long hydration takes.
    let mark = |name: &str| {
        if let Some(timeline) = leptos::prelude::window().performance() {
            let _ = timeline.mark(name);
        }
    };
    mark("kulisy-hydrate-start");
    // Pages are loaded on demand (see `app::pages`): hydration waits for the
    // opened page's piece of the bundle before it walks the server's HTML.
    wasm_bindgen_futures::spawn_local(async move {
        let Some(body) = leptos::prelude::document().body() else { return };
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        mark("kulisy-hydrated");
        // A marker for tests and for CSS that wants to know the page is live.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
