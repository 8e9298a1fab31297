//! The one rule for text people type, whatever the field: trimmed, no longer
//! than the field allows, and free of control characters (NUL among them,
//! which PostgreSQL refuses and SQLite would store). Multi-line fields keep
//! their line breaks and tabs. Every server function parses its text fields
//! through here before anything is stored or searched.

/// What a text field accepts besides printable characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// Names, titles, places, search words: no line breaks.
    One,
    /// Descriptions, reasons, notes: line breaks and tabs are kept.
    Many,
}

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextProblem {
    TooLong { max: usize },
    ControlCharacters,
}

/// The message for [`TextProblem::ControlCharacters`], the same in every field.
pub const CONTROL_CHARACTERS: &str = "Текст содержит недопустимые служебные символы — уберите их и попробуйте снова.";

impl TextProblem {
    /// The field's message: its own words for a text that is too long (each
    /// field says its limit its way), the common one for control characters.
    pub fn or_too_long(self, too_long: &'static str) -> &'static str {
        match self {
            TextProblem::TooLong { .. } => too_long,
            TextProblem::ControlCharacters => CONTROL_CHARACTERS,
        }
    }
}

fn is_allowed(c: char, lines: Lines) -> bool {
    // Unicode's "other, format" characters that reorder text (U+202E…) are
    // refused too: they make a name read differently from what is stored.
    let reorders = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let control = c.is_control() || reorders;
    !control || (lines == Lines::Many && matches!(c, '\n' | '\r' | '\t'))
}

/// `raw` trimmed, if it is at most `max` characters of allowed text.
/// Length is checked first and by bytes too, so a huge input is refused
/// without walking it character by character.
pub fn clean(raw: &str, max: usize, lines: Lines) -> Result<String, TextProblem> {
    let text = raw.trim();
    // A character is at most four bytes: past that, no need to count.
    if text.len() > max * 4 || text.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    if !text.chars().all(|c| is_allowed(c, lines)) {
        return Err(TextProblem::ControlCharacters);
    }
    Ok(text.to_string())
}

/// A field that must be filled in: [`clean`], then `missing` when empty.
pub fn required(
    raw: &str,
    max: usize,
    lines: Lines,
    missing: &'static str,
    too_long: &'static str,
) -> Result<String, &'static str> {
    match clean(raw, max, lines) {
        Ok(text) if text.is_empty() => Err(missing),
        result => result.map_err(|p| p.or_too_long(too_long)),
    }
}

/// The words of a search box, as a list's `search` field.
pub fn search_words(raw: &str) -> Result<String, &'static str> {
    clean(raw, 100, Lines::One).map_err(|p| p.or_too_long("Слишком длинный запрос: не больше 100 символов."))
}

/// Escapes text for HTML the application writes by hand (letters, the page
/// title, which leptos_meta puts into `<head>` as it is given).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// [`escape_html`] onto the end of `out`, for HTML written piece by piece.
pub fn push_escaped(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_keeps_ordinary_text() {
        assert_eq!(clean("  Сценическая речь ", 200, Lines::One), Ok("Сценическая речь".into()));
        assert_eq!(clean("строка 1\r\n\tстрока 2", 200, Lines::Many), Ok("строка 1\r\n\tстрока 2".into()));
        assert_eq!(clean("", 200, Lines::One), Ok(String::new()));
    }

    #[test]
    fn refuses_control_characters_in_every_field() {
        for bad in ["a\0b", "a\u{7}b", "a\u{1b}[31mb", "a\u{7f}b", "a\u{85}b", "abc\u{202E}gpj.exe"] {
            assert_eq!(clean(bad, 200, Lines::One), Err(TextProblem::ControlCharacters), "{bad:?}");
            assert_eq!(clean(bad, 200, Lines::Many), Err(TextProblem::ControlCharacters), "{bad:?}");
        }
        for single_line_only in ["a\nb", "a\rb", "a\tb"] {
            assert_eq!(clean(single_line_only, 200, Lines::One), Err(TextProblem::ControlCharacters));
            assert!(clean(single_line_only, 200, Lines::Many).is_ok());
        }
    }

    #[test]
    fn counts_characters_not_bytes_and_refuses_huge_input_early() {
        assert!(clean(&"я".repeat(200), 200, Lines::One).is_ok());
        assert_eq!(clean(&"я".repeat(201), 200, Lines::One), Err(TextProblem::TooLong { max: 200 }));
        assert_eq!(clean(&"a".repeat(1 << 20), 200, Lines::Many), Err(TextProblem::TooLong { max: 200 }));
        assert_eq!(TextProblem::TooLong { max: 200 }.or_too_long("Длинно."), "Длинно.");
        assert_eq!(TextProblem::ControlCharacters.or_too_long("Длинно."), CONTROL_CHARACTERS);
    }

    #[test]
    fn required_fields_say_what_is_missing() {
        assert_eq!(required("  ", 10, Lines::One, "Пусто.", "Длинно."), Err("Пусто."));
        assert_eq!(required("a\0", 10, Lines::One, "Пусто.", "Длинно."), Err(CONTROL_CHARACTERS));
        assert_eq!(required("abcdefghijk", 10, Lines::One, "Пусто.", "Длинно."), Err("Длинно."));
        assert_eq!(required(" ok ", 10, Lines::One, "Пусто.", "Длинно."), Ok("ok".into()));
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape_html(r#"</title><script>"x"&'y'"#), "&lt;/title&gt;&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;");
    }
}
