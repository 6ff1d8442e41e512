//! Findings: every place where a unit's numbers are missing, short, over, or
//! disagree with its own printed totals, and ranks or units given twice.
//! Pure functions over the model; the
//! words people read are made here too, once, for the app, the command line
//! and the exports.

use std::fmt;

use super::aggregate::{Totals, unit_totals};
pub use super::duplicate::{RankDuplicates, UnitDuplicates};
use super::{Dimension, Layout, PartSums, Place, Survey, TargetGroup, Unit, filled_sum};

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The count itself.
    Count,
    /// A whole breakdown (sex, age or duration) against the count.
    Breakdown(Dimension),
    /// One category of a dimension: an also-at authority, or a printed total
    /// cell.
    Category(Dimension, u16),
    /// An extra table of the group, by position.
    Extra(u16),
    /// The group's rank.
    Rank,
    /// The whole unit: its name, place and authority.
    Unit,
}

/// What is wrong, with its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The group was named without a count.
    MissingCount,
    /// The count is an estimate.
    Estimated,
    /// The breakdown was not given at all.
    NotGiven,
    /// The parts add up to less than the count, by this many.
    Short(u64),
    /// The parts (or one also-at value) exceed the count by this many.
    Over(u64),
    /// The unit's printed total minus the sum of its groups.
    TotalsDiffer(i64),
    /// Given more than once: this many groups of the unit share the rank,
    /// or this many units of the survey share the name, place and
    /// authority. Real forms have both, so they are kept, and shown.
    Duplicate(u32),
}

impl Kind {
    /// The stable key used in the command line's JSON.
    pub fn key(self) -> &'static str {
        match self {
            Kind::MissingCount => "missing_count",
            Kind::Estimated => "estimated",
            Kind::NotGiven => "not_given",
            Kind::Short(_) => "short",
            Kind::Over(_) => "over",
            Kind::TotalsDiffer(_) => "totals_differ",
            Kind::Duplicate(_) => "duplicate",
        }
    }

    /// All keys, in the order above, for filters.
    pub const KEYS: [&'static str; 7] = [
        "missing_count",
        "estimated",
        "not_given",
        "short",
        "over",
        "totals_differ",
        "duplicate",
    ];

    /// The number that goes with the finding, if any.
    pub fn amount(self) -> Option<i64> {
        match self {
            Kind::Short(n) | Kind::Over(n) => Some(n as i64),
            Kind::TotalsDiffer(d) => Some(d),
            Kind::Duplicate(n) => Some(i64::from(n)),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    /// The short Swedish words shown in a cell: "kort 2", "över 2" …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::MissingCount => f.write_str("saknar antal"),
            Kind::Estimated => f.write_str("uppskattat"),
            Kind::NotGiven => f.write_str("ej angivet"),
            Kind::Short(n) => write!(f, "kort {n}"),
            Kind::Over(n) => write!(f, "över {n}"),
            Kind::TotalsDiffer(d) => write!(f, "skiljer sig från summan: {d}"),
            Kind::Duplicate(n) => write!(f, "dubblett, {n} st"),
        }
    }
}

/// One finding: where it is and what is wrong. Kept to 32 bytes: a national
/// survey has about one per group, rewritten after every edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Index of the unit in `survey.units`.
    pub unit: u32,
    /// Index of the group in the unit, `None` for the unit's total row.
    pub group: Option<u32>,
    /// What part of the group or total row.
    pub subject: Subject,
    /// What is wrong.
    pub kind: Kind,
}

impl Finding {
    /// The machine key of the subject: `count`, `sex`, `also_at:<authority>`,
    /// `extra:<title>`, `age:<band>`, `rank`, `unit` …
    pub fn breakdown_key(&self, survey: &Survey) -> String {
        match self.subject {
            Subject::Count => "count".to_owned(),
            Subject::Rank => "rank".to_owned(),
            Subject::Unit => "unit".to_owned(),
            Subject::Breakdown(d) => d.key().to_owned(),
            Subject::Category(d, i) => {
                format!("{}:{}", d.key(), survey.frame.labels(d)[usize::from(i)])
            }
            Subject::Extra(t) => format!("extra:{}", self.extra_title(survey, t)),
        }
    }

    /// What the finding is about, in Swedish: "ålder", "aktuell hos
    /// Arbetsförmedlingen", "totalraden, kön Män" …
    pub fn subject_sv(&self, survey: &Survey) -> String {
        let prefix = if self.group.is_none() && self.subject != Subject::Unit {
            "totalraden, "
        } else {
            ""
        };
        let what = match self.subject {
            Subject::Count => "antal".to_owned(),
            Subject::Breakdown(d) => d.name_sv().to_owned(),
            Subject::Category(d, i) => {
                format!("{} {}", d.name_sv(), survey.frame.labels(d)[usize::from(i)])
            }
            Subject::Extra(t) => format!("tabellen ”{}”", self.extra_title(survey, t)),
            Subject::Rank => "rang".to_owned(),
            Subject::Unit => "enheten".to_owned(),
        };
        format!("{prefix}{what}")
    }

    /// The whole message: "ålder: över 2"; a group's own count needs no
    /// subject ("saknar antal", "uppskattat"); a duplicate says what is
    /// shared ("dubblett: 2 målgrupper i enheten har rang 3").
    pub fn message(&self, survey: &Survey) -> String {
        if let Kind::Duplicate(n) = self.kind {
            return match (self.subject, self.target_group(survey)) {
                (Subject::Rank, Some(g)) => {
                    format!("dubblett: {n} målgrupper i enheten har rang {}", g.rank)
                }
                _ => {
                    let place = match self.unit(survey).place {
                        Place::Municipality(_) => "kommun",
                        Place::Area(_) => "område",
                    };
                    format!("dubblett: {n} enheter har samma namn, {place} och myndighet")
                }
            };
        }
        if self.subject == Subject::Count && self.group.is_some() {
            self.kind.to_string()
        } else {
            format!("{}: {}", self.subject_sv(survey), self.kind)
        }
    }

    fn extra_title<'a>(&self, survey: &'a Survey, table: u16) -> &'a str {
        &self
            .target_group(survey)
            .expect("extra-table findings belong to a group")
            .extra[usize::from(table)]
        .title
    }

    /// The unit the finding is in.
    pub fn unit<'a>(&self, survey: &'a Survey) -> &'a Unit {
        &survey.units[self.unit as usize]
    }

    /// The target group the finding is about, `None` for the total row.
    pub fn target_group<'a>(&self, survey: &'a Survey) -> Option<&'a TargetGroup> {
        self.group.map(|g| &self.unit(survey).groups[g as usize])
    }
}

/// Every finding of the survey, unit by unit, group by group.
pub fn check_survey(survey: &Survey) -> Vec<Finding> {
    let layout = survey.layout();
    let same = UnitDuplicates::of(survey);
    // Real surveys have about one finding per group; growing the vector
    // from empty would copy it a dozen times.
    let mut out = Vec::with_capacity(survey.group_count() + survey.group_count() / 4);
    for (u, unit) in survey.units.iter().enumerate() {
        check_unit_into(&layout, u, unit, &same, &mut out);
    }
    out
}

/// The findings of one unit, appended to `out`: first the unit's own (a
/// duplicate of another unit, see `same`), then group by group, then its
/// printed total row.
pub fn check_unit_into(
    layout: &Layout,
    unit_index: usize,
    unit: &Unit,
    same: &UnitDuplicates,
    out: &mut Vec<Finding>,
) {
    same.check_into(unit_index, out);
    let ranks = RankDuplicates::of(unit);
    for (g, group) in unit.groups.iter().enumerate() {
        ranks.check_into(unit_index, g, out);
        check_group_into(layout, group, |subject, kind| {
            out.push(Finding::in_group(unit_index, g, subject, kind))
        });
    }
    if unit.reported_totals.is_some() {
        check_reported_into(layout, unit_index, unit, &unit_totals(layout, unit), out);
    }
}

impl Finding {
    /// A finding on group `group` of unit `unit`.
    pub fn in_group(unit: usize, group: usize, subject: Subject, kind: Kind) -> Finding {
        Finding {
            unit: unit as u32,
            group: Some(group as u32),
            subject,
            kind,
        }
    }
}

/// Compares a sum of parts with the count.
#[inline]
fn compare(parts: Option<u64>, count: u64) -> Option<Kind> {
    match parts {
        None => Some(Kind::NotGiven),
        Some(sum) if sum < count => Some(Kind::Short(count - sum)),
        Some(sum) if sum > count => Some(Kind::Over(sum - count)),
        Some(_) => None,
    }
}

/// The findings of one target group, row by row: a table whose totals agree
/// can still hide a row over by 2 and another short by 2.
pub fn check_group_into(layout: &Layout, group: &TargetGroup, emit: impl FnMut(Subject, Kind)) {
    check_group_with(layout, group, &group.row.part_sums(layout), emit)
}

/// [`check_group_into`] with the group's part sums already computed.
#[inline]
pub fn check_group_with(
    layout: &Layout,
    group: &TargetGroup,
    sums: &PartSums,
    mut emit: impl FnMut(Subject, Kind),
) {
    let Some(count) = group.row.count.get() else {
        emit(Subject::Count, Kind::MissingCount);
        return;
    };
    let count = u64::from(count);
    if group.estimated {
        emit(Subject::Count, Kind::Estimated);
    }
    for (d, sum) in Dimension::PARTS.into_iter().zip(sums) {
        if let Some(kind) = compare(*sum, count) {
            emit(Subject::Breakdown(d), kind);
        }
    }
    for (i, cell) in group.row.part(layout, Dimension::AlsoAt).iter().enumerate() {
        if let Some(v) = cell.get() {
            let v = u64::from(v);
            if v > count {
                emit(
                    Subject::Category(Dimension::AlsoAt, i as u16),
                    Kind::Over(v - count),
                );
            }
        }
    }
    for (t, table) in group.extra.iter().enumerate() {
        if let Some(kind) = compare(filled_sum(&table.cells), count) {
            emit(Subject::Extra(t as u16), kind);
        }
    }
}

/// Each printed total cell of a unit against `sums`, the totals of its
/// groups (blank group cells count as zero; a blank printed cell is not
/// compared). Nothing when the unit printed no total row.
pub fn check_reported_into(
    layout: &Layout,
    unit_index: usize,
    unit: &Unit,
    sums: &Totals,
    out: &mut Vec<Finding>,
) {
    let Some(reported) = &unit.reported_totals else {
        return;
    };
    let mut emit = |subject, kind| {
        out.push(Finding {
            unit: unit_index as u32,
            group: None,
            subject,
            kind,
        })
    };
    if let Some(r) = reported.count.get() {
        let diff = i64::from(r) - sums.count as i64;
        if diff != 0 {
            emit(Subject::Count, Kind::TotalsDiffer(diff));
        }
    }
    for d in Dimension::ALL {
        let range = layout.range(d);
        for (i, (printed, sum)) in reported.cells[range.clone()]
            .iter()
            .zip(&sums.cells[range])
            .enumerate()
        {
            if let Some(r) = printed.get() {
                let diff = i64::from(r) - *sum as i64;
                if diff != 0 {
                    emit(Subject::Category(d, i as u16), Kind::TotalsDiffer(diff));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, ExtraTable, Frame, Place, Row};

    fn frame() -> Frame {
        Frame {
            name: "T".into(),
            municipalities: vec!["A".into()],
            authorities: vec!["Kommun".into(), "Arbetsförmedlingen".into()],
            sex: vec!["Män".into(), "Kvinnor".into()],
            age_bands: vec!["16-30".into(), "31-65".into()],
            duration_bands: vec!["kort".into(), "lång".into()],
            ..Frame::default()
        }
    }

    fn c(v: Option<u32>) -> Cell {
        Cell::from_option(v)
    }

    /// A group with cells given as sex, age, duration, also_at.
    fn group(count: Option<u32>, cells: [[Option<u32>; 2]; 4]) -> TargetGroup {
        TargetGroup {
            id: crate::model::identity::Id::random(),
            rank: 1,
            label: "G".into(),
            estimated: false,
            row: Row {
                count: c(count),
                cells: cells.iter().flatten().map(|v| c(*v)).collect(),
            },
            extra: Default::default(),
            themes: Default::default(),
            note: None,
        }
    }

    fn findings(group: &TargetGroup) -> Vec<(Subject, Kind)> {
        let mut out = vec![];
        check_group_into(&frame().layout(), group, |s, k| out.push((s, k)));
        out
    }

    const NONE: [Option<u32>; 2] = [None, None];

    #[test]
    fn blank_count_is_missing_and_nothing_else_is_checked() {
        let g = group(None, [[Some(1), Some(2)], NONE, NONE, NONE]);
        assert_eq!(findings(&g), vec![(Subject::Count, Kind::MissingCount)]);
    }

    #[test]
    fn estimated_count_is_a_finding_and_still_checked() {
        let mut g = group(
            Some(10),
            [
                [Some(5), Some(5)],
                [Some(4), Some(6)],
                [Some(9), None],
                NONE,
            ],
        );
        g.estimated = true;
        assert_eq!(
            findings(&g),
            vec![
                (Subject::Count, Kind::Estimated),
                (Subject::Breakdown(Dimension::Duration), Kind::Short(1)),
            ]
        );
    }

    #[test]
    fn all_blank_breakdowns_are_not_given() {
        let g = group(Some(3), [NONE, NONE, NONE, NONE]);
        assert_eq!(
            findings(&g),
            vec![
                (Subject::Breakdown(Dimension::Sex), Kind::NotGiven),
                (Subject::Breakdown(Dimension::Age), Kind::NotGiven),
                (Subject::Breakdown(Dimension::Duration), Kind::NotGiven),
            ]
        );
    }

    #[test]
    fn blank_beside_filled_reads_as_zero() {
        let g = group(
            Some(2),
            [[Some(2), None], [None, Some(2)], [Some(0), Some(2)], NONE],
        );
        assert_eq!(findings(&g), vec![]);
    }

    #[test]
    fn short_and_over_by_n() {
        let g = group(
            Some(10),
            [
                [Some(3), Some(5)],
                [Some(8), Some(4)],
                [Some(10), Some(0)],
                NONE,
            ],
        );
        assert_eq!(
            findings(&g),
            vec![
                (Subject::Breakdown(Dimension::Sex), Kind::Short(2)),
                (Subject::Breakdown(Dimension::Age), Kind::Over(2)),
            ]
        );
    }

    #[test]
    fn zero_count_with_zero_parts_is_fine() {
        let g = group(
            Some(0),
            [[Some(0), None], [Some(0), None], [Some(0), None], NONE],
        );
        assert_eq!(findings(&g), vec![]);
    }

    #[test]
    fn also_at_over_count_per_authority() {
        let g = group(
            Some(5),
            [
                [Some(5), None],
                [Some(5), None],
                [Some(5), None],
                [Some(5), Some(7)],
            ],
        );
        assert_eq!(
            findings(&g),
            vec![(Subject::Category(Dimension::AlsoAt, 1), Kind::Over(2))]
        );
    }

    #[test]
    fn extra_tables_are_checked_only_when_present() {
        let mut g = group(
            Some(4),
            [[Some(4), None], [Some(4), None], [Some(4), None], NONE],
        );
        let table = |cells: Vec<Option<u32>>| ExtraTable {
            title: "x".into(),
            rows: vec!["r1".into(), "r2".into()],
            columns: vec!["k".into()],
            cells: cells.into_iter().map(c).collect(),
        };
        assert_eq!(findings(&g), vec![]);
        g.extra = thin_vec::thin_vec![
            table(vec![Some(1), Some(3)]),
            table(vec![Some(1), None]),
            table(vec![None, None]),
            table(vec![Some(9), None]),
        ];
        assert_eq!(
            findings(&g),
            vec![
                (Subject::Extra(1), Kind::Short(3)),
                (Subject::Extra(2), Kind::NotGiven),
                (Subject::Extra(3), Kind::Over(5)),
            ]
        );
    }

    fn survey_with_totals(reported: Row) -> Survey {
        let g1 = group(
            Some(4),
            [
                [Some(4), None],
                [Some(2), Some(2)],
                [Some(4), None],
                [None, Some(1)],
            ],
        );
        let mut g2 = group(
            Some(3),
            [
                [Some(1), Some(2)],
                [Some(3), None],
                [Some(3), None],
                [None, Some(2)],
            ],
        );
        g2.rank = 2;
        Survey {
            deleted: Default::default(),
            about: None,
            frame: frame(),
            units: vec![Unit {
                groups: vec![g1, g2],
                reported_totals: Some(reported),
                ..Unit::empty("U".into(), 0, Place::Municipality(0))
            }],
        }
    }

    #[test]
    fn printed_totals_that_agree_give_nothing_and_blank_is_not_compared() {
        let reported = Row {
            count: c(Some(7)),
            cells: [5, 2, 5, 2, 7, 0]
                .iter()
                .map(|v| c(Some(*v)))
                .chain([c(None), c(Some(3))])
                .collect(),
        };
        assert_eq!(check_survey(&survey_with_totals(reported)), vec![]);
    }

    #[test]
    fn printed_totals_that_differ_give_reported_minus_computed() {
        let reported = Row {
            count: c(Some(10)),
            cells: [5, 2, 5, 1, 7, 0, 0, 3]
                .iter()
                .map(|v| c(Some(*v)))
                .collect(),
        };
        let found: Vec<_> = check_survey(&survey_with_totals(reported))
            .into_iter()
            .map(|f| (f.group, f.subject, f.kind))
            .collect();
        assert_eq!(
            found,
            vec![
                (None, Subject::Count, Kind::TotalsDiffer(3)),
                (
                    None,
                    Subject::Category(Dimension::Age, 1),
                    Kind::TotalsDiffer(-1)
                ),
            ]
        );
    }

    fn with_ranks(ranks: &[u32]) -> Unit {
        let mut unit = survey_with_totals(Row::blank(&frame().layout())).units[0].clone();
        unit.reported_totals = None;
        let g = unit.groups[0].clone();
        unit.groups = ranks
            .iter()
            .map(|r| TargetGroup {
                rank: *r,
                ..g.clone()
            })
            .collect();
        unit
    }

    fn duplicates_of(unit: &Unit) -> Vec<(Option<u32>, u32)> {
        let mut out = Vec::new();
        check_unit_into(
            &frame().layout(),
            0,
            unit,
            &UnitDuplicates::default(),
            &mut out,
        );
        out.iter()
            .filter_map(|f| match f.kind {
                Kind::Duplicate(n) => {
                    assert_eq!(f.subject, Subject::Rank);
                    Some((f.group, n))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_rank_given_twice_is_a_finding_on_each_of_its_groups() {
        assert_eq!(duplicates_of(&with_ranks(&[1, 2, 3])), vec![]);
        assert_eq!(duplicates_of(&with_ranks(&[3, 1, 2])), vec![]);
        assert_eq!(
            duplicates_of(&with_ranks(&[2, 1, 2, 1, 2])),
            vec![
                (Some(0), 3),
                (Some(1), 2),
                (Some(2), 3),
                (Some(3), 2),
                (Some(4), 3)
            ]
        );
        assert_eq!(
            duplicates_of(&with_ranks(&[1, 1, 4])),
            vec![(Some(0), 2), (Some(1), 2)]
        );
    }

    #[test]
    fn units_with_the_same_name_place_and_authority_are_duplicates() {
        let mut s = survey_with_totals(Row::blank(&frame().layout()));
        let u = s.units[0].clone();
        s.frame.municipalities.push("B".into());
        s.units = vec![
            u.clone(),
            Unit {
                place: Place::Municipality(1),
                ..u.clone()
            },
            Unit {
                authority: 1,
                ..u.clone()
            },
            Unit {
                name: "u".into(),
                ..u.clone()
            },
            u.clone(),
            Unit {
                place: Place::Area("Länet".into()),
                ..u.clone()
            },
            Unit {
                place: Place::Area("Länet".into()),
                ..u.clone()
            },
        ];
        let units: Vec<(u32, u32)> = check_survey(&s)
            .iter()
            .filter(|f| f.subject == Subject::Unit)
            .map(|f| {
                assert_eq!(f.group, None);
                let Kind::Duplicate(n) = f.kind else {
                    panic!("{f:?}")
                };
                (f.unit, n)
            })
            .collect();
        assert_eq!(units, vec![(0, 2), (4, 2), (5, 2), (6, 2)]);
        let f = check_survey(&s)[0];
        assert_eq!(
            f.message(&s),
            "dubblett: 2 enheter har samma namn, kommun och myndighet"
        );
        assert_eq!(f.subject_sv(&s), "enheten");
        assert_eq!(f.breakdown_key(&s), "unit");
    }

    #[test]
    fn the_one_pass_analysis_finds_the_same_duplicates_on_two_threads() {
        use crate::generate::{Size, generate};
        let mut s = generate(
            "x",
            Size {
                municipalities: 71,
                units: 15,
                groups: 10,
            },
            9,
        );
        assert!(s.group_count() > 10_000, "large enough to be split");
        let last = s.units.len() - 1;
        s.units[last] = s.units[0].clone();
        s.units[last - 1].groups[3].rank = 1;
        s.units[1].groups[9].rank = 2;
        let a = crate::model::analyse(&s);
        assert_eq!(a.findings, check_survey(&s));
        let duplicates: Vec<(u32, Option<u32>)> = a
            .findings
            .iter()
            .filter(|f| f.kind.key() == "duplicate")
            .map(|f| (f.unit, f.group))
            .collect();
        let (l, m) = (last as u32, last as u32 - 1);
        assert_eq!(
            duplicates,
            vec![
                (0, None),
                (1, Some(1)),
                (1, Some(9)),
                (m, Some(0)),
                (m, Some(3)),
                (l, None)
            ]
        );
    }

    #[test]
    fn words_are_swedish() {
        assert_eq!(Kind::Short(2).to_string(), "kort 2");
        assert_eq!(Kind::Over(2).to_string(), "över 2");
        assert_eq!(Kind::NotGiven.to_string(), "ej angivet");
        assert_eq!(Kind::MissingCount.to_string(), "saknar antal");
        assert_eq!(Kind::Estimated.to_string(), "uppskattat");
        assert_eq!(
            Kind::TotalsDiffer(7).to_string(),
            "skiljer sig från summan: 7"
        );
    }
}
