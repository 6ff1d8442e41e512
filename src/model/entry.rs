//! What a surveyor types into a number cell: digits, nothing (blank), or an
//! estimate such as "ca 300". Shared by the app's cells and any other place
//! that reads typed numbers, with the refusal in Swedish.

use super::Cell;

/// A typed number cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The value; blank when nothing was typed.
    pub cell: Cell,
    /// Typed as an estimate ("ca 300", "~300", "cirka 300").
    pub estimated: bool,
}

/// Reads a typed cell. Spaces around and inside the number ("1 200") are
/// allowed, as Swedish writes thousands; anything else is refused with the
/// reason.
pub fn parse(text: &str) -> Result<Entry, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Entry {
            cell: Cell::BLANK,
            estimated: false,
        });
    }
    let lower = trimmed.to_lowercase();
    let (estimated, number) = ["cirka", "ca.", "ca", "c:a", "~", "≈"]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|rest| (true, rest)))
        .unwrap_or((false, lower.as_str()));
    let digits: String = number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if digits.starts_with('-') || digits.starts_with('−') {
        return Err(format!("”{trimmed}”: negativa tal är inte tillåtna"));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "”{trimmed}” är inte ett heltal (skriv bara siffror, t.ex. 12 eller ca 300)"
        ));
    }
    let cell = digits
        .parse::<u64>()
        .ok()
        .and_then(Cell::try_new)
        .ok_or_else(|| format!("”{trimmed}” är för stort (högst {})", Cell::MAX))?;
    Ok(Entry { cell, estimated })
}

/// How a cell is shown for editing: the number, or nothing when blank.
pub fn show(cell: Cell) -> String {
    cell.get().map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (Option<u32>, bool) {
        let e = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        (e.cell.get(), e.estimated)
    }

    #[test]
    fn digits_blanks_and_estimates_are_read() {
        assert_eq!(ok("12"), (Some(12), false));
        assert_eq!(ok(" 0 "), (Some(0), false));
        assert_eq!(ok(""), (None, false));
        assert_eq!(ok("   "), (None, false));
        assert_eq!(ok("1 200"), (Some(1200), false));
        assert_eq!(ok("ca 300"), (Some(300), true));
        assert_eq!(ok("Ca. 300"), (Some(300), true));
        assert_eq!(ok("cirka 40"), (Some(40), true));
        assert_eq!(ok("~7"), (Some(7), true));
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        assert!(parse("-3").unwrap_err().contains("negativa"));
        assert!(parse("−3").unwrap_err().contains("negativa"));
        for bad in ["12a", "ca", "1,5", "tolv", "3+4"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("inte ett heltal"), "{bad}: {e}");
            assert!(e.contains(bad), "{bad}: {e}");
        }
        assert!(parse("99999999999").unwrap_err().contains("för stort"));
    }
}
