//! The Word report's body written straight as WordprocessingML
//! (`word/document.xml`): headings, paragraphs, tables and the table of
//! contents, appended to one string. docx-rs built every paragraph and cell
//! as an object tree and wrote it through its XML writer, 12.7 s for the
//! national survey (43,500 groups); this writes the same markup in a
//! fraction of that. docx-rs still makes the document's frame (styles,
//! settings, footer, images), see `super::docx`.
//!
//! Text is escaped here, in one place: `&`, `<` and `>` as entities, and the
//! characters XML 1.0 forbids (control characters other than tab and line
//! breaks, U+FFFE, U+FFFF) written visibly as `\u{1}`, as the terminal
//! output does, so that a hostile label cannot break the document.

use std::fmt::Write as _;

use super::blocks::Block;

/// Paragraph styles of table cells, defined in `super::docx::styles`: text
/// and numbers (right-aligned), 8 pt.
pub const CELL_STYLE: &str = "Tabelltext";
/// See [`CELL_STYLE`].
pub const NUMBER_STYLE: &str = "Tabelltal";

/// A heading that the table of contents lists.
struct TocEntry {
    level: u8,
    text: String,
    bookmark: u32,
}

/// The body being written, and the headings seen so far.
#[derive(Default)]
pub struct Body {
    xml: String,
    toc: Vec<TocEntry>,
}

/// Whether `c` may not appear in an XML 1.0 document.
fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Appends `text` as XML character data: `&`, `<`, `>` as entities, a
/// carriage return dropped (a line feed follows it or it means nothing in
/// a report), characters XML forbids written as `\u{…}`.
pub fn escape_into(out: &mut String, text: &str) {
    // Most text needs nothing: copy it whole. The bytes below cover every
    // character that needs care (U+FFFE and U+FFFF start with 0xEF).
    if !text
        .bytes()
        .any(|b| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | 0xEF))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {}
            c if forbidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// What a run looks like.
#[derive(Clone, Copy, PartialEq)]
enum Weight {
    Plain,
    Bold,
}

impl Body {
    /// The markup written so far, taken out; the headings stay.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.xml)
    }

    /// Appends a run of `text`: line breaks as `<w:br/>`, tabs as `<w:tab/>`.
    fn run(&mut self, text: &str, weight: Weight) {
        self.xml.push_str("<w:r>");
        if weight == Weight::Bold {
            self.xml.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>");
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.xml.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.xml.push_str("<w:tab/>");
                }
                if !piece.is_empty() {
                    self.xml.push_str("<w:t xml:space=\"preserve\">");
                    escape_into(&mut self.xml, piece);
                    self.xml.push_str("</w:t>");
                }
            }
        }
        self.xml.push_str("</w:r>");
    }

    /// A paragraph of plain text.
    pub fn text(&mut self, text: &str) {
        self.xml.push_str("<w:p>");
        self.run(text, Weight::Plain);
        self.xml.push_str("</w:p>");
    }

    /// A paragraph of bold text.
    pub fn bold(&mut self, text: &str) {
        self.xml.push_str("<w:p>");
        self.run(text, Weight::Bold);
        self.xml.push_str("</w:p>");
    }

    /// A paragraph in the style `style` (the document's title).
    pub fn styled(&mut self, style: &str, text: &str) {
        let _ = write!(
            self.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"
        );
        self.run(text, Weight::Plain);
        self.xml.push_str("</w:p>");
    }

    /// An empty paragraph.
    pub fn empty(&mut self) {
        self.xml.push_str("<w:p/>");
    }

    /// A page break.
    pub fn page_break(&mut self) {
        self.xml
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    /// A heading (level 1–3) in the built-in style, kept with what
    /// follows and marked for the table of contents.
    pub fn heading(&mut self, level: u8, text: &str) {
        let bookmark = self.toc.len() as u32 + 1;
        let _ = write!(
            self.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/><w:keepNext/></w:pPr>\
             <w:bookmarkStart w:id=\"{bookmark}\" w:name=\"_Toc{bookmark:08}\"/>"
        );
        self.run(text, Weight::Plain);
        let _ = write!(self.xml, "<w:bookmarkEnd w:id=\"{bookmark}\"/></w:p>");
        self.toc.push(TocEntry {
            level,
            text: text.to_owned(),
            bookmark,
        });
    }

    /// The table of contents of every heading written so far, as a field
    /// Word updates on opening (it is marked dirty) and LibreOffice shows
    /// as it is: each entry refers to its heading's bookmark; the page
    /// numbers are left to the word processor.
    pub fn table_of_contents(&self, text_width: usize) -> String {
        let mut out = String::with_capacity(self.toc.len() * 400 + 600);
        out.push_str(
            "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\" />\
             <w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>",
        );
        for (i, e) in self.toc.iter().enumerate() {
            let _ = write!(
                out,
                "<w:p><w:pPr><w:pStyle w:val=\"ToC{level}\"/><w:tabs>\
                 <w:tab w:val=\"right\" w:pos=\"{text_width}\" w:leader=\"dot\"/></w:tabs></w:pPr>",
                level = e.level
            );
            if i == 0 {
                out.push_str(
                    "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
                     <w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-3&quot; \\h \\z \\u </w:instrText></w:r>\
                     <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                );
            }
            out.push_str("<w:r><w:t xml:space=\"preserve\">");
            escape_into(&mut out, &e.text);
            let _ = write!(
                out,
                "</w:t></w:r><w:r><w:tab/></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> PAGEREF _Toc{b:08} \\h </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
                b = e.bookmark
            );
            if i + 1 == self.toc.len() {
                out.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
            }
            out.push_str("</w:p>");
        }
        out.push_str("</w:sdtContent></w:sdt>");
        out
    }

    /// A block as a titled table with fixed column widths (twips); its
    /// header row repeats on every page and is never split.
    pub fn table(&mut self, block: &Block, widths: &[usize]) {
        self.xml.push_str("<w:p><w:pPr><w:keepNext/></w:pPr>");
        self.run(&block.title, Weight::Bold);
        self.xml.push_str("</w:p>");
        let total: usize = widths.iter().sum();
        let _ = write!(
            self.xml,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"left\"/>\
             <w:tblBorders>\
             <w:top w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             <w:left w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             <w:bottom w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             <w:right w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             <w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\"/>\
             </w:tblBorders>\
             <w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        );
        for w in widths {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.xml
            .push_str("</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader /></w:trPr>");
        for (h, w) in block.header.iter().zip(widths) {
            let _ = write!(
                self.xml,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>\
                 <w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEEEEE\"/></w:tcPr>"
            );
            self.cell_paragraph(h, CELL_STYLE, Weight::Bold);
            self.xml.push_str("</w:tc>");
        }
        self.xml.push_str("</w:tr>");
        for row in &block.rows {
            self.xml.push_str("<w:tr>");
            let weight = if row.sum { Weight::Bold } else { Weight::Plain };
            for (i, c) in row.cells.iter().enumerate() {
                if row.flagged && i == 1 {
                    self.xml.push_str(
                        "<w:tc><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FCE4D6\"/></w:tcPr>",
                    );
                } else {
                    self.xml.push_str("<w:tc>");
                }
                let number = i >= block.names && c != super::NO_UNITS;
                let style = if number { NUMBER_STYLE } else { CELL_STYLE };
                self.cell_paragraph(c, style, weight);
                self.xml.push_str("</w:tc>");
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
        self.empty();
    }

    fn cell_paragraph(&mut self, text: &str, style: &str, weight: Weight) {
        let _ = write!(
            self.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"
        );
        if !text.is_empty() {
            self.run(text, weight);
        }
        self.xml.push_str("</w:p>");
    }
}
