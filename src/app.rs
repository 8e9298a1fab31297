//! The HTML shell, the router and the layout around every page.
use crate::{
    account::Logout,
    domain::{account::Viewer, role::nav_items, school::School},
    school::SchoolDetails,
    ui::{ActionEpoch, FlashArea, NavLink, NotFound, provide_action_epoch},
    viewer::get_viewer,
};
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{A, Route, Router, Routes},
    hooks::use_location,
    path,
};
use pages::*;

/// The HTML document around every page the server renders.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::server::bundle::BundleScripts;
    use leptos_meta::{HashedStylesheet, MetaTags};
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
                <BundleScripts options />
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
    crate::seo::SiteUrl::provide();
    provide_action_epoch();
    let school_name = SchoolDetails::provide().title_name();

    // Public pages render completely on the server (`SsrMode::Async`) so that
    // the HTML already holds the content for visitors without JavaScript and
    // for search engines.
    view! {
        <Title formatter=move |title| page_title(&school_name(), title) />
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
                    <Route path=path!("courses/:id/enroll") view={Lazy::<EnrollPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/enrollments") view={Lazy::<MyEnrollmentsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/portfolio") view={Lazy::<MyPortfolioPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/reviews") view={Lazy::<MyReviewsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/passes") view={Lazy::<MyPassesPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/payments") view={Lazy::<MyMoneyPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/invoices/:id") view={Lazy::<MyInvoicePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/family") view={Lazy::<MyFamilyPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("family/join") view={Lazy::<ChildLoginPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("family/accept") view={Lazy::<AcceptFamilyPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("students/:id/portfolio") view=PublicPortfolioPage ssr=SsrMode::Async />
                    <Route path=path!("teach") view={Lazy::<DeskPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("teach/courses/:id") view={Lazy::<RosterPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("teach/students/:id") view={Lazy::<StudentPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("teach/pay") view={Lazy::<MyPayPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("teachers/:id") view=TeacherPublicPage ssr=SsrMode::Async />
                    <Route path=path!("login") view={Lazy::<LoginPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("login/code") view={Lazy::<LoginCodePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("register") view={Lazy::<RegisterPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("forgot") view={Lazy::<ForgotPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reset-password") view={Lazy::<ResetPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("confirm-email") view={Lazy::<ConfirmEmailPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("confirm-email-change") view={Lazy::<ConfirmEmailChangePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("my/profile") view={Lazy::<ProfilePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("privacy") view={Lazy::<PrivacyPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin") view={Lazy::<AdminPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/people") view={Lazy::<PeoplePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/people/:id") view={Lazy::<PersonPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/people/:id/money") view={Lazy::<OfficeAccountPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/invoices/:id") view={Lazy::<OfficeInvoicePage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/payments") view={Lazy::<OfficeMoneyPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/reports") view={Lazy::<ReportsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/payroll") view={Lazy::<PayrollPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/courses") view={Lazy::<CoursesAdminPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/courses/:id") view={Lazy::<CourseEditorPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/passes") view={Lazy::<OfficePassesPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/courses/:id/prices") view={Lazy::<PricingPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/shows") view={Lazy::<ShowsAdminPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view={Lazy::<AuditPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/reviews") view={Lazy::<ReviewsAdminPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/school") view={Lazy::<SchoolSettingsPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/bank") view={Lazy::<BankDetailsPage>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// The text of every page's `<title>`. On the server leptos_meta writes it
/// into `<head>` as it is, so it is escaped here (a teacher's name or a
/// show's title is typed by people); in the browser it becomes
/// `document.title`, which is text already.
fn page_title(school: &str, title: String) -> String {
    let full = if title.is_empty() {
        format!("{school} — театральная школа")
    } else {
        format!("{title} — {school}")
    };
    #[cfg(feature = "ssr")]
    let full = crate::domain::text::escape_html(&full);
    full
}

#[component]
fn Header() -> impl IntoView {
    let school = SchoolDetails::expect();
    let location = use_location();
    let epoch = expect_context::<ActionEpoch>();
    let logout = ServerAction::<Logout>::new();
    // Re-read after navigations and actions: that is when sign-in can change.
    // Signing out does not refresh the page it leaves (its data is gone with
    // the session), so the header watches it itself.
    let viewer = Resource::new(
        move || (location.pathname.get(), epoch.0.get(), logout.version().get()),
        |_| get_viewer(),
    );
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <NavLink href="/" exact=true class="logo">
                    <span class="logo__mark" aria-hidden="true">
                        "◐"
                    </span>
                    <span class="logo__name">
                        <Suspense>{move || Suspend::new(async move { school.wait().await.name })}</Suspense>
                    </span>
                    <span class="logo__tag">"театральная школа"</span>
                </NavLink>
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
                                <NavLink href=item.href>{item.label}</NavLink>
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
    let school = SchoolDetails::expect();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <Transition>
                    {move || Suspend::new(async move { view! { <SchoolContacts school=school.wait().await /> } })}
                </Transition>
                <p class="muted">
                    <a href="/privacy">"Обработка персональных данных"</a>
                </p>
            </div>
        </footer>
    }
}

/// The school's name, address, contacts and links, as the office set them.
#[component]
fn SchoolContacts(school: School) -> impl IntoView {
    let phone = (!school.phone.is_empty()).then(|| view! { <a href=school.phone_href()>{school.phone.clone()}</a> });
    let email = (!school.email.is_empty())
        .then(|| view! { <a href=format!("mailto:{}", school.email)>{school.email.clone()}</a> });
    let map = (!school.map_url.is_empty())
        .then(|| view! { <a href=school.map_url.clone() rel="noopener" target="_blank">"Как добраться"</a> });
    let contacts: Vec<AnyView> = [phone.map(IntoAny::into_any), email.map(IntoAny::into_any), map.map(IntoAny::into_any)]
        .into_iter()
        .flatten()
        .collect();
    let social = (!school.social.is_empty()).then(|| {
        let links = school.social.iter().map(|link| {
            view! { <li><a href=link.clone() rel="me noopener" target="_blank">{School::site_of(link).to_string()}</a></li> }
        });
        view! { <ul class="site-footer__social" aria-label="Школа в соцсетях">{links.collect_view()}</ul> }
    });
    view! {
        <p>
            <strong>{school.name.clone()}</strong>
            " — школа актёрского мастерства."
            {(!school.address.is_empty()).then(|| format!(" {}", school.address))}
        </p>
        <p class="site-footer__contacts">
            {contacts.into_iter().enumerate().map(|(i, link)| view! { {(i > 0).then_some(" · ")} {link} }).collect_view()}
        </p>
        {social}
    }
}

/// The pages of signed-in people are pieces of the browser bundle of their
/// own (`cargo leptos build --split`): a visitor downloads the shell and the
/// public pages only, and a teacher's or the office's pages arrive when
/// someone opens one. The server names the opened page's piece in the HTML
/// head, so it loads beside the main bundle, not after it. A piece holds an
/// audience's first page with the pages as light, and each heavier set of
/// pages opened later (the wizard, a portfolio, rosters, people) is a piece
/// of its own: a role's first page stays within its budget
/// (`scripts/test-budget.sh`) while the pieces stay few.
mod pages {
    pub use crate::{
        home::HomePage,
        portfolio::PublicPortfolioPage,
        schedule::{CoursePage, CoursesPage},
        shows::{AfishaPage, ShowPage},
        teaching::TeacherPublicPage,
    };
    use leptos::prelude::*;
    use leptos_router::LazyRoute;

    macro_rules! lazy_audiences {
        ($($audience:ident { $($page:ident => $component:path),* $(,)? })*) => {$(
            mod $audience {
                use leptos::prelude::*;

                // Named after the pages they stand for.
                #[allow(clippy::enum_variant_names)]
                #[derive(Clone, Copy)]
                pub enum Page {
                    $($page),*
                }

                #[leptos::lazy($audience)]
                pub fn view(page: Page) -> AnyView {
                    match page {
                        $(Page::$page => $component().into_any()),*
                    }
                }

                #[cfg(target_arch = "wasm32")]
                pub use __preload_view as preload;
            }

            $(
                pub struct $page;

                impl LazyRoute for $page {
                    fn data() -> Self {
                        $page
                    }

                    async fn view(_page: Self) -> AnyView {
                        $audience::view($audience::Page::$page).await
                    }

                    async fn preload() {
                        #[cfg(target_arch = "wasm32")]
                        $audience::preload().await;
                    }
                }
            )*
        )*};
    }

    lazy_audiences! {
        account {
            LoginPage => crate::account::LoginPage,
            LoginCodePage => crate::account::LoginCodePage,
            RegisterPage => crate::account::RegisterPage,
            ForgotPage => crate::account::ForgotPage,
            ResetPage => crate::account::ResetPage,
            ConfirmEmailPage => crate::account::ConfirmEmailPage,
            ConfirmEmailChangePage => crate::account::ConfirmEmailChangePage,
            ChildLoginPage => crate::family::ChildLoginPage,
            ProfilePage => crate::account::ProfilePage,
            PrivacyPage => crate::account::PrivacyPage,
        }
        student {
            MyEnrollmentsPage => crate::enrollment::MyEnrollmentsPage,
            MyReviewsPage => crate::reviews::MyReviewsPage,
        }
        // The wizard and the portfolio are pieces of their own: a student's
        // first page (their history) need not carry them.
        enrolling {
            EnrollPage => crate::enrollment::EnrollPage,
        }
        own_portfolio {
            MyPortfolioPage => crate::portfolio::MyPortfolioPage,
        }
        // A piece of its own: the family's pages are opened now and then,
        // and a student's first page need not carry them.
        family {
            MyFamilyPage => crate::family::MyFamilyPage,
            AcceptFamilyPage => crate::family::AcceptFamilyPage,
        }
        // Passes, a piece of their own for the student and for the office.
        own_passes {
            MyPassesPage => crate::passes::MyPassesPage,
        }
        office_passes {
            PricingPage => crate::passes::PricingPage,
            OfficePassesPage => crate::passes::OfficePassesPage,
        }
        // Money, a piece of its own for the family and for the office.
        own_money {
            MyMoneyPage => crate::payments::MyMoneyPage,
            MyInvoicePage => crate::payments::MyInvoicePage,
        }
        office_payments {
            BankDetailsPage => crate::payments::BankDetailsPage,
            OfficeAccountPage => crate::payments::OfficeAccountPage,
            OfficeInvoicePage => crate::payments::OfficeInvoicePage,
            OfficeMoneyPage => crate::payments::OfficeMoneyPage,
            ReportsPage => crate::payments::ReportsPage,
            PayrollPage => crate::payments::PayrollPage,
        }
        teaching {
            DeskPage => crate::teaching::DeskPage,
        }
        // Rosters and a student's card (with minors' families) apart from
        // the desk, the teacher's first page.
        rosters {
            RosterPage => crate::teaching::RosterPage,
            StudentPage => crate::teaching::StudentPage,
            MyPayPage => crate::payments::MyPayPage,
        }
        // People (accounts, roles, families) apart from the rest of the
        // office: the dashboard, its first page, need not carry them.
        people {
            PeoplePage => crate::admin::PeoplePage,
            PersonPage => crate::admin::PersonPage,
        }
        office {
            AdminPage => crate::admin::AdminPage,
            ShowsAdminPage => crate::admin::ShowsAdminPage,
            AuditPage => crate::admin::AuditPage,
            ReviewsAdminPage => crate::admin::ReviewsAdminPage,
            SchoolSettingsPage => crate::admin::SchoolSettingsPage,
        }
        // The course editor (the office's largest form) apart from the
        // dashboard, the office's first page.
        office_courses {
            CoursesAdminPage => crate::admin::CoursesAdminPage,
            CourseEditorPage => crate::admin::CourseEditorPage,
        }
    }
}
