//! A kept public page: rendered once, compressed once, sent to every
//! visitor in the encoding their browser takes, or as a bodiless 304.
use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use std::{
    io::Write as _,
    sync::{Arc, atomic::AtomicBool},
    time::{Duration, Instant, SystemTime},
};

/// A rendered public page, ready in each encoding browsers ask for.
pub(super) struct Page {
    pub(super) rendered_at: Instant,
    /// Since when the page reads as it does (an equal render keeps it).
    pub(super) modified: SystemTime,
    /// Someone is rendering this page anew.
    pub(super) refreshing: AtomicBool,
    pub(super) etag: HeaderValue,
    content_type: HeaderValue,
    policy: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Page {
    fn make(html: Bytes, content_type: HeaderValue, policy: HeaderValue, etag: HeaderValue) -> Option<Page> {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        gzip.write_all(&html).ok()?;
        // Quality 5 of 11: within a few per cent of the best for HTML, in milliseconds.
        let mut brotli = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
        brotli.write_all(&html).ok()?;
        Some(Page {
            rendered_at: Instant::now(),
            modified: SystemTime::now(),
            refreshing: AtomicBool::new(false),
            etag,
            content_type,
            policy,
            gzip: gzip.finish().ok()?.into(),
            brotli: brotli.into_inner().into(),
            identity: html,
        })
    }

    /// The page of a new render (`nonce` is the one it gave its scripts);
    /// when it reads as the kept one did (its
    /// tag, which leaves the nonce out), the kept page itself, renewed — with
    /// its own compressed bytes and the policy naming their nonce. On a busy
    /// school the public pages render once a second and mostly read the
    /// same: compressing them again each time took a core for milliseconds
    /// every second, the kept page's tail at 64 connections.
    pub(super) fn make_or_renew(old: Option<Arc<Page>>, html: Bytes, content_type: HeaderValue, policy: HeaderValue, nonce: Option<&str>) -> Option<Page> {
        let etag = tag_of(&html, nonce)?;
        match old {
            Some(old) if old.etag == etag => Some(Page {
                rendered_at: Instant::now(),
                modified: old.modified,
                refreshing: AtomicBool::new(false),
                etag,
                content_type: old.content_type.clone(),
                policy: old.policy.clone(),
                identity: old.identity.clone(),
                gzip: old.gzip.clone(),
                brotli: old.brotli.clone(),
            }),
            _ => Page::make(html, content_type, policy, etag),
        }
    }

    pub(super) fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len()
    }

    /// Whether the browser's copy is this page: by its tag, or (from a
    /// client that sent no tag) by its date.
    fn is_known_to(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request.get(header::IF_NONE_MATCH) {
            return tags == self.etag;
        }
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .is_some_and(|since| since >= self.modified - Duration::from_secs(1))
    }

    /// The page in the best encoding the browser takes, or 304 if it has it.
    pub(super) fn respond(&self, request: &HeaderMap) -> Response {
        let mut res = if self.is_known_to(request) {
            // No policy on a 304: the browser keeps the one its copy came with.
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepts = |coding: &str| {
                request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).any(|v| {
                    v.split(',').any(|item| {
                        let mut parts = item.split(';').map(str::trim);
                        parts.next() == Some(coding) && !parts.any(|p| p == "q=0")
                    })
                })
            };
            let (body, coding) = if accepts("br") {
                (self.brotli.clone(), Some("br"))
            } else if accepts("gzip") {
                (self.gzip.clone(), Some("gzip"))
            } else {
                (self.identity.clone(), None)
            };
            let mut res = Response::new(Body::from(body));
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, self.content_type.clone());
            h.insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
            if let Some(coding) = coding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            res
        };
        let h = res.headers_mut();
        h.insert(header::ETAG, self.etag.clone());
        if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(self.modified)) {
            h.insert(header::LAST_MODIFIED, date);
        }
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding, Cookie"));
        res
    }
}

/// The tag of a page: its bytes without the nonce its render gave its
/// scripts, which is the one thing two renders of the same page differ in.
/// So every process that renders the page from the same data gives it the
/// same tag, and a browser's copy is answered 304 whichever process it asks.
/// Weak: the same page compressed or not has the same tag.
fn tag_of(html: &[u8], nonce: Option<&str>) -> Option<HeaderValue> {
    let mut hash = Sha256::new();
    match nonce.filter(|n| !n.is_empty()) {
        Some(nonce) => {
            let text = std::str::from_utf8(html).ok()?;
            text.split(nonce).for_each(|piece| hash.update(piece));
        }
        None => hash.update(html),
    }
    let hex: String = hash.finalize()[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_renders_differing_only_in_their_nonce_have_one_tag() {
        let render = |nonce: &str| format!("<script nonce=\"{nonce}\">go()</script><p>Курс</p>");
        let a = tag_of(render("AAAAbbbbCCCCdddd").as_bytes(), Some("AAAAbbbbCCCCdddd")).unwrap();
        assert_eq!(a, tag_of(render("zzzzYYYYxxxxWWWW").as_bytes(), Some("zzzzYYYYxxxxWWWW")).unwrap());
        let other = "<script nonce=\"zzzzYYYYxxxxWWWW\">go()</script><p>Курс 2</p>";
        assert_ne!(a, tag_of(other.as_bytes(), Some("zzzzYYYYxxxxWWWW")).unwrap());
    }

    #[test]
    fn a_render_that_reads_the_same_renews_the_kept_page() {
        let render = |nonce: &str, text: &str| Bytes::from(format!("<script nonce=\"{nonce}\">go()</script><p>{text}</p>"));
        let policy = |nonce: &str| HeaderValue::from_str(&format!("script-src 'nonce-{nonce}'")).unwrap();
        let make = |old, nonce: &str, text: &str| {
            Page::make_or_renew(old, render(nonce, text), HeaderValue::from_static("text/html"), policy(nonce), Some(nonce)).map(Arc::new)
        };
        let kept = make(None, "AAAAbbbbCCCCdddd", "Курс").unwrap();
        let renewed = make(Some(kept.clone()), "zzzzYYYYxxxxWWWW", "Курс").unwrap();
        // The kept bytes with the policy naming their own nonce, made anew.
        assert_eq!(renewed.identity, kept.identity);
        assert_eq!(renewed.policy, kept.policy);
        assert!(renewed.brotli.as_ptr() == kept.brotli.as_ptr(), "not compressed again");
        assert!(renewed.rendered_at > kept.rendered_at);
        assert_eq!(renewed.modified, kept.modified);
        let changed = make(Some(kept.clone()), "zzzzYYYYxxxxWWWW", "Курс 2").unwrap();
        assert_ne!(changed.etag, kept.etag);
        assert_eq!(changed.policy, policy("zzzzYYYYxxxxWWWW"));
        assert!(std::str::from_utf8(&changed.identity).unwrap().contains("zzzzYYYYxxxxWWWW"));
    }

    #[test]
    fn a_page_is_sent_in_the_encoding_the_browser_takes() {
        let page = Page::make_or_renew(
            None,
            Bytes::from_static(b"<p>hello</p>"),
            HeaderValue::from_static("text/html"),
            HeaderValue::from_static("default-src 'self'"),
            None,
        )
        .unwrap();
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            page.respond(&h)
        };
        assert_eq!(with("gzip, deflate, br, zstd").headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(with("gzip").headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(with("br;q=0, gzip").headers()[header::CONTENT_ENCODING], "gzip");
        assert!(with("identity").headers().get(header::CONTENT_ENCODING).is_none());
    }
}
