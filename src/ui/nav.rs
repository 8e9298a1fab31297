//! Links of the site's menus.
use super::ActionEpoch;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

/// A menu link. The router does nothing when the link of the page one is on
/// is followed; here that re-reads the page, as a person clicking it
/// expects (a teacher's decision shows in the student's list at once).
#[component]
pub fn NavLink(
    href: &'static str,
    /// Marked current only on this very address, not on the ones below it.
    #[prop(optional)]
    exact: bool,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let here = use_location();
    let reread_if_here = move |_| {
        if here.pathname.get_untracked() == href && here.search.get_untracked().is_empty() {
            epoch.0.update(|n| *n += 1);
        }
    };
    view! {
        <A href=href exact=exact attr:class=(!class.is_empty()).then_some(class) on:click=reread_if_here>
            {children()}
        </A>
    }
}
