//! The profile page: personal data, photo, password, e-mail, own data, deletion.
use super::{ChangeEmail, ChangePassword, DeleteAccount, MyProfile, RemoveAvatar, UpdateProfile, get_profile};
use crate::{
    domain::account::Profile,
    teaching::UpdateTeacherProfile,
    ui::{ActionEpoch, Field, FormError, FormSuccess, Loading, Submit, TextArea, action_error, action_failure, result_view},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The page's actions live as long as the page, not as long as one rendering
/// of the profile: it is re-read after each action, and the result of the
/// action must stay on screen.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateProfile>,
    remove_photo: ServerAction<RemoveAvatar>,
    password: ServerAction<ChangePassword>,
    email: ServerAction<ChangeEmail>,
    delete: ServerAction<DeleteAccount>,
    teacher: ServerAction<UpdateTeacherProfile>,
    mfa: super::MfaActions,
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let epoch = expect_context::<ActionEpoch>();
    let profile = Resource::new(move || epoch.0.get(), |_| get_profile());
    let actions = Actions {
        update: ServerAction::new(),
        remove_photo: ServerAction::new(),
        password: ServerAction::new(),
        email: ServerAction::new(),
        delete: ServerAction::new(),
        teacher: ServerAction::new(),
        mfa: super::MfaActions::default(),
    };
    view! {
        <Title text="Профиль" />
        <Meta name="robots" content="noindex" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                result_view(profile.await, move |p| view! { <ProfileView data=p actions /> })
            })}
        </Transition>
    }
}

#[component]
fn ProfileView(data: MyProfile, actions: Actions) -> impl IntoView {
    let MyProfile { profile, teacher, mfa, children_leaving } = data;
    view! {
        <h1>"Профиль"</h1>
        <div class="profile">
            <PersonalData profile=profile.clone() action=actions.update />
            <Photo url=profile.avatar_url.clone() name=profile.full_name.clone() remove=actions.remove_photo />
            <Password action=actions.password />
            <EmailAddress current=profile.email.clone() pending=profile.pending_email.clone() action=actions.email />
            <section class="panel" aria-labelledby="export-h">
                <h2 id="export-h">"Мои данные"</h2>
                <p>"Всё, что школа хранит о вас, одним файлом JSON."</p>
                <a class="button button--ghost" href="/my/export.json" download="kulisy-my-data.json" rel="external">
                    "Скачать мои данные"
                </a>
            </section>
            {teacher.map(|t| view! { <crate::teaching::TeacherProfilePanel profile=t action=actions.teacher /> })}
            {mfa.map(|status| view! { <super::MfaPanel status actions=actions.mfa /> })}
            <DeleteAccountForm action=actions.delete children=children_leaving />
        </div>
    }
}

#[component]
fn PersonalData(profile: Profile, action: ServerAction<UpdateProfile>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="personal-h">
            <h2 id="personal-h">"Личные данные"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Имя и фамилия" name="full_name" value=profile.full_name autocomplete="name" required=true error />
                <Field label="Телефон" name="phone" kind="tel" value=profile.phone autocomplete="tel" error />
                <TextArea label="Другие контакты (Telegram, VK…)" name="contacts" value=profile.contacts error />
                <TextArea label="О себе" name="about" value=profile.about error />
                <Submit action label="Сохранить" />
                <FormSuccess action text="Профиль сохранён." />
            </ActionForm>
        </section>
    }
}

#[component]
fn Photo(url: Option<String>, name: String, remove: ServerAction<RemoveAvatar>) -> impl IntoView {
    let error = action_error(remove);
    let has_photo = url.is_some();
    view! {
        <section class="panel" aria-labelledby="photo-h">
            <h2 id="photo-h">"Фотография"</h2>
            {match url {
                Some(src) => view! {
                    <img class="avatar" src=src alt=format!("Фотография: {name}") width="160" height="160" />
                }.into_any(),
                None => view! { <p class="muted">"Фотографии пока нет."</p> }.into_any(),
            }}
            // A plain multipart post: works before and after hydration.
            <form class="form" method="post" action="/my/avatar" enctype="multipart/form-data">
                <div class="field">
                    <label for="f-photo">"Новая фотография"</label>
                    <input id="f-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required />
                    <p class="field__hint">"JPEG, PNG или WebP, до 5 МБ. Мы уменьшим снимок и уберём из него метаданные."</p>
                </div>
                <button type="submit" class="button">"Загрузить"</button>
            </form>
            <Show when=move || has_photo>
                <ActionForm action=remove attr:class="form form--inline">
                    <FormError error />
                    <button type="submit" class="button button--ghost">"Удалить фотографию"</button>
                </ActionForm>
            </Show>
        </section>
    }
}

#[component]
fn Password(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="password-h">
            <h2 id="password-h">"Пароль"</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Текущий пароль" name="current_password" kind="password" autocomplete="current-password" required=true error />
                <Field label="Новый пароль" name="new_password" kind="password" autocomplete="new-password" required=true error
                    hint="Не короче 8 символов. На других устройствах придётся войти заново." />
                <Field label="Новый пароль ещё раз" name="password_confirm" kind="password" autocomplete="new-password" required=true error />
                <Submit action label="Сменить пароль" />
                <FormSuccess action text="Пароль изменён. На других устройствах нужно войти заново." />
            </ActionForm>
        </section>
    }
}

#[component]
fn EmailAddress(current: String, pending: Option<String>, action: ServerAction<ChangeEmail>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="panel" aria-labelledby="email-h">
            <h2 id="email-h">"Электронная почта"</h2>
            <p>"Сейчас: " <strong>{current}</strong></p>
            {pending.map(|p| view! { <p class="muted">"Ждёт подтверждения: " {p}</p> })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Новый адрес" name="new_email" kind="email" autocomplete="email" required=true error />
                <Field label="Пароль" name="email_password" kind="password" autocomplete="current-password" required=true error />
                <Submit action label="Сменить адрес" />
                <FormSuccess action text="Мы отправили письмо на новый адрес: откройте ссылку, чтобы подтвердить смену." />
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteAccountForm(action: ServerAction<DeleteAccount>, children: Vec<String>) -> impl IntoView {
    // Not `action_error`: a deletion leads away, and re-reading the profile
    // of a deleted account would only be refused.
    let error = action_failure(action);
    let confirm_message = Signal::derive(move || error.get().and_then(|e| e.field_message("confirm").map(str::to_string)));
    view! {
        <section class="panel panel--danger" aria-labelledby="delete-h">
            <h2 id="delete-h">"Удаление учётной записи"</h2>
            <p>
                "Профиль, фотография, портфолио и входы удаляются сразу и навсегда. Записи на курсы и отзывы останутся в истории школы без вашего имени («Бывший студент»)."
            </p>
            {(!children.is_empty()).then(|| view! {
                <p>
                    <strong>"Вместе с ней будут удалены данные детей: " {children.join(", ")} "."</strong>
                    " Кроме вас за них никто не отвечает на сайте школы, а своего входа у них нет; их заявки отменятся. "
                    "Чтобы сохранить их, сначала "
                    <a href="/my/family">"пригласите в семью второго родителя"</a>
                    "."
                </p>
            })}
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormError error />
                <Field label="Пароль" name="delete_password" kind="password" autocomplete="current-password" required=true error />
                <div class="field field--check">
                    <input type="checkbox" id="f-confirm" name="confirm" value="yes" aria-describedby="f-confirm-error" />
                    <label for="f-confirm">"Я понимаю, что удаление необратимо"</label>
                    <p class="field__error" id="f-confirm-error">{confirm_message}</p>
                </div>
                <Submit action label="Удалить учётную запись" class="button button--danger" />
            </ActionForm>
        </section>
    }
}
