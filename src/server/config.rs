//! Settings from the environment (and an optional `.env`), each with a default
//! that makes the first run work. A bad value stops start-up with one line
//! naming the variable.
use std::{fmt, path::PathBuf};

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Absolute base for links in e-mails; never taken from a request's Host.
    pub site_url: url::Url,
    /// `None`: mail is written to `data_dir/outbox/*.eml`.
    pub smtp_url: Option<url::Url>,
    pub time_zone: chrono_tz::Tz,
    pub secret_key: SecretKey,
    /// Seed the demo school into an empty database (`KULISY_DEMO`, off by
    /// default: the demo's logins are published; `make run` turns it on).
    pub seed_demo: bool,
    /// The sender of the school's letters (`KULISY_MAIL_FROM`); required
    /// with `SMTP_URL`, as real mail servers refuse made-up senders.
    pub mail_from: lettre::message::Mailbox,
    /// Proxies whose `X-Forwarded-For` names the client
    /// (`KULISY_TRUSTED_PROXIES`, addresses or networks; none by default).
    pub trusted_proxies: Vec<super::client::Network>,
    /// Who may read `GET /metrics` (`KULISY_METRICS_FROM`, addresses or
    /// networks; this machine by default). Behind a proxy the client counts,
    /// not the proxy: a visitor through nginx is not the machine itself.
    pub metrics_from: Vec<super::client::Network>,
    /// Largest portfolio video accepted (`KULISY_VIDEO_MAX_MB`, default 500).
    pub video_max_bytes: u64,
    /// Room for one person's portfolio files (`KULISY_MEDIA_QUOTA_MB`, default 2048).
    pub media_quota_bytes: u64,
    /// How long before a session its reminder goes (`KULISY_REMINDER_HOURS`, 24).
    pub reminder_lead: chrono::Duration,
    /// The local hour from which teachers get their daily digest (`KULISY_DIGEST_HOUR`, 8).
    pub digest_hour: u32,
    /// How long a public page is served again to visitors who are not
    /// signed in (`KULISY_PAGE_CACHE_MS`, 1000; 0 renders every time).
    pub public_page_lifetime: std::time::Duration,
    /// Where uploaded files are kept (`KULISY_MEDIA`: `local`, the default, or `s3`).
    pub media: MediaBackend,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaBackend {
    /// Under `KULISY_DATA/uploads`: one machine.
    Local,
    /// A bucket of S3-compatible object storage: any number of hosts.
    S3(S3Settings),
}

/// `KULISY_S3_*`: the bucket, where it is and the keys to it.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// `KULISY_S3_ENDPOINT`; none: Amazon's own, by region.
    pub endpoint: Option<url::Url>,
    pub region: String,
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
    /// `bucket` in the path, not the host name (`KULISY_S3_PATH_STYLE`; on
    /// by default with an endpoint: self-hosted stores have no per-bucket names).
    pub path_style: bool,
}

impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint.as_ref().map(url::Url::as_str))
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("path_style", &self.path_style)
            .finish_non_exhaustive()
    }
}

/// 32 random bytes that sign and derive the application's secrets.
#[derive(Clone)]
pub struct SecretKey(pub [u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ошибка настройки {}: {}", self.var, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn bad(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { var, problem: problem.into() }
}

impl Config {
    /// Reads the process environment after loading `.env`, if there is one.
    /// `site_addr` is where the server listens; it gives `SITE_URL` its default.
    pub fn from_env(site_addr: std::net::SocketAddr) -> Result<Config, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok(), site_addr)
    }

    /// The parsing itself, over any source of variables (tests pass a map).
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        site_addr: std::net::SocketAddr,
    ) -> Result<Config, ConfigError> {
        let get = |name: &str| get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());

        let data_dir = PathBuf::from(get("KULISY_DATA").unwrap_or_else(|| "data".into()));
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            bad("KULISY_DATA", format!("не удалось создать каталог {}: {e}", data_dir.display()))
        })?;

        let database_url = match get("DATABASE_URL") {
            Some(url) if url.starts_with("sqlite:") || url.starts_with("postgres://")
                || url.starts_with("postgresql://") => url,
            Some(_) => {
                return Err(bad(
                    "DATABASE_URL",
                    "ожидается sqlite://путь или postgres://пользователь@сервер/база",
                ));
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("kulisy.db").display()),
        };

        let site_url = match address(&get, "SITE_URL", &["http", "https"], "ожидается абсолютный адрес вида https://школа.рф")? {
            Some(url) => url,
            None => url::Url::parse(&format!("http://{site_addr}")).expect("socket address is a host"),
        };

        let smtp_url = address(&get, "SMTP_URL", &["smtp", "smtps"], "ожидается smtp://пользователь:пароль@сервер:порт")?;

        let time_zone = match get("KULISY_TIMEZONE") {
            Some(name) => name
                .parse::<chrono_tz::Tz>()
                .map_err(|_| bad("KULISY_TIMEZONE", format!("неизвестный часовой пояс «{name}»")))?,
            None => chrono_tz::Europe::Moscow,
        };

        let secret_key = match get("KULISY_SECRET_KEY") {
            Some(hex) => parse_key(&hex)
                .ok_or_else(|| bad("KULISY_SECRET_KEY", "ожидается 64 шестнадцатеричных символа"))?,
            None => load_or_create_key(&data_dir)?,
        };

        let seed_demo = match get("KULISY_DEMO").as_deref() {
            Some("1" | "true" | "yes") => true,
            None | Some("0" | "false" | "no") => false,
            Some(_) => return Err(bad("KULISY_DEMO", "ожидается true или false")),
        };

        let mail_from = match get("KULISY_MAIL_FROM") {
            Some(raw) => raw
                .parse::<lettre::message::Mailbox>()
                .map_err(|_| bad("KULISY_MAIL_FROM", "ожидается адрес вида «Кулисы <school@example.ru>»"))?,
            None if smtp_url.is_some() => {
                return Err(bad("KULISY_MAIL_FROM", "задайте адрес отправителя писем: с SMTP_URL он обязателен"));
            }
            // Letters are only written to files: any well-formed sender will do.
            None => format!("Кулисы <no-reply@{}>", site_url.host_str().unwrap_or("localhost"))
                .parse()
                .unwrap_or_else(|_| "Кулисы <no-reply@localhost>".parse().expect("valid sender")),
        };

        let networks = |var: &'static str, default: &str| -> Result<Vec<super::client::Network>, ConfigError> {
            get(var)
                .unwrap_or_else(|| default.to_owned())
                .split(',')
                .filter(|item| !item.trim().is_empty())
                .map(|item| super::client::Network::parse(item.trim()))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad(var, "ожидаются адреса или сети через запятую: 127.0.0.1, 10.0.0.0/8"))
        };
        let trusted_proxies = networks("KULISY_TRUSTED_PROXIES", "")?;
        let metrics_from = networks("KULISY_METRICS_FROM", "127.0.0.1, ::1")?;

        let megabytes = |var: &'static str, default: u64| -> Result<u64, ConfigError> {
            match get(var) {
                None => Ok(default * 1024 * 1024),
                Some(raw) => raw
                    .parse::<u64>()
                    .ok()
                    .filter(|mb| (1..=1024 * 1024).contains(mb))
                    .map(|mb| mb * 1024 * 1024)
                    .ok_or_else(|| bad(var, "ожидается число мегабайт, например 500")),
            }
        };
        let video_max_bytes = megabytes("KULISY_VIDEO_MAX_MB", 500)?;
        let media_quota_bytes = megabytes("KULISY_MEDIA_QUOTA_MB", 2048)?;
        let number = |var: &'static str, default: u32, range: std::ops::RangeInclusive<u32>| -> Result<u32, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(raw) => raw.parse::<u32>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
                    bad(var, format!("ожидается целое число от {} до {}", range.start(), range.end()))
                }),
            }
        };
        let reminder_lead = chrono::Duration::hours(i64::from(number("KULISY_REMINDER_HOURS", 24, 1..=168)?));
        let digest_hour = number("KULISY_DIGEST_HOUR", 8, 0..=23)?;
        let public_page_lifetime =
            std::time::Duration::from_millis(u64::from(number("KULISY_PAGE_CACHE_MS", 1000, 0..=60_000)?));

        let media = match get("KULISY_MEDIA").as_deref() {
            None | Some("local") => MediaBackend::Local,
            Some("s3") => MediaBackend::S3(s3_settings(&get)?),
            Some(_) => return Err(bad("KULISY_MEDIA", "ожидается local или s3")),
        };

        Ok(Config {
            database_url,
            data_dir,
            site_url,
            smtp_url,
            time_zone,
            secret_key,
            seed_demo,
            mail_from,
            trusted_proxies,
            metrics_from,
            video_max_bytes,
            media_quota_bytes,
            reminder_lead,
            digest_hour,
            public_page_lifetime,
            media,
        })
    }
}

/// An absolute address with one of `schemes` in `var`, when it is set.
fn address(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    schemes: &[&str],
    expected: &str,
) -> Result<Option<url::Url>, ConfigError> {
    get(var)
        .map(|raw| {
            url::Url::parse(&raw)
                .ok()
                .filter(|u| schemes.contains(&u.scheme()) && u.host().is_some())
                .ok_or_else(|| bad(var, expected))
        })
        .transpose()
}

fn s3_settings(get: &impl Fn(&str) -> Option<String>) -> Result<S3Settings, ConfigError> {
    let required = |var: &'static str| get(var).ok_or_else(|| bad(var, "обязательна при KULISY_MEDIA=s3"));
    let endpoint = address(get, "KULISY_S3_ENDPOINT", &["http", "https"], "ожидается адрес вида https://s3.example.ru")?;
    let bucket = required("KULISY_S3_BUCKET")?;
    // S3's own rule for bucket names: it also keeps them out of paths and hosts.
    if !(3..=63).contains(&bucket.len())
        || !bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err(bad("KULISY_S3_BUCKET", "ожидается имя корзины: 3–63 строчных латинских букв, цифр, «-» и «.»"));
    }
    let path_style = match get("KULISY_S3_PATH_STYLE").as_deref() {
        None => endpoint.is_some(),
        Some("1" | "true" | "yes") => true,
        Some("0" | "false" | "no") => false,
        Some(_) => return Err(bad("KULISY_S3_PATH_STYLE", "ожидается true или false")),
    };
    Ok(S3Settings {
        endpoint,
        region: get("KULISY_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        bucket,
        access_key: required("KULISY_S3_ACCESS_KEY")?,
        secret_key: required("KULISY_S3_SECRET_KEY")?,
        path_style,
    })
}

fn parse_key(hex: &str) -> Option<SecretKey> {
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(SecretKey(key))
}

/// The key is generated once and kept beside the data, so sessions and links
/// survive restarts without the operator having to invent one.
fn load_or_create_key(data_dir: &std::path::Path) -> Result<SecretKey, ConfigError> {
    use rand::RngCore;
    let path = data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse_key(text.trim()).ok_or_else(|| {
            bad("KULISY_SECRET_KEY", format!("файл {} повреждён", path.display()))
        });
    }
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, &hex)
        .map_err(|e| bad("KULISY_SECRET_KEY", format!("не удалось записать {}: {e}", path.display())))?;
    Ok(SecretKey(key))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!("kulisy-config-{}", rand::random::<u64>()));
        let mut map: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        map.entry("KULISY_DATA".into()).or_insert(dir.display().to_string());
        Config::from_lookup(|k| map.get(k).cloned(), "127.0.0.1:3000".parse().unwrap())
    }

    #[test]
    fn defaults_make_a_working_setup() {
        let c = parse(&[]).unwrap();
        assert!(c.database_url.starts_with("sqlite://") && c.database_url.ends_with("kulisy.db?mode=rwc"));
        assert_eq!(c.site_url.as_str(), "http://127.0.0.1:3000/");
        assert!(c.smtp_url.is_none());
        assert_eq!(c.time_zone, chrono_tz::Europe::Moscow);
        assert!(!c.seed_demo, "the demo school is only for make run");
        assert!(c.trusted_proxies.is_empty());
        assert_eq!(c.mail_from.email.domain(), "127.0.0.1");
        // The generated key is kept and read back the same.
        let again = Config::from_lookup(
            |k| (k == "KULISY_DATA").then(|| c.data_dir.display().to_string()),
            "127.0.0.1:3000".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(again.secret_key.0, c.secret_key.0);
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("SITE_URL", "школа"),
            ("SITE_URL", "ftp://example.org"),
            ("DATABASE_URL", "mysql://localhost/x"),
            ("SMTP_URL", "localhost:25"),
            ("KULISY_TIMEZONE", "Europe/Atlantis"),
            ("KULISY_SECRET_KEY", "abc"),
            ("KULISY_DEMO", "maybe"),
            ("KULISY_MAIL_FROM", "школа"),
            ("KULISY_TRUSTED_PROXIES", "127.0.0.1, nginx"),
            ("KULISY_TRUSTED_PROXIES", "10.0.0.0/40"),
            ("KULISY_MEDIA", "ftp"),
        ];
        for (var, value) in cases {
            let err = parse(&[(var, value)]).err().unwrap_or_else(|| panic!("{var}={value} accepted"));
            assert_eq!(err.var, var);
            assert!(err.to_string().contains(var));
        }
    }

    #[test]
    fn good_values_are_taken() {
        let c = parse(&[
            ("SITE_URL", "https://kulisy.example/"),
            ("DATABASE_URL", "postgres://postgres@127.0.0.1/kulisy"),
            ("SMTP_URL", "smtp://mail.example:25"),
            ("KULISY_TIMEZONE", "Asia/Yekaterinburg"),
            ("KULISY_SECRET_KEY", &"ab".repeat(32)),
            ("KULISY_DEMO", "true"),
            ("KULISY_MAIL_FROM", "Кулисы <school@kulisy.example>"),
            ("KULISY_TRUSTED_PROXIES", "127.0.0.1, ::1, 10.0.0.0/8"),
        ])
        .unwrap();
        assert_eq!(c.mail_from.email.to_string(), "school@kulisy.example");
        assert_eq!(c.trusted_proxies.len(), 3);
        assert_eq!(c.site_url.host_str(), Some("kulisy.example"));
        assert!(c.database_url.starts_with("postgres://"));
        assert_eq!(c.time_zone, chrono_tz::Asia::Yekaterinburg);
        assert_eq!(c.secret_key.0, [0xab; 32]);
        assert!(c.seed_demo);
    }

    #[test]
    fn object_storage_is_configured_whole() {
        assert_eq!(parse(&[]).unwrap().media, MediaBackend::Local);
        let s3 = [
            ("KULISY_MEDIA", "s3"),
            ("KULISY_S3_ENDPOINT", "http://10.0.0.5:9000"),
            ("KULISY_S3_BUCKET", "kulisy-media"),
            ("KULISY_S3_ACCESS_KEY", "school"),
            ("KULISY_S3_SECRET_KEY", "very-secret"),
        ];
        let MediaBackend::S3(settings) = parse(&s3).unwrap().media else { panic!("not s3") };
        assert!(settings.path_style, "a self-hosted endpoint is addressed path-style");
        assert_eq!(settings.region, "us-east-1");
        assert!(!format!("{settings:?}").contains("very-secret"), "the secret stays out of logs");
        // Amazon's own: by region, bucket in the host name.
        let amazon = [s3[0], s3[2], s3[3], s3[4], ("KULISY_S3_REGION", "eu-central-1")];
        let MediaBackend::S3(settings) = parse(&amazon).unwrap().media else { panic!("not s3") };
        assert!(!settings.path_style && settings.endpoint.is_none());
        for (missing, _) in &s3[2..] {
            let without: Vec<_> = s3.iter().filter(|(k, _)| k != missing).copied().collect();
            assert_eq!(parse(&without).err().map(|e| e.var), Some(*missing));
        }
        for (var, value) in [("KULISY_S3_BUCKET", "../etc"), ("KULISY_S3_ENDPOINT", "s3.local"), ("KULISY_S3_PATH_STYLE", "maybe")] {
            let mut vars = s3.to_vec();
            vars.push((var, value));
            vars.retain(|(k, v)| k != &var || *v == value);
            assert_eq!(parse(&vars).err().map(|e| e.var), Some(var), "{var}={value}");
        }
    }

    #[test]
    fn smtp_needs_a_real_sender() {
        let err = parse(&[("SMTP_URL", "smtp://mail.example:25")]).err().expect("no sender accepted");
        assert_eq!(err.var, "KULISY_MAIL_FROM");
    }
}
