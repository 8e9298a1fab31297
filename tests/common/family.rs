//! What the family tests share: children added through the real form.
use super::{Browser, TestApp, TestResponse};
use chrono::{Months, NaiveDate};
use kulisy::server::{entities::user, families};

/// Born `years` full years before `day`: that day is the birthday.
pub fn born(years: u32, day: NaiveDate) -> NaiveDate {
    day.checked_sub_months(Months::new(12 * years)).unwrap()
}

pub async fn add_child(b: &mut Browser<'_>, name: &str, birth: &str, notes: &str) -> TestResponse {
    b.call("/api/family/add", &[("full_name", name), ("birth_date", birth), ("teacher_notes", notes), ("consent", "on")]).await
}

/// The child of `guardian` named `name`.
pub async fn child(app: &TestApp, guardian: &user::Model, name: &str) -> user::Model {
    families::minors_guarded_by(&app.state.db, guardian.id, app.today())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.full_name == name)
        .unwrap_or_else(|| panic!("{name} is not a child of {}", guardian.full_name))
}

