//! What the upload routes of the areas share (reading a photo field,
//! storing a photo, a redirect with a flash message), and serving the stored
//! profile photos and posters. The routes themselves live in their areas'
//! `routes.rs`: account (photo, data export), admin (posters), portfolio.
use super::{
    AppState, flash, photos,
    storage::{self, Shelf, Stored},
};
use crate::ui::FlashKind;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Path, Request, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

/// The body limit of a photo upload route (outside the default limit).
pub fn photo_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(photos::PROFILE_PHOTO_MAX_BYTES + 64 * 1024)
}

/// Profile photos and posters, as stored.
pub fn routes() -> Router<AppState> {
    Router::new()
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

/// Reads the `photo` field, refusing it once it grows past the limit.
pub async fn read_photo(mut form: Multipart) -> Result<Vec<u8>, &'static str> {
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
    let key = storage::new_photo_key(jpeg.width, jpeg.height);
    match storage::put_bytes(&state.media, shelf, &key, &jpeg.bytes).await {
        Ok(file) => Ok((key, file, jpeg)),
        Err(e) => {
            tracing::error!(error = %e, "storing a photo");
            Err(PhotoRefused::NotStored)
        }
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
