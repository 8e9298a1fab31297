//! The family's rules: adding, changing and removing children (`children`),
//! invitations by e-mail (`invitations`: a teenager's own login, a second
//! guardian), the office's links and moves (`office`), and children coming
//! of age (`coming_of_age`, a daily round). Each change is one transaction
//! with its audit row; the audit row names the fields that changed, never
//! the notes for the teacher (sensitive: 152-ФЗ).
mod children;
mod coming_of_age;
mod invitations;
mod office;

pub use children::*;
pub use coming_of_age::{come_of_age, spawn_worker};
pub use invitations::*;
pub use office::{family_for_office, link_guardian, move_child, unlink_guardian};
