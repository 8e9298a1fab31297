//! SeaORM entities, one per table of `migration/`. Enumerated columns use the
//! shared domain enums directly.
pub mod account_token;
pub mod attendance;
pub mod audit_log;
pub mod course;
pub mod course_price;
pub mod course_slot;
pub mod course_teacher;
pub mod enrollment;
pub mod family;
pub mod family_child;
pub mod family_guardian;
pub mod former_address;
pub mod media;
pub mod mfa_recovery_code;
pub mod outbox;
pub mod pass;
pub mod pass_entry;
pub mod pass_type;
pub mod portfolio_item;
pub mod review;
pub mod school_setting;
pub mod sent_reminder;
pub mod session;
pub mod show;
pub mod teacher;
pub mod user;
