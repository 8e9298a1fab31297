//! The office's route that is not a server function: a show's poster (a
//! multipart upload that works as a plain form post).
use crate::server::{
    AppState, auth,
    guards::Office,
    photos,
    storage::Shelf,
    uploads::{photo_limit, read_photo, redirect_with_flash, store_photo},
};
use crate::{domain::ShowId, ui::FlashKind};
use axum::{
    Router,
    extract::{Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};

/// The poster upload, outside the default body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/admin/shows/{id}/poster", post(upload_poster).layer(photo_limit()))
}

/// A poster for a show: administrators only, the rules of profile photos.
async fn upload_poster(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<ShowId>, form: Multipart) -> Response {
    let back = |kind: FlashKind, text: &str| redirect_with_flash("/admin/shows", kind, text);
    let Some(u) = auth::user_of_request(&state.db, &headers).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let Ok(actor) = Office::check(&state.db, &u).await else {
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
    match super::service::set_poster(&state.db, &actor, id, &key).await {
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
