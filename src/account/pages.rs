//! Sign-up, sign-in and the pages behind e-mailed links. Every form is a
//! plain form post before the wasm bundle loads, and an in-page action after.
use super::{ConfirmEmail, ConfirmEmailChange, Login, Register, RequestPasswordReset, ResendConfirmation, ResetPassword};
use crate::{
    error::AppError,
    ui::{Field, FormError, QueryInput, Submit, WhenLinkExpired, action_error, token_stays_on_this_site},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;


#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    view! {
        <Title text="Вход" />
        <Meta name="robots" content="noindex" />
        <Meta name="description" content="Вход в личный кабинет театральной школы." />
        <section class="narrow">
            <h1>"Вход"</h1>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Электронная почта" name="email" kind="email" autocomplete="email" required=true error />
                <Field label="Пароль" name="password" kind="password" autocomplete="current-password" required=true error />
                <QueryInput name="next" />
                <div class="field field--check">
                    <input type="checkbox" id="f-remember" name="remember" value="on" />
                    <label for="f-remember">"Запомнить меня на 30 дней"</label>
                </div>
                <Submit action label="Войти" />
            </ActionForm>
            <p>
                <A href="/forgot">"Забыли пароль?"</A>
                " · "
                <A href="/register">"Регистрация"</A>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let error = action_error(action);
    view! {
        <Title text="Регистрация" />
        <Meta name="robots" content="noindex" />
        <Meta name="description" content="Регистрация в театральной школе: запись на курсы, портфолио, история занятий." />
        <section class="narrow">
            <h1>"Регистрация"</h1>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Имя и фамилия" name="full_name" autocomplete="name" required=true error />
                <Field label="Электронная почта" name="email" kind="email" autocomplete="email" required=true error
                    hint="На этот адрес придёт письмо для подтверждения." />
                <Field label="Пароль" name="password" kind="password" autocomplete="new-password" required=true error
                    hint="Не короче 8 символов; фраза из нескольких слов запоминается легче." />
                <Field label="Пароль ещё раз" name="password_confirm" kind="password" autocomplete="new-password" required=true error />
                <ConsentField error />
                <Submit action label="Зарегистрироваться" />
            </ActionForm>
            <p>
                "Уже есть учётная запись? " <A href="/login">"Войти"</A>
            </p>
        </section>
    }
}

/// The consent to the processing of personal data (152-ФЗ), with the
/// policy it refers to one click away.
#[component]
fn ConsentField(error: Signal<Option<AppError>>) -> impl IntoView {
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message("consent").map(str::to_string)));
    view! {
        <div class="field field--check" class:field--invalid=move || message.get().is_some()>
            <input
                type="checkbox"
                id="f-consent"
                name="consent"
                value="on"
                required=true
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby="f-consent-error"
            />
            <label for="f-consent">
                "Я согласен(на) на обработку моих персональных данных на условиях "
                <a href="/privacy" target="_blank">"политики школы"</a>
            </label>
            <p class="field__error" id="f-consent-error">{message}</p>
        </div>
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    view! {
        <Title text="Восстановление пароля" />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>"Восстановление пароля"</h1>
            <p>"Укажите адрес, с которым вы регистрировались: мы пришлём ссылку для смены пароля."</p>
            <ResetLetterForm />
        </section>
    }
}

/// Asks for a letter with a password reset link.
#[component]
fn ResetLetterForm() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error />
            <Field label="Электронная почта" name="email" kind="email" autocomplete="email" required=true error />
            <Submit action label="Прислать ссылку" />
        </ActionForm>
    }
}

/// Asks for a new confirmation link.
#[component]
fn ConfirmationLetterForm() -> impl IntoView {
    let action = ServerAction::<ResendConfirmation>::new();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormError error />
            <Field label="Электронная почта" name="email" kind="email" autocomplete="email" required=true error
                hint="Адрес, с которым вы регистрировались." />
            <Submit action label="Прислать новую ссылку" />
        </ActionForm>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    token_stays_on_this_site();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <Title text="Новый пароль" />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>"Новый пароль"</h1>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <QueryInput name="token" />
                <Field label="Новый пароль" name="password" kind="password" autocomplete="new-password" required=true error
                    hint="Не короче 8 символов." />
                <Field label="Пароль ещё раз" name="password_confirm" kind="password" autocomplete="new-password" required=true error />
                <Submit action label="Сохранить пароль" />
            </ActionForm>
            <WhenLinkExpired error>
                <p>"Ссылка для смены пароля действует час и только один раз. Запросите новое письмо:"</p>
                <ResetLetterForm />
            </WhenLinkExpired>
        </section>
    }
}


/// A page behind an e-mailed link. Opening the link alone changes nothing
/// (mail scanners follow links too): the visitor presses the button.
#[component]
fn LinkPage(title: &'static str, text: &'static str, children: Children) -> impl IntoView {
    token_stays_on_this_site();
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>{title}</h1>
            <p>{text}</p>
            {children()}
        </section>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    view! {
        <LinkPage title="Подтверждение адреса" text="Осталось нажать кнопку — и адрес подтверждён.">
            <ActionForm action attr:class="form">
                <FormError error />
                <QueryInput name="token" />
                <Submit action label="Подтвердить адрес" />
            </ActionForm>
            <WhenLinkExpired error>
                <p>"Действует только последняя присланная ссылка, двое суток. Пришлём новую:"</p>
                <ConfirmationLetterForm />
            </WhenLinkExpired>
        </LinkPage>
    }
}

#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(action);
    view! {
        <LinkPage
            title="Смена адреса"
            text="Подтвердите новый адрес для входа. После этого войдите с ним заново."
        >
            <ActionForm action attr:class="form">
                <FormError error />
                <QueryInput name="token" />
                <Submit action label="Подтвердить новый адрес" />
            </ActionForm>
            <WhenLinkExpired error>
                <p>"Действует только последняя ссылка, двое суток. Запросите смену адреса ещё раз в профиле — придёт новое письмо."</p>
                <p><A href="/my/profile#email-h" attr:class="button">"Открыть профиль"</A></p>
            </WhenLinkExpired>
        </LinkPage>
    }
}
