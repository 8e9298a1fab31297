//! «Реквизиты для оплаты»: the office types the school's bank details once;
//! invoices and their QR codes carry them.
use crate::payments::{SaveBankDetails, load_bank_details};
use crate::{
    admin::OfficePage,
    domain::bank::BankDetails,
    ui::{Field, FormError, FormSuccess, Loading, Submit, action_error, result_view},
};
use leptos::prelude::*;

#[component]
pub fn BankDetailsPage() -> impl IntoView {
    let save = ServerAction::<SaveBankDetails>::new();
    // Read once: the form stays as typed after a save.
    let current = Resource::new(|| (), |_| load_bank_details());
    view! {
        <OfficePage title="Реквизиты для оплаты">
            <p class="muted">
                "По этим реквизитам семьи оплачивают счета: они печатаются в счёте и в QR-коде, который считывает приложение любого банка. "
                "Счёт проверяется по БИК контрольным ключом, ИНН — контрольными цифрами: опечатка не пройдёт."
            </p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(current.await, move |details| view! { <BankForm details=details.unwrap_or_default() save /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn BankForm(details: BankDetails, save: ServerAction<SaveBankDetails>) -> impl IntoView {
    let error = action_error(save);
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormError error />
            <Field label="Получатель платежа" name="payee" value=details.payee required=true error
                hint="Как в выписке банка: ООО «Кулисы» или ИП Петрова Анна Сергеевна." />
            <Field label="ИНН" name="inn" value=details.inn required=true error hint="10 цифр у организации, 12 — у ИП." />
            <Field label="КПП" name="kpp" value=details.kpp error hint="У ИП нет — оставьте пустым." />
            <Field label="Расчётный счёт" name="account" value=details.account required=true error />
            <Field label="Банк" name="bank_name" value=details.bank_name required=true error />
            <Field label="БИК" name="bic" value=details.bic required=true error />
            <Field label="Корреспондентский счёт" name="correspondent_account" value=details.correspondent_account required=true error />
            <FormSuccess action=save text="Реквизиты сохранены." />
            <Submit action=save label="Сохранить реквизиты" />
        </ActionForm>
    }
}
