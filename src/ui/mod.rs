//! Components shared by every part of the site.
mod flash;
mod form;
mod status;

pub use flash::{FlashArea, FlashKind, FlashMessage, take_flash};
pub use form::{ActionEpoch, Field, FormError, FormSuccess, Submit, TextArea, action_error, action_failure, provide_action_epoch};
pub use status::{ErrorView, Loading, NotFound, set_status};

use leptos::prelude::*;

/// Renders a server function's result: the content, or the error page with
/// the right HTTP status when rendered on the server.
pub fn result_view<T, V: IntoView + 'static>(
    result: Result<T, crate::error::AppError>,
    ok: impl FnOnce(T) -> V,
) -> AnyView {
    match result {
        Ok(value) => ok(value).into_any(),
        Err(error) => view! { <ErrorView error /> }.into_any(),
    }
}
