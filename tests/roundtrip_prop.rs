//! Property tests of the survey document (docs/survey-document.md):
//!
//! - any valid document survives import → export → import unchanged;
//! - any mutation of a valid document (flipped bytes, deleted or repeated
//!   keys, wrong types, huge or fractional numbers, NaN-like text, control
//!   characters, cut short) never panics, and importing it into a database
//!   that already holds the sample either succeeds or is refused with a
//!   message, leaving the database file byte for byte as it was.
//!
//! Case counts are kept small so the suite stays quick in a debug build.

mod common;

use malgrupp::import::json::parse;
use malgrupp::store::{Access, Store};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A choice among however many there turn out to be (shrinks towards the
/// first).
#[derive(Clone, Copy, Debug)]
struct Pick(usize);

impl Pick {
    fn index(self, len: usize) -> usize {
        self.0 % len.max(1)
    }

    fn get<T>(self, slice: &[T]) -> &T {
        &slice[self.index(slice.len())]
    }
}

fn pick() -> impl Strategy<Value = Pick> {
    any::<usize>().prop_map(Pick)
}

// ---------------------------------------------------------------------------
// Valid documents

/// A label as people write them: starts and ends with a letter, may hold
/// Swedish letters, spaces and the punctuation that breaks careless
/// exporters (quotes, `;`, `|`, `=`, `<`).
fn label() -> impl Strategy<Value = String> {
    "[A-Za-zÅÄÖåäöé][A-Za-zÅÄÖåäö0-9 ,.;:|=<>&'\"()/-]{0,14}[a-zåäö0-9]"
}

/// `n` distinct labels (a position suffix keeps them apart).
fn labels(n: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(label(), n).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, l)| format!("{l} {i}"))
            .collect()
    })
}

/// A count cell: mostly small, sometimes blank, now and then the largest
/// a cell holds.
fn cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (0u32..500).prop_map(|n| json!(n)),
        2 => Just(Value::Null),
        1 => Just(json!(u32::MAX - 1)),
    ]
}

fn cells(n: usize) -> impl Strategy<Value = Value> {
    prop::collection::vec(cell(), n).prop_map(Value::Array)
}

fn text() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[A-Za-zåäö0-9 .,\n]{1,40}[a-z]")
}

/// The survey frame's list lengths.
#[derive(Clone, Copy, Debug)]
struct Dims {
    authorities: usize,
    sex: usize,
    age: usize,
    duration: usize,
}

fn extra_table() -> impl Strategy<Value = Value> {
    (label(), labels(1..=3), labels(1..=3)).prop_flat_map(|(title, rows, columns)| {
        let n = rows.len();
        let m = columns.len();
        prop::collection::vec(prop::collection::vec(cell(), m), n).prop_map(
            move |cells| json!({"title": title, "rows": rows, "columns": columns, "cells": cells}),
        )
    })
}

fn group(d: Dims) -> impl Strategy<Value = Value> {
    (
        1u32..6,
        label(),
        cell(),
        any::<bool>(),
        (
            cells(d.sex),
            cells(d.age),
            cells(d.duration),
            cells(d.authorities),
        ),
        prop::collection::vec(extra_table(), 0..2),
        text(),
    )
        .prop_map(
            |(rank, label, count, estimated, (sex, age, duration, also_at), extra, note)| {
                let mut g = json!({
                    "rank": rank, "label": label, "count": count, "estimated": estimated,
                    "sex": sex, "age": age, "duration": duration, "also_at": also_at,
                });
                if !extra.is_empty() {
                    g["extra_breakdowns"] = Value::Array(extra);
                }
                if let Some(note) = note {
                    g["note"] = json!(note);
                }
                g
            },
        )
}

fn unit(
    d: Dims,
    municipalities: Vec<String>,
    authorities: Vec<String>,
) -> impl Strategy<Value = Value> {
    let place = prop_oneof![
        4 => prop::sample::select(municipalities).prop_map(|m| (json!(m), None)),
        1 => label().prop_map(|a| (Value::Null, Some(a))),
    ];
    (
        place,
        prop::sample::select(authorities),
        label(),
        (text(), text(), text()),
        prop::collection::vec((0u64..1_000_000_000_000, label()), 0..3),
        prop::collection::vec(group(d), 0..4),
        prop::option::of((cell(), cells(d.sex), cells(d.age), cells(d.duration), cells(d.authorities))),
    )
        .prop_map(
            |((municipality, area), authority, name, (collaboration, preventive, note), keys, groups, totals)| {
                let mut u = json!({
                    "municipality": municipality, "authority": authority, "name": name,
                    "groups": groups,
                });
                if let Some(area) = area {
                    u["area"] = json!(area);
                }
                for (key, value) in [
                    ("collaboration_today", collaboration),
                    ("preventive_measures", preventive),
                    ("note", note),
                ] {
                    if let Some(v) = value {
                        u[key] = json!(v);
                    }
                }
                if !keys.is_empty() {
                    u["key_figures"] = keys
                        .into_iter()
                        .enumerate()
                        .map(|(i, (value, name))| (format!("{name} {i}"), json!(value)))
                        .collect::<serde_json::Map<_, _>>()
                        .into();
                }
                if let Some((count, sex, age, duration, also_at)) = totals {
                    u["reported_totals"] = json!({
                        "count": count, "sex": sex, "age": age, "duration": duration, "also_at": also_at,
                    });
                }
                u
            },
        )
}

/// A valid survey document as docs/survey-document.md describes it.
fn document() -> impl Strategy<Value = Value> {
    (
        label(),
        labels(1..=4),
        labels(1..=3),
        labels(1..=3),
        labels(1..=4),
        labels(1..=4),
        prop::option::of(label()),
    )
        .prop_flat_map(
            |(name, municipalities, authorities, sex, age, duration, about)| {
                let d = Dims {
                    authorities: authorities.len(),
                    sex: sex.len(),
                    age: age.len(),
                    duration: duration.len(),
                };
                let units = prop::collection::vec(
                    unit(d, municipalities.clone(), authorities.clone()),
                    0..5,
                );
                units.prop_map(move |units| {
                    let mut doc = json!({
                        "survey": {
                            "name": name, "region": "Testlän", "period": "2026",
                            "municipalities": municipalities, "authorities": authorities,
                            "sex": sex, "age_bands": age, "duration_bands": duration,
                        },
                        "units": units,
                    });
                    if let Some(about) = &about {
                        doc["about"] = json!(about);
                    }
                    doc
                })
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// import → export → import gives the same survey, through the
    /// database file both times.
    #[test]
    fn a_valid_document_round_trips(doc in document()) {
        let dir = tempfile::tempdir().unwrap();
        let bytes = serde_json::to_vec_pretty(&doc).unwrap();
        let parsed = match parse(&bytes) {
            Ok(s) => s,
            Err(e) => panic!("a valid document was refused: {e}\n{}", String::from_utf8_lossy(&bytes)),
        };
        let name = parsed.frame.name.clone();

        let mut first = Store::open(&dir.path().join("a.sqlite"), Access::Create).unwrap();
        first.import(&parsed, false).unwrap();
        let loaded = first.load(&name).unwrap();
        prop_assert_eq!(&loaded, &parsed);

        let exported = dir.path().join("export.json");
        malgrupp::export::json::write_file(&loaded, &exported).unwrap();
        let again = parse(&std::fs::read(&exported).unwrap()).unwrap();
        let mut second = Store::open(&dir.path().join("b.sqlite"), Access::Create).unwrap();
        second.import(&again, false).unwrap();
        prop_assert_eq!(second.load(&name).unwrap(), loaded);
    }
}

// ---------------------------------------------------------------------------
// Mutations

/// A stand-in for a raw JSON token that `Value` cannot hold (1e400, NaN);
/// replaced in the text after serialising.
const RAW: &str = "\u{e000}raw\u{e000}";

/// Tokens that are numbers a careless or hostile writer would put in.
const ODD_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "-0",
    "-1",
    "3.5",
    "2.0",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "NaN",
    "Infinity",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-inf\"",
    "\"1e400\"",
    "\"ca 300\"",
    "\"\"",
];

/// Characters that must never slip silently into a label.
const ODD_CHARS: &[&str] = &[
    "\u{0}",
    "\u{1b}[2J",
    "\r",
    "\n",
    "\t",
    "\u{7f}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Remove the key or element at a place.
    Delete(Pick),
    /// Put a value of another type at a place.
    WrongType(Pick, u8),
    /// Put an odd number token at a place.
    OddNumber(Pick, Pick),
    /// Put odd characters into (or instead of) a text.
    OddText(Pick, Pick, bool),
    /// Repeat a key of an object with another value.
    RepeatKey(Pick, Pick),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => pick().prop_map(Mutation::Delete),
        1 => (pick(), 0u8..6).prop_map(|(i, t)| Mutation::WrongType(i, t)),
        2 => (pick(), pick()).prop_map(|(i, n)| Mutation::OddNumber(i, n)),
        3 => (pick(), pick(), any::<bool>()).prop_map(|(i, c, only)| Mutation::OddText(i, c, only)),
        1 => (pick(), pick()).prop_map(|(i, k)| Mutation::RepeatKey(i, k)),
    ]
}

/// Every place in a document, as JSON pointer segments.
fn places(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                at.push(k.clone());
                out.push(at.clone());
                places(child, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                at.push(i.to_string());
                out.push(at.clone());
                places(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|p| format!("/{p}")).collect()
}

/// Applies the structural mutations, then serialises; `raw` tokens replace
/// their stand-ins in the text.
fn mutated(mut doc: Value, mutations: &[Mutation]) -> Vec<u8> {
    let mut raw: Vec<String> = Vec::new();
    let mut repeats: Vec<(String, String)> = Vec::new();
    for m in mutations {
        let mut all = Vec::new();
        places(&doc, &mut Vec::new(), &mut all);
        if all.is_empty() {
            break;
        }
        match m {
            Mutation::Delete(i) => {
                let path = i.get::<Vec<String>>(&all).clone();
                let (last, parent) = path.split_last().expect("non-empty path");
                match doc.pointer_mut(&pointer(parent)) {
                    Some(Value::Object(map)) => {
                        map.remove(last);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(n) = last.parse::<usize>()
                            && n < a.len()
                        {
                            a.remove(n);
                        }
                    }
                    _ => {}
                }
            }
            Mutation::WrongType(i, t) => {
                let wrong = match t {
                    0 => json!("7"),
                    1 => json!(7),
                    2 => json!(true),
                    3 => Value::Null,
                    4 => json!([]),
                    _ => json!({}),
                };
                if let Some(v) = doc.pointer_mut(&pointer(i.get::<Vec<String>>(&all))) {
                    *v = wrong;
                }
            }
            Mutation::OddNumber(i, n) => {
                if let Some(v) = doc.pointer_mut(&pointer(i.get::<Vec<String>>(&all))) {
                    *v = json!(format!("{RAW}{}", raw.len()));
                    raw.push(n.get(ODD_NUMBERS).to_string());
                }
            }
            Mutation::OddText(i, c, only) => {
                // The nearest text at or after the chosen place.
                let at = i.index(all.len());
                let text_place = all[at..]
                    .iter()
                    .chain(&all[..at])
                    .find(|p| doc.pointer(&pointer(p)).is_some_and(Value::is_string));
                if let Some(p) = text_place.cloned()
                    && let Some(Value::String(s)) = doc.pointer_mut(&pointer(&p))
                {
                    let odd = c.get(ODD_CHARS);
                    *s = if *only {
                        odd.to_string()
                    } else {
                        let cut = s
                            .char_indices()
                            .nth(s.chars().count() / 2)
                            .map_or(s.len(), |(b, _)| b);
                        format!("{}{odd}{}", &s[..cut], &s[cut..])
                    };
                }
            }
            Mutation::RepeatKey(i, k) => {
                let path = i.get::<Vec<String>>(&all);
                if let Some(Value::Object(map)) = doc.pointer(&pointer(path))
                    && !map.is_empty()
                {
                    let keys: Vec<&String> = map.keys().collect();
                    let key = k.get(&keys).to_string();
                    // A marker key, later turned into a second `key`.
                    let marker = format!("{RAW}repeat{}", repeats.len());
                    let value = json!(u32::MAX);
                    repeats.push((marker.clone(), key));
                    if let Some(Value::Object(map)) = doc.pointer_mut(&pointer(path)) {
                        map.insert(marker, value);
                    }
                }
            }
        }
    }
    let mut text = serde_json::to_string(&doc).expect("serialise");
    for (marker, key) in &repeats {
        let from = serde_json::to_string(marker).unwrap();
        let to = serde_json::to_string(key).unwrap();
        text = text.replace(&from, &to);
    }
    for (n, token) in raw.iter().enumerate().rev() {
        text = text.replace(&format!("\"{RAW}{n}\""), token);
    }
    text.into_bytes()
}

fn sample_doc() -> Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::from_slice(&std::fs::read(common::sample()).unwrap()).unwrap())
        .clone()
}

/// The mutated sample: structural mutations, then some flipped bytes, and
/// maybe cut short.
fn hostile() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(mutation(), 1..3),
        // Flipped bytes mostly make the text invalid JSON: only in some
        // cases, so most reach the checks after parsing.
        prop::option::weighted(0.25, prop::collection::vec((pick(), 1u8..=255), 1..3)),
        prop::option::weighted(0.05, pick()),
    )
        .prop_map(|(mutations, flips, cut)| {
            let mut bytes = mutated(sample_doc(), &mutations);
            if !bytes.is_empty() {
                for (at, x) in flips.into_iter().flatten() {
                    let i = at.index(bytes.len());
                    bytes[i] ^= x;
                }
            }
            if let Some(at) = cut {
                bytes.truncate(at.index(bytes.len()));
            }
            bytes
        })
}

/// The bytes of a database holding the sample, made once.
fn base_db() -> &'static [u8] {
    static BASE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::read(common::imported(dir.path(), &common::sample())).unwrap()
    })
}

#[test]
fn the_mutations_are_what_they_say() {
    let doc = json!({"a": {"b": [1, "x"]}});
    // Places: a, a/b, a/b/0, a/b/1.
    let m = |ms: &[Mutation]| String::from_utf8(mutated(doc.clone(), ms)).unwrap();
    let at = Pick;
    assert_eq!(m(&[Mutation::Delete(at(2))]), r#"{"a":{"b":["x"]}}"#);
    assert_eq!(m(&[Mutation::WrongType(at(1), 2)]), r#"{"a":{"b":true}}"#);
    assert_eq!(
        m(&[Mutation::OddNumber(at(2), Pick(0))]),
        r#"{"a":{"b":[1e400,"x"]}}"#
    );
    assert_eq!(
        m(&[Mutation::OddText(at(2), Pick(0), false)]),
        "{\"a\":{\"b\":[1,\"\\u0000x\"]}}"
    );
    assert_eq!(
        m(&[Mutation::RepeatKey(at(0), Pick(0))]),
        format!(r#"{{"a":{{"b":[1,"x"],"b":{}}}}}"#, u32::MAX)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Reading a mutated document never panics (a panic fails the case).
    #[test]
    fn a_mutated_document_never_panics_the_reader(bytes in hostile()) {
        if let Err(e) = parse(&bytes) {
            prop_assert!(!e.to_string().trim().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// `malgrupp import` of a mutated document into a database holding the
    /// sample, with or without `--replace`: success, or a refusal with a
    /// message and the exit code for errors, and then the database file is
    /// byte for byte as it was. Never a panic or a signal.
    #[test]
    fn a_mutated_document_never_changes_the_database_when_refused(
        bytes in hostile(),
        replace in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let before = base_db();
        let db = dir.path().join("kartläggning.sqlite");
        std::fs::write(&db, before).unwrap();
        let doc = dir.path().join("mutated.json");
        std::fs::write(&doc, &bytes).unwrap();
        let mut cmd = common::malgrupp();
        cmd.arg("import").arg(&doc).arg("--db").arg(&db);
        if replace {
            cmd.arg("--replace");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        match out.status.code() {
            Some(0) => {}
            Some(2) => {
                prop_assert!(stderr.starts_with("malgrupp: "), "{}", stderr);
                prop_assert!(stderr.trim().len() > "malgrupp:".len(), "{}", stderr);
                prop_assert!(std::fs::read(&db).unwrap() == before, "database changed: {}", stderr);
            }
            other => prop_assert!(false, "exit {:?}: {}", other, stderr),
        }
    }
}
