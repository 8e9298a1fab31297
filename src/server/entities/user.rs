use crate::domain::{Email, Role};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub full_name: String,
    pub phone: Option<String>,
    pub contacts: Option<String>,
    pub about: Option<String>,
    pub avatar_key: Option<String>,
    pub is_active: bool,
    pub email_verified_at: Option<DateTimeUtc>,
    pub last_login_at: Option<DateTimeUtc>,
    pub session_epoch: i32,
    /// Base32 TOTP secret: being set up while `totp_enabled_at` is empty.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<DateTimeUtc>,
    /// The last time step whose code was accepted: a code works once.
    pub totp_last_step: Option<i64>,
    /// Nonce of the calendar feed's secret address; `None` when off.
    pub calendar_feed_nonce: Option<i32>,
    /// Lowercased name and address, for case-insensitive search (see the
    /// migration); kept up to date on every save.
    pub search_key: String,
    /// When the person agreed to the processing of their personal data at
    /// registration (152-ФЗ); `None` for staff the office added.
    pub consented_at: Option<DateTimeUtc>,
    /// Known for children a guardian added (`server::families`); adults
    /// who signed up themselves need not give it.
    pub birth_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, _db: &C, _insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if let (Some(name), Some(email)) = (self.full_name.try_as_ref(), self.email.try_as_ref()) {
            self.search_key = sea_orm::ActiveValue::Set(search_key(name, email));
        }
        Ok(self)
    }
}

/// What people search finds a user by.
pub fn search_key(full_name: &str, email: &str) -> String {
    format!("{full_name} {email}").to_lowercase()
}

/// A new, active account; `verified` when the address needs no confirmation
/// (staff created by the office, the demo school).
pub fn new_account(email: &Email, password_hash: String, role: Role, full_name: String, verified: bool) -> ActiveModel {
    let now = chrono::Utc::now();
    ActiveModel {
        search_key: sea_orm::ActiveValue::Set(search_key(&full_name, email.as_str())),
        email: sea_orm::ActiveValue::Set(email.to_string()),
        password_hash: sea_orm::ActiveValue::Set(password_hash),
        role: sea_orm::ActiveValue::Set(role),
        full_name: sea_orm::ActiveValue::Set(full_name),
        is_active: sea_orm::ActiveValue::Set(true),
        email_verified_at: sea_orm::ActiveValue::Set(verified.then_some(now)),
        session_epoch: sea_orm::ActiveValue::Set(0),
        created_at: sea_orm::ActiveValue::Set(now),
        updated_at: sea_orm::ActiveValue::Set(now),
        ..Default::default()
    }
}
