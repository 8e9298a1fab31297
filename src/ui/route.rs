//! The record a page's address names (`/courses/:id`, `/teachers/:id` …).
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;

/// The page's `:id`, when it is a number.
pub fn route_id() -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok())
}

/// The record the page's `:id` names, loaded by `load`; an address whose id
/// is no number is a missing page, without asking the server.
pub fn by_route_id<T, Fut>(load: impl Fn(i32) -> Fut + Copy + Send + Sync + 'static) -> Resource<Result<T, AppError>>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    Resource::new(route_id(), move |id| async move {
        match id {
            Some(id) => load(id).await,
            None => Err(AppError::NotFound),
        }
    })
}
