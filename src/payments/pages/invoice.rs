//! An invoice as a document: what it is for, what is left to pay, and how
//! to pay it — the school's bank details and the QR code a bank app scans.
//! Printed as it is (the print styles drop the site's frame).
use crate::{
    domain::{money::Kopecks, ru},
    payments::{InvoiceView, PayBy},
    ui::DataTable,
};
use leptos::prelude::*;

#[component]
pub fn InvoiceDocument(invoice: InvoiceView, #[prop(optional)] office: bool) -> impl IntoView {
    let due = Kopecks(invoice.total.0 - invoice.paid.0);
    let lines = invoice
        .lines
        .into_iter()
        .map(|l| view! { <tr><td>{l.description}</td><td class="num">{l.amount.to_string()}</td></tr> })
        .collect_view();
    let pay = match invoice.payment {
        _ if !invoice.status.awaits_payment() => None,
        Some(PayBy::Bank { details, purpose, qr_svg }) => Some(
            view! {
                <section class="invoice__pay">
                    <h2>"Оплата по QR-коду"</h2>
                    <p>"Откройте приложение банка, выберите оплату по QR-коду и наведите камеру: реквизиты, сумма и назначение заполнятся сами."</p>
                    <div class="invoice__qr" inner_html=qr_svg></div>
                    <dl class="facts">
                        <dt>"Получатель"</dt><dd>{details.payee}</dd>
                        <dt>"ИНН"</dt><dd>{details.inn}</dd>
                        {(!details.kpp.is_empty()).then(|| view! { <dt>"КПП"</dt><dd>{details.kpp.clone()}</dd> })}
                        <dt>"Счёт"</dt><dd>{details.account}</dd>
                        <dt>"Банк"</dt><dd>{details.bank_name}</dd>
                        <dt>"БИК"</dt><dd>{details.bic}</dd>
                        <dt>"Корр. счёт"</dt><dd>{details.correspondent_account}</dd>
                        <dt>"Назначение"</dt><dd>{purpose}</dd>
                        <dt>"Сумма"</dt><dd>{due.to_string()}</dd>
                    </dl>
                </section>
            }
            .into_any(),
        ),
        Some(PayBy::NoDetails) if office => Some(
            view! {
                <p class="notice notice--warning">
                    "QR-кода нет: не заполнены реквизиты школы. "
                    <a href="/admin/bank">"Заполнить реквизиты"</a>
                </p>
            }
            .into_any(),
        ),
        Some(PayBy::NoDetails) => Some(
            view! { <p class="notice">"Реквизиты для оплаты школа ещё не указала: оплатите на ресепшене или спросите администратора."</p> }
                .into_any(),
        ),
        None => None,
    };
    view! {
        <article class="invoice">
            <h1>{format!("Счёт № {}", invoice.number)}</h1>
            <p>
                <span class=format!("status status--{}", invoice.status.slug())>{invoice.status.label()}</span>
                {format!(" · от {} · оплатить до {}", ru::date(invoice.created_at.date_naive()), ru::date(invoice.due_on))}
            </p>
            {invoice.student_name.map(|s| view! { <p>"Ученик: " {s}</p> })}
            <DataTable caption="Строки счёта" headers=&["За что", "Сумма"]>{lines}</DataTable>
            <dl class="facts">
                <dt>"Итого"</dt><dd>{invoice.total.to_string()}</dd>
                <dt>"Оплачено"</dt><dd>{invoice.paid.to_string()}</dd>
                <dt>"К оплате"</dt><dd><strong>{due.to_string()}</strong></dd>
            </dl>
            {pay}
        </article>
    }
}
