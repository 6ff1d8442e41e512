//! Reading the survey document (FORMAT.md, version 1).
//!
//! The whole document is read and checked before anything is stored, so a
//! wrong file changes nothing. Every refusal names the place in the document
//! (`units[2].groups[0].sex: väntade 2 tal, fick 3`).
//!
//! The document is read into typed structs (fast: a national survey is tens
//! of megabytes), then checked against its own frame here. When the typed
//! read refuses the file, [`structure`] walks it again as plain JSON to say
//! in Swedish where and why.

mod de;
mod structure;

use std::path::Path;

use crate::error::{Error, Result};
use crate::import::loc::{Loc, shorten};
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, KeyFigure, Layout, Place, Row, Survey, TargetGroup, Unit,
};

use de::{DocDe, ExtraDe, GroupDe, RowDe, UnitDe};

/// The longest label (names, group labels, category and table labels).
pub const LABEL_MAX: usize = 1_000;
/// The longest free text (open answers, notes).
pub const TEXT_MAX: usize = 100_000;
/// The most entries in a frame list (municipalities, bands …), a table's
/// rows or columns, or a group's extra tables.
pub const LIST_MAX: usize = 1_000;

/// A list of at most [`LIST_MAX`] entries.
fn check_count(len: usize, at: Loc) -> Result<()> {
    if len > LIST_MAX {
        return Err(at.err(format!("för många ({len}, högst {LIST_MAX})")));
    }
    Ok(())
}

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
    match serde_json::from_slice::<DocDe>(bytes) {
        Ok(doc) => convert(doc),
        Err(e) => Err(structure::explain(bytes, e)),
    }
}

/// A text of at most `max` characters.
fn check_len(s: &str, at: Loc, max: usize) -> Result<()> {
    // Byte length bounds character count from above: skip counting short text.
    if s.len() > max {
        let n = s.chars().count();
        if n > max {
            return Err(at.err(format!("texten är för lång ({n} tecken, högst {max})")));
        }
    }
    Ok(())
}

/// A non-empty label of at most [`LABEL_MAX`] characters.
fn check_label(s: &str, at: Loc) -> Result<()> {
    check_len(s, at, LABEL_MAX)?;
    if s.trim().is_empty() {
        return Err(at.err("får inte vara tom"));
    }
    Ok(())
}

fn check_text(s: &Option<String>, at: Loc) -> Result<()> {
    match s {
        Some(s) => check_len(s, at, TEXT_MAX),
        None => Ok(()),
    }
}

/// A list of distinct labels.
fn check_labels(list: &[String], at: Loc) -> Result<()> {
    check_count(list.len(), at)?;
    for (i, s) in list.iter().enumerate() {
        check_label(s, at.index(i))?;
        if list[..i].contains(s) {
            return Err(at.index(i).err(format!("”{}” står två gånger", shorten(s))));
        }
    }
    Ok(())
}

/// The position of `name` in `list`, or a message listing what there is.
fn lookup(list: &[String], name: &str, at: Loc, what: &str) -> Result<usize> {
    list.iter().position(|m| m == name).ok_or_else(|| {
        at.err(format!(
            "”{}” finns inte bland kartläggningens {what} ({})",
            shorten(name),
            list.join(", ")
        ))
    })
}

/// A breakdown of exactly `out.len()` cells.
fn put_cells(cells: &[Cell], at: Loc, out: &mut [Cell]) -> Result<()> {
    if cells.len() != out.len() {
        return Err(at.err(format!("väntade {} tal, fick {}", out.len(), cells.len())));
    }
    out.copy_from_slice(cells);
    Ok(())
}

fn convert(doc: DocDe) -> Result<Survey> {
    let at = Loc::ROOT;
    check_text(&doc.about, at.key("about"))?;
    let frame = frame(doc.survey, at.key("survey"))?;
    let layout = frame.layout();
    let units_at = at.key("units");
    let units = doc
        .units
        .into_iter()
        .enumerate()
        .map(|(i, u)| unit(u, units_at.index(i), &frame, &layout))
        .collect::<Result<Vec<_>>>()?;
    Ok(Survey {
        about: doc.about,
        frame,
        units,
    })
}

fn frame(f: Frame, at: Loc) -> Result<Frame> {
    check_label(&f.name, at.key("name"))?;
    check_len(&f.region, at.key("region"), LABEL_MAX)?;
    check_len(&f.period, at.key("period"), LABEL_MAX)?;
    check_labels(&f.municipalities, at.key("municipalities"))?;
    check_labels(&f.authorities, at.key("authorities"))?;
    check_labels(&f.sex, at.key("sex"))?;
    check_labels(&f.age_bands, at.key("age_bands"))?;
    check_labels(&f.duration_bands, at.key("duration_bands"))?;
    check_text(&f.note, at.key("note"))?;
    Ok(f)
}

fn unit(u: UnitDe, at: Loc, frame: &Frame, layout: &Layout) -> Result<Unit> {
    let place = match (u.municipality.0, u.area) {
        (None, None) => {
            return Err(at
                .key("area")
                .err("en enhet utan kommun (municipality: null) måste ange area"));
        }
        (None, Some(area)) => {
            check_label(&area, at.key("area"))?;
            Place::Area(area)
        }
        (Some(_), Some(_)) => {
            return Err(at.key("area").err(
                "area anges bara för enheter som täcker flera kommuner (municipality: null)",
            ));
        }
        (Some(m), None) => Place::Municipality(lookup(
            &frame.municipalities,
            &m,
            at.key("municipality"),
            "kommuner",
        )?),
    };
    let authority = lookup(
        &frame.authorities,
        &u.authority,
        at.key("authority"),
        "myndigheter",
    )?;
    check_label(&u.name, at.key("name"))?;
    check_text(&u.collaboration_today, at.key("collaboration_today"))?;
    check_text(&u.preventive_measures, at.key("preventive_measures"))?;
    check_text(&u.note, at.key("note"))?;
    let kat = at.key("key_figures");
    let key_figures = u
        .key_figures
        .map(|k| k.0)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| {
            check_label(&name, kat.key(&name))?;
            Ok(KeyFigure { name, value })
        })
        .collect::<Result<Vec<_>>>()?;
    let gat = at.key("groups");
    let groups = u
        .groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| group(g, gat.index(i), layout))
        .collect::<Result<Vec<_>>>()?;
    let reported_totals = u
        .reported_totals
        .map(|r| row(r, at.key("reported_totals"), layout))
        .transpose()?;
    Ok(Unit {
        place,
        authority,
        name: u.name,
        collaboration_today: u.collaboration_today,
        preventive_measures: u.preventive_measures,
        note: u.note,
        key_figures,
        groups,
        reported_totals,
        reviews: Vec::new(),
    })
}

/// The count and the four breakdowns; absent ones are blank.
fn row(r: RowDe, at: Loc, layout: &Layout) -> Result<Row> {
    let mut cells = layout.blank();
    for (d, given) in Dimension::ALL.into_iter().zip(r.breakdowns) {
        if let Some(given) = given {
            put_cells(&given, at.key(d.key()), &mut cells[layout.range(d)])?;
        }
    }
    Ok(Row {
        count: r.count.unwrap_or(Cell::BLANK),
        cells,
    })
}

fn group(g: GroupDe, at: Loc, layout: &Layout) -> Result<TargetGroup> {
    if g.rank == 0 || g.rank > u64::from(u32::MAX) {
        return Err(at.key("rank").err(format!(
            "rangordningen måste vara ett heltal från 1, fick {}",
            g.rank
        )));
    }
    check_label(&g.label, at.key("label"))?;
    check_text(&g.note, at.key("note"))?;
    let eat = at.key("extra_breakdowns");
    check_count(g.extra_breakdowns.as_ref().map_or(0, Vec::len), eat)?;
    let extra = g
        .extra_breakdowns
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, t)| extra_table(t, eat.index(i)))
        .collect::<Result<Vec<_>>>()?;
    Ok(TargetGroup {
        rank: g.rank as u32,
        label: g.label,
        estimated: g.estimated.unwrap_or(false),
        row: row(
            RowDe {
                count: Some(g.count),
                breakdowns: g.breakdowns,
            },
            at,
            layout,
        )?,
        extra: extra.into(),
        note: g.note.map(String::into_boxed_str),
    })
}

fn extra_table(t: ExtraDe, at: Loc) -> Result<ExtraTable> {
    check_label(&t.title, at.key("title"))?;
    check_labels(&t.rows, at.key("rows"))?;
    check_labels(&t.columns, at.key("columns"))?;
    let cat = at.key("cells");
    if t.cells.len() != t.rows.len() {
        return Err(cat.err(format!(
            "väntade {} rader (en per radrubrik), fick {}",
            t.rows.len(),
            t.cells.len()
        )));
    }
    let n = t.columns.len();
    let mut cells = vec![Cell::BLANK; t.rows.len() * n];
    for (r, line) in t.cells.iter().enumerate() {
        put_cells(line, cat.index(r), &mut cells[r * n..(r + 1) * n])?;
    }
    Ok(ExtraTable {
        title: t.title,
        rows: t.rows,
        columns: t.columns,
        cells,
    })
}
