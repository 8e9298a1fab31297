//! The HTML shell, the router and the layout around every page.
use crate::{
    account::{
        ConfirmEmailChangePage, ConfirmEmailPage, ForgotPage, LoginCodePage, LoginPage, Logout, ProfilePage,
        RegisterPage, ResetPage, get_viewer,
    },
    admin::{
        AdminPage, AuditPage, CourseEditorPage, CoursesAdminPage, PeoplePage, PersonPage, ReviewsAdminPage, ShowsAdminPage,
    },
    domain::{account::Viewer, role::nav_items},
    enrollment::{EnrollPage, MyEnrollmentsPage},
    home::HomePage,
    portfolio::{MyPortfolioPage, PublicPortfolioPage},
    reviews::MyReviewsPage,
    schedule::{CoursePage, CoursesPage},
    shows::{AfishaPage, ShowPage},
    teaching::{DeskPage, RosterPage, StudentPage, TeacherPublicPage},
    ui::{ActionEpoch, FlashArea, NotFound, action_error, provide_action_epoch},
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{A, Route, Router, Routes},
    hooks::use_location,
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
                <HashedStylesheet options=options.clone() id="leptos" />
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_action_epoch();

    // Public pages render completely on the server (`SsrMode::Async`) so that
    // the HTML already holds the content for visitors without JavaScript and
    // for search engines.
    view! {
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
                    <Route path=path!("courses/:id/enroll") view=EnrollPage ssr=SsrMode::Async />
                    <Route path=path!("my/enrollments") view=MyEnrollmentsPage ssr=SsrMode::Async />
                    <Route path=path!("my/portfolio") view=MyPortfolioPage ssr=SsrMode::Async />
                    <Route path=path!("my/reviews") view=MyReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("students/:id/portfolio") view=PublicPortfolioPage ssr=SsrMode::Async />
                    <Route path=path!("teach") view=DeskPage ssr=SsrMode::Async />
                    <Route path=path!("teach/courses/:id") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("teach/students/:id") view=StudentPage ssr=SsrMode::Async />
                    <Route path=path!("teachers/:id") view=TeacherPublicPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("login/code") view=LoginCodePage ssr=SsrMode::Async />
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("forgot") view=ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("reset-password") view=ResetPage ssr=SsrMode::Async />
                    <Route path=path!("confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route
                        path=path!("confirm-email-change")
                        view=ConfirmEmailChangePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("my/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/people") view=PeoplePage ssr=SsrMode::Async />
                    <Route path=path!("admin/people/:id") view=PersonPage ssr=SsrMode::Async />
                    <Route path=path!("admin/courses") view=CoursesAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/courses/:id") view=CourseEditorPage ssr=SsrMode::Async />
                    <Route path=path!("admin/shows") view=ShowsAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/reviews") view=ReviewsAdminPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let location = use_location();
    let epoch = expect_context::<ActionEpoch>();
    // Re-read after navigations and actions: that is when sign-in can change.
    let viewer = Resource::new(move || (location.pathname.get(), epoch.0.get()), |_| get_viewer());
    let logout = ServerAction::<Logout>::new();
    let _ = action_error(logout);
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
                <Transition fallback=|| view! { <SiteNav viewer=None logout=None /> }>
                    {move || Suspend::new(async move {
                        let viewer = viewer.await.ok().flatten();
                        view! { <SiteNav viewer logout=Some(logout) /> }
                    })}
                </Transition>
            </div>
        </header>
    }
}

#[component]
fn SiteNav(viewer: Option<Viewer>, logout: Option<ServerAction<Logout>>) -> impl IntoView {
    let links = nav_items(viewer.as_ref().map(|v| v.role));
    view! {
        <nav class="site-nav" aria-label="Основная навигация">
            <ul>
                {links
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
        <div class="site-user">
            {match (viewer, logout) {
                (Some(v), Some(logout)) => {
                    view! {
                        <span class="site-user__name">{v.full_name}</span>
                        <ActionForm action=logout attr:class="site-user__logout">
                            <button type="submit" class="link-button">
                                "Выйти"
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
                _ => {
                    view! {
                        <A href="/login" attr:class="site-user__link">
                            "Войти"
                        </A>
                        <A href="/register" attr:class="site-user__link site-user__link--accent">
                            "Регистрация"
                        </A>
                    }
                        .into_any()
                }
            }}
        </div>
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
