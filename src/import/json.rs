//! Reading the survey document (FORMAT.md, version 1).
//!
//! The whole document is read and checked before anything is stored, so a
//! wrong file changes nothing. Every refusal names the place in the document
//! (`units[2].groups[0].sex: väntade 2 tal, fick 3`).

use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, KeyFigure, Layout, Place, Row, Survey, TargetGroup, Unit,
};

/// The longest label (names, group labels, category and table labels).
pub const LABEL_MAX: usize = 1_000;
/// The longest free text (open answers, notes).
pub const TEXT_MAX: usize = 100_000;

/// Reads and checks a survey document from a file.
pub fn read_file(path: &Path) -> Result<Survey> {
    let bytes = std::fs::read(path).map_err(|source| Error::File {
        action: "läsa",
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes)
}

/// Reads and checks a survey document from bytes.
pub fn parse(bytes: &[u8]) -> Result<Survey> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| Error::NotJson {
        line: e.line(),
        column: e.column(),
        detail: e.to_string(),
    })?;
    survey(&value, Loc::ROOT)
}

/// A place in the document, formatted only when something is wrong there.
#[derive(Clone, Copy)]
struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Loc<'a> {
    const ROOT: Loc<'static> = Loc {
        parent: None,
        seg: Seg::Root,
    };

    fn key<'b>(&'b self, key: &'b str) -> Loc<'b> {
        Loc {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    fn index(&'a self, i: usize) -> Loc<'a> {
        Loc {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    fn err(&self, message: impl Into<String>) -> Error {
        Error::at(self.to_string(), message)
    }
}

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.seg {
            Seg::Root => {
                if self.parent.is_none() {
                    f.write_str("dokumentet")?;
                }
                Ok(())
            }
            Seg::Key(k) => {
                if matches!(self.parent, Some(Loc { seg: Seg::Root, .. }) | None) {
                    f.write_str(k)
                } else {
                    write!(f, ".{k}")
                }
            }
            Seg::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// What a JSON value is, in Swedish.
fn kind_sv(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{}", if *b { "true" } else { "false" }),
        Value::Number(n) => format!("talet {n}"),
        Value::String(s) => format!("texten ”{}”", shorten(s)),
        Value::Array(_) => "en lista".into(),
        Value::Object(_) => "ett objekt".into(),
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut out: String = s.chars().take(40).collect();
        out.push('…');
        out
    } else {
        s.to_owned()
    }
}

/// An object whose keys are all among `known`.
fn object<'v>(v: &'v Value, at: Loc, known: &[&str]) -> Result<&'v Map<String, Value>> {
    let Value::Object(map) = v else {
        return Err(at.err(format!("väntade ett objekt, fick {}", kind_sv(v))));
    };
    if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(at.err(format!(
            "okänt fält ”{}” (kända fält: {})",
            shorten(k),
            known.join(", ")
        )));
    }
    Ok(map)
}

fn required<'v>(map: &'v Map<String, Value>, at: Loc, key: &str) -> Result<&'v Value> {
    map.get(key).ok_or_else(|| at.key(key).err("fältet saknas"))
}

/// Text of at most `max` characters.
fn text(v: &Value, at: Loc, max: usize) -> Result<String> {
    let Value::String(s) = v else {
        return Err(at.err(format!("väntade text, fick {}", kind_sv(v))));
    };
    let n = s.chars().count();
    if n > max {
        return Err(at.err(format!("texten är för lång ({n} tecken, högst {max})")));
    }
    Ok(s.clone())
}

fn label(map: &Map<String, Value>, at: Loc, key: &str) -> Result<String> {
    let s = text(required(map, at, key)?, at.key(key), LABEL_MAX)?;
    if s.trim().is_empty() {
        return Err(at.key(key).err("får inte vara tom"));
    }
    Ok(s)
}

fn optional_text(
    map: &Map<String, Value>,
    at: Loc,
    key: &str,
    max: usize,
) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => text(v, at.key(key), max).map(Some),
    }
}

/// A non-negative whole number.
fn number(v: &Value, at: Loc) -> Result<u64> {
    match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                return Ok(u);
            }
            if let Some(i) = n.as_i64() {
                return Err(at.err(format!("negativa tal är inte tillåtna, fick {i}")));
            }
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f < 0.0 {
                Err(at.err(format!("negativa tal är inte tillåtna, fick {n}")))
            } else if f.fract() != 0.0 {
                Err(at.err(format!("väntade ett heltal, fick {n}")))
            } else if f <= u64::from(Cell::MAX) as f64 {
                Ok(f as u64)
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

/// A count cell: a number or blank (`null`).
fn cell(v: &Value, at: Loc) -> Result<Cell> {
    if v.is_null() {
        return Ok(Cell::BLANK);
    }
    let n = number(v, at)?;
    Cell::try_new(n).ok_or_else(|| at.err(format!("talet {n} är för stort")))
}

fn array<'v>(v: &'v Value, at: Loc, what: &str) -> Result<&'v Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a),
        other => Err(at.err(format!(
            "väntade en lista med {what}, fick {}",
            kind_sv(other)
        ))),
    }
}

/// A list of exactly `len` cells.
fn cells_into(v: &Value, at: Loc, len: usize, out: &mut [Cell]) -> Result<()> {
    let items = array(v, at, "tal")?;
    if items.len() != len {
        return Err(at.err(format!("väntade {len} tal, fick {}", items.len())));
    }
    for (i, (item, slot)) in items.iter().zip(out.iter_mut()).enumerate() {
        *slot = cell(item, at.index(i))?;
    }
    Ok(())
}

/// A list of distinct, non-empty labels.
fn labels(map: &Map<String, Value>, at: Loc, key: &str) -> Result<Vec<String>> {
    let items = array(required(map, at, key)?, at.key(key), "texter")?;
    let at = at.key(key);
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let s = text(item, at.index(i), LABEL_MAX)?;
        if s.trim().is_empty() {
            return Err(at.index(i).err("får inte vara tom"));
        }
        if out.contains(&s) {
            return Err(at
                .index(i)
                .err(format!("”{}” står två gånger", shorten(&s))));
        }
        out.push(s);
    }
    Ok(out)
}

fn survey(v: &Value, at: Loc) -> Result<Survey> {
    let top = object(v, at, &["about", "survey", "units"])?;
    let about = optional_text(top, at, "about", TEXT_MAX)?;
    let frame = frame(required(top, at, "survey")?, at.key("survey"))?;
    let layout = frame.layout();
    let units_at = at.key("units");
    let items = array(required(top, at, "units")?, units_at, "enheter")?;
    let units = items
        .iter()
        .enumerate()
        .map(|(i, u)| unit(u, units_at.index(i), &frame, &layout))
        .collect::<Result<Vec<_>>>()?;
    Ok(Survey {
        about,
        frame,
        units,
    })
}

fn frame(v: &Value, at: Loc) -> Result<Frame> {
    let map = object(
        v,
        at,
        &[
            "name",
            "region",
            "period",
            "municipalities",
            "authorities",
            "sex",
            "age_bands",
            "duration_bands",
            "note",
        ],
    )?;
    Ok(Frame {
        name: label(map, at, "name")?,
        region: text(required(map, at, "region")?, at.key("region"), LABEL_MAX)?,
        period: text(required(map, at, "period")?, at.key("period"), LABEL_MAX)?,
        municipalities: labels(map, at, "municipalities")?,
        authorities: labels(map, at, "authorities")?,
        sex: labels(map, at, "sex")?,
        age_bands: labels(map, at, "age_bands")?,
        duration_bands: labels(map, at, "duration_bands")?,
        note: optional_text(map, at, "note", TEXT_MAX)?,
    })
}

/// The position of `name` in `list`, or a message listing what there is.
fn lookup(list: &[String], v: &Value, at: Loc, what: &str) -> Result<usize> {
    let name = text(v, at, LABEL_MAX)?;
    list.iter().position(|m| *m == name).ok_or_else(|| {
        at.err(format!(
            "”{}” finns inte bland kartläggningens {what} ({})",
            shorten(&name),
            list.join(", ")
        ))
    })
}

fn unit(v: &Value, at: Loc, frame: &Frame, layout: &Layout) -> Result<Unit> {
    let map = object(
        v,
        at,
        &[
            "municipality",
            "area",
            "authority",
            "name",
            "collaboration_today",
            "preventive_measures",
            "note",
            "key_figures",
            "groups",
            "reported_totals",
        ],
    )?;
    let place = match required(map, at, "municipality")? {
        Value::Null => match map.get("area") {
            None | Some(Value::Null) => {
                return Err(at
                    .key("area")
                    .err("en enhet utan kommun (municipality: null) måste ange area"));
            }
            Some(area) => {
                let area = text(area, at.key("area"), LABEL_MAX)?;
                if area.trim().is_empty() {
                    return Err(at.key("area").err("får inte vara tom"));
                }
                Place::Area(area)
            }
        },
        m => {
            if map.get("area").is_some_and(|a| !a.is_null()) {
                return Err(at.key("area").err(
                    "area anges bara för enheter som täcker flera kommuner (municipality: null)",
                ));
            }
            Place::Municipality(lookup(
                &frame.municipalities,
                m,
                at.key("municipality"),
                "kommuner",
            )?)
        }
    };
    let authority = lookup(
        &frame.authorities,
        required(map, at, "authority")?,
        at.key("authority"),
        "myndigheter",
    )?;
    let key_figures = match map.get("key_figures") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let kat = at.key("key_figures");
            let Value::Object(figures) = v else {
                return Err(kat.err(format!("väntade ett objekt, fick {}", kind_sv(v))));
            };
            figures
                .iter()
                .map(|(name, value)| {
                    let fat = kat.key(name);
                    if name.chars().count() > LABEL_MAX {
                        return Err(
                            kat.err(format!("ett namn är för långt (högst {LABEL_MAX} tecken)"))
                        );
                    }
                    Ok(KeyFigure {
                        name: name.clone(),
                        value: number(value, fat)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        }
    };
    let gat = at.key("groups");
    let groups = array(required(map, at, "groups")?, gat, "målgrupper")?
        .iter()
        .enumerate()
        .map(|(i, g)| group(g, gat.index(i), frame, layout))
        .collect::<Result<Vec<_>>>()?;
    let reported_totals = match map.get("reported_totals") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let rat = at.key("reported_totals");
            let rmap = object(v, rat, &["count", "sex", "age", "duration", "also_at"])?;
            Some(row(rmap, rat, frame, layout)?)
        }
    };
    Ok(Unit {
        place,
        authority,
        name: label(map, at, "name")?,
        collaboration_today: optional_text(map, at, "collaboration_today", TEXT_MAX)?,
        preventive_measures: optional_text(map, at, "preventive_measures", TEXT_MAX)?,
        note: optional_text(map, at, "note", TEXT_MAX)?,
        key_figures,
        groups,
        reported_totals,
    })
}

/// `count` and the four breakdowns; absent ones are blank.
fn row(map: &Map<String, Value>, at: Loc, frame: &Frame, layout: &Layout) -> Result<Row> {
    let count = match map.get("count") {
        None => Cell::BLANK,
        Some(v) => cell(v, at.key("count"))?,
    };
    let mut cells = layout.blank();
    for d in Dimension::ALL {
        if let Some(v) = map.get(d.key())
            && !v.is_null()
        {
            let len = frame.labels(d).len();
            cells_into(v, at.key(d.key()), len, &mut cells[layout.range(d)])?;
        }
    }
    Ok(Row { count, cells })
}

fn group(v: &Value, at: Loc, frame: &Frame, layout: &Layout) -> Result<TargetGroup> {
    let map = object(
        v,
        at,
        &[
            "rank",
            "label",
            "count",
            "estimated",
            "sex",
            "age",
            "duration",
            "also_at",
            "extra_breakdowns",
            "note",
        ],
    )?;
    let rank_at = at.key("rank");
    let rank = number(required(map, at, "rank")?, rank_at)?;
    if rank == 0 || rank > u64::from(u32::MAX) {
        return Err(rank_at.err(format!("rangordningen måste vara 1 eller mer, fick {rank}")));
    }
    required(map, at, "count")?;
    let estimated = match map.get("estimated") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(at
                .key("estimated")
                .err(format!("väntade true eller false, fick {}", kind_sv(other))));
        }
    };
    let extra = match map.get("extra_breakdowns") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let eat = at.key("extra_breakdowns");
            array(v, eat, "tabeller")?
                .iter()
                .enumerate()
                .map(|(i, t)| extra_table(t, eat.index(i)))
                .collect::<Result<Vec<_>>>()?
        }
    };
    Ok(TargetGroup {
        rank: rank as u32,
        label: label(map, at, "label")?,
        estimated,
        row: row(map, at, frame, layout)?,
        extra,
        note: optional_text(map, at, "note", TEXT_MAX)?,
    })
}

fn extra_table(v: &Value, at: Loc) -> Result<ExtraTable> {
    let map = object(v, at, &["title", "rows", "columns", "cells"])?;
    let rows = labels(map, at, "rows")?;
    let columns = labels(map, at, "columns")?;
    let cat = at.key("cells");
    let lines = array(required(map, at, "cells")?, cat, "rader")?;
    if lines.len() != rows.len() {
        return Err(cat.err(format!(
            "väntade {} rader (en per radrubrik), fick {}",
            rows.len(),
            lines.len()
        )));
    }
    let mut cells = vec![Cell::BLANK; rows.len() * columns.len()];
    for (r, line) in lines.iter().enumerate() {
        let n = columns.len();
        cells_into(line, cat.index(r), n, &mut cells[r * n..(r + 1) * n])?;
    }
    Ok(ExtraTable {
        title: label(map, at, "title")?,
        rows,
        columns,
        cells,
    })
}
