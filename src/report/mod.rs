//! What `check` and `summary` print: the same findings and totals as the app,
//! turned into rows once, then into bytes by one small file per format.

pub mod blocks;
pub mod chart;
pub mod csv;
pub mod docx;
pub mod history;
pub mod html;
pub mod json;
pub mod md;
pub mod merge;
pub mod status;
pub mod suppress;
pub mod text;
pub mod themes;
mod wordml;

use crate::model::aggregate::{SurveyTotals, Totals};
use crate::model::check::Finding;
use crate::model::{Dimension, Place, Survey};

/// How summary rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One row per municipality, then one per region-wide area.
    Municipality,
    /// One row per authority type.
    Authority,
    /// One row per unit.
    Unit,
    /// One row per theme, then the groups without a theme; a group with
    /// two themes counts in both ([`themes`]).
    Theme,
}

/// One row of a summary: who it is about, and the totals.
#[derive(Clone, Copy)]
pub struct SummaryRow<'a> {
    /// The municipality, when the row is about one.
    pub municipality: Option<&'a str>,
    /// The region-wide area, when the row is about one.
    pub area: Option<&'a str>,
    /// The authority type, for rows by authority or unit.
    pub authority: Option<&'a str>,
    /// The unit's name, for rows by unit.
    pub unit: Option<&'a str>,
    /// The numbers.
    pub totals: &'a Totals,
}

/// The summary rows of a survey, in the survey's order. Rows by theme are
/// not among them (a group may count in several): see [`themes`].
pub fn summary_rows<'a>(
    survey: &'a Survey,
    totals: &'a SurveyTotals,
    by: By,
) -> Vec<SummaryRow<'a>> {
    let place = |p: &'a Place| match p {
        Place::Municipality(m) => (Some(survey.frame.municipalities[*m].as_str()), None),
        Place::Area(a) => (None, Some(a.as_str())),
    };
    match by {
        By::Municipality => totals
            .places
            .iter()
            .map(|p| {
                let (municipality, area) = place(&p.place);
                SummaryRow {
                    municipality,
                    area,
                    authority: None,
                    unit: None,
                    totals: &p.totals,
                }
            })
            .collect(),
        By::Authority => totals
            .authorities
            .iter()
            .zip(&survey.frame.authorities)
            .map(|(t, a)| SummaryRow {
                municipality: None,
                area: None,
                authority: Some(a),
                unit: None,
                totals: t,
            })
            .collect(),
        By::Unit => survey
            .units
            .iter()
            .zip(&totals.units)
            .map(|(u, t)| {
                let (municipality, area) = place(&u.place);
                SummaryRow {
                    municipality,
                    area,
                    authority: Some(&survey.frame.authorities[u.authority]),
                    unit: Some(&u.name),
                    totals: t,
                }
            })
            .collect(),
        By::Theme => Vec::new(),
    }
}

/// A cell of a printed table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// Text, left-aligned.
    Text(String),
    /// A number, right-aligned.
    Number(i64),
    /// A number cell the unit left blank (not zero).
    Blank,
}

impl Field {
    /// A count cell: its number, or blank.
    pub fn cell(cell: crate::model::Cell) -> Field {
        cell.get()
            .map_or(Field::Blank, |v| Field::Number(i64::from(v)))
    }

    /// The cell as plain text ("" for blank).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Field::Text(s) => s.as_str().into(),
            Field::Number(n) => n.to_string().into(),
            Field::Blank => "".into(),
        }
    }
}

/// A table with a header: what text and CSV print.
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Field>>,
}

/// The summary as a table with Swedish headings, a total row last.
pub fn summary_table(survey: &Survey, totals: &SurveyTotals, by: By) -> Table {
    if by == By::Theme {
        return themes::table(survey, &crate::model::themes::totals(survey));
    }
    let mut header: Vec<String> = match by {
        By::Municipality | By::Theme => vec!["Kommun/område".into()],
        By::Authority => vec!["Myndighet".into()],
        By::Unit => vec!["Kommun/område".into(), "Myndighet".into(), "Enhet".into()],
    };
    header.extend(
        ["Målgrupper", "Utan antal", "Personer", "Varav uppskattat"]
            .iter()
            .map(|s| s.to_string()),
    );
    header.extend(total_headings(survey));
    // Which rows have no unit at all: decided once, in [`blocks`], for
    // every printed table (they read "inga enheter", not a row of zeros).
    let lines = match by {
        By::Municipality => blocks::place_lines(survey, totals),
        By::Authority => blocks::authority_lines(survey, totals),
        By::Unit | By::Theme => Vec::new(),
    };
    let mut rows: Vec<Vec<Field>> = summary_rows(survey, totals, by)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let place = r.municipality.or(r.area).unwrap_or("").to_owned();
            let mut fields = match by {
                By::Municipality | By::Theme => vec![Field::Text(place)],
                By::Authority => vec![Field::Text(r.authority.unwrap_or("").to_owned())],
                By::Unit => vec![
                    Field::Text(place),
                    Field::Text(r.authority.unwrap_or("").to_owned()),
                    Field::Text(r.unit.unwrap_or("").to_owned()),
                ],
            };
            match lines.get(i) {
                Some(line) if line.totals.is_none() => {
                    fields.extend(no_units(survey));
                }
                _ => fields.extend(numbers(r.totals)),
            }
            fields
        })
        .collect();
    let mut total = vec![Field::Text("Totalt".into())];
    if by == By::Unit {
        total.extend([Field::Text(String::new()), Field::Text(String::new())]);
    }
    total.extend(numbers(&totals.all));
    rows.push(total);
    Table { header, rows }
}

/// The text of a row about a place or authority without any unit.
pub const NO_UNITS: &str = "inga enheter";

/// The number cells of a row without any unit: [`NO_UNITS`] in the first,
/// the rest blank (not a row of zeros, which would read as counted).
fn no_units(survey: &Survey) -> Vec<Field> {
    let n = 4 + survey.layout().len() + 2 * Dimension::PARTS.len();
    let mut fields = vec![Field::Blank; n];
    fields[0] = Field::Text(NO_UNITS.to_owned());
    fields
}

/// A totals row's number cells, honest as the printed report: people and
/// categories that no group gave are blank, not 0 (a sum of nothing is
/// not zero); the missing and over-reported people are counts.
fn numbers(t: &Totals) -> Vec<Field> {
    let people = t.people();
    let number = |n: u64| Field::Number(n as i64);
    [
        number(t.groups),
        number(t.groups_without_count),
        people.map_or(Field::Blank, number),
        people.map_or(Field::Blank, |_| number(t.estimated)),
    ]
    .into_iter()
    .chain((0..t.cells.len()).map(|i| t.cell(i).map_or(Field::Blank, number)))
    .chain(
        Dimension::PARTS
            .into_iter()
            .flat_map(|d| [t.missing(d), t.over(d)])
            .map(|n| Field::Number(n as i64)),
    )
    .collect()
}

/// Column headings of every category: sex, age bands, duration bands, then
/// "Aktuell hos …" per authority.
pub(crate) fn category_headings(survey: &Survey) -> Vec<String> {
    let frame = &survey.frame;
    Dimension::ALL
        .into_iter()
        .flat_map(|d| {
            frame.labels(d).iter().map(move |label| match d {
                Dimension::AlsoAt => format!("Aktuell hos {label}"),
                _ => label.clone(),
            })
        })
        .collect()
}

/// The headings after the four counts of a totals row: the categories,
/// then per breakdown the people missing from it and the people it has too
/// many, apart, as the report prints them (a group short in one place
/// does not cancel a group over in another).
fn total_headings(survey: &Survey) -> Vec<String> {
    let mut headings = category_headings(survey);
    headings.extend(Dimension::PARTS.into_iter().flat_map(|d| {
        let name = capitalised(d.name_sv());
        [format!("{name}: saknas"), format!("{name}: för många")]
    }));
    headings
}

/// `text` with its first letter upper-case.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The place's name as a table shows it.
fn place_name(survey: &Survey, place: &Place) -> Field {
    Field::Text(survey.place_name(place).to_owned())
}

/// Totals per municipality (and area) × authority: the combinations that
/// have groups, in the survey's order, a total row last.
pub fn place_authority_table(survey: &Survey, totals: &SurveyTotals) -> Table {
    let mut header = vec!["Kommun/område".to_owned(), "Myndighet".to_owned()];
    header.extend(
        ["Målgrupper", "Utan antal", "Personer", "Varav uppskattat"]
            .iter()
            .map(|s| s.to_string()),
    );
    header.extend(total_headings(survey));
    let mut rows = Vec::new();
    for (p, row) in totals.places.iter().zip(&totals.place_authority) {
        for (a, t) in row.iter().enumerate() {
            if t.groups > 0 {
                let mut fields = vec![
                    place_name(survey, &p.place),
                    Field::Text(survey.frame.authorities[a].clone()),
                ];
                fields.extend(numbers(t));
                rows.push(fields);
            }
        }
    }
    let mut total = vec![Field::Text("Totalt".into()), Field::Text(String::new())];
    total.extend(numbers(&totals.all));
    rows.push(total);
    Table { header, rows }
}

/// Every target group with its cells as given (blank stays blank) and its
/// findings in words, last column. The findings column is what a reviewer
/// filters on; `flagged[i]` tells whether row `i` has any.
pub struct GroupsTable {
    /// The table.
    pub table: Table,
    /// Whether each row has a finding.
    pub flagged: Vec<bool>,
}

/// All target groups of the survey with their findings.
pub fn groups_table(survey: &Survey, findings: &[Finding]) -> GroupsTable {
    let mut header: Vec<String> = [
        "Kommun/område",
        "Myndighet",
        "Enhet",
        "Rang",
        "Målgrupp",
        "Antal",
        "Uppskattat",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(category_headings(survey));
    header.extend(["Fynd".to_owned(), "Anteckning".to_owned()]);
    // Only for a survey with themes: other tables keep their columns.
    let with_themes = !survey.frame.themes.is_empty();
    if with_themes {
        header.push("Teman".to_owned());
    }
    let mut rows = Vec::with_capacity(survey.group_count());
    let mut flagged = Vec::with_capacity(survey.group_count());
    let mut next = findings.iter().filter(|f| f.group.is_some()).peekable();
    for (u, unit) in survey.units.iter().enumerate() {
        for (g, group) in unit.groups.iter().enumerate() {
            let mut words = Vec::new();
            while let Some(f) = next.next_if(|f| (f.unit as usize, f.group) <= (u, Some(g as u32)))
            {
                if (f.unit as usize, f.group) == (u, Some(g as u32)) {
                    words.push(f.message(survey));
                }
            }
            let mut fields = vec![
                place_name(survey, &unit.place),
                Field::Text(survey.frame.authorities[unit.authority].clone()),
                Field::Text(unit.name.clone()),
                Field::Number(i64::from(group.rank)),
                Field::Text(group.label.clone()),
                Field::cell(group.row.count),
                Field::Text(if group.estimated { "ja" } else { "" }.to_owned()),
            ];
            fields.extend(group.row.cells.iter().map(|c| Field::cell(*c)));
            flagged.push(!words.is_empty());
            fields.push(Field::Text(words.join("; ")));
            fields.push(Field::Text(group.note.as_deref().unwrap_or("").to_owned()));
            if with_themes {
                fields.push(Field::Text(crate::model::themes::names(
                    &survey.frame.themes,
                    group,
                )));
            }
            rows.push(fields);
        }
    }
    GroupsTable {
        table: Table { header, rows },
        flagged,
    }
}

/// The key figures units gave, one row each.
pub fn key_figures_table(survey: &Survey) -> Table {
    let header = ["Kommun/område", "Myndighet", "Enhet", "Nyckeltal", "Värde"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows = survey
        .units
        .iter()
        .flat_map(|unit| {
            unit.key_figures.iter().map(move |k| {
                vec![
                    place_name(survey, &unit.place),
                    Field::Text(survey.frame.authorities[unit.authority].clone()),
                    Field::Text(unit.name.clone()),
                    Field::Text(k.name.clone()),
                    Field::Number(k.value as i64),
                ]
            })
        })
        .collect();
    Table { header, rows }
}
