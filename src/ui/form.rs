//! Form pieces: labelled fields with their error beside them, the form-level
//! message, and the hook that refreshes flash and session after an action.
use crate::error::AppError;
use leptos::{prelude::*, server_fn::ServerFn};

/// Bumped after every action that may have changed what a page shows (all
/// but refusals, see [`AppError::is_refusal`]): the header and the pages'
/// resources re-read the server then.
#[derive(Clone, Copy)]
pub struct ActionEpoch(pub RwSignal<u32>);

pub fn provide_action_epoch() {
    provide_context(ActionEpoch(RwSignal::new(0)));
}

/// The error of an action's last run, if it failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let epoch = expect_context::<ActionEpoch>();
    Effect::new(move |previous: Option<usize>| {
        let version = action.version().get();
        let refused = action.value().with_untracked(|v| matches!(v, Some(Err(e)) if e.is_refusal()));
        if previous.is_some_and(|p| p != version) && !refused {
            epoch.0.update(|n| *n += 1);
        }
        version
    });
    action_failure(action)
}

/// The error of an action's last run, for a second place that shows it
/// (only [`action_error`] refreshes the page after the action).
pub fn action_failure<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

fn field_message(error: Signal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.field_message(name).map(str::to_string)))
}

/// For every `<Form method="get">`: leptos adds the pressed button to the
/// form's data even when the button has no name, which leaves a stray `&=`
/// in the address the form leads to.
pub fn without_nameless_fields() -> std::sync::Arc<dyn Fn(&leptos::web_sys::FormData)> {
    std::sync::Arc::new(|data| data.delete(""))
}

/// A labelled input with its hint and error message bound to it.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// For pages with several forms of the same fields.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let described = format!("{id}-hint {id}-error");
    let message = field_message(error, name);
    view! {
        <div class="field" class:field--invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=described
            />
            <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
            <p class="field__error" id=format!("{id}-error")>{message}</p>
        </div>
    }
}

/// Text for the inside of a `<textarea>`. tachys writes textarea children
/// unescaped on the server, so a value holding `</textarea><script>` would
/// break out of the field; escape it there. The browser decodes the entities
/// back, and in the browser the value is set as a text node, so it stays raw.
fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    return crate::domain::text::escape_html(&value);
    #[cfg(not(feature = "ssr"))]
    value
}

/// A labelled multi-line field.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let message = field_message(error, name);
    view! {
        <div class="field" class:field--invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id.clone()
                name=name
                rows="4"
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=format!("{id}-error")
            >
                {value.map(textarea_text)}
            </textarea>
            <p class="field__error" id=format!("{id}-error")>{message}</p>
        </div>
    }
}

/// A labelled choice among `children` (its `<option>`s), with its error
/// message bound to it.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id: Option<String>,
    children: Children,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let message = field_message(error, name);
    view! {
        <div class="field" class:field--invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=name
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=format!("{id}-error")
            >
                {children()}
            </select>
            <p class="field__error" id=format!("{id}-error")>{message}</p>
        </div>
    }
}

/// A labelled checkbox (sent as `on`) with its error message bound to it.
#[component]
pub fn CheckField(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] checked: bool,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let message = field_message(error, name);
    view! {
        <div class="field field--check" class:field--invalid=move || message.get().is_some()>
            <input
                type="checkbox"
                id=id.clone()
                name=name
                value="on"
                checked=checked
                required=required
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=format!("{id}-error")
            />
            <label for=id.clone()>{label}</label>
            <p class="field__error" id=format!("{id}-error")>{message}</p>
        </div>
    }
}

/// The submit button of an action's form, disabled while the action runs.
#[component]
pub fn Submit<S>(action: ServerAction<S>, label: &'static str, #[prop(default = "button")] class: &'static str) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    view! {
        <button type="submit" class=class disabled=move || action.pending().get()>
            {label}
        </button>
    }
}

/// What a hydrated page says beside a form once its action succeeded.
#[component]
pub fn FormSuccess<S>(action: ServerAction<S>, text: &'static str) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || {
        matches!(action.value().get(), Some(Ok(_))).then(|| {
            view! {
                <p class="form-success" role="status">
                    {text}
                </p>
            }
        })
    }
}

/// The message of a failed action that belongs to no single field.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="form-error" role="alert">
                    {e.to_string()}
                </p>
            }
        })
    }
}
