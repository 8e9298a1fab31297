//! The office's rules: people (accounts, roles), shows, and the audit log
//! that every change here writes in its own transaction.
//!
//! The files import `audit` one way; this file only gathers.
mod audit;
mod dashboard;
pub mod courses;
mod people;
mod settings;
mod shows;

pub use audit::*;
pub use dashboard::*;
pub use people::*;
pub use settings::*;
pub use shows::*;
