//! One-off messages after an action («Запись отправлена»). A server function
//! that redirects a plain form post leaves the message in a short-lived
//! cookie; the next page shows it and clears the cookie. After hydration,
//! components push messages straight into the [`Flash`] context.
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

/// Messages raised in the browser since the page loaded.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Vec<FlashMessage>>);

impl Flash {
    pub fn push(&self, kind: FlashKind, text: impl Into<String>) {
        self.0.update(|list| list.push(FlashMessage { kind, text: text.into() }));
    }
}

pub fn provide_flash() {
    provide_context(Flash(RwSignal::new(Vec::new())));
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
    // Re-read after every navigation and every completed action: that is when
    // a server function may have left a message.
    let location = leptos_router::hooks::use_location();
    let epoch = expect_context::<super::ActionEpoch>();
    let from_server = Resource::new(
        move || (location.pathname.get(), epoch.0.get()),
        |_| take_flash(),
    );
    let flash = expect_context::<Flash>();
    view! {
        <div class="flash-area" aria-live="polite">
            <Suspense>
                {move || Suspend::new(async move {
                    from_server.await.ok().flatten().map(|message| view! { <FlashBox message /> })
                })}
            </Suspense>
            <For
                each=move || flash.0.get().into_iter().enumerate()
                key=|(i, _)| *i
                children=|(_, message)| view! { <FlashBox message /> }
            />
        </div>
    }
}
