//! A filled-in response form (written by [`crate::export::form`]) read back
//! into its unit: the same checks and the same all-or-nothing rule as the
//! survey document. Every refusal names the cell ("Svarsformulär!C25 (rang
//! 2, Antal)") and says why, in Swedish.

use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};

use crate::error::{Error, Result};
use crate::export::form::{Column, FormLayout, ID_SHEET, MARKER, SHEET};
use crate::model::entry;
use crate::model::{Cell, KeyFigure, Row, Survey, TargetGroup, Unit};

/// A cell as text, `None` when empty.
fn text(range: &Range<Data>, row: u32, col: u16) -> Option<String> {
    match range.get_value((row, u32::from(col)))? {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) => Some(s.trim().to_owned()),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { "ja" } else { "nej" }.to_owned()),
        other => Some(other.to_string()),
    }
}

/// A number cell: blank, a whole number ≥ 0, or typed text read like the
/// app reads it ("ca 300" is an estimate).
fn number(range: &Range<Data>, row: u32, col: u16, what: &str) -> Result<entry::Entry> {
    let at = || format!("{} ({what})", FormLayout::place(row, col));
    let whole = |v: f64| -> Result<entry::Entry> {
        if v < 0.0 {
            return Err(Error::at(
                at(),
                format!("negativa tal är inte tillåtna, fick {v}"),
            ));
        }
        if v.fract() != 0.0 {
            return Err(Error::at(at(), format!("väntade ett helt tal, fick {v}")));
        }
        let cell = Cell::try_new(v as u64)
            .ok_or_else(|| Error::at(at(), format!("talet {v} är för stort")))?;
        Ok(entry::Entry {
            cell,
            estimated: false,
        })
    };
    match range.get_value((row, u32::from(col))) {
        None | Some(Data::Empty) => Ok(entry::Entry {
            cell: Cell::BLANK,
            estimated: false,
        }),
        Some(Data::Float(f)) => whole(*f),
        Some(Data::Int(i)) => whole(*i as f64),
        Some(Data::String(s)) => entry::parse(s).map_err(|m| Error::at(at(), m)),
        Some(other) => Err(Error::at(at(), format!("väntade ett tal, fick ”{other}”"))),
    }
}

/// Reads the form at `path` for unit `index` of `survey`: the unit as the
/// form gives it (its name, authority and place stay; review marks go, as
/// the numbers they were about are replaced; a group's own tables, which
/// the form cannot show, stay with the group of the same name).
pub fn read(path: &Path, survey: &Survey, index: usize) -> Result<Unit> {
    let file = path.display().to_string();
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| {
        Error::at(
            &file,
            format!("kunde inte läsas som en Excel-arbetsbok (xlsx): {e}"),
        )
    })?;
    let not_a_form = || {
        Error::at(
            &file,
            "är inget svarsformulär från Målgruppskartläggning (malgrupp form)",
        )
    };
    let id = book.worksheet_range(ID_SHEET).map_err(|_| not_a_form())?;
    if text(&id, 0, 0).as_deref() != Some(MARKER) {
        return Err(not_a_form());
    }
    let unit = &survey.units[index];
    let form_survey = text(&id, 1, 0).unwrap_or_default();
    if form_survey != survey.frame.name {
        return Err(Error::at(
            &file,
            format!(
                "formuläret hör till kartläggningen ”{form_survey}”, inte till ”{}”",
                survey.frame.name
            ),
        ));
    }
    let form_unit = text(&id, 2, 0).unwrap_or_default();
    if form_unit != unit.name {
        return Err(Error::at(
            &file,
            format!(
                "formuläret är för enheten ”{form_unit}”, inte för ”{}”",
                unit.name
            ),
        ));
    }
    let range = book
        .worksheet_range(SHEET)
        .map_err(|_| Error::at(&file, format!("bladet ”{SHEET}” saknas")))?;

    // How many group rows this form has: up to the "Summa" row.
    let probe = FormLayout::new(survey, 0);
    let groups = (probe.first_group..probe.first_group + 10_000)
        .position(|r| text(&range, r, 1).as_deref() == Some("Summa"))
        .ok_or_else(|| Error::at(&file, "raden ”Summa” under målgrupperna saknas"))?;
    let form = FormLayout::new(survey, groups as u32);

    for (c, (expected, _)) in form.columns.iter().enumerate() {
        let found = text(&range, form.header_row, c as u16).unwrap_or_default();
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
    let [collaboration, measures, note] = form.answers.map(|r| text(&range, r, 1));
    new.collaboration_today = collaboration;
    new.preventive_measures = measures;
    new.note = note;

    new.key_figures.clear();
    for r in form.first_key..form.first_key + form.keys {
        let name = text(&range, r, 0);
        let value = number(&range, r, 1, "nyckeltalets värde")?;
        if value.estimated {
            return Err(Error::at(
                FormLayout::place(r, 1),
                "nyckeltal anges som exakta tal, utan ”ca”",
            ));
        }
        match (name, value.cell.get()) {
            (None, None) => {}
            (Some(name), Some(v)) => new.key_figures.push(KeyFigure {
                name,
                value: u64::from(v),
            }),
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
            rank: 0,
            label: String::new(),
            estimated: false,
            row: Row::blank(&layout),
            extra: Default::default(),
            note: None,
        };
        let mut filled = false;
        for (c, (head, column)) in form.columns.iter().enumerate() {
            let c = c as u16;
            let what = format!("rang {rank}, {head}");
            match column {
                Column::Rank => {}
                Column::Label => {
                    if let Some(label) = text(&range, r, c) {
                        group.label = label;
                        filled = true;
                    }
                }
                Column::Note => {
                    if let Some(note) = text(&range, r, c) {
                        group.note = Some(note.into_boxed_str());
                        filled = true;
                    }
                }
                Column::Estimated => {
                    match text(&range, r, c).map(|t| t.to_lowercase()).as_deref() {
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
        // The form has no room for a unit's own tables: they stay with the
        // group of the same name.
        if let Some(old) = unit.groups.iter().find(|g| g.label == group.label) {
            group.extra = old.extra.clone();
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
    Ok(new)
}
