//! The school's own details on every page: the shell reads them once per
//! page and again after actions (header, footer, page titles); the office
//! edits them on its «Школа» page.
use crate::{domain::school::School, error::AppError, ui::ActionEpoch};
use leptos::prelude::*;

/// Public: what the header, footer and titles of every page show.
#[server(endpoint = "school")]
pub async fn load_school() -> Result<School, AppError> {
    Ok(crate::server::settings::school(&crate::server::state()?.db).await?)
}

/// The details as the shell loaded them.
#[derive(Clone, Copy)]
pub struct SchoolDetails {
    details: Resource<Result<School, AppError>>,
    /// The name as soon as the details arrive, for the page's title: the
    /// title stands outside every `Suspense`, where a resource is not read.
    /// Reference-counted, not in the page's arena: on the server leptos_meta
    /// formats the title after the render, outside the arena of the request,
    /// and reading an arena signal there found another request's arena under
    /// load («already disposed»: a panic, and the render's task left spinning).
    name: StoredValue<ArcRwSignal<Option<String>>>,
}

impl SchoolDetails {
    /// Loads the details for the page and its parts (the office's changes
    /// show after its action, like any list on screen).
    pub fn provide() -> Self {
        let epoch = expect_context::<ActionEpoch>();
        let details = SchoolDetails {
            details: Resource::new(move || epoch.0.get(), |_| load_school()),
            name: StoredValue::new(ArcRwSignal::new(None)),
        };
        provide_context(details);
        details
    }

    pub fn expect() -> Self {
        expect_context()
    }

    /// The details, waited for: inside a `Suspense`, where the server's HTML
    /// and the browser's hydration see the same. The defaults should the
    /// database not answer: a page always has a name.
    pub async fn wait(self) -> School {
        let school = self.details.await.unwrap_or_default();
        self.name.with_value(|name| name.set(Some(school.name.clone())));
        school
    }

    /// The name for the title, read where no arena may be: the server writes
    /// the title after every `Suspense` has resolved (the header's waits for
    /// the details).
    pub fn title_name(self) -> impl Fn() -> String + Send + Sync + 'static {
        let name = self.name.get_value();
        move || name.get().unwrap_or_else(|| School::default().name)
    }
}
