//! The office's page of a person's money: balance, invoices (each opens as
//! the document the family sees), entries; recording money that arrived
//! (on an invoice or as an advance), refunding from a payment, and
//! invoicing the family for anything else.
use super::{EntriesTable, balance_text, invoice::InvoiceDocument};
use crate::{
    admin::OfficePage,
    domain::{ledger::PaymentMethod, ru},
    payments::{CancelInvoice, IssueInvoice, OfficeAccount, RecordPayment, RefundPayment, Refundable, load_office_account, load_office_invoice},
    ui::{ActionEpoch, Field, FormError, Loading, SelectField, Submit, action_error, by_route_id, load_or_missing, result_view, route_id},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn OfficeAccountPage() -> impl IntoView {
    let id = route_id();
    let epoch = expect_context::<ActionEpoch>();
    let data = Resource::new(move || (id(), epoch.0.get()), |(id, _)| load_or_missing(id, load_office_account));
    // Made here, not in the content the server walks again.
    let record = ServerAction::<RecordPayment>::new();
    view! {
        <OfficePage title="Оплата ученика">
            <Transition fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, move |a| view! { <Books a record /> }) })}
            </Transition>
        </OfficePage>
    }
}

#[component]
fn Books(a: OfficeAccount, record: ServerAction<RecordPayment>) -> impl IntoView {
    let record_error = action_error(record);
    let invoices = a.account.as_ref().map(|acc| {
        acc.invoices
            .iter()
            .map(|i| {
                let cancel = (i.status.awaits_payment() && i.paid.is_zero()).then(|| view! { <CancelForm id=i.id /> });
                view! {
                    <li>
                        <A href=format!("/admin/invoices/{}", i.id)>{format!("Счёт № {}", i.number)}</A>
                        {format!(" · {} · {} · до {}", i.total, i.status.label(), ru::date(i.due_on))}
                        {cancel}
                    </li>
                }
            })
            .collect_view()
    });
    let options = a
        .awaiting
        .iter()
        .map(|(id, number, due)| view! { <option value=id.to_string()>{format!("Счёт № {number} — к оплате {due}")}</option> })
        .collect_view();
    let methods = PaymentMethod::ALL.map(|m| view! { <option value=m.slug()>{m.label()}</option> });
    let refunds = a.refundable.into_iter().map(|r| view! { <RefundForm r /> }).collect_view();
    view! {
        <p><A href=format!("/admin/people/{}", a.person)>{a.person_name}</A></p>
        {a.account.map(|acc| view! {
            <section class="panel">
                <h2>{acc.name}</h2>
                <p class="balance"><strong>{balance_text(acc.balance)}</strong></p>
                <h3>"Счета"</h3>
                <ul class="plain-list">{invoices}</ul>
                <h3>"История"</h3>
                <EntriesTable entries=acc.entries />
            </section>
        })}
        <section class="panel">
            <h2>"Записать оплату"</h2>
            <ActionForm action=record attr:class="form" attr:novalidate=true>
                <FormError error=record_error />
                <input type="hidden" name="person" value=a.person.to_string() />
                <input type="hidden" name="key" value=a.payment_key />
                <SelectField label="Куда" name="invoice" error=record_error>
                    {options}
                    <option value="">"Аванс на баланс"</option>
                </SelectField>
                <Field label="Сумма, ₽" name="amount" required=true error=record_error />
                <Field label="Дата оплаты" name="paid_on" kind="date" hint="Пусто — сегодня." error=record_error />
                <SelectField label="Способ" name="method" error=record_error>{methods}</SelectField>
                <Field label="Номер чека" name="receipt_number" hint="Из чека кассы (54-ФЗ); для наличных и карты обязателен."
                    error=record_error />
                <Submit action=record label="Записать оплату" />
            </ActionForm>
        </section>
        <IssueForm person=a.person key=a.invoice_key />
        {(!refunds.is_empty()).then(|| view! {
            <section class="panel">
                <h2>"Возвраты"</h2>
                <ul class="plain-list">{refunds}</ul>
            </section>
        })}
    }
}

/// «Выставить счёт»: an invoice for whatever the office writes, with an
/// action of its own so its messages stay beside it.
#[component]
fn IssueForm(person: i32, key: String) -> impl IntoView {
    let issue = ServerAction::<IssueInvoice>::new();
    let error = action_error(issue);
    view! {
        <section class="panel">
            <details>
                <summary>"Выставить счёт"</summary>
                <ActionForm action=issue attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="person" value=person.to_string() />
                    <input type="hidden" name="key" value=key />
                    <Field label="За что" name="description" id="f-invoice-description" required=true error />
                    <Field label="Сумма счёта, ₽" name="amount" id="f-invoice-amount" required=true error />
                    <Field label="Оплатить до" name="due_on" kind="date" id="f-invoice-due" hint="Пусто — через пять дней." error />
                    <Submit action=issue label="Выставить счёт" />
                </ActionForm>
            </details>
        </section>
    }
}

/// Cancelling an invoice nothing was paid on, with the reason.
#[component]
fn CancelForm(id: i32) -> impl IntoView {
    let cancel = ServerAction::<CancelInvoice>::new();
    let error = action_error(cancel);
    view! {
        <details>
            <summary>"Отменить счёт"</summary>
            <ActionForm action=cancel attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=id.to_string() />
                <Field label="Причина отмены" name="reason" id=format!("f-cancel-reason-{id}") error />
                <Submit action=cancel label="Отменить счёт" class="button button--danger" />
            </ActionForm>
        </details>
    }
}

#[component]
pub fn OfficeInvoicePage() -> impl IntoView {
    let invoice = by_route_id(load_office_invoice);
    view! {
        <OfficePage title="Счёт">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(invoice.await, |invoice| view! { <InvoiceDocument invoice office=true /> }) })}
            </Suspense>
        </OfficePage>
    }
}

/// A payment's refund form, with an action of its own: its messages stay
/// beside it (a refusal does not re-read the page).
#[component]
fn RefundForm(r: Refundable) -> impl IntoView {
    let refund = ServerAction::<RefundPayment>::new();
    let error = action_error(refund);
    let id = r.entry;
    let paid = r.paid_on.map(ru::date).unwrap_or_default();
    view! {
        <li>
            <details>
                <summary>{format!("Оплата {} от {paid}: можно вернуть до {}", r.amount, r.left)}</summary>
                <ActionForm action=refund attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="entry" value=id.to_string() />
                    <input type="hidden" name="key" value=r.key />
                    <Field label="Сумма возврата, ₽" name="amount" id=format!("f-refund-amount-{id}") error />
                    <Field label="Причина" name="reason" id=format!("f-refund-reason-{id}") error />
                    <Submit action=refund label="Вернуть" class="button button--ghost" />
                </ActionForm>
            </details>
        </li>
    }
}
