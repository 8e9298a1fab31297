//! The HTML shell, the router and the layout around every page.
use crate::{
    domain::role::{Role, nav_items},
    home::HomePage,
    schedule::{CoursePage, CoursesPage},
    shows::{AfishaPage, ShowPage},
    ui::{FlashArea, NotFound, provide_flash},
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{A, Route, Router, Routes},
    path,
};

pub const SCHOOL_NAME: &str = "Кулисы";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#5b1222" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Who is looking at the page: `None` for a visitor. Filled from the session
/// on the server; the header and guards of the UI read it, the server
/// functions check again on their own.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Viewer(pub Option<Role>);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_flash();
    provide_context(Viewer::default());

    // Public pages render completely on the server (`SsrMode::Async`) so that
    // the HTML already holds the content for visitors without JavaScript and
    // for search engines.
    view! {
        <Stylesheet id="leptos" href="/pkg/kulisy.css" />
        <Title formatter=|title: String| {
            if title.is_empty() {
                format!("{SCHOOL_NAME} — театральная школа")
            } else {
                format!("{title} — {SCHOOL_NAME}")
            }
        } />
        <Router>
            <a class="skip-link" href="#main">
                "Перейти к содержанию"
            </a>
            <Header />
            <main id="main" class="page">
                <FlashArea />
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("afisha") view=AfishaPage ssr=SsrMode::Async />
                    <Route path=path!("afisha/:id") view=ShowPage ssr=SsrMode::Async />
                    <Route path=path!("courses") view=CoursesPage ssr=SsrMode::Async />
                    <Route path=path!("courses/:id") view=CoursePage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="logo">
                    <span class="logo__mark" aria-hidden="true">
                        "◐"
                    </span>
                    <span class="logo__name">{SCHOOL_NAME}</span>
                    <span class="logo__tag">"театральная школа"</span>
                </A>
                <nav class="site-nav" aria-label="Основная навигация">
                    <ul>
                        {nav_items(viewer.0)
                            .into_iter()
                            .map(|item| {
                                view! {
                                    <li>
                                        <A href=item.href>{item.label}</A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>
                    <strong>{SCHOOL_NAME}</strong>
                    " — школа актёрского мастерства. Москва, ул. Театральная, 5."
                </p>
                <p>
                    <a href="tel:+74951204500">"+7 495 120-45-00"</a>
                    " · "
                    <a href="mailto:hello@kulisy.test">"hello@kulisy.test"</a>
                </p>
                <p class="muted">"© 2026 «Кулисы». Все права защищены."</p>
            </div>
        </footer>
    }
}
