//! The document's shape as serde structs: strict (unknown fields and missing
//! required fields are refused), and silent about why: when these refuse a
//! file, `structure` explains it in Swedish.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::model::{Cell, Frame};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocDe {
    pub about: Option<String>,
    pub survey: Frame,
    pub units: Vec<UnitDe>,
    pub deleted_units: Option<Vec<DeletedDe>>,
}

/// A unit deleted from the survey (version 2, for merging).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DeletedDe {
    pub id: String,
    #[serde(default)]
    pub revisions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitDe {
    pub id: Option<String>,
    pub revisions: Option<Vec<String>>,
    pub municipality: NullableText,
    pub area: Option<String>,
    pub authority: String,
    pub name: String,
    pub collaboration_today: Option<String>,
    pub preventive_measures: Option<String>,
    pub note: Option<String>,
    pub key_figures: Option<KeyFigures>,
    pub groups: Vec<GroupDe>,
    pub reported_totals: Option<RowDe>,
}

/// Breakdowns in `Dimension::ALL` order: sex, age, duration, also_at.
pub(super) type Breakdowns = [Option<Vec<Cell>>; 4];

/// A count and its breakdowns (a unit's printed total row).
pub(super) struct RowDe {
    pub count: Option<Cell>,
    pub breakdowns: Breakdowns,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowFields {
    #[serde(default, deserialize_with = "cell_or_blank")]
    count: Option<Cell>,
    #[serde(default, deserialize_with = "cells")]
    sex: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    age: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    duration: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    also_at: Option<Vec<Cell>>,
}

impl<'de> Deserialize<'de> for RowDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RowFields::deserialize(d)?;
        Ok(RowDe {
            count: r.count,
            breakdowns: [r.sex, r.age, r.duration, r.also_at],
        })
    }
}

pub(super) struct GroupDe {
    pub id: Option<String>,
    pub rank: u64,
    pub label: String,
    pub count: Cell,
    pub estimated: Option<bool>,
    pub breakdowns: Breakdowns,
    pub extra_breakdowns: Option<Vec<ExtraDe>>,
    pub note: Option<String>,
    pub themes: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFields {
    id: Option<String>,
    rank: u64,
    label: String,
    count: CellDe,
    estimated: Option<bool>,
    #[serde(default, deserialize_with = "cells")]
    sex: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    age: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    duration: Option<Vec<Cell>>,
    #[serde(default, deserialize_with = "cells")]
    also_at: Option<Vec<Cell>>,
    extra_breakdowns: Option<Vec<ExtraDe>>,
    note: Option<String>,
    themes: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for GroupDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let g = GroupFields::deserialize(d)?;
        Ok(GroupDe {
            id: g.id,
            rank: g.rank,
            label: g.label,
            count: g.count.0,
            estimated: g.estimated,
            breakdowns: [g.sex, g.age, g.duration, g.also_at],
            extra_breakdowns: g.extra_breakdowns,
            note: g.note,
            themes: g.themes,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtraDe {
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    #[serde(deserialize_with = "cell_rows")]
    pub cells: Vec<Vec<Cell>>,
}

thread_local! {
    /// Set when a count was written as a decimal that reads as zero (`0.0`,
    /// but also `1e-400`), so that the reader looks at the raw text.
    pub(super) static DECIMAL_ZERO: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A count cell: a whole number ≥ 0 within range, or `null` for blank. The
/// field must be present.
struct CellDe(Cell);

impl<'de> Deserialize<'de> for CellDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CellDe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ett heltal ≥ 0 eller null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<CellDe, E> {
                Ok(CellDe(Cell::BLANK))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellDe, E> {
                Cell::try_new(v)
                    .map(CellDe)
                    .ok_or_else(|| E::custom("för stort"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellDe, E> {
                if v == 0.0 {
                    // Also what `1e-400` reads as: the raw text says which.
                    DECIMAL_ZERO.set(true);
                }
                if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(Cell::MAX) {
                    Ok(CellDe(Cell::new(v as u32)))
                } else {
                    Err(E::custom("inget heltal ≥ 0"))
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn cell_or_blank<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cell>, D::Error> {
    Ok(Some(CellDe::deserialize(d)?.0))
}

/// A list of cells, or `null` (not given).
fn cells<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Cell>>, D::Error> {
    let list: Option<Vec<CellDe>> = Option::deserialize(d)?;
    Ok(list.map(|l| l.into_iter().map(|c| c.0).collect()))
}

fn cell_rows<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<Cell>>, D::Error> {
    let rows: Vec<Vec<CellDe>> = Vec::deserialize(d)?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.0).collect())
        .collect())
}

/// Text or `null`; unlike `Option`, the field must be present.
pub(super) struct NullableText(pub Option<String>);

impl<'de> Deserialize<'de> for NullableText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NullableText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text eller null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<NullableText, E> {
                Ok(NullableText(None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NullableText, E> {
                Ok(NullableText(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<NullableText, E> {
                Ok(NullableText(Some(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Named numbers, in the document's order.
pub(super) struct KeyFigures(pub Vec<(String, u64)>);

impl<'de> Deserialize<'de> for KeyFigures {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyFigures;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("namngivna tal")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyFigures, A::Error> {
                let mut out = Vec::new();
                // A set, not a scan: a hostile document may name thousands.
                let mut seen = std::collections::HashSet::new();
                while let Some((k, v)) = map.next_entry::<String, u64>()? {
                    if !seen.insert(k.clone()) {
                        return Err(de::Error::custom("samma namn två gånger"));
                    }
                    out.push((k, v));
                }
                Ok(KeyFigures(out))
            }
        }
        d.deserialize_map(V)
    }
}
