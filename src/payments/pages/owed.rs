//! The office's «Оплаты»: invoices past their due date and families (or
//! adult students) who owe, each a link to their money page.
use super::DebtorsTable;
use crate::{
    admin::OfficePage,
    domain::ru,
    payments::{OfficeMoney, load_office_money},
    ui::{DataTable, Loading, result_view},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn OfficeMoneyPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_office_money());
    view! {
        <OfficePage title="Оплаты">
            <p><A href="/admin/bank">"Реквизиты для оплаты"</A> " · " <A href="/admin/reports">"Отчёты"</A></p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |d| view! { <Owed d /> }) })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn Owed(d: OfficeMoney) -> impl IntoView {
    let overdue = if d.overdue.is_empty() {
        view! { <p class="empty">"Просроченных счетов нет."</p> }.into_any()
    } else {
        let rows = d
            .overdue
            .into_iter()
            .map(|r| view! {
                <tr>
                    <td><A href=format!("/admin/invoices/{}", r.invoice_id)>{format!("№ {}", r.number)}</A></td>
                    <td>{r.student_name}</td>
                    <td>{ru::date(r.due_on)}</td>
                    <td class="num">{r.left.to_string()}</td>
                </tr>
            })
            .collect_view();
        view! { <DataTable caption="Просроченные счета" headers=&["Счёт", "Ученик", "Срок", "Осталось"]>{rows}</DataTable> }.into_any()
    };
    view! {
        <section class="panel">
            <h2>"Просроченные счета"</h2>
            {overdue}
        </section>
        <section class="panel">
            <h2>"Должники"</h2>
            <DebtorsTable rows=d.debtors />
        </section>
    }
}
