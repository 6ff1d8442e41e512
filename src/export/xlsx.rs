//! The report tables as one Excel workbook (rust_xlsxwriter): a sheet per
//! table, bold frozen header, numbers stored as numbers, fitted columns, and
//! target groups with findings coloured. Opens in Excel and LibreOffice.

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use crate::model::Survey;
use crate::model::aggregate::SurveyTotals;
use crate::model::check::Finding;
use crate::report::{self, By, Field, Table};

/// Light orange behind a row's findings: visible on screen, a light grey in
/// black-and-white print.
const FINDING_FILL: u32 = 0xFCE4D6;

/// The workbook's bytes: sheets Kommuner, Myndigheter, Kommun × myndighet,
/// Målgrupper (with findings) and Nyckeltal.
pub fn workbook(
    survey: &Survey,
    totals: &SurveyTotals,
    findings: &[Finding],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap();
    let flagged = Format::new().set_background_color(Color::RGB(FINDING_FILL));

    let sheets = [
        (
            "Kommuner",
            report::summary_table(survey, totals, By::Municipality),
        ),
        (
            "Myndigheter",
            report::summary_table(survey, totals, By::Authority),
        ),
        (
            "Kommun × myndighet",
            report::place_authority_table(survey, totals),
        ),
    ];
    for (name, table) in &sheets {
        sheet(book.add_worksheet(), name, table, &header, None)?;
    }
    if !survey.frame.themes.is_empty() {
        // A group with two themes counts in both: said under each table.
        let rows = crate::model::themes::totals(survey);
        for (name, table) in [
            ("Teman", report::themes::table(survey, &rows)),
            (
                "Tema × myndighet",
                report::themes::people_by_authority_table(survey, &rows),
            ),
        ] {
            let ws = book.add_worksheet();
            sheet(ws, name, &table, &header, None)?;
            ws.write_string(
                table.rows.len() as u32 + 2,
                0,
                crate::model::themes::DOUBLE_COUNT_NOTE,
            )?;
        }
    }
    let groups = report::groups_table(survey, findings);
    sheet(
        book.add_worksheet(),
        "Målgrupper",
        &groups.table,
        &header,
        Some((&groups.flagged, &flagged)),
    )?;
    sheet(
        book.add_worksheet(),
        "Nyckeltal",
        &report::key_figures_table(survey),
        &header,
        None,
    )?;
    book.save_to_buffer()
}

/// Writes one table; rows marked in `mark` get the format in their last two
/// columns (findings and note).
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    table: &Table,
    header: &Format,
    mark: Option<(&[bool], &Format)>,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let findings_column = table.header.iter().position(|h| h == "Fynd");
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, field) in row.iter().enumerate() {
            let c = c as u16;
            match field {
                Field::Number(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Field::Text(s) if !s.is_empty() => {
                    ws.write_string(r, c, s)?;
                }
                _ => {}
            }
        }
        if let (Some((marks, format)), Some(col)) = (mark, findings_column)
            && marks.get(r as usize - 1).copied().unwrap_or(false)
            && let Field::Text(words) = &row[col]
        {
            ws.write_string_with_format(r, col as u16, words, format)?;
        }
    }
    ws.autofit();
    Ok(())
}
