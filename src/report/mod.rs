//! What `check` and `summary` print: the same findings and totals as the app,
//! turned into rows once, then into bytes by one small file per format.

pub mod csv;
pub mod json;
pub mod md;
pub mod text;

use crate::model::aggregate::{SurveyTotals, Totals};
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

/// The summary rows of a survey, in the survey's order.
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
    }
}

/// A cell of a printed table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// Text, left-aligned.
    Text(String),
    /// A number, right-aligned.
    Number(i64),
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
    let frame = &survey.frame;
    let mut header: Vec<String> = match by {
        By::Municipality => vec!["Kommun/område".into()],
        By::Authority => vec!["Myndighet".into()],
        By::Unit => vec!["Kommun/område".into(), "Myndighet".into(), "Enhet".into()],
    };
    header.extend(
        ["Målgrupper", "Utan antal", "Personer", "Varav uppskattat"]
            .iter()
            .map(|s| s.to_string()),
    );
    for d in Dimension::ALL {
        for label in frame.labels(d) {
            header.push(match d {
                Dimension::AlsoAt => format!("Aktuell hos {label}"),
                _ => label.clone(),
            });
        }
    }
    for d in Dimension::PARTS {
        header.push(format!("Ej angivet {}", d.name_sv()));
    }
    let mut rows: Vec<Vec<Field>> = summary_rows(survey, totals, by)
        .iter()
        .map(|r| {
            let place = r.municipality.or(r.area).unwrap_or("").to_owned();
            let mut fields = match by {
                By::Municipality => vec![Field::Text(place)],
                By::Authority => vec![Field::Text(r.authority.unwrap_or("").to_owned())],
                By::Unit => vec![
                    Field::Text(place),
                    Field::Text(r.authority.unwrap_or("").to_owned()),
                    Field::Text(r.unit.unwrap_or("").to_owned()),
                ],
            };
            fields.extend(numbers(r.totals));
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

fn numbers(t: &Totals) -> Vec<Field> {
    [t.groups, t.groups_without_count, t.count, t.estimated]
        .into_iter()
        .chain(t.cells.iter().copied())
        .map(|n| Field::Number(n as i64))
        .chain(t.not_given.into_iter().map(Field::Number))
        .collect()
}
