//! Totals tables for print, split into readable blocks (people; sex; age;
//! duration; "aktuell hos") instead of one table of twenty columns, with
//! honest cells: "ca" on sums that include estimates, missing and
//! over-reported people apart, "inga enheter" where nobody answered, and
//! blank (not 0) where nothing was given. The HTML report and the Word
//! document print the same blocks.

use super::capitalised;
use crate::model::aggregate::{SurveyTotals, Totals};
use crate::model::check::Finding;
use crate::model::notes::{people, sv_number};
use crate::model::summary::percent;
use crate::model::{Dimension, Survey, Unit};

/// One block: a title, column titles, rows of text cells.
pub struct Block {
    /// What the block shows: "Kön", "Ålder" …
    pub title: String,
    /// Column titles; the first `names` columns say whom a row is about.
    pub header: Vec<String>,
    /// How many leading columns are names (left-aligned).
    pub names: usize,
    /// The rows, the total row last.
    pub rows: Vec<BlockRow>,
}

/// A row of a block.
pub struct BlockRow {
    /// Cells, as long as the header.
    pub cells: Vec<String>,
    /// Whether this is the total row.
    pub sum: bool,
    /// Whether the row has findings (its label is marked).
    pub flagged: bool,
}

/// A row to print: whom it is about and its totals, `None` for a place
/// without any unit.
pub struct Line<'a> {
    /// The name cells.
    pub names: Vec<String>,
    /// The totals, `None` for "inga enheter".
    pub totals: Option<&'a Totals>,
}

/// The blocks of a totals table over `lines`, with `total` as the last row.
pub fn totals_blocks(
    survey: &Survey,
    name_header: &[&str],
    lines: &[Line<'_>],
    total: &Totals,
) -> Vec<Block> {
    let layout = survey.layout();
    let frame = &survey.frame;
    let names = name_header.len();
    let mut blocks = Vec::new();
    let header = |cols: Vec<String>| -> Vec<String> {
        name_header
            .iter()
            .map(|s| s.to_string())
            .chain(cols)
            .collect()
    };
    let rows = |f: &dyn Fn(&Totals) -> Vec<String>| -> Vec<BlockRow> {
        let mut out: Vec<BlockRow> = lines
            .iter()
            .map(|l| {
                let mut cells = l.names.clone();
                match l.totals {
                    Some(t) => cells.extend(f(t)),
                    None => cells.push(super::NO_UNITS.to_owned()),
                }
                BlockRow {
                    cells,
                    sum: false,
                    flagged: false,
                }
            })
            .collect();
        let mut cells = vec!["Totalt".to_owned()];
        cells.resize(names, String::new());
        cells.extend(f(total));
        out.push(BlockRow {
            cells,
            sum: true,
            flagged: false,
        });
        out
    };
    blocks.push(Block {
        title: "Målgrupper och personer".to_owned(),
        header: header(
            ["Målgrupper", "Utan antal", "Personer", "Varav uppskattat"]
                .map(String::from)
                .to_vec(),
        ),
        names,
        rows: rows(&|t| {
            vec![
                sv_number(t.groups),
                sv_number(t.groups_without_count),
                t.people()
                    .map_or_else(String::new, |n| people(n, t.estimated)),
                t.people()
                    .map_or_else(String::new, |_| sv_number(t.estimated)),
            ]
        }),
    });
    for d in Dimension::PARTS {
        let range = layout.range(d);
        let mut cols: Vec<String> = frame.labels(d).to_vec();
        cols.extend(["Saknas".to_owned(), "För många".to_owned()]);
        blocks.push(Block {
            title: capitalised(d.name_sv()),
            header: header(cols),
            names,
            rows: rows(&|t| {
                let mut v: Vec<String> = range
                    .clone()
                    .map(|i| t.cell(i).map_or_else(String::new, sv_number))
                    .collect();
                v.push(sv_number(t.missing(d)));
                v.push(sv_number(t.over(d)));
                v
            }),
        });
    }
    let range = layout.range(Dimension::AlsoAt);
    let mut cols: Vec<String> = frame.authorities.clone();
    cols.push("Besvarat för (n)".to_owned());
    blocks.push(Block {
        title: "Aktuell hos (andel av dem frågan besvarades för)".to_owned(),
        header: header(cols),
        names,
        rows: rows(&|t| {
            let mut v: Vec<String> = range
                .clone()
                .map(|i| match t.cell(i) {
                    None => String::new(),
                    Some(n) if t.also_at_answered > 0 => {
                        format!("{} ({} %)", sv_number(n), percent(n, t.also_at_answered))
                    }
                    Some(n) => sv_number(n),
                })
                .collect();
            v.push(sv_number(t.also_at_answered));
            v
        }),
    });
    // "inga enheter" rows are shorter: pad them with blanks.
    for b in &mut blocks {
        for r in &mut b.rows {
            r.cells.resize(b.header.len(), String::new());
        }
    }
    blocks
}

/// Lines per municipality and area: places without units read "inga
/// enheter".
pub fn place_lines<'a>(survey: &'a Survey, totals: &'a SurveyTotals) -> Vec<Line<'a>> {
    totals
        .places
        .iter()
        .map(|p| {
            let has_units = survey.units.iter().any(|u| u.place == p.place);
            Line {
                names: vec![survey.place_name(&p.place).to_owned()],
                totals: has_units.then_some(&p.totals),
            }
        })
        .collect()
}

/// Lines per authority (every authority, "inga enheter" where none).
pub fn authority_lines<'a>(survey: &'a Survey, totals: &'a SurveyTotals) -> Vec<Line<'a>> {
    let mut has = vec![false; survey.frame.authorities.len()];
    for u in &survey.units {
        has[u.authority] = true;
    }
    totals
        .authorities
        .iter()
        .zip(&survey.frame.authorities)
        .zip(has)
        .map(|((t, a), has)| Line {
            names: vec![a.clone()],
            totals: has.then_some(t),
        })
        .collect()
}

/// Lines per place × authority: only the combinations with groups.
pub fn place_authority_lines<'a>(survey: &'a Survey, totals: &'a SurveyTotals) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for (p, row) in totals.places.iter().zip(&totals.place_authority) {
        for (a, t) in row.iter().enumerate() {
            if t.groups > 0 {
                out.push(Line {
                    names: vec![
                        survey.place_name(&p.place).to_owned(),
                        survey.frame.authorities[a].clone(),
                    ],
                    totals: Some(t),
                });
            }
        }
    }
    out
}

/// A unit's groups as three blocks that fit a portrait page: count, sex
/// and age; duration; "aktuell hos". A sum row ("ca" with estimates,
/// blank where nobody gave a cell) and the unit's own printed total row.
pub fn unit_blocks(
    survey: &Survey,
    unit: &Unit,
    totals: &Totals,
    findings: &[Finding],
) -> Vec<Block> {
    let layout = survey.layout();
    let frame = &survey.frame;
    let parts: [(&str, Vec<Dimension>); 3] = [
        ("Antal, kön och ålder", vec![Dimension::Sex, Dimension::Age]),
        ("Tid som aktuell", vec![Dimension::Duration]),
        ("Aktuell hos", vec![Dimension::AlsoAt]),
    ];
    let blank = |c: crate::model::Cell| {
        c.get()
            .map_or_else(String::new, |v| sv_number(u64::from(v)))
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(b, (title, dims))| {
            let mut header = vec!["Rang".to_owned(), "Målgrupp".to_owned()];
            if b == 0 {
                header.push("Antal".to_owned());
            }
            for d in &dims {
                // The block's title says "Aktuell hos": the authority's name
                // is enough under it.
                header.extend(frame.labels(*d).iter().cloned());
            }
            let mut rows: Vec<BlockRow> = unit
                .groups
                .iter()
                .enumerate()
                .map(|(g, group)| {
                    let mut cells = vec![group.rank.to_string(), group.label.clone()];
                    if b == 0 {
                        cells.push(match (group.row.count.get(), group.estimated) {
                            (Some(c), true) => format!("ca {}", sv_number(u64::from(c))),
                            (Some(c), false) => sv_number(u64::from(c)),
                            (None, _) => String::new(),
                        });
                    }
                    for d in &dims {
                        cells.extend(group.row.part(&layout, *d).iter().map(|c| blank(*c)));
                    }
                    BlockRow {
                        cells,
                        sum: false,
                        flagged: findings.iter().any(|f| f.group == Some(g as u32)),
                    }
                })
                .collect();
            let mut cells = vec![String::new(), "Summa".to_owned()];
            if b == 0 {
                cells.push(
                    totals
                        .people()
                        .map_or_else(String::new, |n| people(n, totals.estimated)),
                );
            }
            for d in &dims {
                cells.extend(
                    layout
                        .range(*d)
                        .map(|i| totals.cell(i).map_or_else(String::new, sv_number)),
                );
            }
            rows.push(BlockRow {
                cells,
                sum: true,
                flagged: false,
            });
            if let Some(printed) = &unit.reported_totals {
                let mut cells = vec![String::new(), "Enhetens totalrad".to_owned()];
                if b == 0 {
                    cells.push(blank(printed.count));
                }
                for d in &dims {
                    cells.extend(printed.cells[layout.range(*d)].iter().map(|c| blank(*c)));
                }
                rows.push(BlockRow {
                    cells,
                    sum: false,
                    flagged: false,
                });
            }
            Block {
                title: title.to_owned(),
                header,
                names: 2,
                rows,
            }
        })
        .collect()
}
