//! Units and ranks given twice. Real forms sometimes list a unit twice or
//! give two groups one rank; both are kept, and each becomes a `duplicate`
//! finding (see [`super::check`]).

use std::collections::HashMap;

use super::check::{Finding, Kind, Subject};
use super::{Place, Survey, Unit};

/// For each unit of a survey, how many units share its name, place and
/// authority. Real forms sometimes list a unit twice; both are kept and
/// each gets a `duplicate` finding.
#[derive(Clone, Debug, Default)]
pub struct UnitDuplicates(Vec<u32>);

impl UnitDuplicates {
    /// Counts the units of `survey` by name, place and authority.
    pub fn of(survey: &Survey) -> UnitDuplicates {
        // A fast hash (the app rechecks the whole survey after every edit),
        // seeded per process so crafted names cannot make it slow.
        let mut seen: HashMap<(&str, &Place, usize), u32, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(survey.units.len(), Default::default());
        for u in &survey.units {
            *seen.entry((&u.name, &u.place, u.authority)).or_default() += 1;
        }
        if seen.len() == survey.units.len() {
            // All different: the usual case, nothing to remember.
            return UnitDuplicates(Vec::new());
        }
        UnitDuplicates(
            survey
                .units
                .iter()
                .map(|u| seen[&(u.name.as_str(), &u.place, u.authority)])
                .collect(),
        )
    }

    /// The finding of unit `unit_index` when it has a duplicate.
    pub fn check_into(&self, unit_index: usize, out: &mut Vec<Finding>) {
        if let Some(&n) = self.0.get(unit_index)
            && n > 1
        {
            out.push(Finding {
                unit: unit_index as u32,
                group: None,
                subject: Subject::Unit,
                kind: Kind::Duplicate(n),
            });
        }
    }
}

/// For each group of a unit, how many of the unit's groups share its rank.
pub struct RankDuplicates(Vec<u32>);

impl RankDuplicates {
    /// Counts the ranks of `unit`'s groups.
    pub fn of(unit: &Unit) -> RankDuplicates {
        let groups = &unit.groups;
        if groups.windows(2).all(|w| w[0].rank < w[1].rank) {
            // Ranks in rising order are all different: the usual case.
            return RankDuplicates(Vec::new());
        }
        let mut sorted: Vec<u32> = groups.iter().map(|g| g.rank).collect();
        sorted.sort_unstable();
        RankDuplicates(
            groups
                .iter()
                .map(|g| {
                    let from = sorted.partition_point(|r| *r < g.rank);
                    let to = sorted.partition_point(|r| *r <= g.rank);
                    (to - from) as u32
                })
                .collect(),
        )
    }

    /// The finding of group `group` when another group has its rank.
    pub fn check_into(&self, unit_index: usize, group: usize, out: &mut Vec<Finding>) {
        if let Some(&n) = self.0.get(group)
            && n > 1
        {
            out.push(Finding::in_group(
                unit_index,
                group,
                Subject::Rank,
                Kind::Duplicate(n),
            ));
        }
    }
}
