//! Merging another file's survey into this one, unit by unit (README
//! "Merging files"): what to add, take, delete, and what is a conflict.
//! Pure: the store reads both sides and writes the plan.

use std::collections::{HashMap, HashSet};

use super::identity::{self, Id};
use super::{Dimension, Frame, Survey, Unit};

/// What the merge does to one unit without asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Only on the other side: added (their unit `theirs`).
    Add {
        /// Index of the unit on their side.
        theirs: usize,
    },
    /// Changed only on the other side: their version replaces ours.
    Take {
        /// Index of our unit.
        mine: usize,
        /// Index of their unit.
        theirs: usize,
    },
    /// Deleted on the other side and unchanged here: deleted.
    Delete {
        /// Index of our unit.
        mine: usize,
    },
}

/// A unit changed on both sides since the files last shared it, or changed
/// on one side and deleted on the other. `None` is the side that deleted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Index of our unit, `None` when deleted here.
    pub mine: Option<usize>,
    /// Index of their unit, `None` when deleted there.
    pub theirs: Option<usize>,
}

/// Which version of a conflict wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Ours (this file).
    Mine,
    /// Theirs (the other file).
    Theirs,
}

/// Everything a merge would do.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Changes made without asking.
    pub changes: Vec<Change>,
    /// Units changed on both sides: the user (or `--prefer`) picks.
    pub conflicts: Vec<Conflict>,
    /// Revisions of their side to remember for a unit (so that merging the
    /// same file again finds nothing new), by unit id.
    pub learn: Vec<(Id, Vec<u128>)>,
    /// Units deleted on their side that this file never had or already
    /// deleted: remembered as deleted here.
    pub learn_deleted: Vec<(Id, Vec<u128>)>,
    /// Their side is a survey document, which carries no review marks: a
    /// unit taken from it keeps this file's marks instead of losing them.
    pub keep_my_marks: bool,
}

impl Plan {
    /// Whether the merge would change nothing at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.conflicts.is_empty()
            && self.learn.is_empty()
            && self.learn_deleted.is_empty()
    }

    /// How many units are added, replaced and deleted without asking.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut n = (0, 0, 0);
        for c in &self.changes {
            match c {
                Change::Add { .. } => n.0 += 1,
                Change::Take { .. } => n.1 += 1,
                Change::Delete { .. } => n.2 += 1,
            }
        }
        n
    }
}

/// The revisions a unit is known to have had, its current one included.
fn known(unit: &Unit, current: u128) -> HashSet<u128> {
    let mut k: HashSet<u128> = unit.lineage.0.iter().copied().collect();
    k.insert(current);
    k
}

/// The revisions of `unit` (lineage and current) that `have` lacks.
fn news(unit: &Unit, current: u128, have: &HashSet<u128>) -> Vec<u128> {
    let mut out: Vec<u128> = unit
        .lineage
        .0
        .iter()
        .copied()
        .filter(|r| *r != current && !have.contains(r))
        .collect();
    if !have.contains(&current) {
        out.push(current);
    }
    out
}

/// Plans merging `theirs` into `mine`, both as stored (lineages and
/// deletions filled) and of the same frame (see [`frame_difference`]). Our units keep their order; added ones come after
/// them in their order.
pub fn plan(mine: &Survey, theirs: &Survey) -> Plan {
    let mut plan = Plan::default();
    let my_index: HashMap<u128, usize> = mine
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.get(), i))
        .collect();
    let their_ids: HashSet<u128> = theirs.units.iter().map(|u| u.id.get()).collect();

    for (t, their) in theirs.units.iter().enumerate() {
        let ht = identity::revision(their);
        match my_index.get(&their.id.get()) {
            Some(&m) => {
                let my = &mine.units[m];
                let hm = identity::revision(my);
                let km = known(my, hm);
                if hm == ht || km.contains(&ht) {
                    // Unchanged there (or the same): ours stands.
                    let new = news(their, ht, &km);
                    if !new.is_empty() {
                        plan.learn.push((my.id, new));
                    }
                } else if their.lineage.contains(hm) {
                    plan.changes.push(Change::Take { mine: m, theirs: t });
                } else {
                    plan.conflicts.push(Conflict {
                        mine: Some(m),
                        theirs: Some(t),
                    });
                }
            }
            None => match mine.deleted.0.get(&their.id.get()) {
                Some(revisions) if revisions.contains(&ht) => {
                    // Deleted here, unchanged there: stays deleted.
                    let have: HashSet<u128> = revisions.iter().copied().collect();
                    let new = news(their, ht, &have);
                    if !new.is_empty() {
                        plan.learn.push((their.id, new));
                    }
                }
                Some(_) => plan.conflicts.push(Conflict {
                    mine: None,
                    theirs: Some(t),
                }),
                None => plan.changes.push(Change::Add { theirs: t }),
            },
        }
    }
    for (&id, revisions) in &theirs.deleted.0 {
        if their_ids.contains(&id) {
            continue;
        }
        match my_index.get(&id) {
            Some(&m) => {
                let my = &mine.units[m];
                if revisions.contains(&identity::revision(my)) {
                    plan.changes.push(Change::Delete { mine: m });
                } else {
                    plan.conflicts.push(Conflict {
                        mine: Some(m),
                        theirs: None,
                    });
                }
            }
            None => {
                let have: HashSet<u128> = mine
                    .deleted
                    .0
                    .get(&id)
                    .map(|r| r.iter().copied().collect())
                    .unwrap_or_default();
                let new: Vec<u128> = revisions
                    .iter()
                    .copied()
                    .filter(|r| !have.contains(r))
                    .collect();
                if !mine.deleted.0.contains_key(&id) || !new.is_empty() {
                    plan.learn_deleted.push((Id::from_u128(id), new));
                }
            }
        }
    }
    // Deterministic order: ours by position, then theirs.
    plan.learn_deleted.sort_by_key(|(id, _)| id.get());
    plan
}

/// What differs between two frames, in Swedish, or `None` when a merge
/// may go ahead (the note may differ).
pub fn frame_difference(mine: &Frame, theirs: &Frame) -> Option<String> {
    let lists = |f: &Frame, d: Option<Dimension>| -> Vec<String> {
        match d {
            Some(d) => f.labels(d).to_vec(),
            None => f.municipalities.clone(),
        }
    };
    for (what, a, b) in [
        ("namn", &mine.name, &theirs.name),
        ("region", &mine.region, &theirs.region),
        ("period", &mine.period, &theirs.period),
    ] {
        if a != b {
            return Some(format!(
                "kartläggningens {what}: här ”{a}”, i den andra filen ”{b}”"
            ));
        }
    }
    for (what, d) in [
        ("kommunerna", None),
        ("myndigheterna", Some(Dimension::AlsoAt)),
        ("könsindelningen", Some(Dimension::Sex)),
        ("åldersbanden", Some(Dimension::Age)),
        ("tidsbanden", Some(Dimension::Duration)),
    ] {
        let (a, b) = (lists(mine, d), lists(theirs, d));
        if a != b {
            return Some(format!(
                "{what}: här {}, i den andra filen {}",
                quoted(&a),
                quoted(&b)
            ));
        }
    }
    // Themes are matched by name: the same names in another order are the
    // same list (see [`check_and_align`]), a name on one side only is not.
    let names = |f: &Frame| -> Vec<String> {
        let mut n: Vec<String> = f.themes.iter().map(|t| t.name.clone()).collect();
        n.sort();
        n
    };
    let (a, b) = (names(mine), names(theirs));
    if a != b {
        let only = |x: &[String], y: &[String]| -> Vec<String> {
            x.iter().filter(|n| !y.contains(n)).cloned().collect()
        };
        return Some(format!(
            "teman: bara här {}, bara i den andra filen {}",
            quoted(&only(&a, &b)),
            quoted(&only(&b, &a))
        ));
    }
    None
}

/// Refuses a merge of `theirs` (read from `other`) into a survey of frame
/// `mine` when the frames differ, naming the difference, and otherwise
/// gives their groups' themes as positions in this file's list: a group's
/// themes are stored as positions, and the two files may list the same
/// names in another order (copied as they were, a group would get another
/// theme or one the file lacks).
pub fn check_and_align(
    mine: &Frame,
    theirs: &mut Survey,
    other: &std::path::Path,
) -> crate::error::Result<()> {
    if let Some(difference) = frame_difference(mine, &theirs.frame) {
        return Err(crate::Error::at(
            other.display().to_string(),
            format!("kan inte slås samman: ramen skiljer sig – {difference}; inget är ändrat"),
        ));
    }
    let here: HashMap<&str, u16> = mine
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i as u16))
        .collect();
    // Same names (checked above), so every theme of theirs is found here.
    let to_mine: Vec<u16> = theirs
        .frame
        .themes
        .iter()
        .map(|t| here.get(t.name.as_str()).copied().unwrap_or(u16::MAX))
        .collect();
    if to_mine
        .iter()
        .enumerate()
        .any(|(i, p)| usize::from(*p) != i)
    {
        for group in theirs.units.iter_mut().flat_map(|u| u.groups.iter_mut()) {
            let mut mapped: Vec<u16> = group
                .themes
                .iter()
                .filter_map(|t| to_mine.get(usize::from(*t)).copied())
                .collect();
            mapped.sort_unstable();
            mapped.dedup();
            group.themes = mapped.into_iter().collect();
        }
    }
    theirs.frame.themes = mine.themes.clone();
    Ok(())
}

fn quoted(list: &[String]) -> String {
    if list.is_empty() {
        return "inga".to_owned();
    }
    list.iter()
        .map(|s| format!("”{s}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str) -> Unit {
        Unit::empty(name.to_owned(), 0, super::super::Place::Municipality(0))
    }

    /// A unit as stored: its current revision in its lineage.
    fn stored(mut u: Unit) -> Unit {
        let r = identity::revision(&u);
        if !u.lineage.contains(r) {
            u.lineage.0.push(r);
        }
        u
    }

    fn survey(units: Vec<Unit>) -> Survey {
        Survey {
            units: units.into_iter().map(stored).collect(),
            ..Survey::default()
        }
    }

    #[test]
    fn one_sided_changes_merge_and_both_sided_ones_conflict() {
        let base = survey(vec![unit("A"), unit("B"), unit("C")]);
        let mut mine = base.clone();
        let mut theirs = base.clone();
        mine.units[0].note = Some("här".into());
        theirs.units[1].note = Some("där".into());
        mine.units[2].note = Some("här".into());
        theirs.units[2].note = Some("där".into());
        theirs.units.push(unit("D"));
        let (mine, theirs) = (survey(mine.units), survey(theirs.units));
        let plan = plan(&mine, &theirs);
        assert_eq!(
            plan.changes,
            vec![
                Change::Take { mine: 1, theirs: 1 },
                Change::Add { theirs: 3 }
            ]
        );
        assert_eq!(
            plan.conflicts,
            vec![Conflict {
                mine: Some(2),
                theirs: Some(2)
            }]
        );
    }

    #[test]
    fn a_deletion_wins_over_an_unchanged_unit_only() {
        let base = survey(vec![unit("A"), unit("B")]);
        let mut theirs = base.clone();
        let gone = theirs.units.remove(0);
        let gone_b = theirs.units.remove(0);
        theirs.deleted.0 = [
            (gone.id.get(), gone.lineage.0.clone()),
            (gone_b.id.get(), gone_b.lineage.0.clone()),
        ]
        .into();
        let mut mine = base.clone();
        mine.units[1].note = Some("ändrad".into());
        let mine = survey(mine.units);
        let plan = plan(&mine, &theirs);
        assert_eq!(plan.changes, vec![Change::Delete { mine: 0 }]);
        assert_eq!(
            plan.conflicts,
            vec![Conflict {
                mine: Some(1),
                theirs: None
            }]
        );
    }

    #[test]
    fn frames_that_differ_are_named() {
        let a = Frame {
            municipalities: vec!["Ale".into()],
            ..Frame::default()
        };
        let b = Frame {
            municipalities: vec!["Ale".into(), "Kil".into()],
            ..Frame::default()
        };
        let said = frame_difference(&a, &b).unwrap_or_default();
        assert!(
            said.contains("kommunerna") && said.contains("”Kil”"),
            "{said}"
        );
        assert_eq!(frame_difference(&a, &a), None);
    }

    fn themes(names: &[&str]) -> Vec<super::super::Theme> {
        names
            .iter()
            .map(|n| super::super::Theme {
                name: (*n).to_owned(),
                keywords: Vec::new(),
            })
            .collect()
    }

    /// A theme on one side only is a different frame; the same themes in
    /// another order are not, and their groups' tags are given as
    /// positions in this file's list.
    #[test]
    fn themes_are_matched_by_name() {
        let mine = Frame {
            themes: themes(&["Unga", "Sjukskrivna", "Äldre"]),
            ..Frame::default()
        };
        let mut extra = Survey {
            frame: Frame {
                themes: themes(&["Unga", "Sjukskrivna", "Äldre", "Nyanlända"]),
                ..Frame::default()
            },
            ..Survey::default()
        };
        let path = std::path::Path::new("kollega.sqlite");
        let said = check_and_align(&mine, &mut extra, path)
            .unwrap_err()
            .to_string();
        assert!(
            said.contains("teman") && said.contains("”Nyanlända”") && said.contains("kollega"),
            "{said}"
        );

        let mut tagged = unit("A");
        tagged.groups.push(super::super::TargetGroup {
            id: Id::random(),
            rank: 1,
            label: "Unga sjukskrivna".into(),
            estimated: false,
            row: super::super::Row::blank(&super::super::Layout::new([0; 4])),
            extra: Default::default(),
            note: None,
            themes: [0u16, 2].into_iter().collect(),
        });
        let mut reordered = Survey {
            frame: Frame {
                themes: themes(&["Sjukskrivna", "Äldre", "Unga"]),
                ..Frame::default()
            },
            units: vec![tagged],
            ..Survey::default()
        };
        check_and_align(&mine, &mut reordered, path).unwrap();
        // Theirs 0 = Sjukskrivna (1 here), 2 = Unga (0 here).
        assert_eq!(reordered.units[0].groups[0].themes.as_slice(), [0, 1]);
        assert_eq!(reordered.frame.themes, mine.themes);
    }
}
