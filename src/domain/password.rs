//! What the school accepts as a password. Checked in the browser for a quick
//! hint and always again on the server.

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// Passwords that guessing attacks try first (lowercased). Short on purpose:
/// the length rule already removes most of the classic lists.
const COMMON: &[&str] = &[
    "12345678", "123456789", "1234567890", "12345678910", "123123123", "11111111", "00000000",
    "87654321", "11223344", "12341234", "qwertyui", "qwerty123", "qwerty12", "qwertyuiop",
    "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "1qaz2wsx", "zaq12wsx", "zxcvbnm1", "asdfghjk",
    "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "iloveyou",
    "sunshine", "princess", "football", "baseball", "starwars", "whatever", "trustno1",
    "letmein1", "welcome1", "admin123", "administrator", "abcd1234", "abc12345", "aa123456",
    "qazwsxedc", "1234qwer", "123qweasd", "qweasdzxc", "superman", "michael1", "computer",
    "internet", "samsung1", "parol123", "parolparol", "11111111a", "marina123", "natasha1",
    "йцукенгш", "йцукенгшщз", "пароль123", "парольпароль", "пароль12", "любовь123",
    "kulisy123", "kulisy2026", "teatr123", "theatre1", "theater1",
];

/// Passwords are taken exactly as typed: never trimmed or truncated.
pub fn check(password: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err("Пароль должен быть не короче 8 символов.");
    }
    if chars > MAX_CHARS {
        return Err("Пароль должен быть не длиннее 128 символов.");
    }
    let lower = password.to_lowercase();
    let one_symbol = lower.chars().all(|c| lower.starts_with(c));
    if one_symbol || COMMON.contains(&lower.as_str()) {
        return Err("Этот пароль слишком распространён: его подбирают первым. Придумайте другой.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(check("1234567").is_err());
        assert!(check("сцена-12").is_ok());
        assert!(check(&"жз".repeat(64)).is_ok());
        assert!(check(&"жз".repeat(64).replace("з", "зз")).is_err());
        assert!(check("  пароль  на  сцене ").is_ok(), "spaces are characters too");
    }

    #[test]
    fn common_and_one_symbol_passwords_are_refused() {
        for bad in ["password", "Qwerty123", "12345678", "ЙЦУКЕНГШ", "aaaaaaaaaa"] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert!(check("Вишнёвый сад 1904").is_ok());
    }
}
