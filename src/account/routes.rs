//! The account's routes that are not server functions: the profile photo
//! (a multipart upload that works as a plain form post) and the download of
//! one's own data.
use crate::server::{
    AppState, auth,
    entities::user,
    photos,
    storage::{self, Shelf},
    uploads::{photo_limit, read_photo, redirect_with_flash, store_photo},
};
use crate::ui::FlashKind;
use axum::{
    Router,
    extract::{Multipart, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

/// The photo upload, outside the default body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/my/avatar", post(upload_avatar).layer(photo_limit()))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/my/export.json", get(export_my_data))
}

fn back_to_profile(kind: FlashKind, text: &str) -> Response {
    redirect_with_flash("/my/profile", kind, text)
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

async fn export_my_data(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    match super::service::export(&state.db, &u).await {
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
