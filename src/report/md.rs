//! Tables as Markdown, for pasting into documents: numbers right-aligned,
//! text escaped so a label can neither break the table nor run or load
//! anything where the Markdown is shown (renderers pass raw HTML through).

use super::{Field, Table};

/// A cell's text as Markdown that shows exactly that text: HTML's `& < >`
/// as entities (no `<script>`, `<img onerror>`, no autolinks), `[` `]` and
/// `\` backslash-escaped (no links or remote images), `|` escaped (no extra
/// column), line breaks as spaces (no extra row).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn html_and_links_in_text_are_shown_not_run() {
        let t = Table {
            header: vec!["<b>Enhet</b>".into(), "Antal".into()],
            rows: vec![
                vec![
                    Field::Text("<script>alert(1)</script>".into()),
                    Field::Number(1),
                ],
                vec![
                    Field::Text("<img src=x onerror=alert(1)>".into()),
                    Field::Number(2),
                ],
                vec![Field::Text("<svg onload=alert(1)>".into()), Field::Blank],
                vec![
                    Field::Text("![x](https://spår.example/p.png) & [a](javascript:x)".into()),
                    Field::Number(-3),
                ],
            ],
        };
        assert_eq!(
            table(&t),
            "| &lt;b&gt;Enhet&lt;/b&gt; | Antal |\n\
             | --- | ---: |\n\
             | &lt;script&gt;alert(1)&lt;/script&gt; | 1 |\n\
             | &lt;img src=x onerror=alert(1)&gt; | 2 |\n\
             | &lt;svg onload=alert(1)&gt; |  |\n\
             | !\\[x\\](https://spår.example/p.png) &amp; \\[a\\](javascript:x) | -3 |\n"
        );
    }
}
