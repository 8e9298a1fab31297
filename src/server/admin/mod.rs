//! The office's rules: people (accounts, roles), shows, and the audit log
//! that every change here writes in its own transaction.
//!
//! The files import `audit` one way; this file only gathers.
mod audit;
mod people;
mod settings;
mod shows;

pub use audit::*;
pub use people::*;
pub use settings::*;
pub use shows::*;
