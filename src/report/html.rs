//! The printable report as one self-contained HTML file (no network, no
//! other files): per municipality each unit with its open answers, its
//! ranked groups and totals and the notes the 2005 report wrote by hand, made
//! here from the findings; then a survey-wide section with tables and charts.

use std::fmt::Write as _;

use super::blocks::{
    Block, Line, authority_lines, place_authority_lines, place_lines, totals_blocks,
};
use super::chart::{ChartError, ChartKind, ImageFormat, render};
use super::{Field, category_headings};
use crate::model::aggregate::Totals;
use crate::model::check::Finding;
use crate::model::notes::{breakdown_notes, finding_sentences, people, sv_number};
use crate::model::summary::{place_summary, survey_summary};
use crate::model::{Analysis, Place, Survey, Unit};

const STYLE: &str = "
@page { size: A4; margin: 16mm 14mm 18mm; }
body { font-family: 'DejaVu Sans', Verdana, sans-serif; font-size: 10.5pt; margin: 2em; color: #111; }
h1 { font-size: 22pt; margin-top: 3em; } h2 { font-size: 15pt; border-bottom: 2px solid #333; margin-top: 1.5em; }
h3 { font-size: 12pt; margin-bottom: 0.2em; } h4 { font-size: 10.5pt; margin: 0.8em 0 0.2em; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p.authority { margin-top: 0; color: #444; }
p.subtitle { font-size: 13pt; color: #333; }
div.summary p { margin: 0.4em 0; } div.summary { max-width: 42em; }
table { border-collapse: collapse; margin: 0.3em 0 0.8em; font-size: 8.5pt; }
thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #888; padding: 2px 4px; }
th { background: #eee; font-weight: bold; vertical-align: bottom; hyphens: manual; word-break: normal; overflow-wrap: normal; }
td.n { text-align: right; white-space: nowrap; } tr.sum td { font-weight: bold; }
td.empty { color: #555; font-style: italic; }
table.group th, table.group td { font-size: 8pt; padding: 1px 3px; }
tr.printed td { font-style: italic; } td.finding { background: #fce4d6; }
div.keep { break-inside: avoid; page-break-inside: avoid; }
p.note { font-weight: bold; margin: 0.2em 0; }
ul.findings { margin: 0.2em 0 0.6em; padding-left: 1.4em; } ul.findings li { margin: 0.1em 0; }
figure { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
section { break-before: page; page-break-before: always; }
@media print { body { margin: 0; } h1 { margin-top: 4cm; } }
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

/// A plain table (the theme tables, which come with their own columns).
fn table_html(out: &mut String, table: &super::Table) {
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
                    let _ = write!(out, "<td>{}</td>", esc(s.as_str()));
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

/// A totals table as its blocks, each titled and kept with its heading;
/// header rows repeat on every printed page.
fn blocks_html(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        let _ = write!(out, "<div class=\"keep\"><h4>{}</h4>", esc(&block.title));
        out.push_str("<table class=\"totals\"><thead><tr>");
        for h in &block.header {
            let _ = write!(out, "<th>{}</th>", esc(h));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &block.rows {
            out.push_str(if row.sum {
                "<tr class=\"sum\">"
            } else {
                "<tr>"
            });
            for (i, c) in row.cells.iter().enumerate() {
                let class = if i < block.names {
                    ""
                } else if c == super::NO_UNITS {
                    " class=\"empty\""
                } else {
                    " class=\"n\""
                };
                let _ = write!(out, "<td{class}>{}</td>", esc(c));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
    }
}

/// Notes as paragraphs.
fn notes_html(out: &mut String, notes: &[String]) {
    for n in notes {
        let _ = write!(out, "<p class=\"note\">{}</p>", esc(n));
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
    out.push_str("<table class=\"group\"><thead><tr><th>Rang</th><th>Målgrupp</th><th>Antal</th>");
    for label in category_headings(survey) {
        let _ = write!(out, "<th>{}</th>", esc(&label));
    }
    out.push_str("</tr></thead><tbody>");
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
        totals
            .people()
            .map_or_else(String::new, |n| people(n, totals.estimated))
    );
    for i in 0..totals.cells.len() {
        // A column nobody filled in stays blank, not 0.
        let v = totals.cell(i).map_or_else(String::new, sv_number);
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
    out.push_str("</tbody></table>");
    notes_html(out, &breakdown_notes(totals));
    if !findings.is_empty() {
        out.push_str("<ul class=\"findings\">");
        for sentence in finding_sentences(survey, findings) {
            let _ = write!(out, "<li>{}</li>", esc(&sentence));
        }
        out.push_str("</ul>");
    }
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
}

/// The findings of unit `u`: findings come unit by unit, so they are one
/// slice (filtering all findings for each unit was quadratic in the
/// survey's size).
pub(crate) fn unit_findings(analysis: &Analysis, u: usize) -> &[Finding] {
    let f = &analysis.findings;
    let start = f.partition_point(|x| (x.unit as usize) < u);
    let end = f.partition_point(|x| (x.unit as usize) <= u);
    &f[start..end]
}

/// Paragraphs of a summary.
fn summary_html(out: &mut String, sentences: &[String]) {
    out.push_str("<div class=\"summary\">");
    for s in sentences {
        let _ = write!(out, "<p>{}</p>", esc(s));
    }
    out.push_str("</div>");
}

/// The whole report: a cover with the survey's summary, a section per
/// municipality and area with units, then the survey-wide tables and
/// charts.
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
        "<div class=\"cover\"><h1>{}</h1><p class=\"subtitle\">{} · {}</p><h2>Sammanfattning</h2>",
        esc(&frame.name),
        esc(&frame.region),
        esc(&frame.period)
    );
    let summary = survey_summary(survey, totals);
    summary_html(&mut out, &summary.sentences);
    // Themes ranked by authorities and people (model::summary).
    if !summary.themes.is_empty() {
        out.push_str("<h3>Gemensamma målgrupper</h3>");
        summary_html(&mut out, &summary.themes);
    }
    out.push_str("</div>");
    for (i, p) in totals.places.iter().enumerate() {
        let units = survey.units_at(&p.place);
        if units.is_empty() {
            continue;
        }
        let name = survey.place_name(&p.place);
        let _ = write!(out, "<section><h2>{}</h2>", esc(name));
        if let Place::Area(_) = p.place {
            out.push_str("<p>Enheter som täcker hela området.</p>");
        }
        summary_html(&mut out, &place_summary(survey, totals, i));
        for (u, unit) in units {
            let findings = unit_findings(analysis, u);
            unit_html(&mut out, survey, unit, &totals.units[u], findings);
        }
        let _ = write!(out, "<h3>Summa för {}</h3>", esc(name));
        let line = [Line {
            names: vec![name.to_owned()],
            totals: Some(&p.totals),
        }];
        let mut blocks = totals_blocks(survey, &["Kommun/område"], &line, &p.totals);
        // One place: its row and the total row are the same.
        for b in &mut blocks {
            b.rows.pop();
        }
        blocks_html(&mut out, &blocks);
        notes_html(&mut out, &breakdown_notes(&p.totals));
        out.push_str("</section>");
    }
    out.push_str("<section><h2>Hela kartläggningen</h2><h3>Per kommun och område</h3>");
    blocks_html(
        &mut out,
        &totals_blocks(
            survey,
            &["Kommun/område"],
            &place_lines(survey, totals),
            &totals.all,
        ),
    );
    notes_html(&mut out, &breakdown_notes(&totals.all));
    out.push_str("<h3>Per myndighet</h3>");
    blocks_html(
        &mut out,
        &totals_blocks(
            survey,
            &["Myndighet"],
            &authority_lines(survey, totals),
            &totals.all,
        ),
    );
    out.push_str("<h3>Per kommun och myndighet</h3>");
    blocks_html(
        &mut out,
        &totals_blocks(
            survey,
            &["Kommun/område", "Myndighet"],
            &place_authority_lines(survey, totals),
            &totals.all,
        ),
    );
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
        let svg = render(survey, totals, kind, ImageFormat::Svg, (1000, 650))?;
        out.push_str("<figure>");
        out.push_str(&String::from_utf8_lossy(&svg));
        out.push_str("</figure>");
    }
    out.push_str("</section></body></html>\n");
    Ok(out)
}
