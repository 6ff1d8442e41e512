//! Themes (gemensamma målgrupper): shared names for the differently worded
//! groups of many units. Totals per theme, suggestions from keywords, and
//! the frame dialog's one-line-per-theme text. Pure: no I/O.
//!
//! A group with two themes counts in both: the rows of [`totals`] do not add
//! up to the survey's total, and every place that shows them says so
//! ([`DOUBLE_COUNT_NOTE`]).

use super::aggregate::Totals;
use super::{Place, Survey, TargetGroup, Theme};

/// What every table or view of totals per theme says beside it.
pub const DOUBLE_COUNT_NOTE: &str = "En målgrupp med flera teman räknas under vart och ett av dem, så raderna summerar inte till kartläggningens total. Målgrupper utan tema står på en egen rad.";

/// The name of the row of groups without a theme, for people.
pub const UNTAGGED_SV: &str = "(utan tema)";

/// Totals of the groups carrying one theme, or of the untagged groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeRow {
    /// Position in `frame.themes`; `None` for the groups without a theme.
    pub theme: Option<usize>,
    /// Units with at least one such group.
    pub units: u64,
    /// Authority types (of `frame.authorities`) with such a unit.
    pub authorities: u64,
    /// Municipalities with such a unit (region-wide areas not counted).
    pub municipalities: u64,
    /// People per authority type, indexed like `frame.authorities` (the
    /// theme chart's bars).
    pub people_by_authority: Vec<u64>,
    /// Groups, people, estimated part, breakdowns and not given.
    pub totals: Totals,
}

impl ThemeRow {
    /// The theme's name, or [`UNTAGGED_SV`].
    pub fn name<'a>(&self, survey: &'a Survey) -> &'a str {
        self.theme
            .and_then(|t| survey.frame.themes.get(t))
            .map_or(UNTAGGED_SV, |t| t.name.as_str())
    }
}

/// Totals per theme, in the frame's order, then one row for the groups
/// without a theme (always there, with zero groups when every group has a
/// theme). A group with two themes counts in both.
pub fn totals(survey: &Survey) -> Vec<ThemeRow> {
    let layout = survey.layout();
    let n = survey.frame.themes.len();
    let authorities = survey.frame.authorities.len();
    let municipalities = survey.frame.municipalities.len();
    let mut rows: Vec<ThemeRow> = (0..=n)
        .map(|t| ThemeRow {
            theme: (t < n).then_some(t),
            units: 0,
            authorities: 0,
            municipalities: 0,
            people_by_authority: vec![0; authorities],
            totals: Totals::new(&layout),
        })
        .collect();
    let mut seen_authority = vec![vec![false; authorities]; n + 1];
    let mut seen_municipality = vec![vec![false; municipalities]; n + 1];
    let mut in_unit = vec![false; n + 1];
    for unit in &survey.units {
        in_unit.iter_mut().for_each(|x| *x = false);
        for group in &unit.groups {
            let sums = group.row.part_sums(&layout);
            let mut add = |t: usize| {
                let row = &mut rows[t];
                row.totals.add_group_with(group, &sums);
                if let (Some(count), Some(slot)) = (
                    group.row.count.get(),
                    row.people_by_authority.get_mut(unit.authority),
                ) {
                    *slot += u64::from(count);
                }
                in_unit[t] = true;
            };
            if group.themes.is_empty() {
                add(n);
            }
            for &t in &group.themes {
                // Positions beyond the frame cannot be loaded or imported;
                // skipped rather than trusted.
                if usize::from(t) < n {
                    add(usize::from(t));
                }
            }
        }
        for (t, used) in in_unit.iter().enumerate() {
            if !used {
                continue;
            }
            rows[t].units += 1;
            if let Some(seen) = seen_authority[t].get_mut(unit.authority) {
                *seen = true;
            }
            if let Place::Municipality(m) = unit.place
                && let Some(seen) = seen_municipality[t].get_mut(m)
            {
                *seen = true;
            }
        }
    }
    for (t, row) in rows.iter_mut().enumerate() {
        row.authorities = seen_authority[t].iter().filter(|s| **s).count() as u64;
        row.municipalities = seen_municipality[t].iter().filter(|s| **s).count() as u64;
    }
    rows
}

/// The themes (not the untagged row) ranked as a summary names them: by the
/// number of authority types naming them, then by people, then by the
/// frame's order. Themes no group carries are left out.
pub fn ranked(rows: &[ThemeRow]) -> Vec<&ThemeRow> {
    let mut out: Vec<&ThemeRow> = rows
        .iter()
        .filter(|r| r.theme.is_some() && r.totals.groups > 0)
        .collect();
    out.sort_by(|a, b| {
        b.authorities
            .cmp(&a.authorities)
            .then(b.totals.count.cmp(&a.totals.count))
            .then(a.theme.cmp(&b.theme))
    });
    out
}

/// The themes whose keywords (or name) occur in the group's label, ignoring
/// case, that the group does not carry yet: suggestions for the user to
/// accept or not, never applied by themselves.
pub fn suggestions(themes: &[Theme], group: &TargetGroup) -> Vec<u16> {
    let label = group.label.to_lowercase();
    themes
        .iter()
        .enumerate()
        .filter(|(t, _)| !group.themes.contains(&(*t as u16)))
        .filter(|(_, theme)| {
            std::iter::once(&theme.name)
                .chain(&theme.keywords)
                .map(|k| k.trim().to_lowercase())
                .any(|k| !k.is_empty() && label.contains(&k))
        })
        .map(|(t, _)| t as u16)
        .collect()
}

/// Puts theme `t` on the group, or takes it off; the positions stay sorted.
pub fn toggle(group: &mut TargetGroup, t: u16) {
    match group.themes.binary_search(&t) {
        Ok(i) => {
            group.themes.remove(i);
        }
        Err(i) => group.themes.insert(i, t),
    }
}

/// The theme names of a group, joined for a table cell ("A; B").
pub fn names(themes: &[Theme], group: &TargetGroup) -> String {
    group
        .themes
        .iter()
        .filter_map(|t| themes.get(usize::from(*t)))
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Themes as the frame dialog shows them: one per line, the keywords after
/// a colon, separated by commas (`Arbetslösa unga: ungdom, unga`).
pub fn to_lines(themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| {
            if t.keywords.is_empty() {
                t.name.clone()
            } else {
                format!("{}: {}", t.name, t.keywords.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Themes from the dialog's text ([`to_lines`]); empty lines are skipped,
/// empty keywords dropped. Names are checked with the frame's rules.
pub fn from_lines(text: &str) -> Vec<Theme> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, keywords) = line.split_once(':').unwrap_or((line, ""));
            Theme {
                name: name.trim().to_owned(),
                keywords: keywords
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

/// Whether the themes may change from `old` to `new` in this survey: they
/// may be renamed, given other keywords or added at the end, and removed
/// from the end only when no group carries them (groups refer to themes by
/// position). The reason in Swedish when refused.
pub fn check_change(old: &[Theme], new: &[Theme], survey: &Survey) -> Result<(), String> {
    for (t, theme) in old.iter().enumerate().skip(new.len()) {
        let carried = survey
            .units
            .iter()
            .flat_map(|u| &u.groups)
            .filter(|g| g.themes.contains(&(t as u16)))
            .count();
        if carried > 0 {
            return Err(format!(
                "temat ”{}” kan inte tas bort: {carried} målgrupper har det. Ta bort temat från grupperna först (vyn Teman), eller byt namn på det",
                theme.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Frame, Row, Unit};

    fn group(label: &str, count: u32, themes: &[u16]) -> TargetGroup {
        TargetGroup {
            id: crate::model::identity::Id::random(),
            rank: 1,
            label: label.into(),
            estimated: false,
            row: Row {
                count: Cell::new(count),
                cells: [Some(count), None, None, None]
                    .into_iter()
                    .map(Cell::from_option)
                    .collect(),
            },
            extra: Default::default(),
            note: None,
            themes: themes.iter().copied().collect(),
        }
    }

    fn unit(place: Place, authority: usize, groups: Vec<TargetGroup>) -> Unit {
        Unit {
            groups,
            ..Unit::empty("U".into(), authority, place)
        }
    }

    fn survey() -> Survey {
        Survey {
            about: None,
            frame: Frame {
                name: "T".into(),
                municipalities: vec!["A".into(), "B".into()],
                authorities: vec!["K".into(), "L".into()],
                sex: vec!["M".into()],
                age_bands: vec!["x".into()],
                duration_bands: vec!["y".into()],
                themes: vec![
                    Theme {
                        name: "Arbetslösa unga".into(),
                        keywords: vec!["ungdom".into(), "unga".into()],
                    },
                    Theme {
                        name: "Sjukskrivna".into(),
                        keywords: vec!["sjukskriv".into()],
                    },
                    Theme {
                        name: "Oanvänt".into(),
                        keywords: vec![],
                    },
                ],
                ..Frame::default()
            },
            deleted: Default::default(),
            units: vec![
                unit(
                    Place::Municipality(0),
                    0,
                    vec![
                        group("Arbetslösa ungdomar", 10, &[0]),
                        group("Unga sjukskrivna", 4, &[0, 1]),
                    ],
                ),
                unit(
                    Place::Municipality(1),
                    1,
                    vec![group("Ungdomar", 7, &[0]), group("Övriga", 3, &[])],
                ),
                unit(Place::Area("Länet".into()), 1, vec![group("X", 1, &[1])]),
            ],
        }
    }

    #[test]
    fn a_group_with_two_themes_counts_in_both_and_untagged_groups_have_a_row() {
        let rows = totals(&survey());
        assert_eq!(rows.len(), 4);
        let unga = &rows[0];
        assert_eq!(
            (unga.totals.groups, unga.totals.count, unga.units),
            (3, 21, 2)
        );
        assert_eq!((unga.authorities, unga.municipalities), (2, 2));
        assert_eq!(unga.people_by_authority, vec![14, 7]);
        let sjuk = &rows[1];
        assert_eq!((sjuk.totals.groups, sjuk.totals.count), (2, 5));
        // The area counts as a unit and an authority, not a municipality.
        assert_eq!(
            (sjuk.units, sjuk.authorities, sjuk.municipalities),
            (2, 2, 1)
        );
        assert_eq!(rows[2].totals.groups, 0);
        let none = &rows[3];
        assert_eq!(none.theme, None);
        assert_eq!((none.totals.groups, none.totals.count), (1, 3));
        assert_eq!(none.name(&survey()), UNTAGGED_SV);
    }

    #[test]
    fn ranked_by_authorities_then_people_leaving_out_unused_themes() {
        let rows = totals(&survey());
        let names: Vec<_> = ranked(&rows).iter().map(|r| r.theme).collect();
        assert_eq!(names, vec![Some(0), Some(1)]);
    }

    #[test]
    fn suggestions_match_keywords_in_the_label_but_not_themes_already_set() {
        let s = survey();
        let g = group("Långtidssjukskrivna ungdomar", 1, &[]);
        assert_eq!(suggestions(&s.frame.themes, &g), vec![0, 1]);
        let g = group("Långtidssjukskrivna ungdomar", 1, &[1]);
        assert_eq!(suggestions(&s.frame.themes, &g), vec![0]);
        assert!(suggestions(&s.frame.themes, &group("Äldre", 1, &[])).is_empty());
    }

    #[test]
    fn lines_round_trip_and_toggle_keeps_order() {
        let themes = survey().frame.themes;
        assert_eq!(from_lines(&to_lines(&themes)), themes);
        let mut g = group("x", 1, &[2]);
        toggle(&mut g, 0);
        toggle(&mut g, 1);
        assert_eq!(g.themes.as_slice(), [0, 1, 2]);
        toggle(&mut g, 1);
        assert_eq!(g.themes.as_slice(), [0, 2]);
    }

    #[test]
    fn a_theme_carried_by_groups_cannot_be_removed() {
        let s = survey();
        let old = &s.frame.themes;
        assert!(check_change(old, &old[..2], &s).is_ok());
        let e = check_change(old, &old[..1], &s).unwrap_err();
        assert!(
            e.contains("”Sjukskrivna”") && e.contains("2 målgrupper"),
            "{e}"
        );
    }
}
