//! Totals per theme as a table (text, CSV, Markdown, the workbook, the
//! report) and as JSON (`summary --by theme --format json`). The numbers
//! come from [`crate::model::themes::totals`], computed once.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Field, Table, numbers, total_headings};
use crate::export::json::SeqOf;
use crate::model::aggregate::Totals;
use crate::model::themes::{DOUBLE_COUNT_NOTE, ThemeRow};
use crate::model::{Dimension, Survey};

/// Columns before the totals: the theme, then how many units, authority
/// types and municipalities name it. "Målgrupper" is the fifth column.
pub const NAME_COLUMNS: usize = 4;

/// The table of totals per theme: one row per theme of the frame, then the
/// groups without a theme. No total row: a group with two themes counts in
/// both, so the rows do not add up (see [`DOUBLE_COUNT_NOTE`]).
pub fn table(survey: &Survey, rows: &[ThemeRow]) -> Table {
    let mut header: Vec<String> = ["Tema", "Enheter", "Myndigheter", "Kommuner"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(
        ["Målgrupper", "Utan antal", "Personer", "Varav uppskattat"]
            .iter()
            .map(|s| s.to_string()),
    );
    header.extend(total_headings(survey));
    let rows = rows
        .iter()
        .map(|r| {
            let mut fields = vec![
                Field::Text(r.name(survey).to_owned()),
                Field::Number(r.units as i64),
                Field::Number(r.authorities as i64),
                Field::Number(r.municipalities as i64),
            ];
            fields.extend(numbers(&r.totals));
            fields
        })
        .collect();
    Table { header, rows }
}

/// People per theme and authority type: a row per theme (and the untagged
/// groups), a column per authority type, for the theme chart and the report.
pub fn people_by_authority_table(survey: &Survey, rows: &[ThemeRow]) -> Table {
    let mut header = vec!["Tema".to_owned()];
    header.extend(survey.frame.authorities.iter().cloned());
    header.push("Personer".to_owned());
    let rows = rows
        .iter()
        .map(|r| {
            let mut fields = vec![Field::Text(r.name(survey).to_owned())];
            fields.extend(
                r.people_by_authority
                    .iter()
                    .map(|n| Field::Number(*n as i64)),
            );
            fields.push(Field::Number(r.totals.count as i64));
            fields
        })
        .collect();
    Table { header, rows }
}

/// The report's section on themes (after the tables of the whole survey):
/// the totals per theme and the people per theme and authority, with the
/// note that a group may count under several themes. Nothing when the
/// frame has no themes. `table_html` and `esc` are the report's own.
pub fn section_html(
    out: &mut String,
    survey: &Survey,
    table_html: fn(&mut String, &Table),
    esc: fn(&str) -> String,
) {
    if survey.frame.themes.is_empty() {
        return;
    }
    let rows = crate::model::themes::totals(survey);
    out.push_str("<h3>Per tema (gemensamma målgrupper)</h3>");
    out.push_str(&format!("<p>{}</p>", esc(DOUBLE_COUNT_NOTE)));
    table_html(out, &table(survey, &rows));
    out.push_str("<h3>Personer per tema och myndighet</h3>");
    table_html(out, &people_by_authority_table(survey, &rows));
}

/// `{"rows": [...], "total": {...}, "note": "..."}`: one row per theme in the
/// frame's order, `"theme": null` for the groups without a theme; `total`
/// counts every group once.
pub struct Summary<'a>(pub &'a Survey, pub &'a [ThemeRow], pub &'a Totals);

struct RowDoc<'a>(&'a Survey, &'a ThemeRow);
struct TotalsDoc<'a>(&'a Survey, &'a Totals);
struct NotGiven<'a>(&'a Totals);

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Summary(survey, rows, all) = *self;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("rows", &SeqOf(rows.iter().map(|r| RowDoc(survey, r))))?;
        m.serialize_entry("total", &TotalsDoc(survey, all))?;
        m.serialize_entry("note", DOUBLE_COUNT_NOTE)?;
        m.end()
    }
}

fn parts<M: SerializeMap>(m: &mut M, survey: &Survey, t: &Totals) -> Result<(), M::Error> {
    let layout = survey.layout();
    m.serialize_entry("count", &t.count)?;
    m.serialize_entry("estimated", &t.estimated)?;
    for d in Dimension::ALL {
        m.serialize_entry(d.key(), t.part(&layout, d))?;
    }
    m.serialize_entry("not_given", &NotGiven(t))
}

impl Serialize for RowDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let RowDoc(survey, r) = *self;
        let mut m = s.serialize_map(Some(12))?;
        m.serialize_entry(
            "theme",
            &r.theme
                .and_then(|t| survey.frame.themes.get(t))
                .map(|t| &t.name),
        )?;
        m.serialize_entry("groups", &r.totals.groups)?;
        m.serialize_entry("units", &r.units)?;
        m.serialize_entry("authorities", &r.authorities)?;
        m.serialize_entry("municipalities", &r.municipalities)?;
        parts(&mut m, survey, &r.totals)?;
        m.end()
    }
}

impl Serialize for TotalsDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("groups", &self.1.groups)?;
        parts(&mut m, self.0, self.1)?;
        m.end()
    }
}

impl Serialize for NotGiven<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        for d in Dimension::PARTS {
            m.serialize_entry(d.key(), &self.0.not_given(d))?;
        }
        m.end()
    }
}
