//! The family's rules: adding, changing and removing children (`children`),
//! invitations by e-mail (`invitations`: a teenager's own login, a second
//! guardian), and children coming of age (`coming_of_age`, a daily round). Each change
//! is one transaction with its audit row; the audit row names the fields
//! that changed, never the notes for the teacher (sensitive: 152-ФЗ).
mod children;
mod coming_of_age;
mod invitations;

pub use children::*;
pub use coming_of_age::{come_of_age, spawn_worker};
pub use invitations::*;
