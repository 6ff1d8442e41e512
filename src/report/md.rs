//! Tables as Markdown, for pasting into documents: numbers right-aligned,
//! `|` in text escaped so a label cannot break the table.

use super::{Field, Table};

fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// The table as Markdown (GitHub-flavoured table syntax).
pub fn table(table: &Table) -> String {
    let numeric: Vec<bool> = (0..table.header.len())
        .map(|i| {
            table
                .rows
                .iter()
                .any(|r| matches!(r.get(i), Some(Field::Number(_) | Field::Blank)))
        })
        .collect();
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(table.header.iter().map(|h| escaped(h)).collect());
    out.push_str(&line(
        numeric
            .iter()
            .map(|n| if *n { "---:" } else { "---" }.to_owned())
            .collect(),
    ));
    for row in &table.rows {
        out.push_str(&line(row.iter().map(|f| escaped(&f.text())).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_break_the_table() {
        let t = Table {
            header: vec!["Enhet".into(), "Antal".into()],
            rows: vec![vec![Field::Text("A|B\nC \\ D".into()), Field::Number(-2)]],
        };
        assert_eq!(
            table(&t),
            "| Enhet | Antal |\n| --- | ---: |\n| A\\|B C \\\\ D | -2 |\n"
        );
    }
}
