//! The response form as a spreadsheet: an empty, protected workbook for one
//! unit, laid out from the survey's frame, that the unit fills in and
//! `malgrupp import-form` reads back ([`crate::import::form`]). The layout
//! is one value ([`FormLayout`]) shared by the writer and the reader, so the
//! two cannot disagree about where anything is.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, Formula, Workbook, XlsxError, utility,
};

use crate::model::{Dimension, Survey, Unit};

/// The form's sheet.
pub const SHEET: &str = "Svarsformulär";
/// A hidden sheet naming the survey and unit the form belongs to.
pub const ID_SHEET: &str = "malgrupp";
/// The first cell of the hidden sheet.
pub const MARKER: &str = "Målgruppskartläggning svarsformulär 1";

/// What a column of the group table holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// Rank (printed, locked).
    Rank,
    /// The group's name.
    Label,
    /// The count ("ca 300" allowed).
    Count,
    /// "ja" when the count is an estimate.
    Estimated,
    /// A breakdown cell at this position of the layout.
    Cell(usize),
    /// A note.
    Note,
}

/// Where everything is (rows and columns from 0).
#[derive(Clone, Debug)]
pub struct FormLayout {
    /// Rows of the open answers: collaboration, measures, note.
    pub answers: [u32; 3],
    /// First row of key figures (name in column A, value in B).
    pub first_key: u32,
    /// Number of key figure rows.
    pub keys: u32,
    /// Row of the dimension names over the group table.
    pub dimension_row: u32,
    /// Row of the column headers.
    pub header_row: u32,
    /// First group row.
    pub first_group: u32,
    /// Number of group rows.
    pub groups: u32,
    /// The sum row (formulas).
    pub sum_row: u32,
    /// The unit's own printed total row.
    pub total_row: u32,
    /// The group table's columns with their headers.
    pub columns: Vec<(String, Column)>,
}

impl FormLayout {
    /// The layout for a survey, with room for `groups` groups.
    pub fn new(survey: &Survey, groups: u32) -> FormLayout {
        let mut columns = vec![
            ("Rang".to_owned(), Column::Rank),
            ("Målgrupp".to_owned(), Column::Label),
            ("Antal".to_owned(), Column::Count),
            ("Uppskattat (ja/nej)".to_owned(), Column::Estimated),
        ];
        let layout = survey.layout();
        for d in Dimension::ALL {
            for (i, label) in survey.frame.labels(d).iter().enumerate() {
                let head = match d {
                    Dimension::AlsoAt => format!("Aktuell hos {label}"),
                    _ => label.clone(),
                };
                columns.push((head, Column::Cell(layout.range(d).start + i)));
            }
        }
        columns.push(("Notering".to_owned(), Column::Note));
        let first_key = 10;
        let keys = 8;
        let dimension_row = first_key + keys + 2;
        FormLayout {
            answers: [6, 7, 8],
            first_key,
            keys,
            dimension_row,
            header_row: dimension_row + 1,
            first_group: dimension_row + 2,
            groups,
            sum_row: dimension_row + 2 + groups,
            total_row: dimension_row + 3 + groups,
            columns,
        }
    }

    /// The column of a cell of the layout.
    pub fn column_of(&self, column: &Column) -> u16 {
        self.columns
            .iter()
            .position(|(_, c)| c == column)
            .expect("every column is in the layout") as u16
    }

    /// "Svarsformulär!C25", for messages.
    pub fn place(row: u32, col: u16) -> String {
        format!("{SHEET}!{}", utility::row_col_to_cell(row, col))
    }
}

/// The texts of the form's left column.
pub const ANSWERS: [&str; 3] = [
    "Hur fungerar samverkan i dag?",
    "Önskade förebyggande insatser",
    "Notering",
];

/// Whether `unit`'s current answers fit a pre-filled form; the reason in
/// Swedish when not.
pub fn prefill_fits(survey: &Survey, unit: &Unit) -> Result<(), String> {
    let keys = FormLayout::new(survey, 1).keys as usize;
    if unit.key_figures.len() > keys {
        return Err(format!(
            "enheten ”{}” har {} nyckeltal, men formuläret har plats för {keys}; skriv ett tomt formulär i stället",
            unit.name,
            unit.key_figures.len()
        ));
    }
    Ok(())
}

/// The workbook's bytes: an empty form for `unit` of `survey` with room
/// for `groups` target groups. With `prefill`, the form holds the unit's
/// current answers (and room for all its groups), for the unit to correct
/// rather than retype; check [`prefill_fits`] first. The form prints on
/// A4 landscape: the unit and its open answers on the first page, the group
/// table on the second, fitted to the page width.
pub fn workbook(
    survey: &Survey,
    unit: &Unit,
    groups: u32,
    prefill: bool,
) -> Result<Vec<u8>, XlsxError> {
    let groups = if prefill {
        groups.max(unit.groups.len() as u32)
    } else {
        groups
    };
    let form = FormLayout::new(survey, groups);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let head = Format::new().set_bold().set_text_wrap();
    let open = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let input = Format::new()
        .set_unlocked()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let whole = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_error_title("Bara hela tal")?
        .set_error_message(
            "Skriv ett helt tal, 0 eller större (eller lämna tomt om uppgiften saknas).",
        )?;
    // The count may be an estimate ("ca 300"): no validation there.
    let yes_no = DataValidation::new()
        .allow_list_strings(&["ja", "nej"])?
        .set_error_message("Skriv ja eller nej.")?;

    let sheet = book.add_worksheet().set_name(SHEET)?;
    sheet.write_with_format(0, 0, "Målgruppskartläggning – svarsformulär", &bold)?;
    let info = [
        ("Kartläggning", survey.frame.name.clone()),
        ("Enhet", unit.name.clone()),
        (
            "Myndighet",
            survey.frame.authorities[unit.authority].clone(),
        ),
        ("Kommun/område", survey.place_name(&unit.place).to_owned()),
    ];
    for (i, (k, v)) in info.iter().enumerate() {
        sheet.write_with_format(1 + i as u32, 0, *k, &bold)?;
        sheet.write(1 + i as u32, 1, v)?;
    }
    let last_col = form.columns.len() as u16 - 1;
    let current = [
        &unit.collaboration_today,
        &unit.preventive_measures,
        &unit.note,
    ];
    for ((row, text), answer) in form.answers.iter().zip(ANSWERS).zip(current) {
        sheet.write_with_format(*row, 0, text, &bold)?;
        let answer = answer.as_deref().filter(|_| prefill).unwrap_or("");
        sheet.merge_range(*row, 1, *row, last_col.min(12), answer, &open)?;
        sheet.set_row_height(*row, 45)?;
    }
    sheet.write_with_format(form.first_key - 1, 0, "Nyckeltal (namn)", &head)?;
    sheet.write_with_format(form.first_key - 1, 1, "Värde", &head)?;
    for r in form.first_key..form.first_key + form.keys {
        sheet.write_blank(r, 0, &input)?;
        sheet.write_blank(r, 1, &input)?;
    }
    sheet.add_data_validation(form.first_key, 1, form.first_key + form.keys - 1, 1, &whole)?;
    if prefill {
        for (r, k) in (form.first_key..).zip(unit.key_figures.iter().take(form.keys as usize)) {
            sheet.write_string_with_format(r, 0, &k.name, &input)?;
            sheet.write_number_with_format(r, 1, k.value as f64, &input)?;
        }
    }

    // The group table.
    let layout = survey.layout();
    for d in Dimension::ALL {
        if layout.dim_len(d) > 0 {
            let col = form.column_of(&Column::Cell(layout.range(d).start));
            sheet.write_with_format(form.dimension_row, col, d.name_sv(), &bold)?;
        }
    }
    for (c, (text, _)) in form.columns.iter().enumerate() {
        sheet.write_with_format(form.header_row, c as u16, text, &head)?;
    }
    let last_group = form.first_group + form.groups - 1;
    for r in form.first_group..=last_group {
        sheet.write_number_with_format(r, 0, f64::from(r - form.first_group + 1), &bold)?;
        for c in 1..=last_col {
            sheet.write_blank(r, c, &input)?;
        }
    }
    for r in [form.total_row] {
        for c in 2..=last_col {
            if c != form.column_of(&Column::Estimated) && c != form.column_of(&Column::Note) {
                sheet.write_blank(r, c, &input)?;
            }
        }
    }
    if prefill {
        prefill_groups(sheet, &form, unit, &input)?;
    }
    let estimated = form.column_of(&Column::Estimated);
    sheet.add_data_validation(form.first_group, estimated, last_group, estimated, &yes_no)?;
    let first_cell = form.column_of(&Column::Cell(0));
    let note = form.column_of(&Column::Note);
    if first_cell < note {
        sheet.add_data_validation(form.first_group, first_cell, last_group, note - 1, &whole)?;
        sheet.add_data_validation(form.total_row, first_cell, form.total_row, note - 1, &whole)?;
    }
    let count = form.column_of(&Column::Count);
    sheet.add_data_validation(form.total_row, count, form.total_row, count, &whole)?;

    // The live sum row.
    sheet.write_with_format(form.sum_row, 1, "Summa", &bold)?;
    for c in (count..note).filter(|c| *c != estimated) {
        let range = utility::cell_range(form.first_group, c, last_group, c);
        sheet.write_formula_with_format(
            form.sum_row,
            c,
            Formula::new(format!("=SUM({range})")),
            &bold,
        )?;
    }
    sheet.write_with_format(
        form.total_row,
        1,
        "Enhetens egen totalrad (om den finns)",
        &bold,
    )?;

    // Narrow enough that the table, fitted to an A4 landscape width, keeps
    // its text at about 8 points; headers wrap between words, never inside
    // one (a column is as wide as its header's longest word).
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 34)?;
    let mut lines = 1;
    for c in 2..note {
        let (text, _) = &form.columns[usize::from(c)];
        let longest = text
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(1);
        let width = (longest as f64 * 1.1 + 1.0).max(7.5);
        lines = lines.max((text.chars().count() as f64 * 1.1 / width).ceil() as u32 + 1);
        sheet.set_column_width(c, width)?;
    }
    sheet.set_column_width(note, 24)?;
    sheet.set_row_height(form.header_row, 15.0 * f64::from(lines.clamp(3, 6)))?;
    sheet.set_freeze_panes(form.header_row + 1, 2)?;
    // Print: two landscape pages at most, the group table on its own page
    // with its headers.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_area(0, 0, form.total_row, last_col)?;
    sheet.set_page_breaks(&[form.dimension_row])?;
    sheet.set_repeat_rows(form.dimension_row, form.header_row)?;
    sheet.set_footer(format!("&L{}&R&P / &N", excel_text(&unit.name)));
    sheet.protect();

    let id = book.add_worksheet().set_name(ID_SHEET)?;
    id.write(0, 0, MARKER)?;
    id.write(1, 0, &survey.frame.name)?;
    id.write(2, 0, &unit.name)?;
    id.set_hidden(true);
    id.protect();
    book.save_to_buffer()
}

/// Text for an Excel header or footer: "&" doubled so it is not read as a
/// code.
fn excel_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// Writes the unit's groups, in order, and its printed total row into the
/// form's input cells.
fn prefill_groups(
    sheet: &mut rust_xlsxwriter::Worksheet,
    form: &FormLayout,
    unit: &Unit,
    input: &Format,
) -> Result<(), XlsxError> {
    let number = |sheet: &mut rust_xlsxwriter::Worksheet, r, c, v: Option<u32>| match v {
        Some(v) => sheet
            .write_number_with_format(r, c, f64::from(v), input)
            .map(|_| ()),
        None => Ok(()),
    };
    for (r, group) in (form.first_group..).zip(&unit.groups) {
        for (c, (_, column)) in form.columns.iter().enumerate() {
            let c = c as u16;
            match column {
                Column::Rank => {}
                Column::Label => {
                    sheet.write_string_with_format(r, c, &group.label, input)?;
                }
                Column::Count => number(sheet, r, c, group.row.count.get())?,
                Column::Estimated => {
                    if group.estimated {
                        sheet.write_string_with_format(r, c, "ja", input)?;
                    }
                }
                Column::Cell(i) => number(sheet, r, c, group.row.cells[*i].get())?,
                Column::Note => {
                    if let Some(note) = &group.note {
                        sheet.write_string_with_format(r, c, note.as_ref(), input)?;
                    }
                }
            }
        }
    }
    if let Some(printed) = &unit.reported_totals {
        let r = form.total_row;
        for (c, (_, column)) in form.columns.iter().enumerate() {
            match column {
                Column::Count => number(sheet, r, c as u16, printed.count.get())?,
                Column::Cell(i) => number(sheet, r, c as u16, printed.cells[*i].get())?,
                _ => {}
            }
        }
    }
    Ok(())
}
