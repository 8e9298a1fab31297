//! The school's own details: its name, address, contacts and links. The
//! office edits them on one page; the header, footer, page titles and
//! letters show them.
use super::{
    Email,
    text::{Lines, clean, required},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// A map with the school on it (Яндекс Карты, 2ГИС…).
    pub map_url: String,
    /// Pages of the school elsewhere (VK, Telegram…), one address each.
    pub social: Vec<String>,
}

/// Until the office writes its own: the demo school's details.
impl Default for School {
    fn default() -> Self {
        School {
            name: "Кулисы".into(),
            address: "Москва, ул. Театральная, 5".into(),
            phone: "+7 495 120-45-00".into(),
            email: "hello@kulisy.test".into(),
            map_url: String::new(),
            social: Vec::new(),
        }
    }
}

pub const NAME_MAX: usize = 60;
pub const ADDRESS_MAX: usize = 200;
pub const PHONE_MAX: usize = 30;
pub const LINK_MAX: usize = 500;
pub const SOCIAL_MAX: usize = 6;

/// The form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolForm {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub map_url: String,
    /// One address per line.
    pub social: String,
}

impl School {
    /// Checks every field; the problems name their fields.
    pub fn parse(form: &SchoolForm) -> Result<School, Vec<(&'static str, &'static str)>> {
        let mut problems = Vec::new();
        let mut check = |field: &'static str, result: Result<String, &'static str>| {
            result.map_err(|message| problems.push((field, message))).unwrap_or_default()
        };
        let name = check(
            "name",
            required(&form.name, NAME_MAX, Lines::One, "Укажите название школы.", "Название — не длиннее 60 символов."),
        );
        let address = check(
            "address",
            clean(&form.address, ADDRESS_MAX, Lines::One).map_err(|p| p.or_too_long("Адрес — не длиннее 200 символов.")),
        );
        let phone = check("phone", phone(&form.phone));
        let email = check("email", match form.email.trim() {
            "" => Ok(String::new()),
            typed => Email::parse(typed).map(|e| e.as_str().to_string()),
        });
        let map_url = check("map_url", web_address(&form.map_url));
        let social = check("social", clean(&form.social, LINK_MAX * SOCIAL_MAX, Lines::Many).map_err(|p| p.or_too_long("Слишком длинный список ссылок.")));
        let social: Vec<String> = social.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
        if social.len() > SOCIAL_MAX {
            problems.push(("social", "Не больше шести ссылок."));
        } else if social.iter().any(|link| web_address(link).is_err()) {
            problems.push(("social", "Каждая ссылка — на своей строке и начинается с https://."));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(School { name, address, phone, email, map_url, social })
    }

    /// The fields as the form shows them.
    pub fn form(&self) -> SchoolForm {
        SchoolForm {
            name: self.name.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            map_url: self.map_url.clone(),
            social: self.social.join("\n"),
        }
    }

    /// The `tel:` address of the phone: its digits and a leading plus.
    pub fn phone_href(&self) -> String {
        let digits: String = self.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
        format!("tel:{digits}")
    }

    /// The words a link to one of the social pages shows: its site.
    pub fn site_of(link: &str) -> &str {
        let host = link.trim_start_matches("https://").split(['/', '?', '#']).next().unwrap_or(link);
        match host.trim_start_matches("www.") {
            "vk.com" => "ВКонтакте",
            "t.me" => "Telegram",
            "ok.ru" => "Одноклассники",
            "youtube.com" | "youtu.be" => "YouTube",
            "rutube.ru" => "Rutube",
            "dzen.ru" => "Дзен",
            other => other,
        }
    }
}

fn phone(raw: &str) -> Result<String, &'static str> {
    let phone = raw.trim();
    let allowed = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    if phone.chars().count() > PHONE_MAX || !allowed {
        return Err("Телефон — цифры, пробелы, «+», «-» и скобки, не длиннее 30 символов.");
    }
    Ok(phone.to_string())
}

/// An address of a page elsewhere: `https://` and nothing a link could be
/// abused with (no spaces, quotes or angle brackets; `javascript:` cannot
/// start with `https://`).
fn web_address(raw: &str) -> Result<String, &'static str> {
    let link = raw.trim();
    if link.is_empty() {
        return Ok(String::new());
    }
    let plain = link.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'));
    let host = link.strip_prefix("https://").unwrap_or("");
    if link.len() > LINK_MAX || !plain || host.is_empty() || host.starts_with('/') {
        return Err("Ссылка должна начинаться с https:// и не содержать пробелов.");
    }
    Ok(link.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SchoolForm {
        SchoolForm {
            name: " Рампа ".into(),
            address: "Казань, ул. Баумана, 1".into(),
            phone: "+7 (843) 200-00-00".into(),
            email: "Hello@Rampa.ru".into(),
            map_url: "https://yandex.ru/maps/-/CHabc".into(),
            social: "https://vk.com/rampa\n\n https://t.me/rampa_school ".into(),
        }
    }

    #[test]
    fn a_filled_form_becomes_the_details() {
        let school = School::parse(&form()).unwrap();
        assert_eq!(school.name, "Рампа");
        assert_eq!(school.email, "hello@rampa.ru");
        assert_eq!(school.social, ["https://vk.com/rampa", "https://t.me/rampa_school"]);
        assert_eq!(school.phone_href(), "tel:+78432000000");
        assert_eq!(School::parse(&school.form()), Ok(school));
        assert_eq!(School::site_of("https://vk.com/rampa"), "ВКонтакте");
        assert_eq!(School::site_of("https://www.example.ru/x"), "example.ru");
    }

    #[test]
    fn only_the_name_is_required() {
        let only_name = SchoolForm { name: "Рампа".into(), ..Default::default() };
        assert_eq!(School::parse(&only_name).unwrap().social, Vec::<String>::new());
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SchoolForm {
            name: "\u{0}".into(),
            address: "а".repeat(201),
            phone: "позвоните нам".into(),
            email: "not-an-address".into(),
            map_url: "javascript:alert(1)".into(),
            social: "https://vk.com/ok\nhttp://insecure.example".into(),
        };
        let fields: Vec<_> = School::parse(&bad).unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "address", "phone", "email", "map_url", "social"]);
    }

    #[test]
    fn links_cannot_carry_script_or_markup() {
        for hostile in [
            "javascript:alert(1)",
            "https://x.ru/\"><script>",
            "https://x.ru/ onmouseover=alert(1)",
            "https:///evil",
            "https://",
            "data:text/html,<b>",
            "//evil.example",
        ] {
            let form = SchoolForm { name: "Рампа".into(), map_url: hostile.into(), ..Default::default() };
            assert!(School::parse(&form).is_err(), "{hostile}");
        }
        let seven = (0..7).map(|i| format!("https://vk.com/{i}")).collect::<Vec<_>>().join("\n");
        assert!(School::parse(&SchoolForm { name: "Рампа".into(), social: seven, ..Default::default() }).is_err());
    }
}
