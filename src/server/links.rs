//! Addresses that leave the site — in letters and calendar feeds — are
//! absolute, under `SITE_URL`, never taken from a request.
use url::Url;

/// A student's requests.
pub const HISTORY: &str = "my/enrollments";
/// A student's passes, absences and make-ups.
pub const PASSES: &str = "my/passes";
/// A family's invoice: `my/invoices/<id>`.
pub const INVOICES: &str = "my/invoices";
/// A teacher's desk, where requests are decided.
pub const DESK: &str = "teach";
/// Asking for a new password.
pub const FORGOT: &str = "forgot";

/// The absolute address of `path` on this site.
pub fn to(site: &Url, path: &str) -> String {
    at(site, path).to_string()
}

/// The absolute address of a single-use link: `path?token=…`.
pub fn with_token(site: &Url, path: &str, token: &str) -> String {
    let mut url = at(site, path);
    url.query_pairs_mut().append_pair("token", token);
    url.to_string()
}

fn at(site: &Url, path: &str) -> Url {
    // Relative to the site's root; our paths are plain segments, so this
    // cannot fail, and the root is the answer that stays on the site if it did.
    site.join(path.trim_start_matches('/')).unwrap_or_else(|_| site.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_under_the_site() {
        let site = Url::parse("https://kulisy.example/").unwrap();
        assert_eq!(to(&site, HISTORY), "https://kulisy.example/my/enrollments");
        assert_eq!(to(&site, "/teach"), "https://kulisy.example/teach");
        assert_eq!(with_token(&site, "reset-password", "a b&c"), "https://kulisy.example/reset-password?token=a+b%26c");
    }
}
