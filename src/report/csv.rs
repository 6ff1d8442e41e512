//! Tables as CSV: plain RFC 4180 for scripts, or the dialect Swedish Excel
//! opens directly (semicolons, a byte-order mark, CRLF).

use super::{Field, Table};

/// How a CSV file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    /// Field separator.
    pub delimiter: u8,
    /// Start with a UTF-8 byte-order mark (Excel reads å ä ö right only then).
    pub bom: bool,
    /// End lines with CRLF instead of LF.
    pub crlf: bool,
}

impl Dialect {
    /// RFC 4180 with LF line ends: `summary --format csv`, for scripts.
    pub const SCRIPT: Dialect = Dialect {
        delimiter: b',',
        bom: false,
        crlf: false,
    };
    /// What Swedish Excel opens with a double click: `;` (the comma is the
    /// decimal sign there), UTF-8 with BOM, CRLF.
    pub const EXCEL_SV: Dialect = Dialect {
        delimiter: b';',
        bom: true,
        crlf: true,
    };
    /// Plain RFC 4180 (comma, CRLF, no BOM): `export --csv-comma`.
    pub const RFC4180: Dialect = Dialect {
        delimiter: b',',
        bom: false,
        crlf: true,
    };
}

/// A text cell that a spreadsheet could run as a formula gets a leading
/// apostrophe, which Excel and LibreOffice show as text. OWASP's list of
/// such first characters is `=`, `+`, `-`, `@`, TAB and CR (a spreadsheet may
/// skip the blank and read the formula after it); LF is the same risk.
/// Only text goes through here: numbers (also negative ones) are numbers
/// and are left alone. Headings, labels and names are all text.
fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The table as CSV bytes.
pub fn table(table: &Table, dialect: Dialect) -> Vec<u8> {
    let mut out = Vec::new();
    if dialect.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .terminator(if dialect.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    // Writing to a Vec cannot fail.
    w.write_record(table.header.iter().map(|h| neutralised(h).into_owned()))
        .expect("write to memory");
    for row in &table.rows {
        w.write_record(row.iter().map(|f| match f {
            Field::Text(s) => neutralised(s).into_owned(),
            other => other.text().into_owned(),
        }))
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// A note for under a table (as statistics offices print one): an empty
/// line, then the note as a single field, in the table's dialect.
pub fn note(text: &str, dialect: Dialect) -> Vec<u8> {
    let end: &[u8] = if dialect.crlf { b"\r\n" } else { b"\n" };
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(end.to_vec());
    w.write_record([neutralised(text).as_ref()])
        .expect("write to memory");
    let mut out = w.into_inner().expect("flush to memory");
    if dialect.crlf {
        out.pop();
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            header: vec!["Enhet".into(), "Antal".into()],
            rows: vec![
                vec![Field::Text("=HYPERLINK(\"x\")".into()), Field::Number(-2)],
                vec![Field::Text("Åmål; \"öst\"".into()), Field::Number(1200)],
                vec![Field::Text("@SUM(A1)".into()), Field::Number(0)],
                vec![Field::Text("+46".into()), Field::Number(3)],
                vec![Field::Text("\t=1+1".into()), Field::Number(-7)],
                vec![Field::Text("\r=2".into()), Field::Number(1)],
                vec![Field::Text("\n@3".into()), Field::Blank],
            ],
        }
    }

    #[test]
    fn swedish_excel_dialect_with_formulas_neutralised() {
        let bytes = table(&sample(), Dialect::EXCEL_SV);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}Enhet;Antal\r\n\"'=HYPERLINK(\"\"x\"\")\";-2\r\n\"Åmål; \"\"öst\"\"\";1200\r\n'@SUM(A1);0\r\n'+46;3\r\n\
             '\t=1+1;-7\r\n\"'\r=2\";1\r\n\"'\n@3\";\r\n"
        );
    }

    #[test]
    fn plain_dialects() {
        let script = String::from_utf8(table(&sample(), Dialect::SCRIPT)).unwrap();
        assert_eq!(
            script,
            "Enhet,Antal\n\"'=HYPERLINK(\"\"x\"\")\",-2\n\"Åmål; \"\"öst\"\"\",1200\n'@SUM(A1),0\n'+46,3\n\
             '\t=1+1,-7\n\"'\r=2\",1\n\"'\n@3\",\n"
        );
        let rfc = String::from_utf8(table(&sample(), Dialect::RFC4180)).unwrap();
        assert!(rfc.contains("\r\n\"Åmål; \"\"öst\"\"\",1200\r\n"), "{rfc}");
        assert!(!rfc.starts_with('\u{feff}'));
    }

    #[test]
    fn every_formula_start_is_neutralised_and_other_text_is_not() {
        for start in ['=', '+', '-', '@', '\t', '\r', '\n'] {
            let text = format!("{start}cmd|' /C calc'!A0");
            assert_eq!(neutralised(&text), format!("'{text}"), "{start:?}");
        }
        for plain in ["Hällefors", " =1", "", "16-20", "'redan"] {
            assert_eq!(neutralised(plain), plain);
        }
    }
}
