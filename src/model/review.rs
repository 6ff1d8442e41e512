//! Review marks: a reviewer's note that a finding was checked with the unit
//! ("bekräftat med enheten 12/3"). A mark belongs to one finding of a unit:
//! the same group, the same subject and the same kind *with its number*. When
//! an edit changes the finding ("kort 2" becomes "kort 3") the mark no longer
//! matches and the finding is open again: what the unit confirmed was the old
//! number.

use super::check::{Finding, Kind, Subject};
use super::{TargetGroup, Unit};

/// A finding marked as checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// Group position in the unit, `None` for the unit's printed total row.
    pub group: Option<u32>,
    /// What part of the group.
    pub subject: Subject,
    /// The finding as it was when marked.
    pub kind: Kind,
    /// The reviewer's comment, possibly empty.
    pub comment: String,
}

impl Review {
    /// Whether this mark is about `finding` (which must be in the same unit).
    pub fn matches(&self, finding: &Finding) -> bool {
        self.group == finding.group && self.subject == finding.subject && self.kind == finding.kind
    }
}

impl Unit {
    /// The review mark of one of this unit's findings.
    pub fn review_of(&self, finding: &Finding) -> Option<&Review> {
        self.reviews.iter().find(|r| r.matches(finding))
    }

    /// Marks a finding as reviewed with a comment, replacing an earlier mark.
    pub fn set_review(&mut self, finding: &Finding, comment: String) {
        self.reviews.retain(|r| !r.matches(finding));
        self.reviews.push(Review {
            group: finding.group,
            subject: finding.subject,
            kind: finding.kind,
            comment,
        });
    }

    /// Removes the mark of a finding; whether there was one.
    pub fn clear_review(&mut self, finding: &Finding) -> bool {
        let before = self.reviews.len();
        self.reviews.retain(|r| !r.matches(finding));
        self.reviews.len() != before
    }

    /// Inserts a group at `index`; ranks follow the order, marks follow
    /// their groups.
    pub fn insert_group(&mut self, index: usize, group: TargetGroup) {
        let index = index.min(self.groups.len());
        self.groups.insert(index, group);
        self.remap_reviews(|g| Some(if g >= index { g + 1 } else { g }));
        self.renumber();
    }

    /// Removes the group at `index` with its marks; ranks follow the order.
    pub fn remove_group(&mut self, index: usize) -> TargetGroup {
        let group = self.groups.remove(index);
        self.remap_reviews(|g| match g.cmp(&index) {
            std::cmp::Ordering::Less => Some(g),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(g - 1),
        });
        self.renumber();
        group
    }

    /// Moves the group at `from` to position `to`; ranks follow the order.
    pub fn move_group(&mut self, from: usize, to: usize) {
        if from == to || from >= self.groups.len() || to >= self.groups.len() {
            return;
        }
        let group = self.groups.remove(from);
        self.groups.insert(to, group);
        self.remap_reviews(|g| {
            Some(if g == from {
                to
            } else if from < to && g > from && g <= to {
                g - 1
            } else if to < from && g >= to && g < from {
                g + 1
            } else {
                g
            })
        });
        self.renumber();
    }

    /// Ranks 1, 2, 3 … in the order of the groups.
    fn renumber(&mut self) {
        for (i, g) in self.groups.iter_mut().enumerate() {
            g.rank = i as u32 + 1;
        }
    }

    fn remap_reviews(&mut self, new_position: impl Fn(usize) -> Option<usize>) {
        self.reviews.retain_mut(|r| match r.group {
            None => true,
            Some(g) => match new_position(g as usize) {
                Some(n) => {
                    r.group = Some(n as u32);
                    true
                }
                None => false,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Place, Row};

    fn group(label: &str) -> TargetGroup {
        TargetGroup {
            id: crate::model::identity::Id::random(),
            rank: 9,
            label: label.to_owned(),
            estimated: false,
            row: Row {
                count: Cell::new(1),
                cells: Default::default(),
            },
            extra: Default::default(),
            themes: Default::default(),
            note: None,
        }
    }

    fn unit(labels: &[&str]) -> Unit {
        Unit {
            groups: labels.iter().map(|l| group(l)).collect(),
            ..Unit::empty("Enheten".to_owned(), 0, Place::Municipality(0))
        }
    }

    fn mark(u: &mut Unit, g: u32) {
        let f = Finding::in_group(0, g as usize, Subject::Count, Kind::Estimated);
        u.set_review(&f, format!("om {}", u.groups[g as usize].label));
    }

    /// Each mark still names the group it was made on.
    fn marked_labels(u: &Unit) -> Vec<String> {
        let mut v: Vec<String> = u
            .reviews
            .iter()
            .map(|r| {
                format!(
                    "{}={}",
                    u.groups[r.group.unwrap() as usize].label,
                    r.comment
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn marks_follow_their_groups_and_ranks_follow_the_order() {
        let mut u = unit(&["a", "b", "c", "d"]);
        for g in 0..4 {
            mark(&mut u, g);
        }
        let all = ["a=om a", "b=om b", "c=om c", "d=om d"];
        u.move_group(0, 2);
        assert_eq!(
            u.groups
                .iter()
                .map(|g| g.label.as_str())
                .collect::<Vec<_>>(),
            ["b", "c", "a", "d"]
        );
        assert_eq!(marked_labels(&u), all);
        u.move_group(3, 0);
        assert_eq!(marked_labels(&u), all);
        assert_eq!(
            u.groups.iter().map(|g| g.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        let removed = u.remove_group(1);
        assert_eq!(removed.label, "b");
        assert_eq!(marked_labels(&u), ["a=om a", "c=om c", "d=om d"]);
        u.insert_group(0, group("e"));
        assert_eq!(marked_labels(&u), ["a=om a", "c=om c", "d=om d"]);
        assert_eq!(u.groups[0].rank, 1);
        assert_eq!(u.groups[3].rank, 4);
    }

    #[test]
    fn a_mark_matches_only_the_same_finding_with_the_same_number() {
        let mut u = unit(&["a"]);
        let short2 = Finding::in_group(
            0,
            0,
            Subject::Breakdown(crate::model::Dimension::Age),
            Kind::Short(2),
        );
        u.set_review(&short2, "bekräftat".to_owned());
        assert!(u.review_of(&short2).is_some());
        let short3 = Finding {
            kind: Kind::Short(3),
            ..short2
        };
        assert!(u.review_of(&short3).is_none());
        u.set_review(&short2, "igen".to_owned());
        assert_eq!(u.reviews.len(), 1);
        assert!(u.clear_review(&short2));
        assert!(!u.clear_review(&short2));
    }
}
