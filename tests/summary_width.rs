//! `summary` as text fits an 80-column terminal; `--wide` keeps the
//! one-line table.

mod common;

use common::{imported, malgrupp, sample};

fn summary(db: &std::path::Path, extra: &[&str]) -> String {
    let out = malgrupp()
        .args(["summary", "--db", db.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_text_summary_fits_80_columns_in_blocks_with_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for by in ["municipality", "authority"] {
        let text = summary(&db, &["--by", by]);
        let wide = summary(&db, &["--by", by, "--wide"]);
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{by}: {line:?}");
        }
        let wide_lines: Vec<&str> = wide.lines().collect();
        assert!(wide_lines[0].chars().count() > 80, "{by}: {wide}");
        let blocks: Vec<&str> = text.split("\n\n").collect();
        assert!(blocks.len() > 1, "{by}: {text}");
        let first_header = wide_lines[0].split("  ").next().unwrap();
        for block in &blocks {
            let lines: Vec<&str> = block.lines().collect();
            assert!(lines[0].starts_with(first_header), "{by}: {block}");
            // Every block has the header and a line per row, in the same order.
            assert_eq!(lines.len(), wide_lines.len(), "{by}: {block}");
            for (line, wide_line) in lines.iter().zip(&wide_lines).skip(1) {
                let label = wide_line.split("  ").next().unwrap();
                assert!(line.starts_with(label), "{by}: {line:?} / {wide_line:?}");
            }
        }
        // The blocks hold every column of the wide table, once and in order.
        let columns = |header: &str| -> Vec<String> {
            header
                .split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut from_blocks = vec![first_header.trim().to_owned()];
        for block in &blocks {
            from_blocks.extend(columns(block.lines().next().unwrap()).into_iter().skip(1));
        }
        assert_eq!(from_blocks, columns(wide_lines[0]), "{by}");
    }
}

#[test]
fn units_with_long_names_are_shown_one_to_a_block_within_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let text = summary(&db, &["--by", "unit"]);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    let blocks: Vec<&str> = text.split("\n\n").collect();
    let wide = summary(&db, &["--by", "unit", "--wide"]);
    assert_eq!(blocks.len(), wide.lines().count() - 1, "{text}");
    assert!(
        text.contains("Hällefors · Försäkringskassan · Försäkringskassan Hällefors,"),
        "{text}"
    );
    // Every block names every column with its number.
    for block in &blocks {
        for column in [
            "Målgrupper ",
            "Personer ",
            "Aktuell hos Arbetsförmedlingen ",
        ] {
            assert!(block.contains(column), "{column}: {block}");
        }
    }
}

#[test]
fn the_blocks_carry_the_same_numbers_as_the_wide_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let numbers = |text: &str| -> Vec<Vec<String>> {
        // Per row (by position in a block), the numbers in order.
        let blocks: Vec<&str> = text.split("\n\n").collect();
        let rows = blocks[0].lines().count();
        (1..rows)
            .map(|r| {
                blocks
                    .iter()
                    .flat_map(|b| {
                        b.lines()
                            .nth(r)
                            .unwrap()
                            .split_whitespace()
                            .filter(|w| w.parse::<i64>().is_ok())
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .collect()
    };
    let text = summary(&db, &[]);
    let wide = summary(&db, &["--wide"]);
    assert_eq!(numbers(&text), numbers(&wide));
    assert!(text.contains("Hällefors"), "{text}");
}
