//! The guards: the only way into a service that is not for everyone. Each
//! is made here by its check, from the request's session or from an account
//! loaded for a job; a service that takes one needs no other proof. They
//! carry who acts (id, role, name; a student also the address their letters
//! go to), never the account's hash or secrets.
//!
//! No other code can make one, so a service cannot be reached unchecked:
//!
//! ```compile_fail,E0423
//! use kulisy::{domain::Role, server::guards::{Actor, Office}};
//! let forged = Office(Actor { id: 1, role: Role::Admin, name: "Кто-то".into() });
//! ```
//!
//! and one guard is not another: a teacher cannot call the office's service.
//!
//! ```compile_fail,E0308
//! async fn try_it(db: &sea_orm::DatabaseConnection, scope: &kulisy::server::guards::TeacherScope) {
//!     let _ = kulisy::admin::service::set_staff_mfa(db, scope, true).await;
//! }
//! ```
use crate::domain::ids::{CourseId, UserId};
use super::{auth, entities::{family_child, user}, families, mail::Addressee, state, teachers};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use crate::{domain::Role, error::AppError};
use sea_orm::DatabaseConnection;
use std::{collections::HashSet, ops::Deref};

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

/// A student acting for themselves: their bookings, portfolio and reviews.
#[derive(Clone, Debug)]
pub struct Student {
    actor: Actor,
    email: String,
}

impl Student {
    /// The student `u` is, or `Forbidden` for staff.
    pub fn check(u: &user::Model) -> Result<Student, AppError> {
        match u.role {
            Role::Student => Ok(Student { actor: Actor::of(u), email: u.email.clone() }),
            Role::Teacher | Role::Admin => Err(AppError::Forbidden),
        }
    }

    /// The caller of this server function, if they are a student.
    pub async fn of_request() -> Result<Student, AppError> {
        Student::check(&auth::require_user().await?)
    }
}

impl Deref for Student {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.actor
    }
}

impl Addressee for Student {
    fn address(&self) -> &str {
        &self.email
    }

    fn name(&self) -> &str {
        &self.actor.name
    }
}

/// A student acting for a member of their family — themselves, or a child
/// under 18 in the family they are a guardian of — checked on every request
/// from the id the form sent: another family's child is `Forbidden`, and a
/// child who has turned 18 acts only for themselves. The bookings, history,
/// cancellation, review and portfolio services take it; it dereferences to
/// the member, whom the records name, while `by` names who acted.
///
/// ```compile_fail,E0423
/// use kulisy::server::guards::ActingFor;
/// let forged = ActingFor { by: todo!(), member: todo!(), member_email: todo!(), birth_date: None, guardian: true };
/// ```
#[derive(Clone, Debug)]
pub struct ActingFor {
    by: Actor,
    member: Actor,
    member_email: String,
    birth_date: Option<NaiveDate>,
    /// `by` acts as the member's guardian (not for themselves).
    guardian: bool,
}

impl ActingFor {
    /// `student` acting for `member` (themselves when `None`) on `today`.
    pub async fn check(
        db: &impl sea_orm::ConnectionTrait,
        student: &Student,
        member: Option<UserId>,
        today: NaiveDate,
    ) -> Result<ActingFor, AppError> {
        let by = student.actor.clone();
        let member = match member {
            None => return Ok(ActingFor::myself(db, student).await?),
            Some(id) if id.0 == by.id => return Ok(ActingFor::myself(db, student).await?),
            Some(id) => id,
        };
        let family = families::family_guarded_by(db, by.id).await?.ok_or(AppError::Forbidden)?;
        let link = family_child::Entity::find()
            .filter(family_child::Column::ChildId.eq(member.0))
            .filter(family_child::Column::FamilyId.eq(family))
            .one(db)
            .await?
            .ok_or(AppError::Forbidden)?;
        let child = user::Entity::find_by_id(link.child_id).one(db).await?.ok_or(AppError::Forbidden)?;
        if !child.is_active || !families::is_minor(&child, today) {
            return Err(AppError::Forbidden);
        }
        Ok(ActingFor {
            by,
            member: Actor::of(&child),
            member_email: child.email,
            birth_date: child.birth_date,
            guardian: true,
        })
    }

    async fn myself(db: &impl sea_orm::ConnectionTrait, student: &Student) -> Result<ActingFor, AppError> {
        // A teenager's own birth date, for the courses' age ranges.
        let birth_date = user::Entity::find_by_id(student.id).one(db).await?.and_then(|u| u.birth_date);
        Ok(ActingFor {
            by: student.actor.clone(),
            member: student.actor.clone(),
            member_email: student.email.clone(),
            birth_date,
            guardian: false,
        })
    }

    /// The signed-in student acting for the member a form names (`member`:
    /// an id, or empty for themselves).
    pub async fn of_request(member: &str) -> Result<ActingFor, AppError> {
        let student = Student::of_request().await?;
        let s = state()?;
        ActingFor::check(&s.db, &student, member_named(member)?, s.today()).await
    }

    /// Who acts: the member themselves, or their guardian.
    pub fn by(&self) -> &Actor {
        &self.by
    }

    /// Whether a guardian acts for a child.
    pub fn for_child(&self) -> bool {
        self.guardian
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date
    }
}

/// The member a form's `member` field names: an id, or empty for oneself.
pub fn member_named(member: &str) -> Result<Option<UserId>, AppError> {
    match member.trim() {
        "" => Ok(None),
        id => id.parse().map(|id| Some(UserId(id))).map_err(|_| AppError::BadRequest),
    }
}

impl Deref for ActingFor {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.member
    }
}

/// The member's own address (reserved for a child without a login); letters
/// go through `mail::compose_about`, which also reaches the guardians.
impl Addressee for ActingFor {
    fn address(&self) -> &str {
        &self.member_email
    }

    fn name(&self) -> &str {
        &self.member.name
    }
}

/// A teacher over the courses they teach, or the office over every course:
/// checked like `Office`, and a teacher needs a teacher profile.
#[derive(Clone, Debug)]
pub struct TeacherScope {
    actor: Actor,
    /// `None`: every course.
    taught: Option<HashSet<i32>>,
}

impl TeacherScope {
    pub async fn check(db: &DatabaseConnection, u: &user::Model) -> Result<TeacherScope, AppError> {
        auth::check_role(db, u, &[Role::Teacher, Role::Admin]).await?;
        let taught = match u.role {
            Role::Teacher => {
                let t = teachers::of_account(db, u.id).await?.ok_or(AppError::Forbidden)?;
                Some(teachers::courses_taught_by(db, t.id).await?)
            }
            _ => None,
        };
        Ok(TeacherScope { actor: Actor::of(u), taught })
    }

    /// The caller of this server function, over the courses they may touch.
    pub async fn of_request() -> Result<TeacherScope, AppError> {
        let u = auth::require_user().await?;
        TeacherScope::check(&state()?.db, &u).await
    }

    pub fn covers(&self, course_id: CourseId) -> bool {
        self.taught.as_ref().is_none_or(|ids| ids.contains(&course_id.0))
    }

    /// The courses it is limited to; `None` for the office (every course).
    pub fn taught(&self) -> Option<&HashSet<i32>> {
        self.taught.as_ref()
    }
}

impl Deref for TeacherScope {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.actor
    }
}
