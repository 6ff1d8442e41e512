//! A filled-in response form (written by [`crate::export::form`]) read back
//! into its unit: the same checks and the same all-or-nothing rule as the
//! survey document. Every refusal names the cell ("Svarsformulär!C25 (rang
//! 2, Antal)") and says why, in Swedish.

use std::cell::RefCell;
use std::path::Path;

use calamine::Data;

use crate::error::{Error, Result};
use crate::export::form::{ANSWERS, Column, FormLayout, ID_SHEET, MARKER, SHEET};
use crate::import::workbook::{self, Bounds, Sheet};
use crate::model::validate;
use crate::model::{Cell, KeyFigure, Row, Survey, TargetGroup, Unit, entry};

/// The most group rows a form has (`malgrupp form --groups`).
pub const GROUPS_MAX: u32 = 1_000;

/// A form read back: the unit as the form gives it, and what a person
/// should know about how it was read (a formula's saved result used).
#[derive(Clone, Debug)]
pub struct FormRead {
    /// The unit, ready to replace the old one.
    pub unit: Unit,
    /// One line per thing worth saying, with the cell.
    pub notes: Vec<String>,
}

/// The cells of the form's sheet, read with the notes they give rise to.
struct Cells {
    sheet: Sheet,
    notes: RefCell<Vec<String>>,
}

impl Cells {
    /// The value a person sees in the cell: what was typed, or a formula's
    /// saved result (with a note). A formula without a saved result is
    /// refused: its value is unknown, not blank.
    fn value(&self, row: u32, col: u16, what: &str) -> Result<Option<&Data>> {
        let Some(v) = self.sheet.get(&(row, u32::from(col))) else {
            return Ok(None);
        };
        let at = || format!("{} ({what})", FormLayout::place(row, col));
        if v.formula {
            match &v.data {
                Data::Empty => {
                    return Err(Error::at(
                        at(),
                        "formel utan beräknat värde (arbetsboken har sparats utan att räknas om); skriv in värdet, eller öppna och spara filen i Excel eller LibreOffice",
                    ));
                }
                Data::Error(e) => {
                    return Err(Error::at(at(), format!("formeln ger felet {e}")));
                }
                data => self.notes.borrow_mut().push(format!(
                    "{}: cellen har en formel; dess sparade värde ”{data}” lästes in",
                    at()
                )),
            }
        }
        Ok(Some(&v.data))
    }

    /// A cell as text, `None` when empty.
    fn text(&self, row: u32, col: u16, what: &str) -> Result<Option<String>> {
        Ok(self.value(row, col, what)?.and_then(as_text))
    }

    /// A cell as text without the formula rule: the form's own printed
    /// labels.
    fn label(&self, row: u32, col: u16) -> Option<String> {
        self.sheet
            .get(&(row, u32::from(col)))
            .and_then(|v| as_text(&v.data))
    }
}

/// A value as text, `None` when empty.
fn as_text(value: &Data) -> Option<String> {
    match value {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) => Some(s.trim().to_owned()),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { "ja" } else { "nej" }.to_owned()),
        other => Some(other.to_string()),
    }
}

/// A whole number ≥ 0 and at most `max` from a number cell.
fn whole(v: f64, at: impl Fn() -> String, max: u64) -> Result<u64> {
    if v < 0.0 {
        return Err(Error::at(
            at(),
            format!("negativa tal är inte tillåtna, fick {v}"),
        ));
    }
    if v.fract() != 0.0 {
        return Err(Error::at(at(), format!("väntade ett helt tal, fick {v}")));
    }
    if v > max as f64 {
        return Err(Error::at(
            at(),
            format!(
                "talet {v} är för stort (högst {})",
                validate::thousands(max)
            ),
        ));
    }
    Ok(v as u64)
}

/// A number cell: blank, a whole number ≥ 0, or typed text read like the
/// app reads it ("ca 300" is an estimate).
fn number(cells: &Cells, row: u32, col: u16, what: &str) -> Result<entry::Entry> {
    let at = || format!("{} ({what})", FormLayout::place(row, col));
    let filled = |v: f64| -> Result<entry::Entry> {
        let v = whole(v, at, u64::from(Cell::MAX))?;
        Ok(entry::Entry {
            cell: Cell::try_new(v).unwrap_or(Cell::BLANK),
            estimated: false,
        })
    };
    match cells.value(row, col, what)? {
        None | Some(Data::Empty) => Ok(entry::Entry {
            cell: Cell::BLANK,
            estimated: false,
        }),
        Some(Data::Float(f)) => filled(*f),
        Some(Data::Int(i)) => filled(*i as f64),
        Some(Data::String(s)) => entry::parse(s).map_err(|m| Error::at(at(), m)),
        Some(other) => Err(Error::at(at(), format!("väntade ett tal, fick ”{other}”"))),
    }
}

/// A key figure's value: blank or a whole number up to
/// [`validate::KEY_FIGURE_MAX`], never an estimate.
fn key_value(cells: &Cells, row: u32, col: u16) -> Result<Option<u64>> {
    let what = "nyckeltalets värde";
    let at = || format!("{} ({what})", FormLayout::place(row, col));
    let exact = || Error::at(at(), "nyckeltal anges som exakta tal, utan ”ca”");
    match cells.value(row, col, what)? {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::Float(f)) => whole(*f, at, validate::KEY_FIGURE_MAX).map(Some),
        Some(Data::Int(i)) => whole(*i as f64, at, validate::KEY_FIGURE_MAX).map(Some),
        Some(Data::String(s)) => {
            let e = entry::parse(s).map_err(|m| Error::at(at(), m))?;
            if e.estimated {
                return Err(exact());
            }
            Ok(e.cell.get().map(u64::from))
        }
        Some(other) => Err(Error::at(at(), format!("väntade ett tal, fick ”{other}”"))),
    }
}

/// Reads the form at `path` for unit `index` of `survey`: the unit as the
/// form gives it (its name, authority and place stay; review marks go, as
/// the numbers they were about are replaced; a group's own tables, which
/// and themes the form cannot show, stay with the group of the same name), with the
/// notes a person should see. Refused, naming the cell: a workbook
/// larger than any form (checked before it is unpacked), values the
/// survey document would refuse too ([`validate`]), a formula without a
/// saved result, and a form with nothing filled in (it would empty the
/// unit).
pub fn read_form(path: &Path, survey: &Survey, index: usize) -> Result<FormRead> {
    let file = path.display().to_string();
    let bytes = workbook::read_file(path)?;
    let largest = FormLayout::new(survey, GROUPS_MAX);
    let bounds = Bounds {
        // Room around the form for what a spreadsheet program adds.
        rows: largest.total_row + 1 + 100,
        columns: largest.columns.len() as u32 + 26,
    };
    let mut sheets = workbook::read_sheets(&bytes, &file, bounds, &[ID_SHEET, SHEET])?.into_iter();
    let not_a_form = || {
        Error::at(
            &file,
            "är inget svarsformulär från Målgruppskartläggning (malgrupp form)",
        )
    };
    let id = sheets.next().flatten().ok_or_else(not_a_form)?;
    let id = Cells {
        sheet: id,
        notes: RefCell::default(),
    };
    if id.label(0, 0).as_deref() != Some(MARKER) {
        return Err(not_a_form());
    }
    let unit = &survey.units[index];
    let form_survey = id.label(1, 0).unwrap_or_default();
    if form_survey != survey.frame.name {
        return Err(Error::at(
            &file,
            format!(
                "formuläret hör till kartläggningen ”{form_survey}”, inte till ”{}”",
                survey.frame.name
            ),
        ));
    }
    let form_unit = id.label(2, 0).unwrap_or_default();
    if form_unit != unit.name {
        return Err(Error::at(
            &file,
            format!(
                "formuläret är för enheten ”{form_unit}”, inte för ”{}”",
                unit.name
            ),
        ));
    }
    let range = Cells {
        sheet: sheets
            .next()
            .flatten()
            .ok_or_else(|| Error::at(&file, format!("bladet ”{SHEET}” saknas")))?,
        notes: RefCell::default(),
    };

    // How many group rows this form has: up to the "Summa" row.
    let probe = FormLayout::new(survey, 0);
    let groups = (probe.first_group..probe.first_group + 10_000)
        .position(|r| range.label(r, 1).as_deref() == Some("Summa"))
        .ok_or_else(|| Error::at(&file, "raden ”Summa” under målgrupperna saknas"))?;
    if groups as u32 > GROUPS_MAX {
        return Err(Error::at(
            FormLayout::place(probe.first_group + groups as u32, 1),
            format!("formuläret har {groups} rader för målgrupper (högst {GROUPS_MAX})"),
        ));
    }
    let form = FormLayout::new(survey, groups as u32);

    for (c, (expected, _)) in form.columns.iter().enumerate() {
        let found = range.label(form.header_row, c as u16).unwrap_or_default();
        if &found != expected {
            return Err(Error::at(
                FormLayout::place(form.header_row, c as u16),
                format!(
                    "kolumnen ska vara ”{expected}” men är ”{found}” (flyttad eller ändrad kolumn? Formuläret måste ha kartläggningens kolumner i ordning)"
                ),
            ));
        }
    }

    let mut new = unit.clone();
    new.reviews.clear();
    let mut answers = [None, None, None];
    for ((slot, r), what) in answers.iter_mut().zip(form.answers).zip(ANSWERS) {
        *slot = range.text(r, 1, what)?;
        if let Some(text) = slot {
            validate::text(text)
                .map_err(|m| Error::at(format!("{} ({what})", FormLayout::place(r, 1)), m))?;
        }
    }
    let [collaboration, measures, note] = answers;
    new.collaboration_today = collaboration;
    new.preventive_measures = measures;
    new.note = note;

    new.key_figures.clear();
    for r in form.first_key..form.first_key + form.keys {
        let name = range.text(r, 0, "nyckeltalets namn")?;
        let value = key_value(&range, r, 1)?;
        match (name, value) {
            (None, None) => {}
            (Some(name), Some(value)) => {
                let at = || format!("{} (nyckeltalets namn)", FormLayout::place(r, 0));
                validate::label(&name).map_err(|m| Error::at(at(), m))?;
                if new.key_figures.iter().any(|k| k.name == name) {
                    return Err(Error::at(
                        at(),
                        format!(
                            "nyckeltalet ”{}” står två gånger; varje nyckeltal har ett eget namn",
                            validate::shorten(&name)
                        ),
                    ));
                }
                new.key_figures.push(KeyFigure { name, value });
            }
            (Some(name), None) => {
                return Err(Error::at(
                    FormLayout::place(r, 1),
                    format!("nyckeltalet ”{name}” saknar värde"),
                ));
            }
            (None, Some(_)) => {
                return Err(Error::at(
                    FormLayout::place(r, 0),
                    "nyckeltalet saknar namn",
                ));
            }
        }
    }

    let layout = survey.layout();
    new.groups.clear();
    for (i, r) in (form.first_group..form.first_group + form.groups).enumerate() {
        let rank = i + 1;
        let mut group = TargetGroup {
            id: crate::model::identity::Id::random(),
            rank: 0,
            label: String::new(),
            estimated: false,
            row: Row::blank(&layout),
            extra: Default::default(),
            themes: Default::default(),
            note: None,
        };
        let mut filled = false;
        for (c, (head, column)) in form.columns.iter().enumerate() {
            let c = c as u16;
            let what = format!("rang {rank}, {head}");
            match column {
                Column::Rank => {}
                Column::Label => {
                    if let Some(label) = range.text(r, c, &what)? {
                        validate::label(&label).map_err(|m| {
                            Error::at(format!("{} ({what})", FormLayout::place(r, c)), m)
                        })?;
                        group.label = label;
                        filled = true;
                    }
                }
                Column::Note => {
                    if let Some(note) = range.text(r, c, &what)? {
                        validate::text(&note).map_err(|m| {
                            Error::at(format!("{} ({what})", FormLayout::place(r, c)), m)
                        })?;
                        group.note = Some(note.into_boxed_str());
                        filled = true;
                    }
                }
                Column::Estimated => {
                    match range
                        .text(r, c, &what)?
                        .map(|t| t.to_lowercase())
                        .as_deref()
                    {
                        None | Some("nej") => {}
                        Some("ja") => {
                            group.estimated = true;
                            filled = true;
                        }
                        Some(other) => {
                            return Err(Error::at(
                                format!("{} ({what})", FormLayout::place(r, c)),
                                format!("skriv ja eller nej, inte ”{other}”"),
                            ));
                        }
                    }
                }
                Column::Count | Column::Cell(_) => {
                    let e = number(&range, r, c, &what)?;
                    filled |= !e.cell.is_blank();
                    group.estimated |= e.estimated;
                    match column {
                        Column::Count => group.row.count = e.cell,
                        Column::Cell(i) => group.row.cells[*i] = e.cell,
                        _ => unreachable!("matched above"),
                    }
                }
            }
        }
        if !filled {
            continue;
        }
        if group.label.is_empty() {
            return Err(Error::at(
                format!("{} (rang {rank}, Målgrupp)", FormLayout::place(r, 1)),
                "målgruppen har uppgifter men saknar namn",
            ));
        }
        group.rank = new.groups.len() as u32 + 1;
        // The form has no room for a unit's own tables or its themes: they
        // stay with the group of the same name.
        if let Some(old) = unit.groups.iter().find(|g| g.label == group.label) {
            group.extra = old.extra.clone();
            group.themes = old.themes.clone();
        }
        new.groups.push(group);
    }

    let mut total = Row::blank(&layout);
    let mut any = false;
    for (c, (head, column)) in form.columns.iter().enumerate() {
        let c = c as u16;
        let what = format!("totalraden, {head}");
        let slot = match column {
            Column::Count => &mut total.count,
            Column::Cell(i) => &mut total.cells[*i],
            _ => continue,
        };
        let e = number(&range, form.total_row, c, &what)?;
        if e.estimated {
            return Err(Error::at(
                format!("{} ({what})", FormLayout::place(form.total_row, c)),
                "totalraden anges som exakta tal, utan ”ca”",
            ));
        }
        any |= !e.cell.is_blank();
        *slot = e.cell;
    }
    new.reported_totals = any.then_some(total);

    let empty = |u: &Unit| {
        u.groups.is_empty()
            && u.key_figures.is_empty()
            && u.reported_totals.is_none()
            && u.collaboration_today.is_none()
            && u.preventive_measures.is_none()
            && u.note.is_none()
    };
    if empty(&new) {
        return Err(Error::at(
            &file,
            format!(
                "formuläret är tomt: inga målgrupper, nyckeltal, svar eller totalrad är ifyllda. Att läsa in det skulle tömma enheten ”{}”; fyll i formuläret först (eller ta bort enhetens uppgifter i appen om det är meningen)",
                unit.name
            ),
        ));
    }
    // What the form gave was checked cell by cell above; the same rules
    // over the whole unit make sure nothing the document import refuses
    // gets in this way.
    validate::unit(&new).map_err(|e| {
        Error::at(
            format!("{file}: enheten ”{}”, {}", unit.name, e.at),
            e.message,
        )
    })?;
    let mut notes = range.notes.into_inner();
    notes.dedup();
    Ok(FormRead { unit: new, notes })
}
