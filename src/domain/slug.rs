//! Unit enums that cross the wire as their slug (`student`, `pair`, …), in
//! JSON, forms and addresses alike.
//!
//! Written by hand rather than derived: serde's derived visitor weighs about
//! 1.3 KB of wasm per enum and per format read in the browser, while these
//! share one string reader and differ only in their `from_slug`.
use serde::{Deserialize, Deserializer, de::Error};

/// The slug a deserializer holds, checked by `from_slug`: a value outside
/// the list is an error while parsing (a 400 for a request).
pub fn read<'de, D: Deserializer<'de>, T>(d: D, from_slug: fn(&str) -> Option<T>) -> Result<T, D::Error> {
    let slug = String::deserialize(d)?;
    from_slug(&slug).ok_or_else(|| D::Error::custom(format_args!("unknown value `{slug}`")))
}

/// `Serialize` and `Deserialize` for a type with `slug(self)` and
/// `from_slug(&str)`.
macro_rules! slug_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.slug())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::domain::slug::read(d, <$t>::from_slug)
            }
        }
    };
}
pub(crate) use slug_serde;
