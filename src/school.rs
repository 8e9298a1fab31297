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
pub struct SchoolDetails(Resource<Result<School, AppError>>);

impl SchoolDetails {
    /// Loads the details for the page and its parts (the office's changes
    /// show after its action, like any list on screen).
    pub fn provide() -> Self {
        let epoch = expect_context::<ActionEpoch>();
        let details = SchoolDetails(Resource::new(move || epoch.0.get(), |_| load_school()));
        provide_context(details);
        details
    }

    pub fn expect() -> Self {
        expect_context()
    }

    /// The details once loaded, for the page's title (which the server
    /// writes after every `Suspense` has resolved, and the browser with each
    /// navigation); the defaults should the database not answer.
    pub fn get_untracked(self) -> School {
        self.0.get_untracked().and_then(Result::ok).unwrap_or_default()
    }

    /// The details, waited for: inside a `Suspense`, where the server's HTML
    /// and the browser's hydration see the same.
    pub async fn wait(self) -> School {
        self.0.await.unwrap_or_default()
    }
}
