//! The printable report as one self-contained HTML file (no network, no
//! other files): per municipality each unit with its open answers, its
//! ranked groups and totals and the notes the 2005 report wrote by hand, made
//! here from the findings; then a survey-wide section with tables and charts.

use std::fmt::Write as _;

use super::chart::{ChartError, ChartKind, ImageFormat, render};
use super::{By, Field, Table, category_headings, place_authority_table, summary_table};
use crate::model::aggregate::Totals;
use crate::model::check::Finding;
use crate::model::{Analysis, Dimension, Place, Survey, Unit};

const STYLE: &str = "
body { font-family: 'DejaVu Sans', Verdana, sans-serif; font-size: 10.5pt; margin: 2em; color: #111; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; border-bottom: 2px solid #333; margin-top: 2em; }
h3 { font-size: 12pt; margin-bottom: 0.2em; } h4 { font-size: 10.5pt; margin: 0.8em 0 0.2em; }
p.authority { margin-top: 0; color: #444; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 9pt; }
th, td { border: 1px solid #888; padding: 2px 5px; }
th { background: #eee; } td.n { text-align: right; } tr.sum td { font-weight: bold; }
table.totals { table-layout: fixed; width: 100%; font-size: 7.5pt; }
table.totals th, table.totals td { padding: 2px; overflow-wrap: anywhere; }
tr.printed td { font-style: italic; } td.finding { background: #fce4d6; }
p.note { font-weight: bold; margin: 0.2em 0; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
section { page-break-before: always; }
@media print { body { margin: 0; } }
";

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table of the report's own kind.
fn table_html(out: &mut String, table: &Table) {
    // Totals tables have some twenty columns: fixed to the page width.
    out.push_str("<table class=\"totals\"><tr>");
    for h in &table.header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr>");
    for row in &table.rows {
        out.push_str("<tr>");
        for f in row {
            match f {
                Field::Text(s) => {
                    let _ = write!(out, "<td>{}</td>", esc(s));
                }
                other => {
                    let _ = write!(out, "<td class=\"n\">{}</td>", other.text());
                }
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
}

/// "Notering! Det saknas 50 individer i fördelningen på kön." for each
/// breakdown with people not given (or more given than counted).
fn not_given_notes(out: &mut String, totals: &Totals) {
    for d in Dimension::PARTS {
        let n = totals.not_given(d);
        let what = d.name_sv();
        if n > 0 {
            let _ = write!(
                out,
                "<p class=\"note\">Notering! Det saknas {n} individer i fördelningen på {what}.</p>"
            );
        } else if n < 0 {
            let _ = write!(
                out,
                "<p class=\"note\">Notering! Fördelningen på {what} har {} individer fler än antalet.</p>",
                -n
            );
        }
    }
}

/// One unit's section; `findings` are the unit's own.
fn unit_html(
    out: &mut String,
    survey: &Survey,
    unit: &Unit,
    totals: &Totals,
    findings: &[Finding],
) {
    let frame = &survey.frame;
    let _ = write!(
        out,
        "<h3>{}</h3><p class=\"authority\">{}</p>",
        esc(&unit.name),
        esc(&frame.authorities[unit.authority])
    );
    for (title, text) in [
        ("Samverkan i dag", &unit.collaboration_today),
        ("Önskade förebyggande insatser", &unit.preventive_measures),
        ("Anteckning", &unit.note),
    ] {
        if let Some(text) = text {
            let _ = write!(out, "<h4>{title}</h4><p>{}</p>", esc(text));
        }
    }
    if !unit.key_figures.is_empty() {
        out.push_str("<table>");
        for k in &unit.key_figures {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&k.name),
                k.value
            );
        }
        out.push_str("</table>");
    }
    if unit.groups.is_empty() {
        return;
    }
    out.push_str("<table><tr><th>Rang</th><th>Målgrupp</th><th>Antal</th>");
    for label in category_headings(survey) {
        let _ = write!(out, "<th>{}</th>", esc(&label));
    }
    out.push_str("</tr>");
    for (g, group) in unit.groups.iter().enumerate() {
        let flagged = findings.iter().any(|f| f.group == Some(g as u32));
        let count = match (group.row.count.get(), group.estimated) {
            (Some(c), true) => format!("ca {c}"),
            (Some(c), false) => c.to_string(),
            (None, _) => String::new(),
        };
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td{}>{}</td><td class=\"n\">{}</td>",
            group.rank,
            if flagged { " class=\"finding\"" } else { "" },
            esc(&group.label),
            count
        );
        for c in group.row.cells.iter() {
            let _ = write!(out, "<td class=\"n\">{}</td>", Field::cell(*c).text());
        }
        out.push_str("</tr>");
    }
    let _ = write!(
        out,
        "<tr class=\"sum\"><td></td><td>Summa</td><td class=\"n\">{}</td>",
        totals.count
    );
    for v in &totals.cells {
        let _ = write!(out, "<td class=\"n\">{v}</td>");
    }
    out.push_str("</tr>");
    if let Some(printed) = &unit.reported_totals {
        let _ = write!(
            out,
            "<tr class=\"printed\"><td></td><td>Enhetens totalrad</td><td class=\"n\">{}</td>",
            Field::cell(printed.count).text()
        );
        for c in printed.cells.iter() {
            let _ = write!(out, "<td class=\"n\">{}</td>", Field::cell(*c).text());
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    for group in &unit.groups {
        if let Some(note) = &group.note {
            let _ = write!(
                out,
                "<p>Målgrupp {} ({}): {}</p>",
                group.rank,
                esc(&group.label),
                esc(note)
            );
        }
        // The unit's own tables, as given.
        for t in &group.extra {
            let _ = write!(
                out,
                "<h4>{} (målgrupp {})</h4><table><tr><th></th>",
                esc(&t.title),
                group.rank
            );
            for c in &t.columns {
                let _ = write!(out, "<th>{}</th>", esc(c));
            }
            out.push_str("</tr>");
            for (r, label) in t.rows.iter().enumerate() {
                let _ = write!(out, "<tr><th>{}</th>", esc(label));
                for c in 0..t.columns.len() {
                    let _ = write!(
                        out,
                        "<td class=\"n\">{}</td>",
                        Field::cell(t.cell(r, c)).text()
                    );
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
        }
    }
    for f in findings {
        let what = match f.target_group(survey) {
            Some(g) => format!("Målgrupp {} ({}): ", g.rank, esc(&g.label)),
            None => String::new(),
        };
        let _ = write!(
            out,
            "<p class=\"note\">Notering! {what}{}.</p>",
            esc(&f.message(survey))
        );
    }
}

/// The findings of unit `u`: findings come unit by unit, so they are one
/// slice (filtering all findings for each unit was quadratic in the
/// survey's size).
fn unit_findings(analysis: &Analysis, u: usize) -> &[Finding] {
    let f = &analysis.findings;
    let start = f.partition_point(|x| (x.unit as usize) < u);
    let end = f.partition_point(|x| (x.unit as usize) <= u);
    &f[start..end]
}

/// The whole report.
pub fn report(survey: &Survey, analysis: &Analysis) -> Result<String, ChartError> {
    let frame = &survey.frame;
    let totals = &analysis.totals;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        esc(&frame.name)
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p>{} · {}</p>",
        esc(&frame.name),
        esc(&frame.region),
        esc(&frame.period)
    );
    let by_place = summary_table(survey, totals, By::Municipality);
    for (i, p) in totals.places.iter().enumerate() {
        let units: Vec<(usize, &Unit)> = survey
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.place == p.place)
            .collect();
        if units.is_empty() {
            continue;
        }
        let name = survey.place_name(&p.place);
        let _ = write!(out, "<section><h2>{}</h2>", esc(name));
        if let Place::Area(_) = p.place {
            out.push_str("<p>Enheter som täcker hela området.</p>");
        }
        for (u, unit) in units {
            let findings = unit_findings(analysis, u);
            unit_html(&mut out, survey, unit, &totals.units[u], findings);
        }
        let _ = write!(out, "<h3>Summa för {}</h3>", esc(name));
        // The table's rows follow `totals.places`.
        let table = Table {
            header: by_place.header.clone(),
            rows: vec![by_place.rows[i].clone()],
        };
        table_html(&mut out, &table);
        not_given_notes(&mut out, &p.totals);
        out.push_str("</section>");
    }
    out.push_str("<section><h2>Hela kartläggningen</h2><h3>Per kommun och område</h3>");
    table_html(&mut out, &by_place);
    not_given_notes(&mut out, &totals.all);
    out.push_str("<h3>Per myndighet</h3>");
    table_html(&mut out, &summary_table(survey, totals, By::Authority));
    out.push_str("<h3>Per kommun och myndighet</h3>");
    table_html(&mut out, &place_authority_table(survey, totals));
    super::themes::section_html(&mut out, survey, table_html, esc);
    for kind in [
        ChartKind::Sex,
        ChartKind::Age,
        ChartKind::Duration,
        ChartKind::LargestGroups,
        ChartKind::AlsoAt,
        ChartKind::Themes,
    ] {
        if kind == ChartKind::Themes && survey.frame.themes.is_empty() {
            continue;
        }
        let svg = render(survey, totals, kind, ImageFormat::Svg, (1200, 700))?;
        out.push_str("<figure>");
        out.push_str(&String::from_utf8_lossy(&svg));
        out.push_str("</figure>");
    }
    out.push_str("</section></body></html>\n");
    Ok(out)
}
