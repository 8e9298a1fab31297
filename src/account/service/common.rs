//! What the account services share: collecting a form's problems, finding
//! a member by address, and the steps of a new password.
use crate::{
    domain::{Email, password as policy},
    error::{AppError, FieldError},
    server::{
        entities::user,
        mail::{self, Mail},
    },
};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Collects field errors so a form shows all of them at once.
#[derive(Default)]
pub(super) struct Problems(Vec<FieldError>);

impl Problems {
    pub(super) fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        result.map_err(|m| self.0.push(FieldError { field: field.into(), message: m.into() })).ok()
    }

    pub(super) fn add(&mut self, field: &str, message: &str) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    pub(super) fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

pub(super) async fn find_by_email(db: &impl ConnectionTrait, email: &Email) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await
}

/// A new password and its confirmation, as every form that sets one checks them.
pub(crate) fn check_new_password(password: &str, confirm: &str, field: &str) -> Result<(), AppError> {
    let mut problems = Problems::default();
    problems.check(field, policy::check(password));
    if password != confirm {
        problems.add("password_confirm", "Пароли не совпадают.");
    }
    problems.finish()
}

pub(super) fn password_changed_mail(u: &user::Model) -> Mail {
    mail::compose(
        &u.email, &u.full_name, "Пароль изменён",
        &["Пароль вашей учётной записи на сайте школы только что изменён, все прежние входы завершены.",
          "Если это были не вы, сразу восстановите пароль и напишите нам."],
        None,
    )
}

/// Bumps the epoch: every session and every outstanding link of the user dies.
pub(super) fn new_password(active: &mut user::ActiveModel, u: &user::Model, hash: String) {
    active.password_hash = Set(hash);
    active.session_epoch = Set(u.session_epoch + 1);
    active.updated_at = Set(Utc::now());
}
