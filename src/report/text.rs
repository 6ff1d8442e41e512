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

/// The width of a terminal the text tables fit by default.
pub const TERMINAL_WIDTH: usize = 80;

/// The table with aligned columns: text left, numbers right, each row on
/// one line however wide. Control characters are shown escaped.
pub fn table(table: &Table) -> String {
    let cells = Cells::of(table);
    let all: Vec<usize> = (0..cells.widths.len()).collect();
    cells.block(&all)
}

/// The table in blocks of columns that each fit `width` characters: the
/// leading text columns (what the rows are) start every block, wrapped
/// between words where they must, the other columns follow in order, as
/// many as fit, and the blocks are separated by an empty line. When the
/// leading columns cannot fit that way, each row is a block of its own:
/// its names on one line, then "column value" pairs packed into lines.
pub fn table_fitted(table: &Table, width: usize) -> String {
    let mut cells = Cells::of(table);
    let keys = cells.numeric.iter().take_while(|n| !**n).count().max(1);
    if cells.widths.len() <= keys {
        return cells.block(&(0..cells.widths.len()).collect::<Vec<_>>());
    }
    // The leading columns must leave room for the widest other column
    // beside them without cutting a word; when they cannot (a unit's long
    // name beside its place and authority), each row is shown on its own.
    let widest_other = cells.widths[keys..].iter().copied().max().unwrap_or(0);
    let budget = width.saturating_sub(2 + widest_other);
    let longest_word = |i: usize, c: &Cells| {
        std::iter::once(&c.header[i])
            .chain(c.rows.iter().filter_map(|r| r.get(i)))
            .flat_map(|t| t.split(' '))
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let floors: Vec<usize> = (0..keys).map(|i| longest_word(i, &cells)).collect();
    if floors.iter().sum::<usize>() + 2 * (keys - 1) > budget {
        return cells.records(keys, width);
    }
    loop {
        let total = cells.widths[..keys].iter().sum::<usize>() + 2 * (keys - 1);
        let Some(i) = (0..keys)
            .filter(|&i| cells.widths[i] > floors[i])
            .max_by_key(|&i| cells.widths[i])
        else {
            break;
        };
        if total <= budget {
            break;
        }
        cells.widths[i] -= 1;
    }
    let key_width: usize = cells.widths[..keys].iter().sum::<usize>() + 2 * (keys - 1);
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = (0..keys).collect();
    let mut used = key_width;
    for i in keys..cells.widths.len() {
        let w = cells.widths[i];
        if current.len() > keys && used + 2 + w > width {
            blocks.push(std::mem::replace(&mut current, (0..keys).collect()));
            used = key_width;
        }
        current.push(i);
        used += 2 + w;
    }
    blocks.push(current);
    blocks
        .iter()
        .map(|cols| cells.block(cols))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` in lines of at most `width` characters, broken at spaces where
/// it can be (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        let len = line.chars().count();
        if len > 0 && len + 1 + word.len() <= width {
            line.push(' ');
            line.extend(&word);
            continue;
        }
        if len > 0 {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        line.extend(&word);
    }
    lines.push(line);
    lines
}

/// A table's cells as text, with each column's width and alignment.
struct Cells {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    widths: Vec<usize>,
    numeric: Vec<bool>,
}

impl Cells {
    fn of(table: &Table) -> Cells {
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
                    .any(|r| matches!(r.get(i), Some(Field::Number(_) | Field::Blank)))
            })
            .collect();
        Cells {
            header,
            rows,
            widths,
            numeric,
        }
    }

    /// Each row as a block: the first `keys` cells joined by " · " (wrapped
    /// at `width`), then the other columns as "name value" pairs, as many
    /// to a line as fit.
    fn records(&self, keys: usize, width: usize) -> String {
        let mut out = String::new();
        for (r, row) in self.rows.iter().enumerate() {
            if r > 0 {
                out.push('\n');
            }
            let names: Vec<&str> = row[..keys.min(row.len())]
                .iter()
                .map(String::as_str)
                .filter(|n| !n.is_empty())
                .collect();
            for line in wrap(&names.join(" · "), width) {
                out.push_str(&line);
                out.push('\n');
            }
            let mut line = String::new();
            for (name, value) in self.header.iter().zip(row).skip(keys) {
                let value = if value.is_empty() { "–" } else { value };
                let pair = format!("{name} {value}");
                let len = line.chars().count();
                if len > 0 && len + 3 + pair.chars().count() > width {
                    out.push_str(&line);
                    out.push('\n');
                    line.clear();
                }
                if line.is_empty() {
                    line.push_str("  ");
                } else {
                    line.push_str(" · ");
                }
                line.push_str(&pair);
            }
            if !line.is_empty() {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    /// The header and the rows, with the columns `cols` only; text longer
    /// than its column wraps onto further lines of the row.
    fn block(&self, cols: &[usize]) -> String {
        let mut out = String::new();
        let row_lines = |out: &mut String, cells: &[String]| {
            let wrapped: Vec<Vec<String>> = cols
                .iter()
                .map(|&i| {
                    let c = cells.get(i).map_or("", String::as_str);
                    if c.chars().count() > self.widths[i] {
                        wrap(c, self.widths[i])
                    } else {
                        vec![c.to_owned()]
                    }
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let mut s = String::new();
                for (n, &i) in cols.iter().enumerate() {
                    let c = wrapped[n].get(k).map_or("", String::as_str);
                    if n > 0 {
                        s.push_str("  ");
                    }
                    let pad = self.widths[i].saturating_sub(c.chars().count());
                    if self.numeric[i] {
                        s.extend(std::iter::repeat_n(' ', pad));
                        s.push_str(c);
                    } else {
                        s.push_str(c);
                        s.extend(std::iter::repeat_n(' ', pad));
                    }
                }
                out.push_str(s.trim_end());
                out.push('\n');
            }
        };
        row_lines(&mut out, &self.header);
        for row in &self.rows {
            row_lines(&mut out, row);
        }
        out
    }
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

    #[test]
    fn a_fitted_table_repeats_the_first_column_in_blocks_that_fit() {
        let t = Table {
            header: vec!["Kommun".into(), "Aaaa".into(), "Bbbb".into(), "Cccc".into()],
            rows: vec![
                vec![
                    Field::Text("Nora".into()),
                    Field::Number(1),
                    Field::Number(22),
                    Field::Number(333),
                ],
                vec![
                    Field::Text("Hällefors".into()),
                    Field::Number(4),
                    Field::Blank,
                    Field::Number(6),
                ],
            ],
        };
        assert_eq!(
            table_fitted(&t, 21),
            "Kommun     Aaaa  Bbbb\n\
             Nora          1    22\n\
             Hällefors     4\n\
             \n\
             Kommun     Cccc\n\
             Nora        333\n\
             Hällefors     6\n"
        );
        // Wide enough: the same as the one-line table.
        assert_eq!(table_fitted(&t, 80), table(&t));
        // Too narrow for the names beside a column: a block per row.
        assert!(table_fitted(&t, 8).starts_with("Nora\n  Aaaa 1\n"));
    }

    #[test]
    fn a_long_name_wraps_within_its_column_or_its_row_becomes_a_block() {
        let t = Table {
            header: vec!["Enhet".into(), "Antal".into()],
            rows: vec![vec![
                Field::Text(
                    "Försäkringskassan Hällefors, rehabiliteringshandläggare för sjukfall".into(),
                ),
                Field::Number(7),
            ]],
        };
        assert_eq!(
            table_fitted(&t, 40),
            "Enhet                              Antal\n\
             Försäkringskassan Hällefors,           7\n\
             rehabiliteringshandläggare för\n\
             sjukfall\n"
        );
        let t = Table {
            header: vec![
                "Kommun".into(),
                "Enhet".into(),
                "Män".into(),
                "Kvinnor".into(),
            ],
            rows: vec![
                vec![
                    Field::Text("Nora".into()),
                    Field::Text("Rehabiliteringshandläggare".into()),
                    Field::Number(3),
                    Field::Blank,
                ],
                vec![
                    Field::Text("Hällefors".into()),
                    Field::Text("Vårdcentralen".into()),
                    Field::Number(12),
                    Field::Number(4),
                ],
            ],
        };
        assert_eq!(
            table_fitted(&t, 40),
            "Nora · Rehabiliteringshandläggare\n\
             \x20 Män 3 · Kvinnor –\n\
             \n\
             Hällefors · Vårdcentralen\n\
             \x20 Män 12 · Kvinnor 4\n"
        );
        assert_eq!(wrap("abcdefgh ij", 3), vec!["abc", "def", "gh", "ij"]);
    }
}
