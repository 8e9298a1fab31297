//! An e-mail address as the school keeps it: trimmed and lowercased, so one
//! person cannot hold two accounts by changing letter case.
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses what a person typed; the error is ready to show beside the field.
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err("Укажите адрес электронной почты.");
        }
        if value.chars().count() > 254 {
            return Err("Адрес электронной почты слишком длинный.");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("В адресе не хватает «@»: например, anna@example.ru.");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        if !local_ok || !domain_ok {
            return Err("Проверьте адрес электронной почты: например, anna@example.ru.");
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised() {
        assert_eq!(Email::parse("  Anna.K@Example.RU ").unwrap().as_str(), "anna.k@example.ru");
        assert_eq!(Email::parse("студент@школа.рф").unwrap().as_str(), "студент@школа.рф");
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_message() {
        for bad in ["", "anna", "anna@", "@example.ru", "anna@example", "a..b@example.ru",
            "anna@-x.ru", "an na@example.ru", "anna@exa_mple.ru", "<script>@x.ru"]
        {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.ru", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }
}
