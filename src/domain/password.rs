//! What the school accepts as a password. Checked in the browser for a quick
//! hint and always again on the server.

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 128;

/// Passwords are taken exactly as typed: never trimmed or truncated.
pub fn check(password: &str) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err("Пароль должен быть не короче 8 символов.");
    }
    if chars > MAX_CHARS {
        return Err("Пароль должен быть не длиннее 128 символов.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(check("1234567").is_err());
        assert!(check("пароль12").is_ok());
        assert!(check(&"ж".repeat(128)).is_ok());
        assert!(check(&"ж".repeat(129)).is_err());
        assert!(check("        ").is_ok(), "spaces are characters too");
    }
}
