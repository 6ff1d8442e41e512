//! The units' own material for the workbook: the total rows they printed on
//! their forms beside the sums of their groups, and the extra tables some
//! units added (for example "Inskrivningstid x födelsedecennium och kön").

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::model::Survey;
use crate::model::aggregate::SurveyTotals;
use crate::report::{Field, Table, category_headings};

/// Each unit that printed a total row: that row ("Enhetens totalrad") and
/// the sum of its groups ("Summa av målgrupperna") below it. Also the
/// (row, column) of every printed cell that differs from the sum.
pub fn reported_totals_table(
    survey: &Survey,
    totals: &SurveyTotals,
) -> (Table, Vec<(usize, usize)>) {
    let mut header: Vec<String> = ["Kommun/område", "Myndighet", "Enhet", "Rad", "Antal"]
        .map(String::from)
        .to_vec();
    header.extend(category_headings(survey));
    let mut rows = Vec::new();
    let mut differs = Vec::new();
    for (unit, sums) in survey.units.iter().zip(&totals.units) {
        let Some(printed) = &unit.reported_totals else {
            continue;
        };
        let who = [
            Field::Text(survey.place_name(&unit.place).to_owned()),
            Field::Text(survey.frame.authorities[unit.authority].clone()),
            Field::Text(unit.name.clone()),
        ];
        let mut row: Vec<Field> = who.to_vec();
        row.push(Field::Text("Enhetens totalrad".into()));
        row.push(Field::cell(printed.count));
        row.extend(printed.cells.iter().map(|c| Field::cell(*c)));
        let mut sum: Vec<Field> = who.to_vec();
        sum.push(Field::Text("Summa av målgrupperna".into()));
        sum.push(
            sums.people()
                .map_or(Field::Blank, |n| Field::Number(n as i64)),
        );
        sum.extend((0..sums.cells.len()).map(|i| {
            sums.cell(i)
                .map_or(Field::Blank, |n| Field::Number(n as i64))
        }));
        // A printed cell that disagrees with the sum (a blank printed cell
        // is not compared).
        for c in 4..row.len() {
            if let Field::Number(p) = row[c] {
                let s = match sum[c] {
                    Field::Number(s) => s,
                    _ => 0,
                };
                if p != s {
                    differs.push((rows.len(), c));
                }
            }
        }
        rows.push(row);
        rows.push(sum);
    }
    (Table { header, rows }, differs)
}

/// The units' extra tables, one after the other, each under a title row
/// that names the unit and the group.
pub fn extra_tables_sheet(
    ws: &mut Worksheet,
    survey: &Survey,
    header: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("Enheternas tabeller")?;
    super::xlsx::print_setup(ws)?;
    ws.write_string_with_format(0, 0, "Tabeller som enheterna själva lade till", header)?;
    let mut r = 2u32;
    for unit in &survey.units {
        for group in &unit.groups {
            for t in &group.extra {
                ws.write_string_with_format(
                    r,
                    0,
                    format!(
                        "{}, {} – målgrupp {} ({}): {}",
                        unit.name,
                        survey.place_name(&unit.place),
                        group.rank,
                        group.label,
                        t.title
                    ),
                    header,
                )?;
                r += 1;
                for (c, name) in t.columns.iter().enumerate() {
                    ws.write_string_with_format(r, c as u16 + 1, name, header)?;
                }
                r += 1;
                for (i, label) in t.rows.iter().enumerate() {
                    ws.write_string_with_format(r, 0, label, header)?;
                    for c in 0..t.columns.len() {
                        if let Some(v) = t.cell(i, c).get() {
                            ws.write_number(r, c as u16 + 1, f64::from(v))?;
                        }
                    }
                    r += 1;
                }
                r += 1;
            }
        }
    }
    ws.autofit();
    Ok(())
}
