//! Components shared by every part of the site.
mod filters;
mod flash;
mod form;
mod link_page;
mod nav;
mod page_html;
mod route;
mod status;
mod table;

pub use filters::{FilterForm, FilterSearch, FilterSelect};
pub use flash::{FlashArea, FlashKind, FlashMessage, take_flash};
pub use form::{
    ActionEpoch, CheckField, Field, FormError, FormSuccess, SelectField, Submit, TextArea, action_error, action_failure, provide_action_epoch,
    without_nameless_fields,
};
pub use link_page::{QueryInput, WhenLinkExpired, token_stays_on_this_site};
pub use nav::NavLink;
pub use page_html::PageHtml;
pub use route::{by_route_address, by_route_id, load_or_missing, route_address, route_id};
pub use status::{ErrorView, Loading, NotFound, set_status};
pub use table::DataTable;

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

/// Percent-encodes a value for a query string (the browser bundle carries
/// no URL crate).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(super::url_encode("anna+1@kulisy.test"), "anna%2B1%40kulisy.test");
        assert_eq!(super::url_encode("2026-12-01"), "2026-12-01");
        assert_eq!(super::url_encode("а б"), "%D0%B0%20%D0%B1");
    }
}
