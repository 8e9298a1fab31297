//! Sending the upload form from the browser: checks the file first, then
//! posts the same multipart form with `XMLHttpRequest`, whose upload
//! progress `fetch` cannot report.
use crate::{domain::portfolio::ItemKind, domain::portfolio::megabytes, error::AppError, ui::ActionEpoch};
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{FormData, HtmlFormElement, HtmlInputElement, ProgressEvent, XmlHttpRequest};

pub struct Signals {
    pub progress: RwSignal<Option<u32>>,
    pub file_error: RwSignal<Option<String>>,
    pub form_error: RwSignal<Option<AppError>>,
    pub done: RwSignal<Option<String>>,
    pub sending: StoredValue<Option<XmlHttpRequest>, LocalStorage>,
    /// Bumped after a success: the list re-reads the server.
    pub epoch: ActionEpoch,
}

/// What the browser knows of the chosen file before sending it.
fn check_file(form: &HtmlFormElement, kind: ItemKind, limit: u64) -> Result<(), String> {
    let input = form
        .query_selector("input[type=file]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .ok_or_else(|| "Выберите файл.".to_string())?;
    let file = input.files().and_then(|files| files.get(0));
    match (kind.needs_file(), file) {
        (false, _) => Ok(()),
        (true, None) => Err(match kind {
            ItemKind::Video => "Выберите видеофайл.".into(),
            _ => "Выберите файл с фотографией.".into(),
        }),
        (true, Some(file)) => {
            if !kind.admits_declared_type(&file.type_()) {
                return Err(match kind {
                    ItemKind::Video => "Этот файл не подходит: нужен MP4, MOV или WebM.".into(),
                    _ => "Этот файл не подходит: нужен JPEG, PNG или WebP.".into(),
                });
            }
            if file.size() as u64 > limit {
                return Err(format!("Файл слишком большой: можно не больше {}.", megabytes(limit)));
            }
            Ok(())
        }
    }
}

pub fn start(ev: SubmitEvent, kind: ItemKind, limit: u64, s: Signals) {
    ev.prevent_default();
    let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
    s.done.set(None);
    s.form_error.set(None);
    if let Err(message) = check_file(&form, kind, limit) {
        s.file_error.set(Some(message));
        return;
    }
    s.file_error.set(None);
    let (Ok(data), Ok(xhr)) = (FormData::new_with_form(&form), XmlHttpRequest::new()) else { return };
    if kind == ItemKind::Text {
        // An achievement carries no file, whatever the input still holds.
        data.delete("file");
    }
    let Signals { progress, file_error, form_error, done, sending, epoch } = s;

    // Only the upload in flight moves the bar: a progress event the browser
    // delivers late, after the answer or after a cancel, must not bring back
    // a bar that nothing would take down again.
    let reporting = xhr.clone();
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        let in_flight = sending.with_value(|s| s.as_ref() == Some(&reporting));
        if in_flight && e.length_computable() && e.total() > 0.0 {
            progress.set(Some((e.loaded() / e.total() * 100.0).floor() as u32));
        }
    });
    let answered = xhr.clone();
    let form_to_reset = form.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        sending.set_value(None);
        let status = answered.status().unwrap_or(0);
        let body = answered.response_text().ok().flatten().unwrap_or_default();
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let message = answer["message"].as_str().map(str::to_string);
        if (200..300).contains(&status) {
            form_to_reset.reset();
            done.set(message);
            epoch.0.update(|n| *n += 1);
        } else {
            let message = message.unwrap_or_else(|| AppError::Internal.to_string());
            match answer["field"].as_str() {
                Some("file") => file_error.set(Some(message)),
                Some(field) => form_error.set(Some(AppError::field(field, message))),
                None => form_error.set(Some(AppError::Conflict(message))),
            }
        }
    });
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        sending.set_value(None);
        form_error.set(Some(AppError::Network));
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The handlers live as long as the page may call them.
    on_progress.forget();
    on_load.forget();
    on_error.forget();
    progress.set(Some(0));
    sending.set_value(Some(xhr.clone()));
    if xhr.open("POST", &form.action()).is_err()
        || xhr.set_request_header(crate::portfolio::SCRIPTED_UPLOAD_HEADER, "1").is_err()
        || xhr.send_with_opt_form_data(Some(&data)).is_err()
    {
        progress.set(None);
        sending.set_value(None);
        form_error.set(Some(AppError::Network));
    }
}
