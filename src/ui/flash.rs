//! One-off messages after an action («Запись отправлена»). A server function
//! that redirects leaves the message in a short-lived cookie; the page it
//! leads to shows the message and clears the cookie. (The cookie is stored
//! before the browser follows the redirect, so reading it once per page is
//! enough, with or without JavaScript.)
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Success,
    Error,
    Info,
}

impl FlashKind {
    fn class(self) -> &'static str {
        match self {
            FlashKind::Success => "flash flash--success",
            FlashKind::Error => "flash flash--error",
            FlashKind::Info => "flash flash--info",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FlashKind::Success => "s",
            FlashKind::Error => "e",
            FlashKind::Info => "i",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "s" => FlashKind::Success,
            "e" => FlashKind::Error,
            "i" => FlashKind::Info,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashMessage {
    pub kind: FlashKind,
    pub text: String,
}

/// Reads and clears the message a previous response left in the cookie.
#[leptos::server(endpoint = "flash/take")]
pub async fn take_flash() -> Result<Option<FlashMessage>, AppError> {
    Ok(crate::server::flash::take())
}

#[component]
fn FlashBox(message: FlashMessage) -> impl IntoView {
    let open = RwSignal::new(true);
    view! {
        <Show when=move || open.get()>
            <div class=message.kind.class() role="status">
                <p>{message.text.clone()}</p>
                <button
                    type="button"
                    class="flash__close"
                    aria-label="Закрыть сообщение"
                    on:click=move |_| open.set(false)
                >
                    "×"
                </button>
            </div>
        </Show>
    }
}

#[component]
pub fn FlashArea() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    // Read once per address: an action that redirects lands on a new one.
    // (Actions that stay on their page show their result beside the form.)
    let message = Resource::new(move || (location.pathname.get(), location.search.get()), |_| take_flash());
    view! {
        <div class="flash-area" aria-live="polite">
            <Transition>
                {move || Suspend::new(async move {
                    message.await.ok().flatten().map(|message| view! { <FlashBox message /> })
                })}
            </Transition>
        </div>
    }
}
