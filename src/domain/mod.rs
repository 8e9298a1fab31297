//! Types and rules of the school shared by the server and the browser.
pub mod account;
pub mod address;
pub mod bank;
pub mod catalogue;
pub mod email;
pub mod enrollment;
pub mod family;
pub mod ids;
pub mod iso;
pub mod makeup;
pub mod money;
pub mod pass;
pub mod payment_qr;
pub mod report;
pub mod password;
pub mod portfolio;
pub mod review;
pub mod role;
pub mod ru;
pub mod school;
pub mod slug;
pub mod text;

pub use catalogue::{CourseCard, CourseDetail, ScheduleQuery, ScheduleView, ShowCard, ShowDetail, Slot, TeacherRef};
pub use email::Email;
pub use enrollment::{CourseFormat, EnrollmentStatus};
pub use ids::{CourseId, EnrollmentId, ItemId, ReviewId, ShowId, TeacherId, UserId};
pub use role::Role;
