//! Plain axum routes for what server functions do poorly: multipart uploads
//! that must work as a plain form post, file downloads and serving media.
use super::{
    AppState, auth,
    entities::user,
    flash, photos,
    storage::{self, Shelf, Stored},
};
use crate::{domain::ShowId, ui::FlashKind};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// Photo uploads: outside the default body limit, each with its own.
pub fn upload_routes() -> Router<AppState> {
    let photo_limit = || DefaultBodyLimit::max(photos::PROFILE_PHOTO_MAX_BYTES + 64 * 1024);
    Router::new()
        .route("/my/avatar", post(upload_avatar).layer(photo_limit()))
        .route("/admin/shows/{id}/poster", post(upload_poster).layer(photo_limit()))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/my/export.json", get(export_my_data))
        .route("/media/avatars/{key}", get(serve_avatar))
        .route("/media/posters/{key}", get(serve_poster))
}

/// A redirect that carries a flash message for the page it lands on.
pub fn redirect_with_flash(to: &str, kind: FlashKind, text: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&flash::cookie_for(kind, text)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

fn back_to_profile(kind: FlashKind, text: &str) -> Response {
    redirect_with_flash("/my/profile", kind, text)
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
    let (key, file, _) = match store_photo(&state, Shelf::Avatars, bytes, photos::PROFILE_PHOTO_SIDE).await {
        Ok(stored) => stored,
        Err(refused) => return back_to_profile(FlashKind::Error, refused.message()),
    };
    let old = u.avatar_key.clone();
    let mut active: user::ActiveModel = u.into();
    active.avatar_key = Set(Some(key));
    active.updated_at = Set(Utc::now());
    if let Err(e) = active.update(&state.db).await {
        // The row did not change: dropping `file` removes the new photo.
        tracing::error!(error = %e, "saving a profile photo");
        return back_to_profile(FlashKind::Error, storage::NOT_STORED);
    }
    file.keep();
    if let Some(old) = old {
        state.media.remove(Shelf::Avatars, &old).await;
    }
    back_to_profile(FlashKind::Success, "Фотография обновлена.")
}

/// Why a photo did not get stored.
pub enum PhotoRefused {
    /// The photo itself: not a photo, too many pixels …
    Unacceptable(&'static str),
    /// The storage failed (full, unwritable, unreachable): try later.
    NotStored,
}

impl PhotoRefused {
    pub fn message(&self) -> &'static str {
        match self {
            PhotoRefused::Unacceptable(why) => why,
            PhotoRefused::NotStored => storage::NOT_STORED,
        }
    }
}

/// Checks, re-encodes and stores a photo under a new random name on
/// `shelf`; the file stays pending until the record naming it is saved.
pub async fn store_photo(
    state: &AppState,
    shelf: Shelf,
    bytes: Vec<u8>,
    side: u32,
) -> Result<(String, Stored, photos::Jpeg), PhotoRefused> {
    let jpeg = photos::normalise_in_turn(bytes, side).await.map_err(PhotoRefused::Unacceptable)?;
    let key = storage::new_key("jpg");
    match storage::put_bytes(&state.media, shelf, &key, &jpeg.bytes).await {
        Ok(file) => Ok((key, file, jpeg)),
        Err(e) => {
            tracing::error!(error = %e, "storing a photo");
            Err(PhotoRefused::NotStored)
        }
    }
}

/// A poster for a show: administrators only, the rules of profile photos.
async fn upload_poster(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<ShowId>, form: Multipart) -> Response {
    let back = |kind: FlashKind, text: &str| redirect_with_flash("/admin/shows", kind, text);
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let Ok(actor) = super::guards::Office::check(&state.db, &u).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let bytes = match read_photo(form).await {
        Ok(bytes) => bytes,
        Err(message) => return back(FlashKind::Error, message),
    };
    let (key, file, _) = match store_photo(&state, Shelf::Posters, bytes, photos::POSTER_SIDE).await {
        Ok(stored) => stored,
        Err(refused) => return back(FlashKind::Error, refused.message()),
    };
    match crate::admin::service::set_poster(&state.db, &actor, id, &key).await {
        Ok(old) => {
            file.keep();
            if let Some(old) = old {
                state.media.remove(Shelf::Posters, &old).await;
            }
            back(FlashKind::Success, "Афиша загружена.")
        }
        Err(_) => back(FlashKind::Error, "Не удалось сохранить афишу: спектакль не найден."),
    }
}

async fn serve_poster(State(state): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    serve_photo(&state, Shelf::Posters, &key, req).await
}

async fn serve_avatar(State(state): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    serve_photo(&state, Shelf::Avatars, &key, req).await
}

async fn serve_photo(state: &AppState, shelf: Shelf, key: &str, req: Request) -> Response {
    let mut res = state.media.serve(shelf, key, req).await;
    if res.status().is_success() {
        // Names are random and never reused: cache for good.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    res
}

async fn export_my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    match crate::account::service::export(&state.db, &u).await {
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
