//! Searching the office's lists: the words of a search box, checked, and
//! the `LIKE` pattern that finds them.
use crate::{domain::text, error::AppError};

/// A `LIKE` pattern matching `needle` anywhere, its wildcards taken literally.
pub fn contains_pattern(needle: &str) -> String {
    let escaped = needle.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// The words of a list's search box, refused with a message when they
/// cannot be searched.
pub fn search_words(raw: &str) -> Result<String, AppError> {
    text::search_words(raw).map_err(|m| AppError::field("search", m))
}
