//! What the family page and its server functions exchange.
use crate::domain::UserId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A child as their guardians see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildView {
    pub id: UserId,
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// "9 лет".
    pub age: String,
    /// Sensitive: shown here, to the child's teachers and to the office only.
    pub teacher_notes: String,
    /// The address the child signs in with, when they have a login.
    pub login: Option<String>,
    /// 14 or older without a login: a guardian may invite them to one.
    pub may_have_login: bool,
    pub photos_allowed: bool,
}

/// Someone who acts for the family's children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianView {
    pub full_name: String,
    pub email: String,
}

/// The family page: the caller's children and who else acts for them; or,
/// for a teenager with a login of their own, their guardians.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyView {
    pub children: Vec<ChildView>,
    pub guardians: Vec<GuardianView>,
    /// The caller is a child of the family (sees it, changes nothing).
    pub as_child: bool,
}

/// One person a booking may be for: "me" or one of my children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: UserId,
    pub name: String,
    /// The child's age today; `None` for the guardian themselves.
    pub age: Option<String>,
}

/// A family as the office sees it from one of its people's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeFamily {
    pub id: i32,
    pub guardians: Vec<FamilyPerson>,
    pub children: Vec<OfficeChild>,
}

/// A guardian: name and the address they sign in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyPerson {
    pub id: UserId,
    pub full_name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeChild {
    pub id: UserId,
    pub full_name: String,
    /// "9 лет".
    pub age: String,
    pub login: Option<String>,
    /// Sensitive: the office sees them, as the child's guardians and teachers do.
    pub teacher_notes: String,
}
