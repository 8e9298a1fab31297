//! What pages behind e-mailed links share: their token (or another query
//! parameter) carried into their form, a referrer policy that keeps the
//! token on this site, and the way forward once a link proved dead.
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query parameter of the page's address, e.g. the `token` of an
/// e-mailed link.
fn query_param(name: &'static str) -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).unwrap_or_default())
}

/// Pages reached from e-mailed links must not leak the token to other sites.
/// Our own server still learns the page: a form posted before the wasm
/// bundle loaded is sent back to it with its error, which needs the
/// `Referer` (without one the error would be lost on the home page).
pub fn token_stays_on_this_site() {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(http::header::REFERRER_POLICY, http::HeaderValue::from_static("same-origin"));
    }
}

/// A hidden field carrying a query parameter of the page's address into
/// its form: the token of an e-mailed link, the page to return to.
#[component]
pub fn QueryInput(name: &'static str) -> impl IntoView {
    let value = query_param(name);
    view! { <input type="hidden" name=name prop:value=value value=value.get_untracked() /> }
}

/// Below a link's form once the link proved dead: the way forward, right
/// there (a dead link is no reason to start over from the home page).
#[component]
pub fn WhenLinkExpired(error: Signal<Option<AppError>>, children: ChildrenFn) -> impl IntoView {
    view! {
        <Show when=move || error.get() == Some(AppError::LinkExpired)>
            <section class="panel" aria-labelledby="way-forward-h">
                <h2 id="way-forward-h">"Что делать"</h2>
                {children()}
            </section>
        </Show>
    }
}
