//! What every office page shares: the frame with its links, tables,
//! the title search and the pager.
use super::ListQuery;
use crate::{
    ui::{FilterForm, FilterSearch, FilterSelect, NavLink},
    viewer::{Gate, OFFICE},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;

/// The frame of every office page: title, heading and the office's links,
/// for the office only.
#[component]
pub fn OfficePage(title: &'static str, children: ChildrenFn) -> impl IntoView {
    view! {
        <Title text=format!("{title} — администрирование") />
        <Meta name="robots" content="noindex" />
        <Gate audience=OFFICE>
            <h1>{title}</h1>
            <OfficeNav />
            {children()}
        </Gate>
    }
}

/// The search and sort form above a list found by title; `newest` names
/// the default order.
#[component]
pub(super) fn TitleSearch(action: &'static str, q: ListQuery, newest: &'static str) -> impl IntoView {
    view! {
        <FilterForm action=action button="Найти" inline=true>
            <FilterSearch label="Поиск по названию" name="search" value=q.search />
            <FilterSelect label="Порядок" name="sort" any=newest>
                <option value="title" selected=q.sort == "title">"По названию"</option>
            </FilterSelect>
        </FilterForm>
    }
}

/// The `page` parameter of a list's address, 1 when absent.
pub(super) fn page_param(value: Option<String>) -> u64 {
    value.and_then(|n| n.parse().ok()).unwrap_or(1)
}

/// The office's own links, on top of each of its pages.
#[component]
pub fn OfficeNav() -> impl IntoView {
    view! {
        <nav class="view-switch office-nav" aria-label="Разделы администрирования">
            <NavLink href="/admin" exact=true>"Сводка"</NavLink>
            <NavLink href="/admin/courses">"Курсы"</NavLink>
            <NavLink href="/admin/people">"Люди"</NavLink>
            <NavLink href="/admin/passes">"Абонементы"</NavLink>
            <NavLink href="/admin/payments">"Оплаты"</NavLink>
            <NavLink href="/admin/reports">"Отчёты"</NavLink>
            <NavLink href="/admin/shows">"Афиша"</NavLink>
            <NavLink href="/admin/reviews">"Отзывы"</NavLink>
            <NavLink href="/admin/school">"Школа"</NavLink>
            <NavLink href="/admin/audit">"Журнал"</NavLink>
        </nav>
    }
}

/// Links to the other pages of a long list.
#[component]
pub(super) fn Pager(page: u64, pages: u64, total: u64, href: impl Fn(u64) -> String + 'static) -> impl IntoView {
    view! {
        <nav class="pager" aria-label="Страницы">
            <span class="muted">{format!("Всего: {total}. Страница {page} из {pages}")}</span>
            {(page > 1).then(|| view! { <A href=href(page - 1)>"← Назад"</A> })}
            {(page < pages).then(|| view! { <A href=href(page + 1)>"Дальше →"</A> })}
        </nav>
    }
}
