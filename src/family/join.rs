//! The pages of the family's e-mailed links: a teenager sets the password
//! of their own login; an invited guardian joins the family. Opening a link
//! changes nothing (mail scanners follow links too): the person presses
//! the button.
use super::{AcceptChildLogin, AcceptGuardian};
use crate::{
    ui::{Field, FormError, QueryInput, Submit, WhenLinkExpired, action_error, token_stays_on_this_site},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn ChildLoginPage() -> impl IntoView {
    token_stays_on_this_site();
    let action = ServerAction::<AcceptChildLogin>::new();
    let error = action_error(action);
    view! {
        <Title text="Свой вход" />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>"Свой вход на сайт школы"</h1>
            <p>"Придумайте пароль: вы будете входить с адресом, на который пришло приглашение."</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <QueryInput name="token" />
                <Field label="Пароль" name="password" kind="password" autocomplete="new-password" required=true error
                    hint="Не короче 8 символов." />
                <Field label="Пароль ещё раз" name="password_confirm" kind="password" autocomplete="new-password" required=true error />
                <Submit action label="Завести вход" />
            </ActionForm>
            <WhenLinkExpired error>
                <p>"Ссылка действует 7 дней и только один раз. Попросите родителя прислать новое приглашение."</p>
            </WhenLinkExpired>
        </section>
    }
}

#[component]
pub fn AcceptFamilyPage() -> impl IntoView {
    token_stays_on_this_site();
    let action = ServerAction::<AcceptGuardian>::new();
    let error = action_error(action);
    view! {
        <Title text="Приглашение в семью" />
        <Meta name="robots" content="noindex" />
        <section class="narrow">
            <h1>"Приглашение в семью"</h1>
            <Gate audience=STUDENTS>
                <p>"Вы станете вторым представителем детей: сможете записывать их на курсы, видеть их записи и получать письма о занятиях."</p>
                <ActionForm action attr:class="form">
                    <FormError error />
                    <QueryInput name="token" />
                    <Submit action label="Принять приглашение" />
                </ActionForm>
                <WhenLinkExpired error>
                    <p>"Ссылка действует 7 дней и только один раз. Попросите того, кто вас пригласил, прислать новое приглашение."</p>
                </WhenLinkExpired>
            </Gate>
        </section>
    }
}
