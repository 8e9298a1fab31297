//! The portfolio a student shows to casting directors: what an item is, the
//! limits of its fields, and which uploaded files are accepted as which kind.
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use super::text::{self, Lines};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Photo,
    Video,
    /// An achievement in words: a role, a prize, a festival.
    Text,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Photo, ItemKind::Video, ItemKind::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Photo => "photo",
            ItemKind::Video => "video",
            ItemKind::Text => "text",
        }
    }

    pub fn parse(raw: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Photo => "Фото",
            ItemKind::Video => "Видео",
            ItemKind::Text => "Достижение",
        }
    }

    /// What the file input of this kind accepts (a hint for the browser's
    /// file picker; the server sniffs the bytes whatever the picker allowed).
    pub fn accept(self) -> &'static str {
        match self {
            ItemKind::Photo => "image/jpeg,image/png,image/webp",
            ItemKind::Video => "video/mp4,video/webm",
            ItemKind::Text => "",
        }
    }

    /// The largest file of this kind, before the quota has its say.
    pub fn max_bytes(self, video_max_bytes: u64) -> u64 {
        match self {
            ItemKind::Photo => PHOTO_MAX_BYTES,
            ItemKind::Video => video_max_bytes,
            ItemKind::Text => 0,
        }
    }

    pub fn needs_file(self) -> bool {
        !matches!(self, ItemKind::Text)
    }

    /// Whether a browser-declared type fits this kind: the check a page
    /// makes before sending, so nobody waits for a refused upload.
    pub fn admits_declared_type(self, mime: &str) -> bool {
        !mime.is_empty() && self.accept().split(',').any(|m| m == mime)
    }
}

/// One photo of a portfolio, at most this large as uploaded.
pub const PHOTO_MAX_BYTES: u64 = 10 * 1024 * 1024;
pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 3000;

/// The editable words and settings of an item, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemText {
    pub title: String,
    pub description: String,
    pub occurred_on: Option<NaiveDate>,
    pub is_public: bool,
}

impl ItemText {
    /// Checks the fields as a form sends them; `today` bounds the date.
    /// Errors name their field.
    pub fn parse(
        title: &str,
        description: &str,
        occurred_on: &str,
        visibility: &str,
        today: NaiveDate,
    ) -> Result<ItemText, Vec<(&'static str, &'static str)>> {
        let mut problems = Vec::new();
        let title = text::clean(title, TITLE_MAX, Lines::One)
            .map_err(|p| problems.push(("title", p.or_too_long("Название слишком длинное: не больше 200 символов."))))
            .unwrap_or_default();
        if title.is_empty() && problems.is_empty() {
            problems.push(("title", "Укажите название."));
        }
        let description = text::clean(description, DESCRIPTION_MAX, Lines::Many)
            .map_err(|p| problems.push(("description", p.or_too_long("Описание слишком длинное: не больше 3000 символов."))))
            .unwrap_or_default();
        let occurred_on = match occurred_on.trim() {
            "" => None,
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    problems.push(("occurred_on", "Дата не может быть в будущем."));
                    None
                }
                Ok(d) if d.year_ce().1 < 1900 => {
                    problems.push(("occurred_on", "Проверьте дату."));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(("occurred_on", "Укажите дату в виде ГГГГ-ММ-ДД."));
                    None
                }
            },
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ItemText {
            title,
            description,
            occurred_on,
            is_public: visibility == "public",
        })
    }
}


/// A video container recognised from a file's first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoType {
    Mp4,
    WebM,
}

impl VideoType {
    pub fn mime(self) -> &'static str {
        match self {
            VideoType::Mp4 => "video/mp4",
            VideoType::WebM => "video/webm",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            VideoType::Mp4 => "mp4",
            VideoType::WebM => "webm",
        }
    }

    /// Reads the container from the first bytes of a file (at least 64 for
    /// WebM). MP4 is an `ftyp` box whose brand is a video one (HEIC and AVIF
    /// photos are `ftyp` boxes too); WebM is EBML whose doc type is `webm`.
    pub fn sniff(head: &[u8]) -> Option<VideoType> {
        const MP4_BRANDS: [&[u8; 4]; 12] = [
            b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"mmp4", b"MSNV",
        ];
        if head.len() >= 12 && &head[4..8] == b"ftyp" {
            return MP4_BRANDS.iter().any(|b| &head[8..12] == *b).then_some(VideoType::Mp4);
        }
        if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) && head.windows(4).take(64).any(|w| w == b"webm") {
            return Some(VideoType::WebM);
        }
        None
    }
}

/// "12,5 МБ": a size for people.
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if bytes > 0 && mb < 0.1 {
        return "меньше 0,1 МБ".into();
    }
    if mb >= 100.0 || mb.fract() < 0.05 {
        format!("{} МБ", mb.round() as u64)
    } else {
        format!("{:.1} МБ", mb).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn fields_are_checked_and_trimmed() {
        let ok = ItemText::parse("  Гамлет, Офелия ", " роль ", "2026-05-01", "public", today()).unwrap();
        assert_eq!(ok.title, "Гамлет, Офелия");
        assert_eq!(ok.description, "роль");
        assert_eq!(ok.occurred_on, NaiveDate::from_ymd_opt(2026, 5, 1));
        assert!(ok.is_public);
        assert!(!ItemText::parse("x", "", "", "private", today()).unwrap().is_public);
        let bad = ItemText::parse(" ", &"я".repeat(3001), "2027-01-01", "", today()).unwrap_err();
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["title", "description", "occurred_on"]);
        assert_eq!(ItemText::parse("x", "", "01.05.2026", "", today()).unwrap_err()[0].0, "occurred_on");
        assert_eq!(ItemText::parse("a\u{0}b", "", "", "", today()).unwrap_err()[0].0, "title");
    }

    #[test]
    fn videos_are_known_by_their_bytes() {
        let mut mp4 = vec![0, 0, 0, 0x20];
        mp4.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2avc1mp41");
        assert_eq!(VideoType::sniff(&mp4), Some(VideoType::Mp4));
        let mut heic = vec![0, 0, 0, 0x18];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(VideoType::sniff(&heic), None);
        let webm = [&[0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84][..], b"webm"].concat();
        assert_eq!(VideoType::sniff(&webm), Some(VideoType::WebM));
        let mkv = [&[0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88][..], b"matroska"].concat();
        assert_eq!(VideoType::sniff(&mkv), None);
        assert_eq!(VideoType::sniff(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(VideoType::sniff(b""), None);
    }

    #[test]
    fn declared_types_are_checked_before_sending() {
        assert!(ItemKind::Video.admits_declared_type("video/webm"));
        assert!(!ItemKind::Video.admits_declared_type("text/html"));
        assert!(!ItemKind::Photo.admits_declared_type(""));
        assert!(ItemKind::Photo.admits_declared_type("image/png"));
    }

    #[test]
    fn sizes_read_as_megabytes() {
        assert_eq!(megabytes(500 * 1024 * 1024), "500 МБ");
        assert_eq!(megabytes(1024 * 1024 * 5 / 2), "2,5 МБ");
        assert_eq!(megabytes(30_000), "меньше 0,1 МБ");
        assert_eq!(megabytes(0), "0 МБ");
    }
}
