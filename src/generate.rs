//! Synthetic national-scale surveys for benchmarks and load tests, with a
//! realistic share of blanks, estimates and errors. Deterministic per seed.

use crate::error::{Error, Result};
use crate::model::validate;
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, KeyFigure, Place, Row, Survey, TargetGroup, Unit,
};

/// How large a survey to make.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// Number of municipalities.
    pub municipalities: usize,
    /// Units per municipality.
    pub units: usize,
    /// Target groups per unit.
    pub groups: usize,
}

impl Size {
    /// 290 municipalities × 15 units × 10 groups = 43,500 groups.
    pub const NATIONAL: Size = Size {
        municipalities: 290,
        units: 15,
        groups: 10,
    };
    /// 290 × 345 × 10 = 1,000,500 groups.
    pub const MILLION: Size = Size {
        municipalities: 290,
        units: 345,
        groups: 10,
    };
}

/// The frame of the 2005 form (docs/survey-document.md), with the given municipalities.
pub fn frame_2005(name: &str, municipalities: Vec<String>) -> Frame {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Frame {
        name: name.to_owned(),
        region: "Hela landet".to_owned(),
        period: "januari-mars 2005".to_owned(),
        municipalities,
        authorities: strings(&[
            "Kommun",
            "Landsting",
            "Försäkringskassan",
            "Arbetsförmedlingen",
        ]),
        sex: strings(&["Män", "Kvinnor"]),
        age_bands: strings(&["16-20", "21-30", "31-50", "51-65"]),
        duration_bands: strings(&["upp till 6 mån", "7 mån-1 år", "2-3 år", "4 år och mer"]),
        note: None,
        planned_units: Vec::new(),
        themes: Vec::new(),
    }
}

/// SplitMix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Splits `total` into `parts` random parts that add up to it.
fn split(rng: &mut Rng, total: u64, parts: usize) -> Vec<u64> {
    let mut out = vec![0; parts];
    let mut left = total;
    for (i, slot) in out.iter_mut().enumerate() {
        if i + 1 == parts {
            *slot = left;
        } else {
            let take = rng.below(left / 2 + 2).min(left);
            *slot = take;
            left -= take;
        }
    }
    out
}

const LABELS: &[&str] = &[
    "Unga vuxna utan fullständiga betyg",
    "Långtidssjukskrivna med oklar diagnos",
    "Personer med psykisk ohälsa långt från arbetsmarknaden",
    "Nyanlända med lite svenskkunskaper",
    "Missbruk och kriminalitet",
    "Äldre långtidsarbetslösa",
    "Ensamstående föräldrar med försörjningsstöd",
    "Rygg- och värkpatienter",
    "Personer med neuropsykiatriska diagnoser",
    "Sjukskrivna utan arbete att återgå till",
];

/// Makes a survey of the given size for the command line: refused, naming
/// the flag, when `import` would refuse the document it makes (a frame list
/// holds at most [`validate::LIST_MAX`] municipalities; the name is a
/// label).
pub fn generate_checked(name: &str, size: Size, seed: u64) -> Result<Survey> {
    if size.municipalities > validate::LIST_MAX {
        return Err(Error::at(
            "--municipalities",
            format!(
                "högst {} kommuner, fick {} (en kartläggning har högst {} kommuner; import skulle vägra dokumentet)",
                validate::LIST_MAX,
                size.municipalities,
                validate::LIST_MAX
            ),
        ));
    }
    validate::label(name).map_err(|m| Error::at("--name", m))?;
    let survey = generate(name, size, seed);
    validate::survey(&survey).map_err(|e| Error::at(e.at, e.message))?;
    Ok(survey)
}

/// Makes a survey of the given size.
pub fn generate(name: &str, size: Size, seed: u64) -> Survey {
    let mut rng = Rng(seed);
    // Ids from a stream of their own, so the data stays what it was per seed.
    let mut ids = Rng(seed ^ 0x6964_7320_6f66_2075);
    let mut id = move || {
        crate::model::identity::Id::from_u128(u128::from(ids.next()) << 64 | u128::from(ids.next()))
    };
    let municipalities = (1..=size.municipalities)
        .map(|i| format!("Kommun {i:03}"))
        .collect();
    let frame = frame_2005(name, municipalities);
    let layout = frame.layout();
    let mut units = Vec::with_capacity(size.municipalities * size.units);
    for m in 0..size.municipalities {
        for u in 0..size.units {
            let authority = u % frame.authorities.len();
            // About one unit in 200 covers a region instead of a municipality.
            let place = if rng.chance(1) && rng.chance(50) {
                Place::Area(format!("Region {}", m % 21 + 1))
            } else {
                Place::Municipality(m)
            };
            let mut groups = Vec::with_capacity(size.groups);
            for g in 0..size.groups {
                let label = LABELS[rng.below(LABELS.len() as u64) as usize].to_owned();
                let mut row = Row::blank(&layout);
                let mut estimated = false;
                let mut extra = Vec::new();
                if !rng.chance(10) {
                    let count = 1 + rng.below(60) + if rng.chance(10) { rng.below(300) } else { 0 };
                    row.count = Cell::new(count as u32);
                    estimated = rng.chance(8);
                    if rng.chance(70) {
                        for d in Dimension::PARTS {
                            let n = layout.dim_len(d);
                            let mut parts = split(&mut rng, count, n);
                            if rng.chance(6) {
                                let i = rng.below(n as u64) as usize;
                                parts[i] = parts[i] + 1 + rng.below(3);
                            } else if rng.chance(6) {
                                let i = rng.below(n as u64) as usize;
                                parts[i] = parts[i].saturating_sub(1 + rng.below(3));
                            }
                            for (cell, p) in row.part_mut(&layout, d).iter_mut().zip(parts) {
                                // Zeros are often left blank on paper.
                                *cell = if p == 0 && rng.chance(50) {
                                    Cell::BLANK
                                } else {
                                    Cell::new(p as u32)
                                };
                            }
                        }
                        for cell in row.part_mut(&layout, Dimension::AlsoAt) {
                            if rng.chance(50) {
                                let v = rng.below(count + 1) + u64::from(rng.chance(2)) * 3;
                                *cell = Cell::new(v as u32);
                            }
                        }
                    } else if rng.chance(2) {
                        extra.push(extra_table(&mut rng, count));
                    }
                }
                groups.push(TargetGroup {
                    id: id(),
                    rank: g as u32 + 1,
                    label,
                    estimated,
                    row,
                    extra: extra.into(),
                    themes: Default::default(),
                    note: rng.chance(5).then(|| "Uppgiften lämnades muntligt.".into()),
                });
            }
            let reported_totals = rng.chance(20).then(|| {
                let mut sum = crate::model::aggregate::Totals::new(&layout);
                for g in &groups {
                    sum.add_group(&layout, g);
                }
                let mut row = Row {
                    count: Cell::new(sum.count as u32),
                    cells: sum.cells.iter().map(|&v| Cell::new(v as u32)).collect(),
                };
                if rng.chance(25) {
                    let i = rng.below(row.cells.len() as u64) as usize;
                    row.cells[i] = Cell::new(row.cells[i].or_zero() as u32 + 7);
                }
                row
            });
            units.push(Unit {
                id: id(),
                lineage: Default::default(),
                place,
                authority,
                name: format!(
                    "{} {}, enhet {}",
                    frame.authorities[authority],
                    m + 1,
                    u + 1
                ),
                collaboration_today: rng
                    .chance(60)
                    .then(|| "Samverkansmöten en gång i månaden.".to_owned()),
                preventive_measures: rng
                    .chance(60)
                    .then(|| "Tidiga insatser och sysselsättning.".to_owned()),
                note: None,
                key_figures: if authority == 1 && rng.chance(50) {
                    vec![KeyFigure {
                        name: "Listade personer".to_owned(),
                        value: 2_000 + rng.below(10_000),
                    }]
                } else {
                    Vec::new()
                },
                groups,
                reported_totals,
                reviews: Vec::new(),
                verification: None,
            });
        }
    }
    Survey {
        deleted: Default::default(),
        about: Some(format!("Syntetisk kartläggning, frö {seed}.")),
        frame,
        units,
    }
}

fn extra_table(rng: &mut Rng, count: u64) -> ExtraTable {
    let rows: Vec<String> = [">1 år", ">2 år", ">3 år"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let columns: Vec<String> = ["kvinnor", "män"].iter().map(|s| s.to_string()).collect();
    let cells = split(rng, count, rows.len() * columns.len())
        .into_iter()
        .map(|v| Cell::new(v as u32))
        .collect();
    ExtraTable {
        title: "Inskrivningstid och kön".to_owned(),
        rows,
        columns,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check::{Kind, check_survey};

    #[test]
    fn has_the_size_asked_for_and_every_kind_of_finding() {
        let s = generate(
            "x",
            Size {
                municipalities: 20,
                units: 15,
                groups: 10,
            },
            7,
        );
        assert_eq!(s.group_count(), 3_000);
        let found = check_survey(&s);
        // Generated units have distinct names and ranks 1, 2, 3 …: no
        // duplicates.
        for key in Kind::KEYS.into_iter().filter(|k| *k != "duplicate") {
            assert!(
                found.iter().any(|f| f.kind.key() == key),
                "no {key} finding"
            );
        }
        assert_eq!(
            s,
            generate(
                "x",
                Size {
                    municipalities: 20,
                    units: 15,
                    groups: 10
                },
                7
            )
        );
    }

    #[test]
    fn the_one_pass_analysis_equals_checks_and_totals_apart() {
        // Above the size where the analysis splits the work over two threads.
        let size = Size {
            municipalities: 71,
            units: 15,
            groups: 10,
        };
        let s = generate("x", size, 3);
        assert!(s.group_count() > 10_000);
        let a = crate::model::analyse(&s);
        assert_eq!(a.findings, check_survey(&s));
        assert_eq!(a.totals, crate::model::aggregate::survey_totals(&s));
        let mut again = crate::model::analyse(&generate("y", size, 4));
        again.recompute(&s);
        assert_eq!(again, a);
        let small = generate(
            "z",
            Size {
                municipalities: 3,
                ..size
            },
            5,
        );
        assert_eq!(crate::model::analyse(&small).findings, check_survey(&small));
        assert!(
            a.findings
                .iter()
                .any(|f| matches!(f.kind, Kind::TotalsDiffer(_)))
        );
        let areas = a.totals.places.iter();
        assert!(
            areas
                .clone()
                .any(|p| matches!(p.place, crate::model::Place::Area(_)))
        );
    }
}
