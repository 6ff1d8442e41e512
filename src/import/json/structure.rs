//! Why the typed read refused a document, in Swedish, with the place: walks
//! the document as plain JSON and reports the first value of the wrong
//! shape. Only run when a document is refused, so it may be slow.

use serde_json::{Map, Value};

use crate::error::{Error, json_data_sv};
use crate::import::loc::{Loc, shorten};

type Check = Result<(), Error>;

/// The error to show for a document the typed read refused with `e`.
pub(super) fn explain(bytes: &[u8], e: serde_json::Error) -> Error {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(syntax) => {
            return Error::NotJson {
                line: syntax.line(),
                column: syntax.column(),
                detail: syntax.to_string(),
            };
        }
    };
    match document(&value, Loc::ROOT) {
        Err(found) => found,
        // A field given twice (the plain value keeps one), or else say what
        // serde said, in Swedish.
        Ok(()) => super::raw::find(bytes).unwrap_or_else(|| {
            Error::at(
                format!("rad {}, kolumn {}", e.line(), e.column()),
                format!(
                    "dokumentet kunde inte läsas: {}",
                    json_data_sv(&e.to_string())
                ),
            )
        }),
    }
}

/// What a JSON value is, in Swedish.
fn kind_sv(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("talet {n}"),
        Value::String(s) => format!("texten ”{}”", shorten(s)),
        Value::Array(_) => "en lista".into(),
        Value::Object(_) => "ett objekt".into(),
    }
}

/// The fields of an object: `required` must be there, `optional` may be, and
/// nothing else.
fn object<'v>(
    v: &'v Value,
    at: Loc,
    required: &[&str],
    optional: &[&str],
) -> Result<&'v Map<String, Value>, Error> {
    let Value::Object(map) = v else {
        return Err(at.err(format!("väntade ett objekt, fick {}", kind_sv(v))));
    };
    for key in map.keys() {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            let known: Vec<&str> = required.iter().chain(optional).copied().collect();
            return Err(at.err(format!(
                "okänt fält ”{}” (kända fält: {})",
                shorten(key),
                known.join(", ")
            )));
        }
    }
    if let Some(missing) = required.iter().find(|k| !map.contains_key(**k)) {
        return Err(at.key(missing).err("fältet saknas"));
    }
    Ok(map)
}

/// Runs `check` on the field when it is there and not null.
fn optional(
    map: &Map<String, Value>,
    at: Loc,
    key: &str,
    check: impl Fn(&Value, Loc) -> Check,
) -> Check {
    match map.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => check(v, at.key(key)),
    }
}

fn field(
    map: &Map<String, Value>,
    at: Loc,
    key: &str,
    check: impl Fn(&Value, Loc) -> Check,
) -> Check {
    match map.get(key) {
        Some(v) => check(v, at.key(key)),
        None => Err(at.key(key).err("fältet saknas")),
    }
}

fn text(v: &Value, at: Loc) -> Check {
    match v {
        Value::String(_) => Ok(()),
        other => Err(at.err(format!("väntade text, fick {}", kind_sv(other)))),
    }
}

fn boolean(v: &Value, at: Loc) -> Check {
    match v {
        Value::Bool(_) => Ok(()),
        other => Err(at.err(format!("väntade true eller false, fick {}", kind_sv(other)))),
    }
}

/// A whole number ≥ 0; `whole_floats` also takes 3.0 (counts do, ranks and
/// key figures do not).
fn number(v: &Value, at: Loc, whole_floats: bool) -> Check {
    match v {
        Value::Number(n) => {
            if n.as_u64().is_some() {
                return Ok(());
            }
            if let Some(i) = n.as_i64() {
                return Err(at.err(format!("negativa tal är inte tillåtna, fick {i}")));
            }
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f < 0.0 {
                Err(at.err(format!("negativa tal är inte tillåtna, fick {n}")))
            } else if f.fract() == 0.0 && f >= 18_446_744_073_709_551_615.0 && !whole_floats {
                // Key figures; a number this long no longer reads exactly.
                Err(at.err(format!(
                    "talet är för stort (högst {})",
                    crate::model::validate::thousands(crate::model::validate::KEY_FIGURE_MAX)
                )))
            } else if f.fract() != 0.0 || !whole_floats {
                Err(at.err(format!("väntade ett heltal, fick {n}")))
            } else {
                Err(at.err(format!("talet {n} är för stort")))
            }
        }
        Value::String(s) => Err(at.err(format!(
            "väntade ett tal, fick texten ”{}” (skriv uppskattningar som tal med \"estimated\": true)",
            shorten(s)
        ))),
        other => Err(at.err(format!("väntade ett tal, fick {}", kind_sv(other)))),
    }
}

/// A count cell: null, or a whole number ≥ 0 that fits.
fn cell(v: &Value, at: Loc) -> Check {
    match v {
        Value::Null => Ok(()),
        Value::Number(n)
            if n.as_u64()
                .is_some_and(|u| u > u64::from(crate::model::Cell::MAX)) =>
        {
            Err(at.err(format!("talet {n} är för stort")))
        }
        _ => number(v, at, true),
    }
}

fn list<'v>(v: &'v Value, at: Loc, what: &str) -> Result<&'v Vec<Value>, Error> {
    match v {
        Value::Array(a) => Ok(a),
        other => Err(at.err(format!(
            "väntade en lista med {what}, fick {}",
            kind_sv(other)
        ))),
    }
}

fn each(v: &Value, at: Loc, what: &str, check: impl Fn(&Value, Loc) -> Check) -> Check {
    for (i, item) in list(v, at, what)?.iter().enumerate() {
        check(item, at.index(i))?;
    }
    Ok(())
}

fn texts(v: &Value, at: Loc) -> Check {
    each(v, at, "texter", text)
}

fn cells(v: &Value, at: Loc) -> Check {
    each(v, at, "tal", cell)
}

fn document(v: &Value, at: Loc) -> Check {
    let map = object(v, at, &["survey", "units"], &["about", "deleted_units"])?;
    optional(map, at, "about", text)?;
    field(map, at, "survey", frame)?;
    field(map, at, "units", |v, at| each(v, at, "enheter", unit))?;
    optional(map, at, "deleted_units", |v, at| {
        each(v, at, "borttagna enheter", |v, at| {
            let map = object(v, at, &["id"], &["revisions"])?;
            field(map, at, "id", text)?;
            optional(map, at, "revisions", texts)
        })
    })
}

fn frame(v: &Value, at: Loc) -> Check {
    let lists = [
        "municipalities",
        "authorities",
        "sex",
        "age_bands",
        "duration_bands",
    ];
    let mut required = vec!["name", "region", "period"];
    required.extend(lists);
    let map = object(v, at, &required, &["note", "planned_units", "themes"])?;
    optional(map, at, "themes", |v, at| {
        each(v, at, "teman", |v, at| {
            let map = object(v, at, &["name"], &["keywords"])?;
            field(map, at, "name", text)?;
            optional(map, at, "keywords", texts)
        })
    })?;
    for key in ["name", "region", "period"] {
        field(map, at, key, text)?;
    }
    for key in lists {
        field(map, at, key, texts)?;
    }
    optional(map, at, "note", text)?;
    optional(map, at, "planned_units", |v, at| {
        each(v, at, "planerade enheter", planned_unit)
    })
}

fn planned_unit(v: &Value, at: Loc) -> Check {
    let map = object(v, at, &["name", "authority"], &["municipality", "area"])?;
    for key in ["name", "authority"] {
        field(map, at, key, text)?;
    }
    for key in ["municipality", "area"] {
        optional(map, at, key, text)?;
    }
    Ok(())
}

fn unit(v: &Value, at: Loc) -> Check {
    let map = object(
        v,
        at,
        &["municipality", "authority", "name", "groups"],
        &[
            "id",
            "revisions",
            "area",
            "collaboration_today",
            "preventive_measures",
            "note",
            "key_figures",
            "reported_totals",
        ],
    )?;
    optional(map, at, "municipality", text)?;
    optional(map, at, "id", text)?;
    optional(map, at, "revisions", texts)?;
    for key in ["authority", "name"] {
        field(map, at, key, text)?;
    }
    for key in ["area", "collaboration_today", "preventive_measures", "note"] {
        optional(map, at, key, text)?;
    }
    optional(map, at, "key_figures", |v, at| {
        let Value::Object(figures) = v else {
            return Err(at.err(format!("väntade ett objekt, fick {}", kind_sv(v))));
        };
        for (name, value) in figures {
            number(value, at.key(name), false)?;
        }
        Ok(())
    })?;
    field(map, at, "groups", |v, at| each(v, at, "målgrupper", group))?;
    optional(map, at, "reported_totals", |v, at| {
        let map = object(v, at, &[], &["count", "sex", "age", "duration", "also_at"])?;
        optional(map, at, "count", cell)?;
        breakdowns(map, at)
    })
}

fn breakdowns(map: &Map<String, Value>, at: Loc) -> Check {
    for key in ["sex", "age", "duration", "also_at"] {
        optional(map, at, key, cells)?;
    }
    Ok(())
}

fn group(v: &Value, at: Loc) -> Check {
    let map = object(
        v,
        at,
        &["rank", "label", "count"],
        &[
            "id",
            "estimated",
            "sex",
            "age",
            "duration",
            "also_at",
            "extra_breakdowns",
            "note",
            "themes",
        ],
    )?;
    optional(map, at, "themes", texts)?;
    field(map, at, "rank", |v, at| number(v, at, false))?;
    field(map, at, "label", text)?;
    optional(map, at, "id", text)?;
    field(map, at, "count", cell)?;
    optional(map, at, "estimated", boolean)?;
    breakdowns(map, at)?;
    optional(map, at, "note", text)?;
    optional(map, at, "extra_breakdowns", |v, at| {
        each(v, at, "tabeller", |v, at| {
            let map = object(v, at, &["title", "rows", "columns", "cells"], &[])?;
            field(map, at, "title", text)?;
            field(map, at, "rows", texts)?;
            field(map, at, "columns", texts)?;
            field(map, at, "cells", |v, at| each(v, at, "rader", cells))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde says when the typed read and this walk disagree (no
    /// document known makes them) is still said in Swedish, with the place.
    #[test]
    fn a_refusal_the_walk_does_not_find_is_told_in_swedish() {
        let bytes = br#"{"survey": {"name": "a", "region": "b", "period": "c", "municipalities": [], "authorities": [], "sex": [], "age_bands": [], "duration_bands": []}, "units": []}"#;
        for (e, message) in [
            (
                serde_json::from_str::<u32>("\n \"x\"").unwrap_err(),
                "rad 2, kolumn 4: dokumentet kunde inte läsas: väntade ett heltal ≥ 0, fick texten ”x”",
            ),
            (
                serde_json::from_str::<Map<String, Value>>("[]").unwrap_err(),
                "rad 1, kolumn 0: dokumentet kunde inte läsas: väntade ett objekt, fick en lista",
            ),
        ] {
            assert_eq!(explain(bytes, e).to_string(), message);
        }
    }

    #[test]
    fn a_syntax_error_is_told_by_the_one_translation() {
        let e = serde_json::from_slice::<Value>(b"[1").unwrap_err();
        assert_eq!(
            explain(b"[1", e).to_string(),
            "filen är inte giltig JSON (rad 1, kolumn 2): filen tar slut mitt i en lista (saknas ”]”?)"
        );
    }
}
