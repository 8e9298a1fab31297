//! Enrollment rules: booking seats, the waitlist, cancellation, partner
//! answers and completion. Status changes follow the state machine of
//! `domain::enrollment`.
//!
//! Every change that depends on a seat count runs in one transaction whose
//! first statement bumps `courses.seat_version`. That write takes the
//! course's lock — the row lock on PostgreSQL, the database write lock on
//! SQLite — so counting seats and inserting or promoting cannot interleave
//! between two requests, and a course is never oversold.
//!
//! Each file holds one concern: `rules` (locks, the state machine's step,
//! the waitlist), `booking`, `wizard`, `decisions`, `letters`, `history`
//! and the background `closer`. They import each other one way, never this file.
mod booking;
pub mod calendar;
mod closer;
mod decisions;
mod history;
mod letters;
mod rules;
mod wizard;

pub use booking::{COURSE_FULL, Outcome, book, cancel, student_of, withdraw_everything_of};
pub use closer::{close_ended, spawn_closer};
pub use decisions::{Decision, REASON_MAX_CHARS, answer_invitation, decide};
pub use history::history;
pub(crate) use rules::{apply, lock_course, lock_person, promote_waitlist};
pub use wizard::{booking_student, draft, seats_for};
