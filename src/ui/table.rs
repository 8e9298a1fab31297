//! Tables of records: the office's lists, a family's payments, an invoice's lines.
use leptos::prelude::*;

/// A table with its hidden caption and column headers, and its totals' row
/// when it has one.
#[component]
pub fn DataTable(
    caption: &'static str,
    headers: &'static [&'static str],
    #[prop(optional)] totals: Option<AnyView>,
    children: Children,
) -> impl IntoView {
    view! {
        // A wide table scrolls on a phone: the keyboard scrolls it too.
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>{headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
                {totals.map(|row| view! { <tfoot>{row}</tfoot> })}
            </table>
        </div>
    }
}
