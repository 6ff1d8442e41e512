//! The report tables as one Excel workbook (rust_xlsxwriter): a sheet per
//! table, bold frozen header, numbers stored as numbers, fitted columns, and
//! target groups with findings coloured, cell by cell; the units' own
//! printed total rows and tables too. Every sheet prints on A4 landscape,
//! fitted to the page width, the header row repeated on each page, page
//! numbers in the footer. Opens in Excel and LibreOffice.

use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};

use crate::model::Survey;
use crate::model::aggregate::SurveyTotals;
use crate::model::check::Finding;
use crate::model::check::{Kind, Subject};
use crate::report::{self, By, Field, Table};

/// Light orange behind a row's findings: visible on screen, a light grey in
/// black-and-white print.
const FINDING_FILL: u32 = 0xFCE4D6;

/// The workbook's bytes: sheets Kommuner, Myndigheter, Kommun × myndighet,
/// Målgrupper (with findings), Nyckeltal, Enheternas totalrader and
/// Enheternas tabeller.
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
    let ws = book.add_worksheet();
    sheet(
        ws,
        "Målgrupper",
        &groups.table,
        &header,
        Some((&groups.flagged, &flagged)),
    )?;
    mark_finding_cells(ws, survey, findings, &groups.table, &flagged)?;
    sheet(
        book.add_worksheet(),
        "Nyckeltal",
        &report::key_figures_table(survey),
        &header,
        None,
    )?;
    let (printed, differs) = super::xlsx_units::reported_totals_table(survey, totals);
    let ws = book.add_worksheet();
    sheet(ws, "Enheternas totalrader", &printed, &header, None)?;
    for (r, c) in differs {
        if let Some(Field::Number(n)) = printed.rows.get(r).and_then(|row| row.get(c)) {
            ws.write_number_with_format(r as u32 + 1, c as u16, *n as f64, &flagged)?;
        }
    }
    super::xlsx_units::extra_tables_sheet(book.add_worksheet(), survey, &header)?;
    book.save_to_buffer()
}

/// Colours, on the Målgrupper sheet, the cells each finding is about (the
/// count, a whole breakdown, one "aktuell hos" cell …), not only the
/// findings column.
fn mark_finding_cells(
    ws: &mut Worksheet,
    survey: &Survey,
    findings: &[Finding],
    table: &Table,
    format: &Format,
) -> Result<(), XlsxError> {
    let layout = survey.layout();
    let col = |name: &str| table.header.iter().position(|h| h == name);
    let (Some(count), Some(estimated), Some(rank)) = (col("Antal"), col("Uppskattat"), col("Rang"))
    else {
        return Ok(());
    };
    let first_cell = estimated + 1;
    // The first row of each unit's groups on the sheet.
    let mut starts = Vec::with_capacity(survey.units.len());
    let mut row = 0usize;
    for u in &survey.units {
        starts.push(row);
        row += u.groups.len();
    }
    for f in findings {
        let Some(g) = f.group else { continue };
        let r = starts[f.unit as usize] + g as usize;
        let columns: Vec<usize> = match (f.subject, f.kind) {
            (Subject::Count, Kind::Estimated) => vec![estimated],
            (Subject::Count, _) => vec![count],
            (Subject::Rank, _) => vec![rank],
            (Subject::Breakdown(d), _) => layout.range(d).map(|c| first_cell + c).collect(),
            (Subject::Category(d, i), _) => {
                vec![first_cell + layout.range(d).start + usize::from(i)]
            }
            _ => Vec::new(),
        };
        for c in columns {
            let (row, col) = (r as u32 + 1, c as u16);
            match table.rows.get(r).and_then(|row| row.get(c)) {
                Some(Field::Number(n)) => {
                    ws.write_number_with_format(row, col, *n as f64, format)?
                }
                Some(Field::Text(t)) if !t.is_empty() => {
                    ws.write_string_with_format(row, col, t, format)?
                }
                _ => ws.write_blank(row, col, format)?,
            };
        }
    }
    Ok(())
}

/// A4 landscape, fitted to the page width, the header row on every page,
/// page numbers in the footer.
pub(crate) fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C&P / &N");
    Ok(())
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
    print_setup(ws)?;
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
