//! «Оплата»: a family's (or adult student's) balance, invoices and payment
//! history; and one invoice to pay by QR code.
use super::{EntriesTable, balance_text, invoice::InvoiceDocument};
use crate::{
    domain::ru,
    payments::{AccountView, load_invoice, load_my_money},
    ui::{Loading, by_route_id, result_view},
    viewer::{Gate, STUDENTS},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

#[component]
pub fn MyMoneyPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |_| load_my_money());
    view! {
        <Title text="Оплата" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <h1>"Оплата"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(accounts.await, |all| {
                        if all.is_empty() {
                            return view! { <p class="empty">"Счетов пока нет: счёт появится, когда вы попросите абонемент."</p> }.into_any();
                        }
                        all.into_iter().map(|a| view! { <Account a /> }).collect_view().into_any()
                    })
                })}
            </Suspense>
        </Gate>
    }
}

#[component]
fn Account(a: AccountView) -> impl IntoView {
    let invoices = a
        .invoices
        .into_iter()
        .map(|i| {
            let for_whom = i.student_name.map(|s| format!(" · {s}")).unwrap_or_default();
            view! {
                <li>
                    <A href=format!("/my/invoices/{}", i.id)>{format!("Счёт № {}", i.number)}</A>
                    {format!(" · {} · {}{for_whom} · до {}", i.total, i.status.label(), ru::date(i.due_on))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <h2>{a.name}</h2>
            <p class="balance"><strong>{balance_text(a.balance)}</strong></p>
            <h3>"Счета"</h3>
            <ul class="plain-list">{invoices}</ul>
            <h3>"История"</h3>
            <EntriesTable entries=a.entries />
        </section>
    }
}

#[component]
pub fn MyInvoicePage() -> impl IntoView {
    let invoice = by_route_id(load_invoice);
    view! {
        <Title text="Счёт" />
        <Meta name="robots" content="noindex" />
        <Gate audience=STUDENTS>
            <p class="no-print"><A href="/my/payments">"← Оплата"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(invoice.await, |invoice| view! { <InvoiceDocument invoice /> }) })}
            </Suspense>
        </Gate>
    }
}
