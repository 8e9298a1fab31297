use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_location};

/// Sets the HTTP status of the page being rendered on the server; a no-op in
/// the browser, where the page is already delivered.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    crate::server::set_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Страница не найдена" />
        <Meta name="robots" content="noindex" />
        <section class="error-page">
            <p class="error-page__code" aria-hidden="true">
                "404"
            </p>
            <h1>"Страница не найдена"</h1>
            <p>"Возможно, её убрали со сцены или в адресе опечатка."</p>
            <p>
                <A href="/" attr:class="button">
                    "На главную"
                </A>
                " "
                <A href="/courses" attr:class="button button--ghost">
                    "Курсы и расписание"
                </A>
            </p>
        </section>
    }
}

/// The page shown in place of content that failed to load.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    set_status(error.status());
    // Signing in (again, as someone else) leads back to this very page.
    let sign_in = || {
        let here = use_location();
        format!("/login?next={}", super::url_encode(&format!("{}{}", here.pathname.get_untracked(), here.search.get_untracked())))
    };
    let (title, href, action) = match error {
        AppError::Unauthenticated => ("Нужно войти", sign_in(), "Войти"),
        AppError::Forbidden => ("Нет доступа", sign_in(), "Войти под другой учётной записью"),
        // A course or show taken off the site: the way to what is on now.
        AppError::Gone => ("Снято с расписания", "/courses".to_string(), "Курсы и расписание"),
        _ => ("Не получилось", "/".to_string(), "На главную"),
    };
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
        <section class="error-page" role="alert">
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            <p>
                <A href=href attr:class="button">
                    {action}
                </A>
            </p>
        </section>
    }
    .into_any()
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            "Загружаем…"
        </p>
    }
}
