//! Plain axum routes for what server functions do poorly: multipart uploads
//! that must work as a plain form post, file downloads and serving media.
use super::{AppState, accounts, auth, entities::user, flash, photos};
use crate::ui::FlashKind;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use std::path::PathBuf;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/my/avatar",
            post(upload_avatar).layer(DefaultBodyLimit::max(photos::PROFILE_PHOTO_MAX_BYTES + 64 * 1024)),
        )
        .route("/my/export.json", get(export_my_data))
        .route("/media/avatars/{key}", get(serve_avatar))
        .route(
            "/admin/shows/{id}/poster",
            post(upload_poster).layer(DefaultBodyLimit::max(photos::PROFILE_PHOTO_MAX_BYTES + 64 * 1024)),
        )
        .route("/media/posters/{key}", get(serve_poster))
}

pub fn posters_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("uploads").join("posters")
}

pub fn poster_url(key: &str) -> String {
    format!("/media/posters/{key}")
}

pub fn avatars_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("uploads").join("avatars")
}

pub fn avatar_url(key: &str) -> String {
    format!("/media/avatars/{key}")
}

fn back_to_profile(kind: FlashKind, text: &str) -> Response {
    let mut res = Redirect::to("/my/profile").into_response();
    if let Ok(v) = HeaderValue::from_str(&flash::cookie_for(kind, text)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Reads the `photo` field, refusing it once it grows past the limit.
async fn read_photo(mut form: Multipart) -> Result<Vec<u8>, &'static str> {
    while let Ok(Some(mut field)) = form.next_field().await {
        if field.name() != Some("photo") {
            continue;
        }
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > photos::PROFILE_PHOTO_MAX_BYTES {
                        return Err(photos::TOO_LARGE);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return Err(photos::TOO_LARGE),
            }
        }
        if bytes.is_empty() {
            return Err("Выберите файл с фотографией.");
        }
        return Ok(bytes);
    }
    Err("Выберите файл с фотографией.")
}

async fn upload_avatar(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let bytes = match read_photo(form).await {
        Ok(bytes) => bytes,
        Err(message) => return back_to_profile(FlashKind::Error, message),
    };
    let (key, path) = match store_photo(avatars_dir(&state), bytes, photos::PROFILE_PHOTO_SIDE).await {
        Ok(stored) => stored,
        Err(message) => return back_to_profile(FlashKind::Error, message),
    };
    let old = u.avatar_key.clone();
    let mut active: user::ActiveModel = u.into();
    active.avatar_key = Set(Some(key));
    active.updated_at = Set(Utc::now());
    if let Err(e) = active.update(&state.db).await {
        // The row did not change: the new file must not outlive the failure.
        tracing::error!(error = %e, "saving a profile photo");
        let _ = tokio::fs::remove_file(&path).await;
        return back_to_profile(FlashKind::Error, "Не удалось сохранить фото. Попробуйте позже.");
    }
    if let Some(old) = old {
        remove_avatar_file(&state, &old).await;
    }
    back_to_profile(FlashKind::Success, "Фотография обновлена.")
}

/// Checks, re-encodes and stores a photo under a new random name in `dir`.
async fn store_photo(dir: PathBuf, bytes: Vec<u8>, side: u32) -> Result<(String, PathBuf), &'static str> {
    let jpeg = match tokio::task::spawn_blocking(move || photos::normalise(&bytes, side)).await {
        Ok(result) => result?,
        Err(_) => return Err(photos::NOT_A_PHOTO),
    };
    let key = photos::new_key();
    let path = dir.join(&key);
    if let Err(e) = async {
        tokio::fs::create_dir_all(&dir).await?;
        tokio::fs::write(&path, &jpeg).await
    }
    .await
    {
        tracing::error!(error = %e, "storing a photo");
        return Err("Не удалось сохранить фото. Попробуйте позже.");
    }
    Ok((key, path))
}

/// A poster for a show: administrators only, the rules of profile photos.
async fn upload_poster(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i32>, form: Multipart) -> Response {
    let back = |kind: FlashKind, text: &str| {
        let mut res = Redirect::to("/admin/shows").into_response();
        if let Ok(v) = HeaderValue::from_str(&flash::cookie_for(kind, text)) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
        res
    };
    let Some(actor) = auth::user_of_request(&state.db, &headers).await.filter(|u| u.role == crate::domain::Role::Admin) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let bytes = match read_photo(form).await {
        Ok(bytes) => bytes,
        Err(message) => return back(FlashKind::Error, message),
    };
    let (key, path) = match store_photo(posters_dir(&state), bytes, photos::POSTER_SIDE).await {
        Ok(stored) => stored,
        Err(message) => return back(FlashKind::Error, message),
    };
    match super::admin::set_poster(&state.db, &actor, id, &key).await {
        Ok(old) => {
            if let Some(old) = old.filter(|k| photos::is_generated_key(k)) {
                let _ = tokio::fs::remove_file(posters_dir(&state).join(old)).await;
            }
            back(FlashKind::Success, "Афиша загружена.")
        }
        Err(_) => {
            let _ = tokio::fs::remove_file(&path).await;
            back(FlashKind::Error, "Не удалось сохранить афишу: спектакль не найден.")
        }
    }
}

async fn serve_poster(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    serve_photo(posters_dir(&state), &key).await
}

pub async fn remove_avatar_file(state: &AppState, key: &str) {
    if photos::is_generated_key(key) {
        let _ = tokio::fs::remove_file(avatars_dir(state).join(key)).await;
    }
}

async fn serve_avatar(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    serve_photo(avatars_dir(&state), &key).await
}

async fn serve_photo(dir: PathBuf, key: &str) -> Response {
    if !photos::is_generated_key(key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(dir.join(key)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                // Names are random and never reused: cache for good.
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn export_my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    match accounts::export(&state.db, &u).await {
        Ok(data) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"kulisy-my-data.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
