//! The change history for people and scripts: `malgrupp log` as text, JSON
//! (`{"changes":[…]}`) and CSV; the app shows the same lines.

use super::text::visible;
use super::{Field, Table};
use crate::model::history::How;
use crate::store::history::Entry;

/// `{"changes":[{"time","user","unit","rank","label","field","old","new","how"}]}`.
#[derive(serde::Serialize)]
pub struct Changes<'a> {
    /// The changes, newest first.
    pub changes: &'a [Entry],
}

/// A value for people: the text, or "(tomt)" for blank.
pub fn value_sv(value: Option<&str>) -> String {
    match value {
        Some(v) => v.to_owned(),
        None => "(tomt)".to_owned(),
    }
}

/// Where a change was: "Enhet", "Enhet, 2 Unga vuxna", or "ramen".
pub fn place_sv(e: &Entry) -> String {
    match (&e.unit, e.rank, &e.label) {
        (None, ..) => "ramen".to_owned(),
        (Some(u), Some(rank), Some(label)) => format!("{u}, {rank} {label}"),
        (Some(u), None, Some(label)) => format!("{u}, {label}"),
        (Some(u), ..) => u.clone(),
    }
}

/// How, in Swedish.
pub fn how_sv(how: &str) -> &str {
    match How::parse(how) {
        Some(h) => h.name_sv(),
        None => how,
    }
}

/// One line per change, newest first: local time, who, where, field,
/// old → new, how.
pub fn text(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "Inga ändringar.\n".to_owned();
    }
    let mut out = String::new();
    for e in entries {
        let line = format!(
            "{}  {}  {}  {}: {} → {}  ({})",
            e.local_time,
            e.user,
            place_sv(e),
            e.field,
            value_sv(e.old.as_deref()),
            value_sv(e.new.as_deref()),
            how_sv(&e.how)
        );
        out += &visible(&line);
        out.push('\n');
    }
    out
}

/// CSV for scripts (RFC 4180, LF): the JSON's fields as columns, time in
/// UTC, blank for null.
pub fn csv(entries: &[Entry]) -> anyhow::Result<Vec<u8>> {
    let header = [
        "time", "user", "unit", "rank", "label", "field", "old", "new", "how",
    ];
    let text = |s: &Option<String>| s.clone().map_or(Field::Blank, Field::Text);
    let table = Table {
        header: header.iter().map(|h| (*h).to_owned()).collect(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    Field::Text(e.time.clone()),
                    Field::Text(e.user.clone()),
                    text(&e.unit),
                    e.rank.map_or(Field::Blank, |r| Field::Number(i64::from(r))),
                    text(&e.label),
                    Field::Text(e.field.clone()),
                    text(&e.old),
                    text(&e.new),
                    Field::Text(e.how.clone()),
                ]
            })
            .collect(),
    };
    Ok(super::csv::table(&table, super::csv::Dialect::SCRIPT))
}
