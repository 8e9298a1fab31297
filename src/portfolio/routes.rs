//! Portfolio files over HTTP: the upload (a plain multipart form post, or
//! the same form sent by the page's script, which asks for JSON to show
//! progress and errors in place) and serving with byte ranges.
//!
//! A video is streamed into the media store as it arrives, in constant
//! memory (a multipart upload on S3); a photo, at most 10 MB, is read into
//! memory to be re-encoded. The size is checked against the limits before
//! the body is read (from `Content-Length`) and while it arrives; the type
//! is read from the first bytes. Until the database has the record, the file
//! is pending ([`storage::Incoming`] while it arrives, then
//! [`storage::Stored`]) and removed however the request ends.
use crate::server::{
    AppState, auth,
    guards::{ActingFor, Student, member_named},
    photos,
    storage::{self, Incoming, Shelf, Stored},
    uploads::{PhotoRefused, redirect_with_flash, store_photo},
};
use crate::{
    domain::{UserId, portfolio::{ItemKind, ItemText, VideoType}},
    error::AppError,
    ui::FlashKind,
};
use super::wire::SCRIPTED_UPLOAD_HEADER;
use axum::{
    Json, Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State, multipart::Field},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum::body::HttpBody;
use std::{
    collections::HashMap,
    pin::Pin,
    task::{Context, Poll},
};

/// Room for the form's text fields and multipart framing around the file.
const FORM_SLACK: u64 = 256 * 1024;
const TEXT_FIELD_MAX: usize = 16 * 1024;
const HOME: &str = "/my/portfolio";
const TEXT_FIELDS: [&str; 5] = ["kind", "title", "description", "occurred_on", "visibility"];

pub fn upload_routes() -> Router<AppState> {
    // The limits are counted here, per person and kind of file.
    Router::new().route("/my/portfolio/items", post(upload_item).layer(DefaultBodyLimit::disable()))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/media/portfolio/{key}", get(serve_item_file))
}

/// How the sender wants to hear the outcome.
#[derive(Clone, PartialEq, Eq)]
enum Reply {
    /// The page's script: JSON with the status.
    Json,
    /// A plain form post: a redirect with a flash message to the portfolio
    /// page it came from (a child's, for a guardian).
    Page(String),
}

impl Reply {
    fn of(headers: &HeaderMap, member: Option<UserId>) -> Reply {
        if headers.contains_key(SCRIPTED_UPLOAD_HEADER) {
            Reply::Json
        } else {
            Reply::Page(member.map_or(HOME.to_string(), |m| format!("{HOME}?member={m}")))
        }
    }

    fn done(self, text: &str) -> Response {
        match self {
            Reply::Json => Json(serde_json::json!({ "message": text })).into_response(),
            Reply::Page(home) => redirect_with_flash(&home, FlashKind::Success, text),
        }
    }

    fn refused(self, status: StatusCode, field: Option<&str>, text: &str) -> Response {
        match self {
            Reply::Json => (status, Json(serde_json::json!({ "field": field, "message": text }))).into_response(),
            // A redirect cannot say 413; a page of its own can.
            Reply::Page(_) if status == StatusCode::PAYLOAD_TOO_LARGE => (status, Html(too_large_page(text))).into_response(),
            Reply::Page(home) => redirect_with_flash(&home, FlashKind::Error, text),
        }
    }

    fn error(self, e: &AppError) -> Response {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match e {
            AppError::Invalid(fields) if !fields.is_empty() => {
                self.refused(status, Some(&fields[0].field), &fields[0].message)
            }
            _ => self.refused(status, None, &e.to_string()),
        }
    }
}

fn too_large_page(text: &str) -> String {
    let text = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Файл не принят</title></head>\
         <body><main class=\"page\"><h1>Файл не принят</h1><p class=\"form-error\">{text}</p>\
         <p><a href=\"{HOME}\">Вернуться к портфолио</a></p></main></body></html>"
    )
}

/// Hands a body to the form parser one frame at a time. The parser (multer)
/// takes everything that is ready in one go: from a fast client the whole
/// file would gather in memory before a byte of it reached the disk.
struct FrameByFrame<B> {
    inner: B,
    rested: bool,
}

impl<B> FrameByFrame<B> {
    fn new(inner: B) -> Self {
        FrameByFrame { inner, rested: false }
    }
}

impl<B: HttpBody + Unpin> HttpBody for FrameByFrame<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if !self.rested {
            // "Nothing more right now": the parser hands on what it has.
            self.rested = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if polled.is_ready() {
            self.rested = false;
        }
        polled
    }
}

/// Why a file was not taken.
enum Refusal {
    TooLarge,
    /// The connection broke or the form was malformed.
    Broken,
    Storage,
}

/// A file that arrived whole.
enum Received {
    /// Not a video, so a photo if anything: re-encoded from memory.
    Photo(Vec<u8>),
    /// A video, in the store and pending until its record commits.
    Video { file: Stored, key: String, video: VideoType, size: u64 },
}

/// How many first bytes tell a video's type.
const HEAD: usize = 64;

/// Receives a file field: a video straight into the store, anything else
/// into memory under the photo limit. `None`: the field was empty.
async fn receive(
    mut field: Field<'_>,
    state: &AppState,
    kind: Option<ItemKind>,
    used: u64,
) -> Result<Option<Received>, Failure> {
    let limit = |kind| super::service::upload_limit(&state.config, Some(kind), used);
    let refused = |refusal, why: &str| Failure::Refused(refusal, why.to_string());
    // The first bytes decide where the rest goes.
    let mut first = Vec::new();
    while first.len() < HEAD {
        match next_piece(&mut field).await.map_err(|r| refused(r, &limit(ItemKind::Photo).1))? {
            Some(piece) => first.extend_from_slice(&piece),
            None => break,
        }
    }
    if first.is_empty() {
        return Ok(None);
    }
    let Some(video) = VideoType::sniff(&first).filter(|_| kind != Some(ItemKind::Photo)) else {
        if kind == Some(ItemKind::Video) {
            return Err(AppError::field("file", NOT_A_VIDEO).into());
        }
        let (max, why) = limit(ItemKind::Photo);
        let mut bytes = first;
        loop {
            if bytes.len() as u64 > max {
                return Err(refused(Refusal::TooLarge, &why));
            }
            match next_piece(&mut field).await.map_err(|r| refused(r, &why))? {
                Some(piece) => bytes.extend_from_slice(&piece),
                None => return Ok(Some(Received::Photo(bytes))),
            }
        }
    };
    let (max, why) = limit(ItemKind::Video);
    let key = storage::new_key(video.extension());
    let not_stored = |e: std::io::Error| {
        tracing::error!(error = %e, "storing a video");
        refused(Refusal::Storage, "")
    };
    let mut incoming = Incoming::begin(&state.media, Shelf::Portfolio, &key).await.map_err(not_stored)?;
    let mut piece = Some(bytes::Bytes::from(first));
    while let Some(bytes) = piece {
        // Past the limit, `incoming` is dropped: the store keeps nothing.
        if incoming.size() + bytes.len() as u64 > max {
            return Err(refused(Refusal::TooLarge, &why));
        }
        incoming.write(bytes).await.map_err(not_stored)?;
        piece = next_piece(&mut field).await.map_err(|r| refused(r, &why))?;
    }
    let size = incoming.size();
    let file = incoming.finish().await.map_err(not_stored)?;
    Ok(Some(Received::Video { file, key, video, size }))
}

async fn next_piece(field: &mut Field<'_>) -> Result<Option<bytes::Bytes>, Refusal> {
    match field.chunk().await {
        Ok(piece) => Ok(piece),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(Refusal::TooLarge),
        Err(_) => Err(Refusal::Broken),
    }
}

const NOT_A_VIDEO: &str = "Это не похоже на видео: подойдут MP4, MOV или WebM.";

async fn read_text(mut field: Field<'_>) -> Result<String, Refusal> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| Refusal::Broken)? {
        if bytes.len() + chunk.len() > TEXT_FIELD_MAX {
            return Err(Refusal::Broken);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| Refusal::Broken)
}

/// A plain form post or the page's script; `?member=` names a child whose
/// portfolio a guardian keeps.
async fn upload_item(State(state): State<AppState>, req: Request) -> Response {
    let member = url::form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
        .find_map(|(name, value)| (name == "member").then(|| value.into_owned()))
        .unwrap_or_default();
    let Ok(member) = member_named(&member) else { return Reply::of(req.headers(), None).error(&AppError::BadRequest) };
    let reply = Reply::of(req.headers(), member);
    let Some(u) = auth::user_of_request(&state.db, req.headers()).await else {
        return match reply {
            Reply::Json => reply.error(&AppError::Unauthenticated),
            Reply::Page(_) => Redirect::to("/login").into_response(),
        };
    };
    let checked = match Student::check(&u) {
        Ok(student) => ActingFor::check(&state.db, &student, member, state.today()).await,
        Err(e) => Err(e),
    };
    let u = match checked {
        Ok(who) => who,
        Err(e) => return reply.error(&e),
    };
    let used = match super::service::used_bytes(&state.db, u.id).await {
        Ok(used) => used,
        Err(e) => return reply.error(&e),
    };
    // The largest file this person may send now; a body declared larger is
    // refused before a byte of it is read.
    let (ceiling, why) = super::service::upload_limit(&state.config, None, used);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > ceiling + FORM_SLACK) {
        return reply.refused(StatusCode::PAYLOAD_TOO_LARGE, Some("file"), &why);
    }
    // Without a length (chunked) or with a false one, the count stops it.
    let req = req.map(|body| {
        Body::new(FrameByFrame::new(http_body_util::Limited::new(body, (ceiling + FORM_SLACK) as usize)))
    });
    let form = match Multipart::from_request(req, &state).await {
        Ok(form) => form,
        Err(_) => return reply.error(&AppError::BadRequest),
    };
    match read_form(&state, &u, form, used).await {
        Ok(text) => reply.done(text),
        Err(Failure::Refused(Refusal::TooLarge, why)) => reply.refused(StatusCode::PAYLOAD_TOO_LARGE, Some("file"), &why),
        Err(Failure::Refused(Refusal::Broken, _)) => reply.error(&AppError::BadRequest),
        // The school's storage, not the file: a 503 that says to try later.
        Err(Failure::Refused(Refusal::Storage, _)) => {
            reply.refused(StatusCode::SERVICE_UNAVAILABLE, Some("file"), storage::NOT_STORED)
        }
        Err(Failure::App(e)) => reply.error(&e),
    }
}

enum Failure {
    Refused(Refusal, String),
    App(AppError),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

/// Reads the form, checks it, stores the file and records the item.
async fn read_form(state: &AppState, u: &ActingFor, mut form: Multipart, used: u64) -> Result<&'static str, Failure> {
    let mut fields: HashMap<&'static str, String> = HashMap::new();
    let mut received: Option<Received> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let why = super::service::upload_limit(&state.config, None, used).1;
                return Err(Failure::Refused(Refusal::TooLarge, why));
            }
            Err(_) => return Err(Failure::Refused(Refusal::Broken, String::new())),
        };
        // The name the browser gives the file is never used.
        match field.name().unwrap_or_default() {
            "file" if received.is_none() => {
                let kind = fields.get("kind").and_then(|k| ItemKind::parse(k));
                received = receive(field, state, kind, used).await?;
            }
            name => {
                if let Some(name) = TEXT_FIELDS.iter().find(|n| **n == name) {
                    let value = read_text(field).await.map_err(|r| Failure::Refused(r, String::new()))?;
                    fields.insert(name, value);
                }
            }
        }
    }
    let get = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let kind = ItemKind::parse(get("kind"))
        .ok_or_else(|| AppError::field("kind", "Выберите, что добавить: фото, видео или достижение."))?;
    let text = ItemText::parse(get("title"), get("description"), get("occurred_on"), get("visibility"), state.today())
        .map_err(AppError::fields)?;
    let (file, new_media) = match (kind, received) {
        (ItemKind::Text, _) => (None, None),
        (ItemKind::Photo, None) => return Err(AppError::field("file", "Выберите файл с фотографией.").into()),
        (ItemKind::Video, None) => return Err(AppError::field("file", "Выберите видеофайл.").into()),
        (ItemKind::Photo, Some(Received::Video { .. })) => return Err(AppError::field("file", photos::NOT_A_PHOTO).into()),
        (ItemKind::Video, Some(Received::Photo(_))) => return Err(AppError::field("file", NOT_A_VIDEO).into()),
        (ItemKind::Photo, Some(Received::Photo(bytes))) => {
            let (key, file, jpeg) =
                store_photo(state, Shelf::Portfolio, bytes, photos::PORTFOLIO_SIDE).await.map_err(|refused| match refused {
                    PhotoRefused::NotStored => Failure::Refused(Refusal::Storage, String::new()),
                    PhotoRefused::Unacceptable(why) => AppError::field("file", why).into(),
                })?;
            let new = super::service::NewMedia {
                mime: "image/jpeg",
                size_bytes: jpeg.bytes.len() as u64,
                key,
                dimensions: Some((jpeg.width, jpeg.height)),
            };
            (Some(file), Some(new))
        }
        (ItemKind::Video, Some(Received::Video { file, key, video, size })) => {
            let new = super::service::NewMedia { mime: video.mime(), size_bytes: size, key, dimensions: None };
            (Some(file), Some(new))
        }
    };
    // On failure `file` is dropped here, and with it the stored bytes.
    super::service::add(&state.db, &state.config, u, kind, text, new_media).await?;
    if let Some(file) = file {
        file.keep();
    }
    Ok(match kind {
        ItemKind::Photo => "Фотография добавлена в портфолио.",
        ItemKind::Video => "Видео добавлено в портфолио.",
        ItemKind::Text => "Достижение добавлено в портфолио.",
    })
}

/// A portfolio file, with byte ranges (a player seeks with them).
async fn serve_item_file(State(state): State<AppState>, Path(key): Path<String>, req: Request) -> Response {
    if !storage::is_generated_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let viewer = auth::user_of_request(&state.db, req.headers()).await;
    let mime = match super::service::file_access(&state.db, &key, viewer.as_ref()).await {
        Ok(Some(mime)) => mime,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let mut res = state.media.serve(Shelf::Portfolio, &key, req).await;
    if res.status().is_success() {
        let h = res.headers_mut();
        if let Ok(v) = mime.parse() {
            h.insert(header::CONTENT_TYPE, v);
        }
        // Private: an item may turn private; shared caches must not keep it.
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, max-age=3600"));
    }
    res
}
