//! Stable identity of units and target groups, and the revisions a unit has
//! had: what merging two files needs to tell "changed here" from "changed
//! there" (docs/survey-document.md).
//!
//! A unit's *revision* is a hash of its content; its *lineage* is every
//! revision it has had in a file. When one side's current revision is in
//! the other side's lineage, that side has not changed since the two files
//! last shared the unit.

use std::fmt;
use std::hash::Hasher;

use siphasher::sip128::Hasher128;

use super::{Place, Row, Unit};

/// The stable id of a unit or a target group: 128 random bits, written as
/// 32 hexadecimal digits. Renaming keeps it; only a new unit or group gets a
/// new one.
///
/// Two ids always compare equal: a unit's equality is its content (undo,
/// change detection and the round-trip tests compare content). Compare
/// identities with [`Id::get`].
#[derive(Clone, Copy)]
pub struct Id(u128);

impl Id {
    /// A new random id.
    pub fn random() -> Id {
        Id(uuid::Uuid::new_v4().as_u128())
    }

    /// The id as a number, to compare and look up identities.
    pub fn get(self) -> u128 {
        self.0
    }

    /// An id from its number.
    pub fn from_u128(value: u128) -> Id {
        Id(value)
    }

    /// Reads 32 hexadecimal digits; `None` for anything else.
    pub fn parse(text: &str) -> Option<Id> {
        parse_hex(text).map(Id)
    }
}

impl PartialEq for Id {
    fn eq(&self, _: &Id) -> bool {
        true
    }
}

impl Eq for Id {}

impl std::hash::Hash for Id {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({:032x})", self.0)
    }
}

fn parse_hex(text: &str) -> Option<u128> {
    if text.len() != 32 {
        return None;
    }
    // Digit by digit: `u128::from_str_radix` checks every step for
    // overflow, a tenth of what loading a national file took.
    text.bytes().try_fold(0u128, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        Some(acc << 4 | u128::from(digit))
    })
}

/// Writes a revision as 32 hexadecimal digits.
pub fn revision_hex(revision: u128) -> String {
    format!("{revision:032x}")
}

/// Reads a revision written by [`revision_hex`].
pub fn parse_revision(text: &str) -> Option<u128> {
    parse_hex(text)
}

/// The revisions a unit has had in its file, oldest first (its current one
/// included once written). Like [`Id`], it never makes two units unequal.
#[derive(Clone, Default)]
pub struct Lineage(pub Vec<u128>);

impl Lineage {
    /// Whether `revision` is one of these.
    pub fn contains(&self, revision: u128) -> bool {
        self.0.contains(&revision)
    }

    /// Adds the revisions of `other` not yet here, keeping the order (in
    /// linear time: a lineage can be thousands long).
    pub fn extend_from(&mut self, other: &Lineage) {
        let mut seen: std::collections::HashSet<u128> = self.0.iter().copied().collect();
        for r in &other.0 {
            if seen.insert(*r) {
                self.0.push(*r);
            }
        }
    }
}

impl PartialEq for Lineage {
    fn eq(&self, _: &Lineage) -> bool {
        true
    }
}

impl Eq for Lineage {}

impl fmt::Debug for Lineage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lineage({})", self.0.len())
    }
}

/// Units deleted from a survey, each with the revisions it had (id →
/// revisions): a merge must not bring back a unit deleted on one side and
/// unchanged on the other. Like [`Id`], it never makes two surveys unequal.
#[derive(Clone, Default)]
pub struct Deleted(pub std::collections::HashMap<u128, Vec<u128>>);

impl PartialEq for Deleted {
    fn eq(&self, _: &Deleted) -> bool {
        true
    }
}

impl Eq for Deleted {}

impl fmt::Debug for Deleted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Deleted({})", self.0.len())
    }
}

/// The revision of a unit: a 128-bit hash of everything in it (place,
/// authority by position in the frame, texts, key figures, groups with their
/// ids, the printed total row, review marks), the same on every machine.
/// Moving a unit to another position does not change it.
pub fn revision(unit: &Unit) -> u128 {
    let mut h = Content(siphasher::sip128::SipHasher13::new_with_keys(
        0x6d61_6c67_7275_7070, // "malgrupp"
        0x7265_7669_7369_6f6e, // "revision"
    ));
    match &unit.place {
        Place::Municipality(m) => {
            h.tag(1);
            h.num(*m as u64);
        }
        Place::Area(a) => {
            h.tag(2);
            h.text(a);
        }
    }
    h.num(unit.authority as u64);
    h.text(&unit.name);
    for t in [
        &unit.collaboration_today,
        &unit.preventive_measures,
        &unit.note,
    ] {
        h.opt_text(t.as_deref());
    }
    h.num(unit.key_figures.len() as u64);
    for k in &unit.key_figures {
        h.text(&k.name);
        h.num(k.value);
    }
    h.num(unit.groups.len() as u64);
    for g in &unit.groups {
        h.0.write_u128(g.id.get());
        h.num(u64::from(g.rank));
        h.text(&g.label);
        h.tag(u8::from(g.estimated));
        h.row(&g.row);
        h.opt_text(g.note.as_deref());
        h.num(g.extra.len() as u64);
        for t in &g.extra {
            h.text(&t.title);
            h.num(t.rows.len() as u64);
            t.rows.iter().for_each(|r| h.text(r));
            h.num(t.columns.len() as u64);
            t.columns.iter().for_each(|c| h.text(c));
            t.cells.iter().for_each(|c| h.cell(c.get()));
        }
    }
    match &unit.reported_totals {
        Some(row) => {
            h.tag(1);
            h.row(row);
        }
        None => h.tag(0),
    }
    h.num(unit.reviews.len() as u64);
    for r in &unit.reviews {
        h.cell(r.group);
        h.text(&format!("{:?}", r.subject));
        h.text(r.kind.key());
        h.num(r.kind.amount().unwrap_or(i64::MIN) as u64);
        h.text(&r.comment);
    }
    // The groups' themes come last and only when some group carries one,
    // so a unit without themes keeps the revision it had before themes
    // were part of it (files copied then still merge as copies).
    if unit.groups.iter().any(|g| !g.themes.is_empty()) {
        h.tag(1);
        for g in &unit.groups {
            h.num(g.themes.len() as u64);
            g.themes.iter().for_each(|t| h.num(u64::from(*t)));
        }
    }
    h.0.finish128().as_u128()
}

/// Feeds values to the hasher with their lengths, so that no two different
/// units give the same byte stream.
struct Content(siphasher::sip128::SipHasher13);

impl Content {
    fn tag(&mut self, t: u8) {
        self.0.write_u8(t);
    }
    fn num(&mut self, n: u64) {
        self.0.write_u64(n);
    }
    fn text(&mut self, s: &str) {
        self.num(s.len() as u64);
        self.0.write(s.as_bytes());
    }
    fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.tag(1);
                self.text(s);
            }
            None => self.tag(0),
        }
    }
    fn cell(&mut self, c: Option<u32>) {
        self.num(c.map_or(u64::MAX, u64::from));
    }
    fn row(&mut self, row: &Row) {
        self.cell(row.count.get());
        self.num(row.cells.len() as u64);
        for c in &row.cells {
            self.cell(c.get());
        }
    }
}

/// The rules of identity every way in obeys (a document, another file to
/// merge): units have distinct ids, the groups of a unit too, and a unit
/// is not both present and deleted. Paths as in the document
/// (`units[1].id`).
pub fn check(survey: &super::Survey) -> Result<(), super::validate::Invalid> {
    use super::validate::{Invalid, shorten};
    use std::collections::HashMap;
    let mut units = HashMap::with_capacity(survey.units.len());
    for (u, unit) in survey.units.iter().enumerate() {
        if let Some(first) = units.insert(unit.id.get(), u) {
            return Err(Invalid {
                at: format!("units[{u}].id"),
                message: format!(
                    "samma id som enhet {} (”{}”); varje enhet ska ha ett eget id",
                    first + 1,
                    shorten(&survey.units[first].name)
                ),
            });
        }
        let mut groups = HashMap::with_capacity(unit.groups.len());
        for (g, group) in unit.groups.iter().enumerate() {
            if let Some(first) = groups.insert(group.id.get(), g) {
                return Err(Invalid {
                    at: format!("units[{u}].groups[{g}].id"),
                    message: format!(
                        "samma id som målgrupp {} i enheten; varje målgrupp ska ha ett eget id",
                        first + 1
                    ),
                });
            }
        }
    }
    // In the order of ids, so that the same file always names the same one.
    let mut deleted: Vec<u128> = survey.deleted.0.keys().copied().collect();
    deleted.sort_unstable();
    for id in deleted {
        if let Some(&u) = units.get(&id) {
            return Err(Invalid {
                at: "deleted_units".into(),
                message: format!(
                    "enhet {} (”{}”, id {}) står både bland enheterna och bland de borttagna; en enhet finns eller är borttagen, inte båda",
                    u + 1,
                    shorten(&survey.units[u].name),
                    Id(id)
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids read as `u128::from_str_radix` read them: 32 hexadecimal digits
    /// of either case, nothing else.
    #[test]
    fn hex_ids_parse_as_from_str_radix() {
        for text in [
            "0123456789abcdefABCDEF0123456789",
            "ffffffffffffffffffffffffffffffff",
            "00000000000000000000000000000000",
        ] {
            assert_eq!(
                parse_hex(text),
                u128::from_str_radix(text, 16).ok(),
                "{text}"
            );
        }
        for bad in [
            "",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
            "+123456789abcdef0123456789abcdef",
            "0123456789abcdeg0123456789abcdef",
            "0123456789abcdé0123456789abcdef",
        ] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    /// The revision of a unit must be the same in every version of the
    /// program: a changed hash would make every unit look changed on both
    /// sides of the next merge, each a conflict.
    #[test]
    fn a_revision_is_the_same_in_every_version_of_the_program() {
        let layout = crate::model::Layout::new([2, 1, 1, 1]);
        let mut row = crate::model::Row::blank(&layout);
        row.count = crate::model::Cell::new(7);
        row.cells[0] = crate::model::Cell::new(3);
        let unit = Unit {
            id: Id::from_u128(1),
            lineage: Lineage::default(),
            place: Place::Municipality(1),
            authority: 0,
            name: "Socialtjänsten Nora".into(),
            collaboration_today: None,
            preventive_measures: Some("Tidiga insatser".into()),
            note: None,
            key_figures: vec![crate::model::KeyFigure {
                name: "Listade".into(),
                value: 7711,
            }],
            groups: vec![crate::model::TargetGroup {
                id: Id::from_u128(2),
                rank: 1,
                label: "Unga vuxna".into(),
                estimated: true,
                row,
                extra: Default::default(),
                note: None,
                themes: Default::default(),
            }],
            reported_totals: None,
            reviews: Vec::new(),
            verification: None,
        };
        assert_eq!(
            revision_hex(revision(&unit)),
            "c7b18198113babc809ea2d19105b65cf"
        );
        let mut renamed = unit.clone();
        renamed.name.push('!');
        assert_ne!(revision(&renamed), revision(&unit));
        // Themes are content: tagging a group, or moving a tag to another
        // group, is a new revision; the pinned one above has none.
        let mut tagged = unit.clone();
        tagged.groups[0].themes = [1u16].into_iter().collect();
        assert_ne!(revision(&tagged), revision(&unit));
        let mut other_tag = unit.clone();
        other_tag.groups[0].themes = [0u16].into_iter().collect();
        assert_ne!(revision(&other_tag), revision(&tagged));
    }

    #[test]
    fn ids_print_and_parse_as_32_hex_digits() {
        let id = Id::random();
        let text = id.to_string();
        assert_eq!(text.len(), 32);
        assert_eq!(Id::parse(&text).map(Id::get), Some(id.get()));
        assert!(Id::parse("xyz").is_none());
        assert!(Id::parse(&"g".repeat(32)).is_none());
        assert_ne!(Id::random().get(), Id::random().get());
    }
}
