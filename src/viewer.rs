//! Who is signed in, and the gate in front of every page that is not public.
use crate::{
    domain::{Role, account::Viewer},
    error::AppError,
    ui::{ErrorView, Loading},
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::auth;

/// Who is signed in (public: anyone may ask about themselves).
#[server(endpoint = "account/viewer")]
pub async fn get_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(auth::current_user().await?.map(|u| Viewer { id: u.id, full_name: u.full_name, role: u.role }))
}

/// Who may open a page that is not public.
#[derive(Clone, Copy, Debug)]
pub enum Audience {
    SignedIn,
    Only(&'static [Role]),
}

pub const OFFICE: Audience = Audience::Only(&[Role::Admin]);
pub const STAFF: Audience = Audience::Only(&[Role::Teacher, Role::Admin]);
pub const STUDENTS: Audience = Audience::Only(&[Role::Student]);

impl Audience {
    /// Whether `viewer` is let in, and the refusal if not.
    pub fn admits(self, viewer: Option<&Viewer>) -> Result<(), AppError> {
        let viewer = viewer.ok_or(AppError::Unauthenticated)?;
        match self {
            Audience::SignedIn => Ok(()),
            Audience::Only(roles) if roles.contains(&viewer.role) => Ok(()),
            Audience::Only(_) => Err(AppError::Forbidden),
        }
    }
}

/// Draws a page only for its audience; anyone else sees the refusal alone,
/// not the page's headings, menus and forms above it. It protects nothing
/// (every server function checks its caller itself): it keeps a refusal
/// from looking like permission.
#[component]
pub fn Gate(audience: Audience, children: ChildrenFn) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Suspense fallback=Loading>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match viewer.await.and_then(|v| audience.admits(v.as_ref())) {
                        Ok(()) => children().into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone(role: Role) -> Viewer {
        Viewer { id: 1, full_name: "Анна".into(), role }
    }

    #[test]
    fn visitors_are_asked_to_sign_in_everywhere() {
        for audience in [Audience::SignedIn, OFFICE, STAFF, STUDENTS] {
            assert_eq!(audience.admits(None), Err(AppError::Unauthenticated), "{audience:?}");
        }
    }

    #[test]
    fn each_audience_admits_its_roles_and_refuses_the_rest() {
        let cases = [
            (OFFICE, Role::Admin, true),
            (OFFICE, Role::Teacher, false),
            (OFFICE, Role::Student, false),
            (STAFF, Role::Admin, true),
            (STAFF, Role::Teacher, true),
            (STAFF, Role::Student, false),
            (STUDENTS, Role::Student, true),
            (STUDENTS, Role::Teacher, false),
            (STUDENTS, Role::Admin, false),
            (Audience::SignedIn, Role::Student, true),
            (Audience::SignedIn, Role::Teacher, true),
            (Audience::SignedIn, Role::Admin, true),
        ];
        for (audience, role, admitted) in cases {
            let expected = if admitted { Ok(()) } else { Err(AppError::Forbidden) };
            assert_eq!(audience.admits(Some(&someone(role))), expected, "{audience:?} {role:?}");
        }
    }
}
