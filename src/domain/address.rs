//! Readable addresses of the public pages: `/courses/scenicheskaya-rech`
//! rather than `/courses/3`.
//!
//! Russian titles are transliterated the way Yandex writes Cyrillic in
//! addresses (its search recognises these as the words they stand for):
//! `ц → c`, `х → h`, `й → j`, `щ → shh`, `ё → e`, `ъ`/`ь` dropped. GOST
//! 7.79-2000 system B would give `sczenicheskaya-rech` for the same title:
//! correct, but not what people type or what the search engine bolds.

/// The longest slug made from a title, in bytes (ASCII); a cut falls on a
/// word's border where there is one.
pub const MAX_LEN: usize = 60;

/// The Latin letters for one Cyrillic letter, lowercase; `None` for anything
/// that is not Cyrillic.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "j",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "c",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shh",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// The slug for a title: lowercase Latin letters and digits in words joined
/// by hyphens; empty when the title has no letter or digit we can write.
pub fn slug_of(title: &str) -> String {
    let mut words: Vec<String> = vec![String::new()];
    for c in title.chars().flat_map(char::to_lowercase) {
        let word = words.last_mut().expect("never empty");
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if let Some(letters) = latin(c) {
            word.push_str(letters);
        } else if !word.is_empty() && !matches!(c, '\'' | '’' | 'ʼ') {
            // Everything else (spaces, punctuation, other alphabets) parts words;
            // an apostrophe joins them, as in «д'Артаньян».
            words.push(String::new());
        }
    }
    let mut slug = String::new();
    for word in words.iter().filter(|w| !w.is_empty()) {
        let extra = if slug.is_empty() { word.len() } else { word.len() + 1 };
        if slug.len() + extra > MAX_LEN {
            if slug.is_empty() {
                slug.push_str(&word[..MAX_LEN]);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

/// Whether a path segment is shaped like a slug this module makes (with a
/// `-2`-style suffix where two titles met): what the page cache and the
/// address redirects accept as one.
pub fn is_slug(segment: &str) -> bool {
    !segment.is_empty()
        && segment.len() <= MAX_LEN + 8
        && segment.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !segment.starts_with('-')
        && !segment.ends_with('-')
        && !segment.contains("--")
}

/// A segment of digits only: the numeric address pages had before slugs.
pub fn as_number(segment: &str) -> Option<i32> {
    (!segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())).then(|| segment.parse().ok()).flatten()
}

/// The `n`-th choice for a title whose slug is taken: `base`, `base-2`, `base-3` …
/// A base of digits only gets a word in front, so that it is never read as an id.
pub fn candidate(base: &str, fallback: &str, n: u32) -> String {
    let base = match base {
        "" => fallback.to_string(),
        b if b.bytes().all(|c| c.is_ascii_digit()) => format!("{fallback}-{b}"),
        b => b.to_string(),
    };
    if n <= 1 { base } else { format!("{base}-{n}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_titles_read_as_yandex_writes_them() {
        assert_eq!(slug_of("Сценическая речь"), "scenicheskaya-rech");
        assert_eq!(slug_of("Актёрское мастерство: с нуля!"), "akterskoe-masterstvo-s-nulya");
        assert_eq!(slug_of("Щука и ёж, съезд, Хамлет — «Юность»"), "shhuka-i-ezh-sezd-hamlet-yunost");
        assert_eq!(slug_of("Импровизация 2.0"), "improvizaciya-2-0");
        assert_eq!(slug_of("Йога для голоса"), "joga-dlya-golosa");
        assert_eq!(slug_of("Д'Артаньян"), "dartanyan");
        assert_eq!(slug_of("Stage Combat"), "stage-combat");
    }

    #[test]
    fn nothing_but_letters_digits_and_single_hyphens_survives() {
        for hostile in ["<script>alert(1)</script>", "../../etc/passwd", "a\u{0}b\u{202e}c", "  --  ", "日本語", "%2F%2e"] {
            let slug = slug_of(hostile);
            assert!(slug.is_empty() || is_slug(&slug), "{hostile:?} gave {slug:?}");
        }
        assert_eq!(slug_of("日本語"), "");
        assert_eq!(slug_of("<script>alert(1)</script>"), "script-alert-1-script");
    }

    #[test]
    fn long_titles_are_cut_on_a_word_border() {
        let slug = slug_of(&"очень длинное название курса ".repeat(10));
        assert!(slug.len() <= MAX_LEN);
        assert!(!slug.ends_with('-'));
        assert!("ochen-dlinnoe-nazvanie-kursa-ochen-dlinnoe-nazvanie-kursa".starts_with(&slug));
        assert_eq!(slug_of(&"я".repeat(100)).len(), MAX_LEN);
    }

    #[test]
    fn candidates_never_look_like_ids() {
        assert_eq!(candidate("rech", "kurs", 1), "rech");
        assert_eq!(candidate("rech", "kurs", 3), "rech-3");
        assert_eq!(candidate("", "kurs", 1), "kurs");
        assert_eq!(candidate("", "kurs", 2), "kurs-2");
        assert_eq!(candidate("2024", "spektakl", 1), "spektakl-2024");
        assert!(as_number(&candidate("2024", "spektakl", 2)).is_none());
    }

    #[test]
    fn slugs_and_numbers_are_told_apart() {
        assert!(is_slug("scenicheskaya-rech-2"));
        assert!(is_slug("42"));
        assert!(!is_slug("Rech") && !is_slug("-rech") && !is_slug("rech-") && !is_slug("a--b") && !is_slug(""));
        assert_eq!(as_number("42"), Some(42));
        assert_eq!(as_number("99999999999"), None);
        assert_eq!(as_number("4a"), None);
    }
}
