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
        (Some(u), Some(rank), Some(label)) => format!("{u}, rang {rank} ”{label}”"),
        (Some(u), None, Some(label)) => format!("{u}, {label}"),
        (Some(u), ..) => u.clone(),
    }
}

/// A field for people, in Swedish: `count` → "antal", `sex:Kvinnor` →
/// "kön Kvinnor", `total:age:18-24` → "totalraden, ålder 18-24" … The JSON
/// and CSV keep the keys.
pub fn field_sv(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("total:") {
        return format!("totalraden, {}", field_sv(rest));
    }
    if let Some(rest) = field.strip_prefix("review:") {
        return format!("granskning av {}", field_sv(rest));
    }
    let (key, tail) = match field.split_once(':') {
        Some((key, tail)) => (key, Some(tail)),
        None => (field, None),
    };
    let word = match key {
        "count" => "antal",
        "sex" => "kön",
        "age" => "ålder",
        "duration" => "tid som aktuell",
        "also_at" => "aktuell hos",
        "label" | "group" => "målgrupp",
        "rank" => "rang",
        "estimated" => "uppskattat",
        "note" => "notering",
        "extra" => "tabellen",
        "unit" => "enhet",
        "name" => "namn",
        "place" => "kommun eller område",
        "authority" => "myndighet",
        "collaboration_today" => "samverkan i dag",
        "preventive_measures" => "önskade förebyggande insatser",
        "key" => "nyckeltal",
        "position" => "plats i listan",
        "themes" => "teman",
        "frame" => "ramen,",
        _ => return field.to_owned(),
    };
    match tail {
        Some(tail) if key == "frame" => format!("{word} {}", field_sv_frame(tail)),
        Some(tail) => format!("{word} {tail}"),
        None => word.to_owned(),
    }
}

fn field_sv_frame(part: &str) -> &str {
    match part {
        "name" => "namn",
        "region" => "region",
        "period" => "period",
        "note" => "notering",
        "municipalities" => "kommuner",
        "authorities" => "myndigheter",
        "sex" => "kön",
        "age" => "åldersgrupper",
        "duration" => "tid som aktuell",
        "themes" => "teman",
        other => other,
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
            field_sv(&e.field),
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

#[cfg(test)]
mod tests {
    use super::field_sv;

    #[test]
    fn fields_read_in_swedish() {
        for (key, sv) in [
            ("count", "antal"),
            ("sex:Kvinnor", "kön Kvinnor"),
            (
                "also_at:Arbetsförmedlingen",
                "aktuell hos Arbetsförmedlingen",
            ),
            ("total:age:18-24", "totalraden, ålder 18-24"),
            ("review:duration", "granskning av tid som aktuell"),
            ("key:Listade personer", "nyckeltal Listade personer"),
            ("frame:municipalities", "ramen, kommuner"),
            ("något nytt", "något nytt"),
        ] {
            assert_eq!(field_sv(key), sv);
        }
    }
}
