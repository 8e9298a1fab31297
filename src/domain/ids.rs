//! Typed record ids: a course's id cannot be passed where a person's is
//! meant. Each is the bare number on the wire (`serde(transparent)`), in
//! forms and in addresses, so nothing a browser sends changes; in queries it
//! converts to the column's integer.
use serde::{Deserialize, Serialize};
use std::{fmt, num::ParseIntError, str::FromStr};

macro_rules! record_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(s: &str) -> Result<Self, ParseIntError> {
                s.parse().map($name)
            }
        }

        impl From<i32> for $name {
            fn from(id: i32) -> $name {
                $name(id)
            }
        }

        impl From<$name> for i32 {
            fn from(id: $name) -> i32 {
                id.0
            }
        }

        #[cfg(feature = "ssr")]
        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> sea_orm::Value {
                id.0.into()
            }
        }
    )*};
}

record_ids! {
    /// An account: a student, a teacher's or the office's.
    UserId;
    /// A course of the schedule.
    CourseId;
    /// A teacher's profile (not their account: see `UserId`).
    TeacherId;
    /// A request for a course (an enrollment).
    EnrollmentId;
    /// A show of the afisha.
    ShowId;
    /// A review.
    ReviewId;
    /// A portfolio item.
    ItemId;
}
