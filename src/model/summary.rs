//! Generated, factual summaries an author edits rather than writes: per
//! municipality (or region-wide area) and for the whole survey. Sentences
//! made once here, printed by the HTML report and the Word document alike.

use super::aggregate::{SurveyTotals, Totals};
use super::notes::{people, sv_number};
use super::{Dimension, Survey, TargetGroup, Unit};

/// How many of the largest groups a summary names.
const LARGEST_PER_PLACE: usize = 3;
const LARGEST_IN_SURVEY: usize = 5;

/// The summary of the whole survey, for the report's first page.
pub struct SurveySummary {
    /// Plain sentences: scope, largest groups, "aktuell hos", gaps.
    pub sentences: Vec<String>,
    /// The themes ranked by the number of authorities and people naming
    /// them, one sentence each, then the note that a group may count under
    /// several; empty when the frame has no themes or no group carries one.
    pub themes: Vec<String>,
}

/// The summary of the whole survey.
pub fn survey_summary(survey: &Survey, totals: &SurveyTotals) -> SurveySummary {
    let all = &totals.all;
    let units = survey.units.len();
    let authorities = distinct_authorities(survey.units.iter());
    let (mut with_units, mut empty) = (0, Vec::new());
    let mut areas = 0;
    for p in &totals.places {
        match &p.place {
            super::Place::Municipality(m) => {
                if p.totals.groups == 0 && !survey.units.iter().any(|u| u.place == p.place) {
                    empty.push(survey.frame.municipalities[*m].as_str());
                } else {
                    with_units += 1;
                }
            }
            super::Place::Area(_) => areas += 1,
        }
    }
    let mut where_ = format!("{with_units} {}", plural(with_units, "kommun", "kommuner"));
    if areas > 0 {
        where_ += &format!(" och {areas} {}", plural(areas, "område", "områden"));
    }
    let mut sentences = vec![format!(
        "Kartläggningen omfattar {} {} från {authorities} {} i {where_}. {}",
        sv_number(units as u64),
        plural(units, "enhet", "enheter"),
        plural(authorities, "myndighet", "myndigheter"),
        scope(all),
    )];
    if !empty.is_empty() {
        sentences.push(format!("Inga enheter i {}.", list(&empty)));
    }
    sentences.extend(facts(survey, survey.units.iter(), all, LARGEST_IN_SURVEY));
    SurveySummary {
        sentences,
        themes: theme_sentences(survey),
    }
}

/// "1. Arbetslösa unga: 4 myndigheter, 7 enheter, 12 målgrupper, ca 310
/// personer." for each theme some group carries, most authorities first,
/// then most people; then the double-count note.
fn theme_sentences(survey: &Survey) -> Vec<String> {
    let rows = super::themes::totals(survey);
    let ranked = super::themes::ranked(&rows);
    if ranked.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<String> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let t = &r.totals;
            format!(
                "{}. {}: {} {}, {} {}, {} {}, {} {}.",
                i + 1,
                r.name(survey),
                r.authorities,
                plural(r.authorities as usize, "myndighet", "myndigheter"),
                r.units,
                plural(r.units as usize, "enhet", "enheter"),
                t.groups,
                plural(t.groups as usize, "målgrupp", "målgrupper"),
                people(t.count, t.estimated),
                plural(t.count as usize, "person", "personer"),
            )
        })
        .collect();
    out.push(super::themes::DOUBLE_COUNT_NOTE.to_owned());
    out
}

/// The summary of place `p` (indexed like `totals.places`); "Inga
/// enheter." when no unit answered there.
pub fn place_summary(survey: &Survey, totals: &SurveyTotals, p: usize) -> Vec<String> {
    let place = &totals.places[p];
    let units: Vec<&Unit> = survey
        .units
        .iter()
        .filter(|u| u.place == place.place)
        .collect();
    if units.is_empty() {
        return vec!["Inga enheter.".to_owned()];
    }
    let authorities = distinct_authorities(units.iter().copied());
    let mut out = vec![format!(
        "{} {} från {authorities} {}. {}",
        sv_number(units.len() as u64),
        plural(units.len(), "enhet", "enheter"),
        plural(authorities, "myndighet", "myndigheter"),
        scope(&place.totals),
    )];
    out.extend(facts(
        survey,
        units.iter().copied(),
        &place.totals,
        LARGEST_PER_PLACE,
    ));
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "A, B och C".
fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} och {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

fn distinct_authorities<'a>(units: impl Iterator<Item = &'a Unit>) -> usize {
    let mut seen: Vec<usize> = units.map(|u| u.authority).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

/// "De beskriver 14 målgrupper med ca 350 personer, varav 40 i
/// uppskattade antal; 2 målgrupper saknar antal."
fn scope(t: &Totals) -> String {
    let mut s = format!(
        "De beskriver {} {} med {} personer",
        sv_number(t.groups),
        plural(t.groups as usize, "målgrupp", "målgrupper"),
        people(t.count, t.estimated)
    );
    if t.estimated > 0 {
        s += &format!(", varav {} i uppskattade antal", sv_number(t.estimated));
    }
    if t.groups_without_count > 0 {
        s += &format!(
            "; {} {} antal",
            sv_number(t.groups_without_count),
            plural(
                t.groups_without_count as usize,
                "målgrupp saknar",
                "målgrupper saknar"
            )
        );
    }
    s.push('.');
    s
}

/// The largest groups, the "aktuell hos" shares and the breakdown gaps.
fn facts<'a>(
    survey: &'a Survey,
    units: impl Iterator<Item = &'a Unit>,
    t: &Totals,
    largest: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut top: Vec<(&Unit, &TargetGroup, u32)> = Vec::new();
    for unit in units {
        for g in &unit.groups {
            if let Some(c) = g.row.count.get() {
                // Keep only the `largest` so far: a national survey has
                // tens of thousands of groups.
                if top.len() < largest || top.last().is_some_and(|l| l.2 < c) {
                    let at = top.partition_point(|x| x.2 >= c);
                    top.insert(at, (unit, g, c));
                    top.truncate(largest);
                }
            }
        }
    }
    if !top.is_empty() {
        let names: Vec<String> = top
            .iter()
            .map(|(u, g, c)| {
                let n = if g.estimated {
                    format!("ca {}", sv_number(u64::from(*c)))
                } else {
                    sv_number(u64::from(*c))
                };
                format!("”{}” ({}, {n})", g.label, u.name)
            })
            .collect();
        out.push(format!("De största målgrupperna: {}.", list(&names)));
    }
    if t.also_at_answered > 0 {
        let layout = survey.layout();
        let mut shares: Vec<(usize, u64)> = t
            .part(&layout, Dimension::AlsoAt)
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, v)| *v > 0)
            .collect();
        shares.sort_by_key(|s| std::cmp::Reverse(s.1));
        if !shares.is_empty() {
            let n = t.also_at_answered;
            let parts: Vec<String> = shares
                .iter()
                .take(3)
                .map(|(a, v)| {
                    format!(
                        "{} {} ({} %)",
                        survey.frame.authorities[*a],
                        sv_number(*v),
                        percent(*v, n)
                    )
                })
                .collect();
            out.push(format!(
                "Aktuella även hos: {} av de {} personer som frågan besvarades för (n = {}).",
                list(&parts),
                sv_number(n),
                sv_number(n)
            ));
        }
    }
    let mut gaps: Vec<(Dimension, u64, u64)> = Dimension::PARTS
        .into_iter()
        .map(|d| (d, t.missing(d), t.over(d)))
        .filter(|(_, m, o)| m + o > 0)
        .collect();
    gaps.sort_by_key(|g| std::cmp::Reverse(g.1 + g.2));
    if !gaps.is_empty() {
        let parts: Vec<String> = gaps
            .iter()
            .map(|(d, m, o)| match (m, o) {
                (m, 0) => format!("{} ({} saknas)", d.name_sv(), sv_number(*m)),
                (0, o) => format!("{} ({} för många)", d.name_sv(), sv_number(*o)),
                (m, o) => format!(
                    "{} ({} saknas, {} för många)",
                    d.name_sv(),
                    sv_number(*m),
                    sv_number(*o)
                ),
            })
            .collect();
        out.push(format!("Störst luckor i fördelningarna: {}.", list(&parts)));
    }
    out
}

/// A share in whole per cent, rounded half up.
pub fn percent(part: u64, of: u64) -> u64 {
    (part * 100 + of / 2).checked_div(of).unwrap_or(0)
}
