//! How model values are kept in columns: breakdowns as JSON lists of
//! cells, findings' subjects and kinds as short keys.

use rusqlite::types::ValueRef;

use crate::error::Result;
use crate::model::check::{Kind, Subject};
use crate::model::{Cell, Dimension, Layout, Row};

use super::corrupt;

/// A breakdown as its JSON column: `[31,17,null]`, or NULL when all blank.
fn cells_json(cells: &[Cell]) -> Option<String> {
    if cells.iter().all(|c| c.is_blank()) {
        return None;
    }
    let mut s = String::with_capacity(2 + cells.len() * 4);
    s.push('[');
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        match c.get() {
            Some(v) => s.push_str(itoa::Buffer::new().format(v)),
            None => s.push_str("null"),
        }
    }
    s.push(']');
    Some(s)
}

/// The four breakdown columns of a row.
pub(super) fn row_columns(layout: &Layout, row: &Row) -> [Option<String>; 4] {
    Dimension::ALL.map(|d| cells_json(row.part(layout, d)))
}

/// Reads a breakdown column into its cells; a NULL column leaves them blank.
fn read_cells(value: ValueRef<'_>, out: &mut [Cell]) -> Result<()> {
    match value {
        ValueRef::Null => Ok(()),
        ValueRef::Text(t) => {
            parse_cells(t, out).ok_or_else(|| corrupt("en uppdelning som inte är en lista med tal"))
        }
        _ => Err(corrupt("en uppdelning som inte är en lista")),
    }
}

/// Parses a JSON array of whole numbers and nulls (`[31, 17, null]`, as
/// [`cells_json`] writes it) into exactly `out.len()` cells. A byte scan:
/// opening a national survey reads four of these per group, and going
/// through `str` parsing cost more than reading the rows from SQLite.
fn parse_cells(text: &[u8], out: &mut [Cell]) -> Option<()> {
    let mut bytes = text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    if bytes.next()? != b'[' {
        return None;
    }
    let mut n = 0;
    let mut current: Option<u64> = None;
    let mut null = false;
    let mut closed = false;
    while let Some(b) = bytes.next() {
        match b {
            b'0'..=b'9' if !null => {
                let v = current
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(u64::from(b - b'0'))?;
                current = Some(v);
            }
            b'n' if current.is_none() && !null => {
                for expected in *b"ull" {
                    if bytes.next()? != expected {
                        return None;
                    }
                }
                null = true;
            }
            b',' | b']' => {
                let slot = out.get_mut(n);
                match (current.take(), std::mem::take(&mut null), slot) {
                    (Some(v), false, Some(slot)) => *slot = Cell::try_new(v)?,
                    (None, true, Some(slot)) => *slot = Cell::BLANK,
                    // `[]`: no item at all.
                    (None, false, _) if b == b']' && n == 0 => {
                        closed = true;
                        break;
                    }
                    _ => return None,
                }
                n += 1;
                if b == b']' {
                    closed = true;
                    break;
                }
            }
            _ => return None,
        }
    }
    (closed && bytes.next().is_none() && n == out.len()).then_some(())
}

/// Reads the four breakdown columns starting at column `first`.
pub(super) fn read_row_cells(
    r: &rusqlite::Row<'_>,
    first: usize,
    layout: &Layout,
    cells: &mut [Cell],
) -> Result<()> {
    for (i, d) in Dimension::ALL.into_iter().enumerate() {
        read_cells(r.get_ref(first + i)?, &mut cells[layout.range(d)])?;
    }
    Ok(())
}

/// A finding's subject as stored: `count`, `breakdown:1`, `category:3:2`,
/// `extra:0` (dimensions and categories by position, so renaming a band
/// keeps its marks).
pub(super) fn subject_key(subject: Subject) -> String {
    match subject {
        Subject::Count => "count".to_owned(),
        Subject::Breakdown(d) => format!("breakdown:{}", d.index()),
        Subject::Category(d, i) => format!("category:{}:{i}", d.index()),
        Subject::Extra(t) => format!("extra:{t}"),
        Subject::Rank => "rank".to_owned(),
        Subject::Unit => "unit".to_owned(),
    }
}

pub(super) fn parse_subject(key: &str) -> Option<Subject> {
    let mut parts = key.split(':');
    let dim = |p: Option<&str>| {
        p.and_then(|p| p.parse::<usize>().ok())
            .and_then(|i| Dimension::ALL.get(i).copied())
    };
    let subject = match parts.next()? {
        "count" => Subject::Count,
        "breakdown" => Subject::Breakdown(dim(parts.next())?),
        "category" => Subject::Category(dim(parts.next())?, parts.next()?.parse().ok()?),
        "extra" => Subject::Extra(parts.next()?.parse().ok()?),
        "rank" => Subject::Rank,
        "unit" => Subject::Unit,
        _ => return None,
    };
    parts.next().is_none().then_some(subject)
}

pub(super) fn parse_kind(key: &str, amount: Option<i64>) -> Option<Kind> {
    Some(match (key, amount) {
        ("missing_count", None) => Kind::MissingCount,
        ("estimated", None) => Kind::Estimated,
        ("not_given", None) => Kind::NotGiven,
        ("short", Some(n)) => Kind::Short(u64::try_from(n).ok()?),
        ("over", Some(n)) => Kind::Over(u64::try_from(n).ok()?),
        ("totals_differ", Some(d)) => Kind::TotalsDiffer(d),
        ("duplicate", Some(n)) => Kind::Duplicate(u32::try_from(n).ok()?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, len: usize) -> Option<Vec<Option<u32>>> {
        let mut cells = vec![Cell::new(7); len];
        parse_cells(text.as_bytes(), &mut cells).map(|()| cells.iter().map(|c| c.get()).collect())
    }

    #[test]
    fn breakdown_columns_read_back_what_was_written() {
        let cells = [
            Cell::new(31),
            Cell::BLANK,
            Cell::new(0),
            Cell::new(Cell::MAX),
        ];
        let text = cells_json(&cells).unwrap();
        assert_eq!(text, format!("[31,null,0,{}]", Cell::MAX));
        assert_eq!(
            parsed(&text, 4),
            Some(vec![Some(31), None, Some(0), Some(Cell::MAX)])
        );
        assert_eq!(cells_json(&[Cell::BLANK, Cell::BLANK]), None);
    }

    #[test]
    fn breakdown_columns_accept_json_spacing_and_refuse_anything_else() {
        assert_eq!(
            parsed(" [ 1 , null ,2 ] ", 3),
            Some(vec![Some(1), None, Some(2)])
        );
        assert_eq!(parsed("[]", 0), Some(vec![]));
        for bad in [
            "[1,2]",
            "[1,2,3,4]",
            "[1,,2]",
            "[1,2,]",
            "1,2,3",
            "[1,2,3",
            "[1,2,3]x",
            "[-1,2,3]",
            "[1.5,2,3]",
            "[nul,2,3]",
            "[null1,2,3]",
            "[1null,2,3]",
            "[4294967295,1,2]",
            "[99999999999999999999,1,2]",
            "[\"1\",2,3]",
            "",
        ] {
            assert_eq!(parsed(bad, 3), None, "{bad}");
        }
    }
}
