//! Totals per unit, municipality, authority, municipality × authority and for
//! the whole survey. Units that cover a whole region are rows of their own
//! (by area), never spread over municipalities.

use super::{Dimension, Layout, PartSums, Place, Survey, TargetGroup, Unit};

/// Totals of a set of target groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Number of target groups.
    pub groups: u64,
    /// Groups named without a count.
    pub groups_without_count: u64,
    /// People: the sum of the counts given.
    pub count: u64,
    /// Of those, people in groups whose count is an estimate.
    pub estimated: u64,
    /// Sums per category, in the frame's [`Layout`] (blank cells as zero);
    /// inline like a group's cells, so that totals per unit cost no
    /// allocation.
    pub cells: smallvec::SmallVec<[u64; 16]>,
    /// People not given per breakdown (sex, age, duration): for each group
    /// with a count, its count minus the sum of its parts, added up. Negative
    /// where parts exceed counts. Groups without a count add nothing here.
    pub not_given: [i64; 3],
    /// People missing per breakdown: for each group with a count whose
    /// parts add up to less, the difference, added up. Never netted
    /// against [`Totals::over`].
    pub missing: [u64; 3],
    /// People over-reported per breakdown: for each group whose parts add
    /// up to more than its count, the excess, added up.
    pub over: [u64; 3],
    /// People in groups with a count that answered the "aktuell hos"
    /// question (at least one authority's cell given): the base of its
    /// shares.
    pub also_at_answered: u64,
    /// Whether any group gave each cell: a sum of nothing but blanks is
    /// not 0.
    pub given: smallvec::SmallVec<[bool; 16]>,
    /// Where the "aktuell hos" cells start in the layout.
    also_at_start: u32,
}

impl Totals {
    /// Empty totals for a layout.
    pub fn new(layout: &Layout) -> Totals {
        Totals {
            groups: 0,
            groups_without_count: 0,
            count: 0,
            estimated: 0,
            cells: smallvec::smallvec![0; layout.len()],
            not_given: [0; 3],
            missing: [0; 3],
            over: [0; 3],
            also_at_answered: 0,
            given: smallvec::smallvec![false; layout.len()],
            also_at_start: layout.range(Dimension::AlsoAt).start as u32,
        }
    }

    /// The sum of one cell, `None` when no group gave it.
    pub fn cell(&self, i: usize) -> Option<u64> {
        self.given[i].then(|| self.cells[i])
    }

    /// People missing from one of sex, age or duration.
    pub fn missing(&self, dimension: Dimension) -> u64 {
        match dimension {
            Dimension::AlsoAt => 0,
            d => self.missing[d.index()],
        }
    }

    /// People over-reported in one of sex, age or duration.
    pub fn over(&self, dimension: Dimension) -> u64 {
        match dimension {
            Dimension::AlsoAt => 0,
            d => self.over[d.index()],
        }
    }

    /// The people, `None` when no group gave a count (a sum of nothing is
    /// not 0).
    pub fn people(&self) -> Option<u64> {
        (self.groups > self.groups_without_count).then_some(self.count)
    }

    /// Whether the people count includes estimates (and so reads "ca").
    pub fn is_estimate(&self) -> bool {
        self.estimated > 0
    }

    /// The sums of one dimension.
    pub fn part(&self, layout: &Layout, dimension: Dimension) -> &[u64] {
        &self.cells[layout.range(dimension)]
    }

    /// People not given in one of sex, age or duration.
    pub fn not_given(&self, dimension: Dimension) -> i64 {
        match dimension {
            Dimension::AlsoAt => 0,
            d => self.not_given[d.index()],
        }
    }

    /// Adds one target group.
    pub fn add_group(&mut self, layout: &Layout, group: &TargetGroup) {
        self.add_group_with(group, &group.row.part_sums(layout));
    }

    /// [`Totals::add_group`] with the group's part sums already computed.
    #[inline]
    pub fn add_group_with(&mut self, group: &TargetGroup, sums: &PartSums) {
        self.groups += 1;
        // All cells in one flat loop: it vectorises, a loop per breakdown
        // does not (measured: a fifth more instructions).
        for ((s, g), c) in self
            .cells
            .iter_mut()
            .zip(self.given.iter_mut())
            .zip(group.row.cells.iter())
        {
            *s += c.or_zero();
            *g |= !c.is_blank();
        }
        match group.row.count.get() {
            None => self.groups_without_count += 1,
            Some(n) => {
                let n = u64::from(n);
                self.count += n;
                if group.estimated {
                    self.estimated += n;
                }
                for (i, sum) in sums.iter().enumerate() {
                    let gap = n as i64 - sum.unwrap_or(0) as i64;
                    self.not_given[i] += gap;
                    if gap > 0 {
                        self.missing[i] += gap as u64;
                    } else {
                        self.over[i] += gap.unsigned_abs();
                    }
                }
                let also_at = group.row.cells.get(self.also_at_start as usize..);
                if also_at.is_some_and(|c| c.iter().any(|c| !c.is_blank())) {
                    self.also_at_answered += n;
                }
            }
        }
    }

    /// Adds other totals into these.
    pub fn merge(&mut self, other: &Totals) {
        self.groups += other.groups;
        self.groups_without_count += other.groups_without_count;
        self.count += other.count;
        self.estimated += other.estimated;
        for (s, o) in self.cells.iter_mut().zip(&other.cells) {
            *s += o;
        }
        for (s, o) in self.not_given.iter_mut().zip(other.not_given) {
            *s += o;
        }
        for (s, o) in self.missing.iter_mut().zip(other.missing) {
            *s += o;
        }
        for (s, o) in self.over.iter_mut().zip(other.over) {
            *s += o;
        }
        self.also_at_answered += other.also_at_answered;
        for (s, o) in self.given.iter_mut().zip(&other.given) {
            *s |= o;
        }
    }
}

/// The totals of one municipality or region-wide area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceTotals {
    /// The municipality or area.
    pub place: Place,
    /// Its totals.
    pub totals: Totals,
}

/// All the totals a report needs, computed in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyTotals {
    /// Every municipality of the frame in its order (also those without
    /// units), then each region-wide area in order of first appearance.
    pub places: Vec<PlaceTotals>,
    /// Per authority type, in the frame's order.
    pub authorities: Vec<Totals>,
    /// Per place × authority, indexed like `places` and `authorities`.
    pub place_authority: Vec<Vec<Totals>>,
    /// Per unit, indexed like `survey.units`.
    pub units: Vec<Totals>,
    /// The whole survey.
    pub all: Totals,
}

/// The totals of one unit's groups.
pub fn unit_totals(layout: &Layout, unit: &Unit) -> Totals {
    let mut t = Totals::new(layout);
    for group in &unit.groups {
        t.add_group(layout, group);
    }
    t
}

/// Computes every total of the survey.
pub fn survey_totals(survey: &Survey) -> SurveyTotals {
    let layout = survey.layout();
    roll_up(
        survey,
        survey
            .units
            .iter()
            .map(|u| unit_totals(&layout, u))
            .collect(),
    )
}

/// Adds up per-unit totals (indexed like `survey.units`) per place,
/// authority, place × authority and for the whole survey.
pub fn roll_up(survey: &Survey, units: Vec<Totals>) -> SurveyTotals {
    let layout = survey.layout();
    let empty = Totals::new(&layout);
    let authorities = survey.frame.authorities.len();
    let mut places: Vec<Place> = (0..survey.frame.municipalities.len())
        .map(Place::Municipality)
        .collect();
    let mut place_authority = vec![vec![empty.clone(); authorities]; places.len()];

    // Each unit is added once, to its place × authority; every other total
    // is a sum of those.
    for (unit, t) in survey.units.iter().zip(&units) {
        let p = match &unit.place {
            Place::Municipality(m) => *m,
            Place::Area(area) => match places
                .iter()
                .position(|p| matches!(p, Place::Area(a) if a == area))
            {
                Some(p) => p,
                None => {
                    places.push(unit.place.clone());
                    place_authority.push(vec![empty.clone(); authorities]);
                    places.len() - 1
                }
            },
        };
        place_authority[p][unit.authority].merge(t);
    }
    let mut by_authority = vec![empty.clone(); authorities];
    let mut all = empty.clone();
    let places = places
        .into_iter()
        .zip(&place_authority)
        .map(|(place, row)| {
            let mut totals = empty.clone();
            for (a, t) in row.iter().enumerate() {
                totals.merge(t);
                by_authority[a].merge(t);
            }
            all.merge(&totals);
            PlaceTotals { place, totals }
        })
        .collect();
    SurveyTotals {
        places,
        authorities: by_authority,
        place_authority,
        units,
        all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Frame, Row, Unit};

    fn unit(
        place: Place,
        authority: usize,
        groups: Vec<(Option<u32>, bool, [Option<u32>; 4])>,
    ) -> Unit {
        Unit {
            id: crate::model::identity::Id::random(),
            lineage: Default::default(),
            place,
            authority,
            name: "U".into(),
            collaboration_today: None,
            preventive_measures: None,
            note: None,
            key_figures: vec![],
            groups: groups
                .into_iter()
                .map(|(count, estimated, cells)| TargetGroup {
                    id: crate::model::identity::Id::random(),
                    rank: 1,
                    label: "G".into(),
                    estimated,
                    row: Row {
                        count: Cell::from_option(count),
                        cells: cells.into_iter().map(Cell::from_option).collect(),
                    },
                    extra: Default::default(),
                    themes: Default::default(),
                    note: None,
                })
                .collect(),
            reported_totals: None,
            reviews: Vec::new(),
            verification: None,
        }
    }

    /// One category per dimension keeps the arithmetic readable.
    fn survey() -> Survey {
        Survey {
            deleted: Default::default(),
            about: None,
            frame: Frame {
                name: "T".into(),
                municipalities: vec!["A".into(), "B".into(), "C".into()],
                authorities: vec!["K".into()],
                sex: vec!["M".into()],
                age_bands: vec!["x".into()],
                duration_bands: vec!["y".into()],
                ..Frame::default()
            },
            units: vec![
                unit(
                    Place::Municipality(1),
                    0,
                    vec![
                        (Some(10), false, [Some(10), Some(7), None, Some(12)]),
                        (None, false, [Some(3), None, None, None]),
                        (Some(5), true, [None, Some(6), None, None]),
                    ],
                ),
                unit(
                    Place::Area("Hela".into()),
                    0,
                    vec![(Some(70), true, [None; 4])],
                ),
                unit(
                    Place::Municipality(0),
                    0,
                    vec![(Some(1), false, [Some(1); 4])],
                ),
            ],
        }
    }

    #[test]
    fn totals_per_place_keep_areas_apart_and_list_empty_municipalities() {
        let t = survey_totals(&survey());
        let names: Vec<_> = t.places.iter().map(|p| p.place.clone()).collect();
        assert_eq!(
            names,
            vec![
                Place::Municipality(0),
                Place::Municipality(1),
                Place::Municipality(2),
                Place::Area("Hela".into())
            ]
        );
        let b = &t.places[1].totals;
        assert_eq!(
            (b.groups, b.groups_without_count, b.count, b.estimated),
            (3, 1, 15, 5)
        );
        assert_eq!(b.cells.as_slice(), [13, 13, 0, 12]);
        // sex: 10-10 + 5-0; age: 10-7 + 5-6; duration: 15-0.
        assert_eq!(b.not_given, [5, 2, 15]);
        // Missing and over apart: age is 3 short in one group, 1 over in another.
        assert_eq!((b.missing, b.over), ([5, 3, 15], [0, 1, 0]));
        // Only the first group (10 people) answered "aktuell hos".
        assert_eq!(b.also_at_answered, 10);
        assert_eq!((b.cell(0), b.cell(2)), (Some(13), None));
        assert_eq!(t.places[2].totals, Totals::new(&survey().layout()));
        let area = &t.places[3].totals;
        assert_eq!(
            (area.count, area.estimated, area.not_given),
            (70, 70, [70, 70, 70])
        );
        assert_eq!(t.all.count, 86);
        assert_eq!(t.authorities[0], t.all);
        assert_eq!(t.place_authority[1][0], *b);
        assert_eq!(t.units.len(), 3);
    }
}
