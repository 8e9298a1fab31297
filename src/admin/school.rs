//! The office's «Школа» page: the school's name, address, contacts and
//! links, which the header, footer, page titles and letters show.
use super::frame::OfficePage;
use crate::{
    domain::school::School,
    error::AppError,
    school::load_school,
    ui::{Field, FormError, FormSuccess, Loading, Submit, TextArea, action_error, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// The office only: saves the school's details.
#[server(endpoint = "admin/settings/school")]
pub async fn save_school(
    name: String,
    address: String,
    phone: String,
    email: String,
    map_url: String,
    social: String,
) -> Result<(), AppError> {
    use crate::{domain::school::SchoolForm, server::{flash, guards::Office, state}, ui::FlashKind};
    let actor = Office::of_request().await?;
    let form = SchoolForm { name, address, phone, email, map_url, social };
    super::service::set_school(&state()?.db, &actor, &form).await?;
    flash::set_for_plain_form(FlashKind::Success, "Сведения о школе сохранены.");
    Ok(())
}

#[component]
pub fn SchoolSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSchool>::new();
    // The form starts from a read of its own: the shell's is read again
    // after the save, which would draw the form anew under the cursor.
    let current = Resource::new(|| (), |_| load_school());
    view! {
        <OfficePage title="Школа">
            <p class="muted">
                "Название, адрес и контакты видны внизу каждой страницы и в подписи писем; название — ещё и в заголовках страниц."
            </p>
            <p>
                <A href="/admin/bank">"Реквизиты для оплаты"</A>
                " — по ним семьи оплачивают счета по QR-коду."
            </p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(current.await, move |school| view! { <SchoolForm school save /> }) })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn SchoolForm(school: School, save: ServerAction<SaveSchool>) -> impl IntoView {
    let error = action_error(save);
    let form = school.form();
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormError error />
            <Field label="Название школы" name="name" value=form.name required=true error />
            <Field label="Адрес" name="address" value=form.address autocomplete="street-address" error />
            <Field label="Телефон" name="phone" kind="tel" value=form.phone error />
            <Field label="Электронная почта" name="email" kind="email" value=form.email error />
            <Field label="Ссылка на карту" name="map_url" kind="url" value=form.map_url error
                hint="Например, из Яндекс Карт: https://yandex.ru/maps/…" />
            <TextArea label="Школа в соцсетях: по ссылке https://… на строку, до шести" name="social" value=form.social error />
            <FormSuccess action=save text="Сведения о школе сохранены." />
            <Submit action=save label="Сохранить" />
        </ActionForm>
    }
}
