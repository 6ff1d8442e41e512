//! Tables and findings as plain text for a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Field, Table};
use crate::model::Survey;
use crate::model::check::Finding;

/// Whether a character must not reach a terminal as it is: control
/// characters (ESC starts terminal commands, CR overwrites the line, NUL
/// and the rest are invisible) and the bidirectional overrides that make a
/// line read differently from what it holds.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text as a terminal may show it: every control character written as
/// `\u{1b}` (its code in hexadecimal), the rest as it is. JSON output is not
/// passed through here: it stays exact.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The table with aligned columns: text left, numbers right. Control
/// characters are shown escaped.
pub fn table(table: &Table) -> String {
    let header: Vec<String> = table
        .header
        .iter()
        .map(|h| visible(h).into_owned())
        .collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.iter().map(|f| visible(&f.text()).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, f) in widths.iter_mut().zip(row) {
            *w = (*w).max(f.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..widths.len())
        .map(|i| {
            table
                .rows
                .iter()
                .any(|r| matches!(r[i], Field::Number(_) | Field::Blank))
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = widths[i].saturating_sub(c.chars().count());
            if numeric[i] {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut out, header);
    for row in rows {
        line(&mut out, row);
    }
    out
}

/// Findings grouped by unit, with a count at the end. Control characters
/// in names and labels are shown escaped.
pub fn findings(survey: &Survey, findings: &[Finding]) -> String {
    let mut out = String::new();
    let mut current = None;
    for f in findings {
        let unit = f.unit(survey);
        if current != Some(f.unit) {
            current = Some(f.unit);
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{} · {} · {}{}",
                visible(survey.place_name(&unit.place)),
                visible(&survey.frame.authorities[unit.authority]),
                visible(&unit.name),
                if unit.is_verified() {
                    " (kontrollinmatad)"
                } else if unit.changed_after_verification() {
                    " (ändrad efter kontroll)"
                } else {
                    ""
                }
            );
        }
        match f.target_group(survey) {
            Some(group) => {
                let _ = writeln!(
                    out,
                    "  {}. {}: {}",
                    group.rank,
                    visible(&group.label),
                    visible(&f.message(survey))
                );
            }
            None => {
                let _ = writeln!(out, "  {}", visible(&f.message(survey)));
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", count_line(findings.len()));
    out
}

/// "Inga fynd." / "1 fynd." / "12 fynd."
fn count_line(n: usize) -> String {
    if n == 0 {
        "Inga fynd.".to_owned()
    } else {
        format!("{n} fynd.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(
            visible("a\u{1b}[31mb\rc\0d\te\nf\u{7f}g\u{9b}h"),
            "a\\u{1b}[31mb\\u{d}c\\u{0}d\\u{9}e\\u{a}f\\u{7f}g\\u{9b}h"
        );
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(matches!(
            visible("Hällefors – ”öst” 16-20"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_table_with_control_characters_stays_aligned() {
        let t = Table {
            header: vec!["Enhet".into(), "Antal".into()],
            rows: vec![
                vec![Field::Text("\u{1b}[2J".into()), Field::Number(12)],
                vec![Field::Text("Öst".into()), Field::Number(3)],
            ],
        };
        assert_eq!(
            table(&t),
            "Enhet      Antal\n\\u{1b}[2J     12\nÖst            3\n"
        );
    }
}
