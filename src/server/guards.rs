//! The guards: the only way into a service that is not for everyone. Each
//! is made here by its check, from the request's session or from an account
//! loaded for a job; a service that takes one needs no other proof. They
//! carry who acts (id, role, name), never the account's hash or secrets.
use super::{auth, entities::user, state};
use crate::{domain::Role, error::AppError};
use sea_orm::DatabaseConnection;
use std::ops::Deref;

/// Who did something, as the audit log and the records name them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: i32,
    pub role: Role,
    pub name: String,
}

impl Actor {
    fn of(u: &user::Model) -> Actor {
        Actor { id: u.id, role: u.role, name: u.full_name.clone() }
    }
}

/// An administrator of the school, checked: their role, and their sign-in
/// codes where the school requires them.
#[derive(Clone, Debug)]
pub struct Office(Actor);

impl Office {
    /// The office, if `u` is of it.
    pub async fn check(db: &DatabaseConnection, u: &user::Model) -> Result<Office, AppError> {
        auth::check_role(db, u, &[Role::Admin]).await?;
        Ok(Office(Actor::of(u)))
    }

    /// The caller of this server function, if they are of the office.
    pub async fn of_request() -> Result<Office, AppError> {
        let u = auth::require_user().await?;
        Office::check(&state()?.db, &u).await
    }
}

impl Deref for Office {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.0
    }
}
