//! The record a page's address names (`/courses/:id`, `/teachers/:id` …).
//!
//! Where resources are made: every resource a page reads is made by the
//! page's component itself, never inside the content of a `Suspense` or a
//! `Gate`. The server walks that content more than once (leptos looks for
//! the reads it waits on, then renders), and each walk would make the
//! resources again; the browser, which numbers its resources in the order it
//! makes them, would then hydrate one resource with another's data — or
//! with that of a walk whose request had already ended. What a panel inside
//! the content needs comes with the page's data or from an action.
//! `end2end/tests/pages.spec.ts` checks every page for data the browser
//! never read.
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;

/// The page's `:id`, when it is a number. Reactive sources keep it a bare
/// number (one instance of their machinery in the bundle for every page);
/// the load turns it into the page's typed id.
pub fn route_id() -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok())
}

/// The record the page's `:id` names, loaded by `load`; an address whose id
/// is no number is a missing page, without asking the server.
pub fn by_route_id<Id, T, Fut>(load: impl Fn(Id) -> Fut + Copy + Send + Sync + 'static) -> Resource<Result<T, AppError>>
where
    Id: From<i32> + Send + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(route_id(), move |id| load_or_missing(id.map(Id::from), load))
}

/// The page's `:id` as written: a public page's address names its record
/// by slug (`/courses/scenicheskaya-rech`), and the server resolves it.
pub fn route_address() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").unwrap_or_default()
}

/// The record the public page's address names, loaded by `load`.
pub fn by_route_address<T, Fut>(load: impl Fn(String) -> Fut + Copy + Send + Sync + 'static) -> Resource<Result<T, AppError>>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(route_address(), load)
}

/// Loads the record `id` names; no id (an address that names none) is a
/// missing page, without asking the server.
pub async fn load_or_missing<Id, T, Fut>(id: Option<Id>, load: impl FnOnce(Id) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(AppError::NotFound),
    }
}
