//! The cookie that carries a flash message across a redirect.
use crate::ui::{FlashKind, FlashMessage};
use http::{HeaderValue, header};
use leptos::prelude::use_context;

pub const COOKIE: &str = "kulisy_flash";

fn encode(message: &FlashMessage) -> String {
    let text: String = url::form_urlencoded::byte_serialize(message.text.as_bytes()).collect();
    format!("{}.{text}", message.kind.code())
}

pub fn decode(value: &str) -> Option<FlashMessage> {
    let (code, text) = value.split_once('.')?;
    let text: String = url::form_urlencoded::parse(format!("t={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    // Bound what a forged cookie can put on the page; it is rendered as text.
    let text: String = text.chars().take(300).collect();
    Some(FlashMessage { kind: FlashKind::from_code(code)?, text })
}

fn cookie(value: &str, max_age: u32) -> String {
    format!("{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax")
}

/// The `Set-Cookie` value that leaves a message, for plain axum handlers.
pub fn cookie_for(kind: FlashKind, text: &str) -> String {
    cookie(&encode(&FlashMessage { kind, text: text.to_string() }), 60)
}

fn set_cookie(value: &str, max_age: u32) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie(value, max_age)),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// Leaves a message for the next page the browser opens (after a redirect).
pub fn set(kind: FlashKind, text: impl Into<String>) {
    set_cookie(&encode(&FlashMessage { kind, text: text.into() }), 60);
}

/// Leaves a message only for a plain form post, which reloads its page; the
/// hydrated page shows the action's result beside the form instead.
pub fn set_for_plain_form(kind: FlashKind, text: impl Into<String>) {
    let plain = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        set(kind, text);
    }
}

/// The value of cookie `name` in the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_in(&use_context::<http::request::Parts>()?.headers, name)
}

/// The (name, value) pairs of the cookies in `headers`.
pub fn cookies_in(headers: &http::HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// The value of cookie `name` in `headers`.
pub fn cookie_in(headers: &http::HeaderMap, name: &str) -> Option<String> {
    cookies_in(headers).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

/// Takes the message out of the request and tells the browser to forget it.
pub fn take() -> Option<FlashMessage> {
    let value = request_cookie(COOKIE)?;
    set_cookie("", 0);
    decode(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_survive_the_cookie() {
        let m = FlashMessage { kind: FlashKind::Success, text: "Запись отправлена; ждите ответа!".into() };
        assert_eq!(decode(&encode(&m)), Some(m));
        assert_eq!(decode("x.abc"), None);
        assert_eq!(decode("garbage"), None);
    }
}
