//! The one error type of every server function. Each variant's text is safe
//! to show a user; causes with internal detail (database, I/O) are logged on
//! the server and reach the user only as [`AppError::Internal`].
use serde::{Deserialize, Serialize};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// A message meant for one field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Войдите, чтобы продолжить.")]
    Unauthenticated,
    #[error("Недостаточно прав для этого действия.")]
    Forbidden,
    #[error("Ничего не найдено: возможно, запись удалена.")]
    NotFound,
    /// A course or show that was on the site and is no more: the address
    /// is not a typo, and search engines may forget it (410).
    #[error("Этого больше нет на сайте: курс или спектакль снят.")]
    Gone,
    #[error("Проверьте поля формы.")]
    Invalid(Vec<FieldError>),
    /// A rule of the school refused the change; the text is ours, never a cause's.
    #[error("{0}")]
    Conflict(String),
    /// An e-mailed link that is spent, expired or replaced by a newer one;
    /// its page offers the way forward (a new letter).
    #[error("Ссылка недействительна или устарела.")]
    LinkExpired,
    #[error("Слишком много попыток. Подождите немного и попробуйте снова.")]
    TooManyRequests,
    #[error("Некорректный запрос.")]
    BadRequest,
    #[error("Сервис временно недоступен. Попробуйте через минуту.")]
    Unavailable,
    #[error("Не удалось связаться с сервером. Проверьте подключение к сети.")]
    Network,
    #[error("Что-то пошло не так. Мы уже разбираемся, попробуйте позже.")]
    Internal,
}

impl AppError {
    /// One field's error, for the common case of a single bad value.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError { field: field.to_string(), message: message.into() }])
    }

    /// Several fields' errors, as (field, message) pairs.
    pub fn fields<'a>(problems: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        AppError::Invalid(
            problems
                .into_iter()
                .map(|(field, message)| FieldError { field: field.to_string(), message: message.to_string() })
                .collect(),
        )
    }

    /// The message for `field`, if this error carries one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
            }
            _ => None,
        }
    }

    /// The server refused what was sent and changed nothing: the page need
    /// not re-read, and must not, or the form holding this message would be
    /// drawn afresh without it.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            AppError::Invalid(_) | AppError::Conflict(_) | AppError::TooManyRequests | AppError::BadRequest
        )
    }

    /// HTTP status a server function answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::LinkExpired | AppError::Gone => 410,
            AppError::Invalid(_) => 422,
            AppError::TooManyRequests => 429,
            AppError::BadRequest => 400,
            AppError::Unavailable | AppError::Network => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Network,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            // On the server this is a request body that could not be read
            // (cut off at the size limit, or not what the function takes).
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_causes_never_leak_into_messages() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"users\" does not exist".into(),
        ));
        assert_eq!(err, AppError::Internal);
        assert!(!err.to_string().contains("users"));
    }

    #[test]
    fn field_messages_are_found_by_field() {
        let err = AppError::field("email", "Укажите адрес электронной почты.");
        assert_eq!(err.field_message("email"), Some("Укажите адрес электронной почты."));
        assert_eq!(err.field_message("password"), None);
        assert_eq!(err.status(), 422);
    }
}
