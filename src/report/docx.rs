//! The report as a Word document (DOCX), written with the `docx-rs` crate:
//! the same content as the HTML report, with the built-in heading styles
//! ("heading 1–3", shown as Rubrik 1–3 in Swedish Word) so Word's table of
//! contents works, a table-of-contents field, real tables whose header row
//! repeats on every page, the charts as PNG images, page numbers and A4.
//! Wide tables are split into blocks that fit a portrait page.
//!
//! docx-rs has no switch for a repeating header row (`w:tblHeader`): header
//! rows are marked `cantSplit` (no other row is) and the mark is completed
//! in the document before it is packed, see [`mend_document`].

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, Style, StyleType, Table, TableCell, TableLayoutType, TableOfContents,
    TableRow, WidthType,
};

use super::blocks::{
    Block, Line, authority_lines, place_authority_lines, place_lines, totals_blocks, unit_blocks,
};
use super::chart::{ChartError, ChartKind, ImageFormat, render};
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
/// Bookmark ids that mark where the table of contents starts and ends, for
/// [`mend_document`]; far above the ids docx-rs gives headings.
const TOC_MARKS: (usize, usize) = (900_001, 900_002);

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
}

fn heading(level: usize, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text))
        .style(&format!("Heading{level}"))
        .keep_next(true)
}

fn text(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn bold(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).bold())
}

fn page_break() -> Paragraph {
    Paragraph::new().add_run(Run::new().add_break(BreakType::Page))
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

/// A cell of a table, 8 pt; numbers right-aligned.
fn cell(text: &str, number: bool, strong: bool, shade: Option<&str>) -> TableCell {
    let mut run = Run::new().add_text(text).size(16);
    if strong {
        run = run.bold();
    }
    let mut p = Paragraph::new().add_run(run);
    if number {
        p = p.align(AlignmentType::Right);
    }
    let mut c = TableCell::new().add_paragraph(p);
    if let Some(fill) = shade {
        c = c.shading(Shading::new().shd_type(ShdType::Clear).fill(fill));
    }
    c
}

/// A block as a titled Word table; its header row repeats on every page.
fn block_table(docx: Docx, block: &Block) -> Docx {
    let grid = widths(block);
    let header = TableRow::new(
        block
            .header
            .iter()
            .zip(&grid)
            .map(|(h, w)| cell(h, false, true, Some("EEEEEE")).width(*w, WidthType::Dxa))
            .collect(),
    )
    .cant_split();
    let mut rows = vec![header];
    for row in &block.rows {
        rows.push(TableRow::new(
            row.cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let shade = (row.flagged && i == 1).then_some("FCE4D6");
                    cell(c, i >= block.names && c != super::NO_UNITS, row.sum, shade)
                })
                .collect(),
        ));
    }
    docx.add_paragraph(
        bold(&block.title)
            .keep_next(true)
            .add_run(Run::new().size(16)),
    )
    .add_table(
        Table::new(rows)
            .set_grid(grid.clone())
            .layout(TableLayoutType::Fixed)
            .width(grid.iter().sum(), WidthType::Dxa),
    )
    .add_paragraph(Paragraph::new())
}

fn blocks(mut docx: Docx, blocks: &[Block]) -> Docx {
    for b in blocks {
        docx = block_table(docx, b);
    }
    docx
}

fn unit_section(
    mut docx: Docx,
    survey: &Survey,
    unit: &Unit,
    u: usize,
    analysis: &Analysis,
) -> Docx {
    let frame = &survey.frame;
    let totals = &analysis.totals.units[u];
    let findings = super::html::unit_findings(analysis, u);
    docx = docx
        .add_paragraph(heading(2, &unit.name))
        .add_paragraph(text(&frame.authorities[unit.authority]));
    for (title, body) in [
        ("Samverkan i dag", &unit.collaboration_today),
        ("Önskade förebyggande insatser", &unit.preventive_measures),
        ("Anteckning", &unit.note),
    ] {
        if let Some(body) = body {
            docx = docx
                .add_paragraph(heading(3, title))
                .add_paragraph(text(body));
        }
    }
    for k in &unit.key_figures {
        docx = docx.add_paragraph(text(&format!("{}: {}", k.name, k.value)));
    }
    if unit.groups.is_empty() {
        return docx;
    }
    docx = blocks(docx, &unit_blocks(survey, unit, totals, findings));
    for note in breakdown_notes(totals) {
        docx = docx.add_paragraph(bold(&note));
    }
    for sentence in finding_sentences(survey, findings) {
        docx = docx.add_paragraph(text(&format!("– {sentence}")));
    }
    for group in &unit.groups {
        if let Some(note) = &group.note {
            docx = docx.add_paragraph(text(&format!(
                "Målgrupp {} ({}): {note}",
                group.rank, group.label
            )));
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
            docx = block_table(
                docx,
                &Block {
                    title: format!("{} (målgrupp {})", t.title, group.rank),
                    header,
                    names: 1,
                    rows,
                },
            );
        }
    }
    docx
}

/// The whole report as DOCX bytes.
pub fn report(survey: &Survey, analysis: &Analysis) -> Result<Vec<u8>, DocxError> {
    let frame = &survey.frame;
    let totals = &analysis.totals;
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
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(&frame.name))
                .style("Title"),
        )
        .add_paragraph(text(&format!("{} · {}", frame.region, frame.period)))
        .add_paragraph(heading(1, "Sammanfattning"));
    let summary = survey_summary(survey, totals);
    for s in &summary.sentences {
        docx = docx.add_paragraph(text(s));
    }
    // Themes ranked by authorities and people (model::summary).
    if !summary.themes.is_empty() {
        docx = docx.add_paragraph(heading(2, "Gemensamma målgrupper"));
        for s in &summary.themes {
            docx = docx.add_paragraph(text(s));
        }
    }
    docx = docx
        .add_paragraph(page_break())
        .add_paragraph(bold("Innehåll"))
        .add_bookmark_start(TOC_MARKS.0, "_MalgruppInnehall")
        .add_bookmark_end(TOC_MARKS.0)
        .add_table_of_contents(
            TableOfContents::new()
                .heading_styles_range(1, 3)
                .without_sdt()
                .auto(),
        )
        .add_bookmark_start(TOC_MARKS.1, "_MalgruppInnehallSlut")
        .add_bookmark_end(TOC_MARKS.1);
    for (i, p) in totals.places.iter().enumerate() {
        let units = survey.units_at(&p.place);
        if units.is_empty() {
            continue;
        }
        let name = survey.place_name(&p.place);
        docx = docx
            .add_paragraph(page_break())
            .add_paragraph(heading(1, name));
        if let Place::Area(_) = p.place {
            docx = docx.add_paragraph(text("Enheter som täcker hela området."));
        }
        for s in place_summary(survey, totals, i) {
            docx = docx.add_paragraph(text(&s));
        }
        for (u, unit) in units {
            docx = unit_section(docx, survey, unit, u, analysis);
        }
        docx = docx.add_paragraph(heading(2, &format!("Summa för {name}")));
        let line = [Line {
            names: vec![name.to_owned()],
            totals: Some(&p.totals),
        }];
        let mut b = totals_blocks(survey, &["Kommun/område"], &line, &p.totals);
        for block in &mut b {
            block.rows.pop();
        }
        docx = blocks(docx, &b);
        for note in breakdown_notes(&p.totals) {
            docx = docx.add_paragraph(bold(&note));
        }
    }
    docx = docx
        .add_paragraph(page_break())
        .add_paragraph(heading(1, "Hela kartläggningen"))
        .add_paragraph(heading(2, "Per kommun och område"));
    docx = blocks(
        docx,
        &totals_blocks(
            survey,
            &["Kommun/område"],
            &place_lines(survey, totals),
            &totals.all,
        ),
    );
    for note in breakdown_notes(&totals.all) {
        docx = docx.add_paragraph(bold(&note));
    }
    docx = docx.add_paragraph(heading(2, "Per myndighet"));
    docx = blocks(
        docx,
        &totals_blocks(
            survey,
            &["Myndighet"],
            &authority_lines(survey, totals),
            &totals.all,
        ),
    );
    docx = docx.add_paragraph(heading(2, "Per kommun och myndighet"));
    docx = blocks(
        docx,
        &totals_blocks(
            survey,
            &["Kommun/område", "Myndighet"],
            &place_authority_lines(survey, totals),
            &totals.all,
        ),
    );
    docx = docx.add_paragraph(heading(2, "Diagram"));
    for kind in [
        ChartKind::Sex,
        ChartKind::Age,
        ChartKind::Duration,
        ChartKind::LargestGroups,
        ChartKind::AlsoAt,
    ] {
        let png = render(survey, totals, kind, ImageFormat::Png, CHART_PX)?;
        let height =
            (u64::from(CHART_WIDTH_EMU) * u64::from(CHART_PX.1) / u64::from(CHART_PX.0)) as u32;
        let pic =
            Pic::new_with_dimensions(png, CHART_PX.0, CHART_PX.1).size(CHART_WIDTH_EMU, height);
        docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)));
    }
    let mut xml = docx.build();
    let document = String::from_utf8(std::mem::take(&mut xml.document))
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    xml.document = mend_document(&document).into_bytes();
    let mut packed = Vec::new();
    xml.pack(Cursor::new(&mut packed))
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    Ok(packed)
}

/// Mends what docx-rs writes in `word/document.xml`, so Word and
/// LibreOffice read it as meant:
/// - header rows (marked `w:cantSplit`, no other row is) get
///   `w:tblHeader`, which docx-rs cannot write;
/// - the table of contents' field characters and instructions each get a
///   run of their own (in one run LibreOffice printed the instruction
///   "TOC \o …" as text), and its right tab stop moves from 80 000 twips to
///   the page's text width;
/// - the table of contents is wrapped in a "Table of Contents" document
///   part, its instruction completed (`\\h \\z \\u`) and its field marked
///   dirty, so Word rebuilds it with page numbers on opening and
///   LibreOffice reads it as a table of contents (docx-rs's cached page
///   numbers, all "1", are left out);
/// - `w14:paraId`s, which docx-rs repeats in the table of contents, are
///   dropped (they are optional; duplicates are invalid).
fn mend_document(xml: &str) -> String {
    let s = xml
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .replace(
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"false\" /><w:instrText>",
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"false\" /></w:r><w:r><w:instrText>",
        )
        .replace(
            "</w:instrText><w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" />",
            "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" /></w:r><w:r>",
        )
        .replace(
            "</w:t><w:fldChar w:fldCharType=\"end\"",
            "</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"",
        )
        .replace("w:pos=\"80000\"", &format!("w:pos=\"{TEXT_WIDTH}\""))
        .replace(
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"false\" /></w:r><w:r><w:instrText>TOC \\o &quot;1-3&quot;</w:instrText>",
            "<w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-3&quot; \\h \\z \\u </w:instrText>",
        )
        .replace(
            &format!(
                "<w:bookmarkStart w:id=\"{}\" w:name=\"_MalgruppInnehall\" /><w:bookmarkEnd w:id=\"{}\" />",
                TOC_MARKS.0, TOC_MARKS.0
            ),
            "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\" /><w:docPartUnique /></w:docPartObj></w:sdtPr><w:sdtContent>",
        )
        .replace(
            &format!(
                "<w:bookmarkStart w:id=\"{}\" w:name=\"_MalgruppInnehallSlut\" /><w:bookmarkEnd w:id=\"{}\" />",
                TOC_MARKS.1, TOC_MARKS.1
            ),
            "</w:sdtContent></w:sdt>",
        );
    // docx-rs caches "1" as every entry's page: leave the number to Word.
    let s = s.replace(
        " \\h</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" /></w:r><w:r><w:t xml:space=\"preserve\">1</w:t></w:r>",
        " \\h</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" w:dirty=\"false\" /></w:r>",
    );
    const ID: &str = " w14:paraId=\"";
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find(ID) {
        out.push_str(&rest[..i]);
        let after = &rest[i + ID.len()..];
        rest = after.find('"').map_or("", |e| &after[e + 1..]);
    }
    out.push_str(rest);
    out
}
