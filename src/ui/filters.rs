//! The filter form of every list: a plain GET form, so a filtered address
//! can be shared and the filters work before the wasm bundle loads.
use super::without_nameless_fields;
use leptos::prelude::*;
use leptos_router::components::{A, Form};

/// The form around a list's filter fields, sent to `action` (the list's
/// address) by its button; `reset`, when given, is the address of the
/// unfiltered list, offered beside the button.
#[component]
pub fn FilterForm(
    #[prop(into)] action: String,
    #[prop(default = "Показать")] button: &'static str,
    /// The fields in one row, for short forms above a table.
    #[prop(optional)]
    inline: bool,
    #[prop(optional)] label: Option<&'static str>,
    #[prop(default = None)] reset: Option<String>,
    children: Children,
) -> impl IntoView {
    let class = if inline { "filters filters--inline" } else { "filters" };
    view! {
        <Form method="get" on_form_data=without_nameless_fields() action=action attr:class=class attr:aria-label=label>
            {children()}
            <div class="filters__actions">
                <button type="submit" class="button">{button}</button>
                {reset.map(|href| view! { <A href=href attr:class="button button--ghost">"Сбросить"</A> })}
            </div>
        </Form>
    }
}

/// One labelled drop-down of a filter form; its empty value, named `any`,
/// means "no filter" (or the default order).
#[component]
pub fn FilterSelect(label: &'static str, name: &'static str, any: &'static str, children: Children) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {children()}
            </select>
        </div>
    }
}

/// A labelled search box of a filter form.
#[component]
pub fn FilterSearch(label: &'static str, name: &'static str, value: String) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="search" name=name value=value />
        </div>
    }
}
