//! What the browser knows about accounts.
use super::{
    Role,
    text::{self, Lines},
};
use serde::{Deserialize, Serialize};

/// The signed-in user as the header and guards of the UI see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i32,
    pub full_name: String,
    pub role: Role,
}

/// The editable part of a profile, as the profile page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub email: String,
    pub full_name: String,
    pub phone: String,
    pub contacts: String,
    pub about: String,
    pub avatar_url: Option<String>,
    pub role: Role,
    pub email_verified: bool,
    /// An address waiting for confirmation after an e-mail change.
    pub pending_email: Option<String>,
}

pub const NAME_MAX: usize = 200;
pub const PHONE_MAX: usize = 40;
pub const TEXT_MAX: usize = 2000;

/// Checks a person's name; returns it trimmed.
pub fn clean_name(raw: &str) -> Result<String, &'static str> {
    text::required(raw, NAME_MAX, Lines::One, "Укажите имя.", "Имя слишком длинное: не больше 200 символов.")
}

/// Checks an optional phone number: digits, spaces, `+ - ( )`.
pub fn clean_phone(raw: &str) -> Result<String, &'static str> {
    let phone = raw.trim();
    if phone.chars().count() > PHONE_MAX {
        return Err("Телефон слишком длинный.");
    }
    if !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
        return Err("В телефоне допустимы цифры, пробелы и знаки + - ( ).");
    }
    if !phone.is_empty() && phone.chars().filter(char::is_ascii_digit).count() < 5 {
        return Err("Проверьте номер телефона.");
    }
    Ok(phone.to_string())
}

/// Checks a free text field of the profile.
pub fn clean_text(raw: &str) -> Result<String, &'static str> {
    text::clean(raw, TEXT_MAX, Lines::Many).map_err(|p| p.or_too_long("Слишком длинный текст: не больше 2000 символов."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_phones_and_texts() {
        assert_eq!(clean_name("  Анна Кузнецова "), Ok("Анна Кузнецова".into()));
        assert!(clean_name("   ").is_err());
        assert!(clean_name(&"я".repeat(201)).is_err());
        assert_eq!(clean_phone(" +7 (903) 111-22-33 "), Ok("+7 (903) 111-22-33".into()));
        assert_eq!(clean_phone(""), Ok(String::new()));
        assert!(clean_phone("позвоните мне").is_err());
        assert!(clean_phone("12").is_err());
        assert!(clean_text(&"а".repeat(2001)).is_err());
        assert!(clean_name("Анна\0").is_err());
        assert!(clean_text("telegram: @anna\0").is_err());
        assert_eq!(clean_text("строка\nстрока"), Ok("строка\nстрока".into()));
    }
}
