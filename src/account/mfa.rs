//! Sign-in codes for staff: the second step of signing in, and the
//! profile's «Вход с кодом» panel (set up with a QR code, recovery codes,
//! turn off).
use super::{LoginCode, MfaConfirm, MfaDisable, MfaStart, MfaStatus};
use crate::ui::{Field, FormError, Submit, action_error};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn LoginCodePage() -> impl IntoView {
    let action = ServerAction::<LoginCode>::new();
    let error = action_error(action);
    view! {
        <Title text="Код для входа" />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>"Код для входа"</h1>
            <p>
                "Откройте приложение-аутентификатор и введите шестизначный код школы. "
                "Нет телефона под рукой — введите один из резервных кодов."
            </p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Код" name="code" autocomplete="one-time-code" required=true error />
                <crate::ui::QueryInput name="next" />
                <Submit action label="Войти" />
            </ActionForm>
            <p>
                <A href="/login">"Войти заново"</A>
            </p>
        </section>
    }
}

/// The panel's actions; they live with the profile page, which is drawn
/// again after every action (the recovery codes must stay on screen).
#[derive(Clone, Copy)]
pub struct MfaActions {
    start: ServerAction<MfaStart>,
    confirm: ServerAction<MfaConfirm>,
    disable: ServerAction<MfaDisable>,
}

impl Default for MfaActions {
    fn default() -> Self {
        MfaActions { start: ServerAction::new(), confirm: ServerAction::new(), disable: ServerAction::new() }
    }
}

/// The profile's panel; staff only.
#[component]
pub fn MfaPanel(status: MfaStatus, actions: MfaActions) -> impl IntoView {
    let errors = [action_error(actions.start), action_error(actions.disable)];
    let error = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let confirm_error = action_error(actions.confirm);
    view! {
        <section class="panel" id="mfa" aria-labelledby="mfa-h">
            <h2 id="mfa-h">"Вход с кодом"</h2>
            <FormError error />
            {move || {
                actions.confirm.value().get().and_then(Result::ok).map(|codes| {
                    view! {
                        <div class="recovery-codes" role="status">
                            <p>
                                <strong>"Вход с кодом включён."</strong>
                                " Сохраните резервные коды: каждый заменяет код из приложения один раз, "
                                "если телефона не будет под рукой. Больше они не покажутся."
                            </p>
                            <ul>{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                        </div>
                    }
                })
            }}
            <MfaState s=status actions confirm_error />
        </section>
    }
}

#[component]
fn MfaState(s: MfaStatus, actions: MfaActions, confirm_error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    if s.enabled {
        let left = format!("Включён. Резервных кодов осталось: {}.", s.recovery_codes_left);
        let disable = (!s.required).then(|| {
            let error = action_error(actions.disable);
            view! {
                <details>
                    <summary>"Отключить вход с кодом"</summary>
                    <ActionForm action=actions.disable attr:class="form">
                        <Field label="Код из приложения" name="code" autocomplete="one-time-code" required=true error id="f-mfa-disable-code" />
                        <Submit action=actions.disable label="Отключить" class="button button--danger" />
                    </ActionForm>
                </details>
            }
        });
        return view! {
            <p>{left}</p>
            {s.required.then(|| view! { <p class="muted">"Школа требует вход с кодом для сотрудников."</p> })}
            {disable}
        }
        .into_any();
    }
    if let Some((secret, qr)) = s.pending {
        return view! {
            <ol class="steps-list">
                <li>"Отсканируйте QR-код приложением-аутентификатором (например, Яндекс Ключ или Google Authenticator)."</li>
                <li>"Или введите ключ вручную: " <code class="secret">{secret}</code></li>
                <li>"Введите шестизначный код, который покажет приложение."</li>
            </ol>
            <div class="qr" inner_html=qr></div>
            <ActionForm action=actions.confirm attr:class="form">
                <Field label="Код из приложения" name="code" autocomplete="one-time-code" required=true error=confirm_error id="f-mfa-code" />
                <Submit action=actions.confirm label="Включить" />
            </ActionForm>
        }
        .into_any();
    }
    view! {
        <p>
            "После пароля сайт спросит шестизначный код из приложения на телефоне: "
            "украденный пароль один не откроет кабинет."
        </p>
        {s.required.then(|| view! { <p class="form-error">"Школа требует вход с кодом для сотрудников: включите его, чтобы продолжить работу."</p> })}
        <ActionForm action=actions.start attr:class="form form--inline">
            <Submit action=actions.start label="Настроить вход с кодом" />
        </ActionForm>
    }
    .into_any()
}
