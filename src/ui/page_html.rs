//! HTML the server wrote, held by a page's resource.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// A long list the server writes as HTML text (see `schedule::card`) and a
/// page shows with `inner_html`. When the browser hydrates, that HTML is in
/// the page already, so it does not travel a second time as hydration data:
/// it serializes as nothing and deserializes empty, and tachys leaves the
/// inner HTML the server sent alone while hydrating. After hydration the
/// resource loads from its server function, whose answer carries the HTML as
/// a plain `String`: only a page's resource ever holds a `PageHtml`. Shared,
/// not copied, each time the resource is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageHtml(pub Arc<str>);

impl From<String> for PageHtml {
    fn from(html: String) -> Self {
        PageHtml(html.into())
    }
}

impl Serialize for PageHtml {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for PageHtml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(PageHtml::default())
    }
}

#[cfg(test)]
mod tests {
    use super::PageHtml;

    #[test]
    fn the_html_is_not_sent_again_with_the_hydration_data() {
        let html = PageHtml::from("<article>Сценическая речь</article>".to_string());
        let sent = serde_json::to_string(&(html, 7)).unwrap();
        assert_eq!(sent, "[null,7]");
        let (received, n): (PageHtml, i32) = serde_json::from_str(&sent).unwrap();
        assert_eq!((received, n), (PageHtml::default(), 7));
    }
}
