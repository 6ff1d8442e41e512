//! Tables and findings as plain text for a terminal.

use std::fmt::Write as _;

use super::{Field, Table};
use crate::model::Survey;
use crate::model::check::Finding;

/// The table with aligned columns: text left, numbers right.
pub fn table(table: &Table) -> String {
    let width = |f: &Field| f.text().chars().count();
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for row in &table.rows {
        for (w, f) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(f));
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
    line(&mut out, table.header.clone());
    for row in &table.rows {
        line(
            &mut out,
            row.iter().map(|f| f.text().into_owned()).collect(),
        );
    }
    out
}

/// Findings grouped by unit, with a count at the end.
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
                "{} · {} · {}",
                survey.place_name(&unit.place),
                survey.frame.authorities[unit.authority],
                unit.name
            );
        }
        match f.target_group(survey) {
            Some(group) => {
                let _ = writeln!(
                    out,
                    "  {}. {}: {}",
                    group.rank,
                    group.label,
                    f.message(survey)
                );
            }
            None => {
                let _ = writeln!(out, "  {}", f.message(survey));
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
