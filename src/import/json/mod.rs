//! Reading the survey document (docs/survey-document.md, version 1, and the optional
//! version-2 ids, revisions and deleted units of docs/survey-document.md).
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
mod raw;
mod structure;

use std::path::Path;

use crate::error::{Error, Result};
use crate::import::loc::{Loc, shorten};
use crate::model::identity::{self, Id};
use crate::model::validate;
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, KeyFigure, Layout, Place, Row, Survey, TargetGroup, Unit,
};

use de::{DeletedDe, DocDe, ExtraDe, GroupDe, RowDe, UnitDe};

pub use crate::model::validate::{LABEL_MAX, LIST_MAX, TEXT_MAX};

/// A list of at most [`LIST_MAX`] entries.
fn check_count(len: usize, at: Loc) -> Result<()> {
    validate::list_len(len).map_err(|m| at.err(m))
}

/// The largest survey document read: a national survey is about 20 MB, a
/// generated one of a million target groups about 450 MB. Larger files are
/// refused before they are read, so that a wrong file (a disk image, a
/// sparse file of gigabytes) cannot take all memory.
pub const FILE_MAX: u64 = 1 << 30;

/// Reads and checks a survey document from a file: only a regular file
/// (a named pipe or a device would never end), at most [`FILE_MAX`] bytes.
pub fn read_file(path: &Path) -> Result<Survey> {
    use std::io::Read;
    let fail = |source| Error::File {
        action: "läsa",
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    // A folder fails below with the system's reason, in Swedish.
    if !meta.is_file() && !meta.is_dir() {
        return Err(Error::at(
            path.display().to_string(),
            "det är ingen vanlig fil (en enhet eller en namngiven pipe); välj ett sparat dokument (.json)",
        ));
    }
    let too_big = || {
        Error::at(
            path.display().to_string(),
            format!(
                "filen är större än {} MB; ett kartläggningsdokument för hela landet är omkring 20 MB. Är det rätt fil? Inget är ändrat",
                FILE_MAX >> 20
            ),
        )
    };
    if meta.len() > FILE_MAX {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read stops at the limit all the same.
    std::fs::File::open(path)
        .and_then(|f| f.take(FILE_MAX + 1).read_to_end(&mut bytes))
        .map_err(fail)?;
    if bytes.len() as u64 > FILE_MAX {
        return Err(too_big());
    }
    parse(&bytes)
}

/// Reads and checks a survey document from bytes.
pub fn parse(bytes: &[u8]) -> Result<Survey> {
    de::DECIMAL_ZERO.set(false);
    match serde_json::from_slice::<DocDe>(bytes) {
        Ok(doc) => {
            if de::DECIMAL_ZERO.get()
                && let Some(e) = raw::find(bytes)
            {
                return Err(e);
            }
            convert(doc)
        }
        Err(e) => Err(structure::explain(bytes, e)),
    }
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

/// The document as a survey: its shape here, its text and numbers by the
/// rules every way in shares ([`validate::survey`]).
fn convert(doc: DocDe) -> Result<Survey> {
    let at = Loc::ROOT;
    let frame = doc.survey;
    // The lists first: units are looked up in them.
    validate::frame(&frame).map_err(|e| Error::at(e.at, e.message))?;
    let layout = frame.layout();
    let units_at = at.key("units");
    let units = doc
        .units
        .into_iter()
        .enumerate()
        .map(|(i, u)| unit(u, units_at.index(i), &frame, &layout))
        .collect::<Result<Vec<_>>>()?;
    let deleted = deleted_units(
        doc.deleted_units.unwrap_or_default(),
        at.key("deleted_units"),
    )?;
    let survey = Survey {
        about: doc.about,
        frame,
        units,
        deleted,
    };
    validate::survey(&survey).map_err(|e| Error::at(e.at, e.message))?;
    identity::check(&survey).map_err(|e| Error::at(e.at, e.message))?;
    Ok(survey)
}

fn unit(u: UnitDe, at: Loc, frame: &Frame, layout: &Layout) -> Result<Unit> {
    let place = match (u.municipality.0, u.area) {
        (None, None) => {
            return Err(at
                .key("area")
                .err("en enhet utan kommun (municipality: null) måste ange area"));
        }
        (None, Some(area)) => Place::Area(area),
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
    let key_figures = u
        .key_figures
        .map(|k| k.0)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| KeyFigure { name, value })
        .collect();
    let gat = at.key("groups");
    let groups = u
        .groups
        .into_iter()
        .enumerate()
        .map(|(i, g)| group(g, gat.index(i), frame, layout))
        .collect::<Result<Vec<_>>>()?;
    let reported_totals = u
        .reported_totals
        .map(|r| row(r, at.key("reported_totals"), layout))
        .transpose()?;
    let id = id_of(u.id.as_deref(), at.key("id"))?;
    let lineage = revisions(
        u.revisions.as_deref().unwrap_or_default(),
        at.key("revisions"),
    )?;
    Ok(Unit {
        id,
        lineage: identity::Lineage(lineage),
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
        verification: None,
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

/// A group's theme names as positions in the frame's themes, ascending;
/// a name the frame lacks, or one given twice, is refused with its place.
fn themes(names: Option<Vec<String>>, at: Loc, frame: &Frame) -> Result<thin_vec::ThinVec<u16>> {
    let mut out = thin_vec::ThinVec::new();
    for (i, name) in names.unwrap_or_default().iter().enumerate() {
        let iat = at.index(i);
        let Some(t) = frame.themes.iter().position(|t| &t.name == name) else {
            let known: Vec<&str> = frame.themes.iter().map(|t| t.name.as_str()).collect();
            return Err(iat.err(if known.is_empty() {
                format!(
                    "temat ”{}” finns inte: kartläggningen har inga teman (lägg till det i survey.themes)",
                    shorten(name)
                )
            } else {
                format!(
                    "temat ”{}” finns inte bland kartläggningens teman ({}); lägg till det i survey.themes",
                    shorten(name),
                    known.join(", ")
                )
            }));
        };
        let t = t as u16;
        match out.binary_search(&t) {
            Ok(_) => return Err(iat.err(format!("temat ”{}” står två gånger", shorten(name)))),
            Err(pos) => out.insert(pos, t),
        }
    }
    Ok(out)
}

fn group(g: GroupDe, at: Loc, frame: &Frame, layout: &Layout) -> Result<TargetGroup> {
    if g.rank == 0 || g.rank > u64::from(u32::MAX) {
        return Err(at.key("rank").err(format!(
            "rangordningen måste vara ett heltal från 1, fick {}",
            g.rank
        )));
    }
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
        id: id_of(g.id.as_deref(), at.key("id"))?,
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
        themes: themes(g.themes, at.key("themes"), frame)?,
    })
}

/// The units the document says were deleted, with their revisions.
fn deleted_units(list: Vec<DeletedDe>, at: Loc) -> Result<identity::Deleted> {
    check_count(list.len(), at)?;
    let mut out = std::collections::HashMap::new();
    let mut first = std::collections::HashMap::new();
    for (i, d) in list.into_iter().enumerate() {
        let dat = at.index(i);
        let id = id_of(Some(&d.id), dat.key("id"))?;
        if let Some(k) = first.insert(id.get(), i) {
            return Err(dat.key("id").err(format!(
                "samma id som deleted_units[{k}]; varje borttagen enhet står en gång"
            )));
        }
        let revisions = revisions(&d.revisions, dat.key("revisions"))?;
        out.insert(id.get(), revisions);
    }
    Ok(identity::Deleted(out))
}

/// Revisions as 32 hexadecimal digits each, repeats dropped (in linear
/// time: a unit edited often has thousands).
fn revisions(list: &[String], at: Loc) -> Result<Vec<u128>> {
    let mut out = Vec::with_capacity(list.len());
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let r = identity::parse_revision(r).ok_or_else(|| {
            at.index(i).err(format!(
                "en revision är 32 hexadecimala siffror, fick ”{}”",
                shorten(r)
            ))
        })?;
        if seen.insert(r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The id given, or a new one for a document without ids (version 1).
fn id_of(given: Option<&str>, at: Loc) -> Result<Id> {
    match given {
        None => Ok(Id::random()),
        Some(text) => Id::parse(text).ok_or_else(|| {
            at.err(format!(
                "ett id är 32 hexadecimala siffror (0–9, a–f), fick ”{}”",
                shorten(text)
            ))
        }),
    }
}

fn extra_table(t: ExtraDe, at: Loc) -> Result<ExtraTable> {
    // Bounded before the cells are laid out (rows × columns).
    check_count(t.rows.len(), at.key("rows"))?;
    check_count(t.columns.len(), at.key("columns"))?;
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
