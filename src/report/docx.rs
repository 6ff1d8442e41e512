//! The report as a Word document (DOCX): the same content as the HTML
//! report, with the built-in heading styles ("heading 1–3", shown as
//! Rubrik 1–3 in Swedish Word) so Word's table of contents works, a
//! table-of-contents field, real tables whose header row repeats on every
//! page, the charts as PNG images, page numbers and A4. Wide tables are
//! split into blocks that fit a portrait page.
//!
//! The `docx-rs` crate makes the document's frame: styles, settings, the
//! footer with page numbers, the charts and the package. The body (every
//! heading, paragraph and table, and the table of contents) is written
//! straight as WordprocessingML by [`super::wordml`] and put in place of a
//! marker paragraph: built as docx-rs objects, the national survey took
//! 12.7 s.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Style, StyleType,
};

use super::blocks::{
    Block, Line, authority_lines, place_authority_lines, place_lines, totals_blocks, unit_blocks,
};
use super::chart::{ChartError, ChartKind, ImageFormat, render};
use super::wordml::{Body, CELL_STYLE, NUMBER_STYLE};
use crate::model::notes::{breakdown_notes, finding_sentences};
use crate::model::summary::{place_summary, survey_summary};
use crate::model::{Analysis, Place, Survey, Unit};

/// Why the Word document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// A chart could not be drawn.
    #[error("{0}")]
    Chart(#[from] ChartError),
    /// The document could not be packed.
    #[error("Word-dokumentet kunde inte packas: {0}")]
    Pack(String),
}

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// A chart's width on the page: 16 cm in EMU.
const CHART_WIDTH_EMU: u32 = 16 * 360_000;
const CHART_PX: (u32, u32) = (1000, 650);
/// The text of the paragraph the body takes the place of.
const MARKER: &str = "MALGRUPP-RAPPORTENS-INNEHALL";

fn styles(docx: Docx) -> Docx {
    // Word knows the built-in headings by these names and shows them in
    // the user's language ("Rubrik 1"); outline levels make the TOC work.
    let heading = |level: usize, size: usize| {
        Style::new(format!("Heading{level}"), StyleType::Paragraph)
            .name(format!("heading {level}"))
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .outline_lvl(level - 1)
            .size(size)
            .bold()
            .color("1F3864")
    };
    // The table of contents' entries, as docx-rs makes them ("toc 1" …).
    let toc = |level: i32| {
        Style::new(format!("ToC{level}"), StyleType::Paragraph)
            .name(format!("toc {level}"))
            .align(AlignmentType::Both)
            .snap_to_grid(false)
            .indent(Some((level - 1) * 200), None, None, Some((level - 1) * 100))
            .line_spacing(LineSpacing::new().after(100))
    };
    docx.add_style(Style::new("Normal", StyleType::Paragraph).name("Normal"))
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .size(48)
                .bold(),
        )
        .add_style(heading(1, 32))
        .add_style(heading(2, 26))
        .add_style(heading(3, 22))
        .add_style(toc(1))
        .add_style(toc(2))
        .add_style(toc(3))
        // Table cells, 8 pt: one style instead of the same properties in
        // each of a million cells.
        .add_style(
            Style::new(CELL_STYLE, StyleType::Paragraph)
                .name(CELL_STYLE)
                .based_on("Normal")
                .size(16),
        )
        .add_style(
            Style::new(NUMBER_STYLE, StyleType::Paragraph)
                .name(NUMBER_STYLE)
                .based_on(CELL_STYLE)
                .align(AlignmentType::Right),
        )
}

/// The text width of an A4 page with 2 cm margins, in twips.
const TEXT_WIDTH: usize = 11_906 - 2 * 1134;

/// Column widths in twips: names get room, numbers at least their
/// header's longest word (so that no header word breaks inside), the rest
/// shared equally. "Målgrupp" narrows (to 3 cm) before a header breaks.
fn widths(block: &Block) -> Vec<usize> {
    // About 130 twips a character of 8-point bold text (Calibri needs
    // less, the fonts LibreOffice falls back on more), and the cell's
    // margins.
    let base: Vec<usize> = block.header[block.names..]
        .iter()
        .map(|h| {
            let longest = h
                .split_whitespace()
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0);
            longest.max(5) * 130 + 240
        })
        .collect();
    let numbers: usize = base.iter().sum();
    let fixed: usize = block.header[..block.names]
        .iter()
        .map(|h| match h.as_str() {
            "Rang" => 760,
            "Målgrupp" => 0,
            _ if block.names > 1 => 1700,
            _ => 2200,
        })
        .sum();
    let label = TEXT_WIDTH.saturating_sub(fixed + numbers).clamp(1700, 2300);
    let mut w: Vec<usize> = block.header[..block.names]
        .iter()
        .map(|h| match h.as_str() {
            "Rang" => 760,
            "Målgrupp" => label,
            _ if block.names > 1 => 1700,
            _ => 2200,
        })
        .collect();
    let room = TEXT_WIDTH.saturating_sub(w.iter().sum());
    if numbers <= room {
        let extra = (room - numbers).checked_div(base.len()).unwrap_or(0);
        w.extend(base.iter().map(|b| b + extra));
    } else {
        // Too narrow for all: the widest columns give way first, so short
        // headers stay whole.
        let mut cols = base.clone();
        let mut deficit = numbers - room;
        while deficit > 0 {
            let Some((i, _)) = cols.iter().enumerate().max_by_key(|(_, c)| **c) else {
                break;
            };
            let step = deficit.min(20).min(cols[i].saturating_sub(400));
            if step == 0 {
                break;
            }
            cols[i] -= step;
            deficit -= step;
        }
        w.extend(cols);
    }
    w
}

fn blocks(body: &mut Body, blocks: &[Block]) {
    for b in blocks {
        body.table(b, &widths(b));
    }
}

fn unit_section(body: &mut Body, survey: &Survey, unit: &Unit, u: usize, analysis: &Analysis) {
    let frame = &survey.frame;
    let totals = &analysis.totals.units[u];
    let findings = super::html::unit_findings(analysis, u);
    body.heading(2, &unit.name);
    body.text(&frame.authorities[unit.authority]);
    for (title, text) in [
        ("Samverkan i dag", &unit.collaboration_today),
        ("Önskade förebyggande insatser", &unit.preventive_measures),
        ("Anteckning", &unit.note),
    ] {
        if let Some(text) = text {
            body.heading(3, title);
            body.text(text);
        }
    }
    for k in &unit.key_figures {
        body.text(&format!("{}: {}", k.name, k.value));
    }
    if unit.groups.is_empty() {
        return;
    }
    blocks(body, &unit_blocks(survey, unit, totals, findings));
    for note in breakdown_notes(totals) {
        body.bold(&note);
    }
    for sentence in finding_sentences(survey, findings) {
        body.text(&format!("– {sentence}"));
    }
    for group in &unit.groups {
        if let Some(note) = &group.note {
            body.text(&format!(
                "Målgrupp {} ({}): {note}",
                group.rank, group.label
            ));
        }
        for t in &group.extra {
            let mut header = vec![String::new()];
            header.extend(t.columns.iter().cloned());
            let rows = t
                .rows
                .iter()
                .enumerate()
                .map(|(r, label)| {
                    let mut cells = vec![label.clone()];
                    cells.extend(
                        (0..t.columns.len())
                            .map(|c| super::Field::cell(t.cell(r, c)).text().into_owned()),
                    );
                    super::blocks::BlockRow {
                        cells,
                        sum: false,
                        flagged: false,
                    }
                })
                .collect();
            blocks(
                body,
                &[Block {
                    title: format!("{} (målgrupp {})", t.title, group.rank),
                    header,
                    names: 1,
                    rows,
                }],
            );
        }
    }
}

/// Everything after the table of contents up to the charts: a section per
/// municipality and area with its units, then the whole survey's tables.
fn places_and_totals(body: &mut Body, survey: &Survey, analysis: &Analysis) {
    let totals = &analysis.totals;
    for (i, p) in totals.places.iter().enumerate() {
        let units = survey.units_at(&p.place);
        if units.is_empty() {
            continue;
        }
        let name = survey.place_name(&p.place);
        body.page_break();
        body.heading(1, name);
        if let Place::Area(_) = p.place {
            body.text("Enheter som täcker hela området.");
        }
        for s in place_summary(survey, totals, i) {
            body.text(&s);
        }
        for (u, unit) in units {
            unit_section(body, survey, unit, u, analysis);
        }
        body.heading(2, &format!("Summa för {name}"));
        let line = [Line {
            names: vec![name.to_owned()],
            totals: Some(&p.totals),
        }];
        let mut b = totals_blocks(survey, &["Kommun/område"], &line, &p.totals);
        for block in &mut b {
            block.rows.pop();
        }
        blocks(body, &b);
        for note in breakdown_notes(&p.totals) {
            body.bold(&note);
        }
    }
    body.page_break();
    body.heading(1, "Hela kartläggningen");
    body.heading(2, "Per kommun och område");
    blocks(
        body,
        &totals_blocks(
            survey,
            &["Kommun/område"],
            &place_lines(survey, totals),
            &totals.all,
        ),
    );
    for note in breakdown_notes(&totals.all) {
        body.bold(&note);
    }
    body.heading(2, "Per myndighet");
    blocks(
        body,
        &totals_blocks(
            survey,
            &["Myndighet"],
            &authority_lines(survey, totals),
            &totals.all,
        ),
    );
    body.heading(2, "Per kommun och myndighet");
    blocks(
        body,
        &totals_blocks(
            survey,
            &["Kommun/område", "Myndighet"],
            &place_authority_lines(survey, totals),
            &totals.all,
        ),
    );
    body.heading(2, "Diagram");
}

/// The frame: styles, A4, margins, fonts, the footer's page numbers, and a
/// document of the marker paragraph followed by the charts.
fn frame(survey: &Survey, analysis: &Analysis) -> Result<Docx, DocxError> {
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center),
    );
    let mut docx = styles(Docx::new())
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134),
        )
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .default_size(21)
        .footer(footer)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(MARKER)));
    for kind in [
        ChartKind::Sex,
        ChartKind::Age,
        ChartKind::Duration,
        ChartKind::LargestGroups,
        ChartKind::AlsoAt,
    ] {
        let png = render(survey, &analysis.totals, kind, ImageFormat::Png, CHART_PX)?;
        let height =
            (u64::from(CHART_WIDTH_EMU) * u64::from(CHART_PX.1) / u64::from(CHART_PX.0)) as u32;
        let pic =
            Pic::new_with_dimensions(png, CHART_PX.0, CHART_PX.1).size(CHART_WIDTH_EMU, height);
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)));
    }
    Ok(docx)
}

/// The whole report as DOCX bytes.
pub fn report(survey: &Survey, analysis: &Analysis) -> Result<Vec<u8>, DocxError> {
    let frame_docx = frame(survey, analysis)?;
    let doc = &survey.frame;
    let mut body = Body::default();
    body.styled("Title", &doc.name);
    body.text(&format!("{} · {}", doc.region, doc.period));
    body.heading(1, "Sammanfattning");
    let summary = survey_summary(survey, &analysis.totals);
    for s in &summary.sentences {
        body.text(s);
    }
    // Themes ranked by authorities and people (model::summary).
    if !summary.themes.is_empty() {
        body.heading(2, "Gemensamma målgrupper");
        for s in &summary.themes {
            body.text(s);
        }
    }
    body.page_break();
    body.bold("Innehåll");
    let front = body.take();
    places_and_totals(&mut body, survey, analysis);
    let main = body.take();
    let contents = body.table_of_contents(TEXT_WIDTH);

    let mut xml = frame_docx.build();
    let document = String::from_utf8(std::mem::take(&mut xml.document))
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    let document = without_para_ids(&document);
    let (before, after) = around_marker(&document)?;
    // Packed by docx-rs with every part stored, then each part deflated
    // into the file; the body goes in in pieces, never joined in memory.
    xml.document = Vec::new();
    let mut stored = Vec::new();
    xml.pack(Cursor::new(&mut stored))
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    deflated(
        &stored,
        &[
            before.as_bytes(),
            front.as_bytes(),
            contents.as_bytes(),
            main.as_bytes(),
            after.as_bytes(),
        ],
    )
    .map_err(|e| DocxError::Pack(e.to_string()))
}

/// The document's markup before and after the marker paragraph.
fn around_marker(document: &str) -> Result<(&str, &str), DocxError> {
    let missing = || DocxError::Pack("markören för innehållet saknas".to_owned());
    let at = document.find(MARKER).ok_or_else(missing)?;
    let start = document[..at].rfind("<w:p>").ok_or_else(missing)?;
    let end = document[at..].find("</w:p>").ok_or_else(missing)? + at + "</w:p>".len();
    Ok((&document[..start], &document[end..]))
}

/// The package again with every part deflated, `word/document.xml` (left
/// empty by docx-rs) made of `document`'s pieces.
fn deflated(stored: &[u8], document: &[&[u8]]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // Level 1: the markup is repetitive and packs to a tenth at the
    // fastest level; higher levels took seconds for a few per cent.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        let name = file.name()?.into_owned();
        if file.is_dir() {
            out.add_directory(name, options)?;
            continue;
        }
        out.start_file(name.as_str(), options)?;
        if name == "word/document.xml" {
            for piece in document {
                out.write_all(piece)?;
            }
        } else {
            buf.clear();
            file.read_to_end(&mut buf)?;
            out.write_all(&buf)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// The markup without `w14:paraId`s (optional; docx-rs may repeat them,
/// and duplicates are invalid).
fn without_para_ids(xml: &str) -> String {
    const ID: &str = " w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(ID) {
        out.push_str(&rest[..i]);
        let after = &rest[i + ID.len()..];
        rest = after.find('"').map_or("", |e| &after[e + 1..]);
    }
    out.push_str(rest);
    out
}
