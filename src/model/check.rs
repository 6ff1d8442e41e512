//! Findings: every place where a unit's numbers are missing, short, over, or
//! disagree with its own printed totals. Pure functions over the model; the
//! words people read are made here too, once, for the app, the command line
//! and the exports.

use std::fmt;

use super::aggregate::{Totals, unit_totals};
use super::{Dimension, Layout, PartSums, Survey, TargetGroup, Unit, filled_sum};

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
        }
    }

    /// All keys, in the order above, for filters.
    pub const KEYS: [&'static str; 6] = [
        "missing_count",
        "estimated",
        "not_given",
        "short",
        "over",
        "totals_differ",
    ];

    /// The number that goes with the finding, if any.
    pub fn amount(self) -> Option<i64> {
        match self {
            Kind::Short(n) | Kind::Over(n) => Some(n as i64),
            Kind::TotalsDiffer(d) => Some(d),
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
    /// `extra:<title>`, `age:<band>` …
    pub fn breakdown_key(&self, survey: &Survey) -> String {
        match self.subject {
            Subject::Count => "count".to_owned(),
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
        let prefix = if self.group.is_none() {
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
        };
        format!("{prefix}{what}")
    }

    /// The whole message: "ålder: över 2"; a group's own count needs no
    /// subject ("saknar antal", "uppskattat").
    pub fn message(&self, survey: &Survey) -> String {
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
    // Real surveys have about one finding per group; growing the vector
    // from empty would copy it a dozen times.
    let mut out = Vec::with_capacity(survey.group_count() + survey.group_count() / 4);
    for (u, unit) in survey.units.iter().enumerate() {
        check_unit_into(&layout, u, unit, &mut out);
    }
    out
}

/// The findings of one unit, appended to `out` (the app rechecks one unit
/// after an edit).
pub fn check_unit_into(layout: &Layout, unit_index: usize, unit: &Unit, out: &mut Vec<Finding>) {
    for (g, group) in unit.groups.iter().enumerate() {
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
            rank: 1,
            label: "G".into(),
            estimated: false,
            row: Row {
                count: c(count),
                cells: cells.iter().flatten().map(|v| c(*v)).collect(),
            },
            extra: Default::default(),
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
        let g2 = group(
            Some(3),
            [
                [Some(1), Some(2)],
                [Some(3), None],
                [Some(3), None],
                [None, Some(2)],
            ],
        );
        Survey {
            about: None,
            frame: frame(),
            units: vec![Unit {
                place: Place::Municipality(0),
                authority: 0,
                name: "U".into(),
                collaboration_today: None,
                preventive_measures: None,
                note: None,
                key_figures: vec![],
                groups: vec![g1, g2],
                reported_totals: Some(reported),
                reviews: Vec::new(),
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
