//! The document walked as raw JSON text, for what a parsed value no longer
//! shows: a field given twice (a parsed object keeps only one) and a number
//! written so small that it reads as 0 (`1e-400`). Only run when the typed
//! read refused a document or saw a count written as a decimal zero, so it
//! may re-read nested text.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::Error;
use crate::import::loc::{Loc, shorten};
use crate::model::validate::underflows_to_zero;

/// The first such fault in the document, with its place; `None` when there
/// is none (or the text is not JSON at all, which others report).
pub(super) fn find(bytes: &[u8]) -> Option<Error> {
    let raw: &RawValue = serde_json::from_slice(bytes).ok()?;
    walk(raw, Loc::ROOT, false, 0)
}

/// How deep the walk goes. Each level reads its text again, so a hostile
/// document nested a hundred deep would cost a hundred reads; the format's
/// own values lie at most ten deep (`units[0].groups[0].extra_breakdowns[0].cells[0][0]`).
const DEPTH_MAX: usize = 16;

/// An object's entries in the document's order, duplicates kept.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ett objekt")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A list's items.
struct Items<'a>(Vec<&'a RawValue>);

impl<'de> Deserialize<'de> for Items<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Items<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("en lista")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    out.push(item);
                }
                Ok(Items(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// `names`: the object's keys are names the unit gave (key figures), not
/// the format's fields.
fn walk(raw: &RawValue, at: Loc, names: bool, depth: usize) -> Option<Error> {
    if depth > DEPTH_MAX {
        return None;
    }
    let text = raw.get().trim_start();
    match text.as_bytes().first()? {
        b'{' => {
            let Entries(entries) = serde_json::from_str(text).ok()?;
            let mut seen = HashSet::with_capacity(entries.len());
            for (key, _) in &entries {
                if !seen.insert(key.as_str()) {
                    let what = if names { "nyckeltalet" } else { "fältet" };
                    return Some(at.err(format!("{what} ”{}” står två gånger", shorten(key))));
                }
            }
            entries
                .iter()
                .find_map(|(key, value)| walk(value, at.key(key), key == "key_figures", depth + 1))
        }
        b'[' => {
            let Items(items) = serde_json::from_str(text).ok()?;
            items
                .iter()
                .enumerate()
                .find_map(|(i, item)| walk(item, at.index(i), false, depth + 1))
        }
        b'-' | b'0'..=b'9' => underflows_to_zero(text).then(|| {
            at.err(format!(
                "väntade ett heltal, fick {} (så litet att det skulle läsas som 0)",
                text.trim_end()
            ))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(doc: &str) -> Option<String> {
        find(doc.as_bytes()).map(|e| e.to_string())
    }

    #[test]
    fn a_field_given_twice_is_named_with_its_place() {
        assert_eq!(
            message(r#"{"units": [{"groups": [{"count": 1, "count": 2}]}]}"#).as_deref(),
            Some("units[0].groups[0]: fältet ”count” står två gånger")
        );
        assert_eq!(
            message(r#"{"units": [{"key_figures": {"a": 1, "a": 2}}]}"#).as_deref(),
            Some("units[0].key_figures: nyckeltalet ”a” står två gånger")
        );
    }

    #[test]
    fn a_number_that_underflows_to_zero_is_named() {
        assert_eq!(
            message(r#"{"units": [{"groups": [{"count": 1e-400}]}]}"#).as_deref(),
            Some(
                "units[0].groups[0].count: väntade ett heltal, fick 1e-400 (så litet att det skulle läsas som 0)"
            )
        );
        for fine in [
            r#"{"a": 0}"#,
            r#"{"a": 0.0}"#,
            r#"{"a": -0.0e5}"#,
            r#"{"a": 3.0}"#,
        ] {
            assert_eq!(message(fine), None, "{fine}");
        }
    }
}
