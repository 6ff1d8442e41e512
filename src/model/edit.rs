//! Edits of a unit's text as the app makes them, checked by the same rules
//! as every other way in ([`super::validate`]) before they are made: a
//! label the survey document would refuse is refused while it is typed.

use super::validate::{self, shorten};
use super::{Place, Unit};

/// A text field of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnitText {
    /// The unit's name.
    Name,
    /// How collaboration works today (open answer).
    Collaboration,
    /// Wished-for preventive measures (open answer).
    Preventive,
    /// The unit's note.
    Note,
    /// The name of a region-wide area.
    Area,
    /// A key figure's name.
    KeyName(usize),
    /// A group's label.
    Label(usize),
    /// A group's note.
    GroupNote(usize),
    /// An extra table's title: group, table.
    TableTitle(usize, usize),
    /// An extra table's row label: group, table, row.
    TableRow(usize, usize, usize),
    /// An extra table's column label: group, table, column.
    TableColumn(usize, usize, usize),
}

/// Whether `text` may stand in `field` of `unit`, or why not (in Swedish).
/// The same rules as [`validate::unit`], for one field: names and labels
/// show something, hold no control characters and are at most
/// [`validate::LABEL_MAX`] characters; free text is at most
/// [`validate::TEXT_MAX`]; key figures and a table's rows and columns keep
/// distinct names.
pub fn check_text(unit: &Unit, field: UnitText, text: &str) -> Result<(), String> {
    fn distinct<'a>(
        text: &str,
        mut others: impl Iterator<Item = &'a String>,
    ) -> Result<(), String> {
        if others.any(|o| o == text) {
            Err(format!("”{}” finns redan", shorten(text)))
        } else {
            Ok(())
        }
    }
    match field {
        UnitText::Collaboration
        | UnitText::Preventive
        | UnitText::Note
        | UnitText::GroupNote(_) => validate::text(text),
        UnitText::Name | UnitText::Area | UnitText::Label(_) | UnitText::TableTitle(..) => {
            validate::label(text)
        }
        UnitText::KeyName(k) => {
            validate::label(text)?;
            distinct(
                text,
                unit.key_figures
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != k)
                    .map(|(_, f)| &f.name),
            )
        }
        UnitText::TableRow(g, t, r) => {
            validate::label(text)?;
            let rows = &unit.groups[g].extra[t].rows;
            distinct(
                text,
                rows.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != r)
                    .map(|(_, s)| s),
            )
        }
        UnitText::TableColumn(g, t, c) => {
            validate::label(text)?;
            let cols = &unit.groups[g].extra[t].columns;
            distinct(
                text,
                cols.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != c)
                    .map(|(_, s)| s),
            )
        }
    }
}

/// Free text that is only blanks is no answer.
fn optional(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// Sets `field` of `unit` to `text` if [`check_text`] allows it; otherwise
/// the unit stays as it was and the reason is returned.
pub fn set_text(unit: &mut Unit, field: UnitText, text: String) -> Result<(), String> {
    check_text(unit, field, &text)?;
    put_back_text(unit, field, text);
    Ok(())
}

/// Puts back the text `field` had before it was typed in, unchecked: it is
/// not new input, and a file may hold text saved under older rules (an
/// empty group label) that must come back as it was.
pub fn put_back_text(unit: &mut Unit, field: UnitText, text: String) {
    match field {
        UnitText::Name => unit.name = text,
        UnitText::Collaboration => unit.collaboration_today = optional(text),
        UnitText::Preventive => unit.preventive_measures = optional(text),
        UnitText::Note => unit.note = optional(text),
        UnitText::Area => unit.place = Place::Area(text),
        UnitText::KeyName(k) => unit.key_figures[k].name = text,
        UnitText::Label(g) => unit.groups[g].label = text,
        UnitText::GroupNote(g) => unit.groups[g].note = optional(text).map(String::into_boxed_str),
        UnitText::TableTitle(g, t) => unit.groups[g].extra[t].title = text,
        UnitText::TableRow(g, t, r) => unit.groups[g].extra[t].rows[r] = text,
        UnitText::TableColumn(g, t, c) => unit.groups[g].extra[t].columns[c] = text,
    }
}

/// A name for a new key figure of `unit` that no other key figure has
/// ("Nyckeltal 2"), so that adding one keeps the unit valid.
pub fn new_key_name(unit: &Unit) -> String {
    (1..)
        .map(|n| format!("Nyckeltal {n}"))
        .find(|name| unit.key_figures.iter().all(|k| &k.name != name))
        .unwrap_or_default()
}

/// The label a new target group starts with: the rules want a visible
/// label, and the app selects it so the first key typed replaces it.
pub const NEW_GROUP_LABEL: &str = "Ny målgrupp";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KeyFigure;

    fn unit() -> Unit {
        Unit {
            key_figures: vec![KeyFigure {
                name: "Anställda".into(),
                value: 3,
            }],
            ..Unit::empty("Enhet".into(), 0, Place::Area("Hela området".into()))
        }
    }

    #[test]
    fn what_import_refuses_is_refused_as_an_edit_and_changes_nothing() {
        let mut u = unit();
        let before = u.clone();
        let long = "x".repeat(1001);
        for (field, text) in [
            (UnitText::Name, long.as_str()),
            (UnitText::Name, "\u{200B}"),
            (UnitText::Name, "a\u{1b}[31m"),
            (UnitText::Area, ""),
            (UnitText::Note, "a\0b"),
        ] {
            let e = set_text(&mut u, field, text.to_owned()).unwrap_err();
            assert!(!e.is_empty());
            assert_eq!(u, before);
        }
        assert!(set_text(&mut u, UnitText::Name, long[..1000].to_owned()).is_ok());
        assert!(validate::unit(&u).is_ok());
    }

    #[test]
    fn key_figures_keep_distinct_names() {
        let mut u = unit();
        u.key_figures.push(KeyFigure {
            name: new_key_name(&u),
            value: 0,
        });
        assert_eq!(u.key_figures[1].name, "Nyckeltal 1");
        let e = set_text(&mut u, UnitText::KeyName(1), "Anställda".into()).unwrap_err();
        assert!(e.contains("finns redan"), "{e}");
        // A name may be typed again into its own field.
        assert!(set_text(&mut u, UnitText::KeyName(0), "Anställda".into()).is_ok());
        assert!(validate::unit(&u).is_ok());
    }
}
