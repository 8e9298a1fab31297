//! The office's «Абонементы»: passes waiting for payment, passes ending
//! within a week with lessons left, lessons on credit, and the report of a
//! month per course with its CSV for Excel.
use crate::{
    admin::OfficeNav,
    domain::{report::ReportRow, ru},
    passes::{CreditRow, OfficePasses, PassListRow, load_office_passes},
    ui::{FilterForm, Loading, result_view},
    viewer::{Gate, OFFICE},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn OfficePassesPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("month").unwrap_or_default(), load_office_passes);
    view! {
        <Title text="Абонементы — администрирование" />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
            <h1>"Абонементы"</h1>
            <OfficeNav />
            <Suspense fallback=Loading>
                {move || Suspend::new(async move { result_view(data.await, |d| view! { <Books d /> }) })}
            </Suspense>
        </Gate>
    }
}

fn pass_rows(rows: Vec<PassListRow>, empty: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|r| view! {
            <li>
                <A href=format!("/admin/people/{}", r.student_id)>{r.student_name}</A>
                {format!(" · {} · {} · осталось {} · до {}", r.course_title, r.name, r.lessons_left, ru::date(r.valid_until))}
            </li>
        })
        .collect_view();
    view! { <ul class="plain-list">{items}</ul> }.into_any()
}

fn credit_rows(rows: Vec<CreditRow>) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty">"Долгов нет."</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|r| view! {
            <li>
                <A href=format!("/admin/people/{}", r.student_id)>{r.student_name}</A>
                {format!(" · {} · {}", r.course_title, ru::date(r.date))}
            </li>
        })
        .collect_view();
    view! { <ul class="plain-list">{items}</ul> }.into_any()
}

fn report_row(r: ReportRow, total: bool) -> impl IntoView {
    let title = if total { view! { <th scope="row">{r.course_title}</th> }.into_any() } else { view! { <td>{r.course_title}</td> }.into_any() };
    view! {
        <tr>
            {title}
            <td>{r.passes_sold}</td>
            <td>{r.revenue.to_string()}</td>
            <td>{r.written_off}</td>
            <td>{r.expired}</td>
            <td>{r.on_credit}</td>
        </tr>
    }
}

#[component]
fn Books(d: OfficePasses) -> impl IntoView {
    let rows = d.report.into_iter().map(|r| report_row(r, false)).collect_view();
    let csv = format!("/admin/passes/report.csv?month={}", d.month);
    view! {
        <section class="panel">
            <h2>"Ждут оплаты"</h2>
            <p class="muted">"Оплату записывайте на странице ученика («Оплата»): оплаченный абонемент начнётся сам."</p>
            {pass_rows(d.waiting, "Никто не ждёт.")}
        </section>
        <section class="panel">
            <h2>"Заканчиваются в ближайшую неделю"</h2>
            {pass_rows(d.ending, "Таких абонементов нет.")}
        </section>
        <section class="panel">
            <h2>"Занятия в долг"</h2>
            {credit_rows(d.credits)}
        </section>
        <section class="panel">
            <h2>"Отчёт за месяц"</h2>
            <FilterForm action="/admin/passes".to_string() inline=true>
                <div class="field">
                    <label for="f-month">"Месяц"</label>
                    <input id="f-month" type="month" name="month" value=d.month.clone() />
                </div>
            </FilterForm>
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">"Абонементы по курсам за месяц"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Курс"</th>
                            <th scope="col">"Продано"</th>
                            <th scope="col">"Сумма"</th>
                            <th scope="col">"Списано"</th>
                            <th scope="col">"Сгорело"</th>
                            <th scope="col">"В долг"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>{report_row(d.totals, true)}</tfoot>
                </table>
            </div>
            <p><a href=csv rel="external" download="">"Скачать CSV для Excel"</a></p>
        </section>
    }
}
