//! Accounts: registration, e-mail confirmation, login with throttling, password
//! reset and change, e-mail change, profile, deletion and data export. The
//! server functions in `crate::account` call these after reading the request.
//!
//! The files import `common` and each other one way; this file only gathers.
mod common;
mod leaving;
mod passwords;
mod profile;
mod registration;
mod sign_in;

pub(crate) use common::check_new_password;
pub use leaving::*;
pub use passwords::*;
pub use profile::*;
pub use registration::*;
pub use sign_in::*;
