//! Coverage: which units the frame plans, which are entered, reviewed and
//! double-entered, per municipality (or area) and authority. Computed once
//! here for the overview, `malgrupp status` and its JSON.

use super::check::Finding;
use super::{Place, Survey, Unit};

/// A unit the frame plans to survey (`survey.planned_units` in the
/// document). A planned unit is entered when a unit of the same name,
/// place and authority exists.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedUnit {
    /// The unit's name.
    pub name: String,
    /// One of `survey.municipalities`, or `None` for a region-wide unit.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The area a region-wide unit covers (with `municipality` null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// One of `survey.authorities`.
    pub authority: String,
}

/// How far a unit has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitState {
    /// Planned in the frame, not entered yet.
    Planned,
    /// Entered, with findings not yet reviewed.
    Open,
    /// Entered, every finding reviewed (or none).
    Reviewed,
    /// Double-entered and unchanged since.
    Verified,
}

impl UnitState {
    /// The key in JSON.
    pub fn key(self) -> &'static str {
        match self {
            UnitState::Planned => "planned",
            UnitState::Open => "open",
            UnitState::Reviewed => "reviewed",
            UnitState::Verified => "verified",
        }
    }

    /// In Swedish, for people.
    pub fn name_sv(self) -> &'static str {
        match self {
            UnitState::Planned => "planerad, ej inmatad",
            UnitState::Open => "inmatad, ogranskade fynd",
            UnitState::Reviewed => "alla fynd granskade",
            UnitState::Verified => "kontrollinmatad",
        }
    }
}

/// A unit in a cell of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageUnit {
    /// Its name.
    pub name: String,
    /// Its state.
    pub state: UnitState,
    /// Position in `survey.units`; `None` for a planned unit not entered.
    pub index: Option<usize>,
    /// Double-entered, then changed ("ändrad efter kontroll").
    pub changed_after_verification: bool,
    /// Open findings of the unit.
    pub open_findings: usize,
}

/// One municipality (or area) × authority of the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageCell {
    /// The municipality, or the area of region-wide units.
    pub place: Place,
    /// Index into `frame.authorities`.
    pub authority: usize,
    /// Planned units (entered or not).
    pub planned: usize,
    /// Entered units.
    pub entered: usize,
    /// Entered units with every finding reviewed (verified ones included).
    pub reviewed: usize,
    /// Double-entered units unchanged since.
    pub verified: usize,
    /// The units, entered ones in survey order, then planned ones missing.
    pub units: Vec<CoverageUnit>,
}

/// Where a planned unit belongs; `None` when its municipality or authority
/// is not in the frame (the import refuses such a document).
pub fn planned_place(survey: &Survey, p: &PlannedUnit) -> Option<(Place, usize)> {
    let f = &survey.frame;
    let place = match (&p.municipality, &p.area) {
        (Some(m), _) => Place::Municipality(f.municipalities.iter().position(|x| x == m)?),
        (None, Some(a)) => Place::Area(a.clone()),
        (None, None) => return None,
    };
    let authority = f.authorities.iter().position(|a| *a == p.authority)?;
    Some((place, authority))
}

/// The planned unit for `unit` (same name, place and authority).
pub fn planned_for(survey: &Survey, unit: &Unit) -> PlannedUnit {
    let (municipality, area) = match &unit.place {
        Place::Municipality(m) => (Some(survey.frame.municipalities[*m].clone()), None),
        Place::Area(a) => (None, Some(a.clone())),
    };
    PlannedUnit {
        name: unit.name.clone(),
        municipality,
        area,
        authority: survey.frame.authorities[unit.authority].clone(),
    }
}

/// Open (not reviewed) findings per unit.
pub fn open_findings_per_unit(survey: &Survey, findings: &[Finding]) -> Vec<usize> {
    let mut open = vec![0; survey.units.len()];
    for f in findings {
        if let Some(n) = open.get_mut(f.unit as usize)
            && f.unit(survey).review_of(f).is_none()
        {
            *n += 1;
        }
    }
    open
}

/// The state of an entered unit.
pub fn unit_state(unit: &Unit, open_findings: usize) -> UnitState {
    if unit.is_verified() {
        UnitState::Verified
    } else if open_findings == 0 {
        UnitState::Reviewed
    } else {
        UnitState::Open
    }
}

/// Every municipality × authority of the frame (empty ones included), then
/// every area × authority that a unit or a planned unit names, with their
/// units and counts.
pub fn coverage(survey: &Survey, findings: &[Finding]) -> Vec<CoverageCell> {
    let f = &survey.frame;
    let open = open_findings_per_unit(survey, findings);
    let mut places: Vec<Place> = (0..f.municipalities.len())
        .map(Place::Municipality)
        .collect();
    let mut areas: Vec<String> = Vec::new();
    let planned: Vec<Option<(Place, usize)>> = f
        .planned_units
        .iter()
        .map(|p| planned_place(survey, p))
        .collect();
    let named = survey
        .units
        .iter()
        .map(|u| &u.place)
        .chain(planned.iter().flatten().map(|(p, _)| p));
    for p in named {
        if let Place::Area(a) = p
            && !areas.contains(a)
        {
            areas.push(a.clone());
        }
    }
    places.extend(areas.into_iter().map(Place::Area));
    let mut cells: Vec<CoverageCell> = places
        .iter()
        .flat_map(|place| {
            (0..f.authorities.len()).map(move |authority| CoverageCell {
                place: place.clone(),
                authority,
                planned: 0,
                entered: 0,
                reviewed: 0,
                verified: 0,
                units: Vec::new(),
            })
        })
        .collect();
    let n_auth = f.authorities.len();
    let cell_of = |place: &Place, authority: usize| {
        places
            .iter()
            .position(|p| p == place)
            .map(|i| i * n_auth + authority)
    };
    for (i, unit) in survey.units.iter().enumerate() {
        let Some(c) = cell_of(&unit.place, unit.authority) else {
            continue;
        };
        let state = unit_state(unit, open[i]);
        let cell = &mut cells[c];
        cell.entered += 1;
        cell.reviewed += usize::from(state >= UnitState::Reviewed);
        cell.verified += usize::from(state == UnitState::Verified);
        cell.units.push(CoverageUnit {
            name: unit.name.clone(),
            state,
            index: Some(i),
            changed_after_verification: unit.changed_after_verification(),
            open_findings: open[i],
        });
    }
    // Entered units by name, place and authority: a national plan has
    // thousands of entries, one lookup each.
    let entered: std::collections::HashSet<(&str, &Place, usize)> = survey
        .units
        .iter()
        .map(|u| (u.name.as_str(), &u.place, u.authority))
        .collect();
    for (p, at) in f.planned_units.iter().zip(&planned) {
        let Some((place, authority)) = at else {
            continue;
        };
        let Some(c) = cell_of(place, *authority) else {
            continue;
        };
        let cell = &mut cells[c];
        cell.planned += 1;
        if !entered.contains(&(p.name.as_str(), place, *authority)) {
            cell.units.push(CoverageUnit {
                name: p.name.clone(),
                state: UnitState::Planned,
                index: None,
                changed_after_verification: false,
                open_findings: 0,
            });
        }
    }
    cells
}

/// Checks the planned units against the frame; the path and the reason in
/// Swedish when one names a municipality or authority the frame lacks.
pub fn check_planned(frame: &super::Frame) -> Result<(), (String, String)> {
    let mut seen = std::collections::HashSet::new();
    for (i, p) in frame.planned_units.iter().enumerate() {
        let at = |k: &str| format!("survey.planned_units[{i}].{k}");
        if let Err(m) = super::validate::label(&p.name) {
            return Err((at("name"), m));
        }
        match (&p.municipality, &p.area) {
            (Some(m), None) => {
                if !frame.municipalities.contains(m) {
                    return Err((
                        at("municipality"),
                        format!(
                            "”{m}” finns inte bland kartläggningens kommuner ({})",
                            frame.municipalities.join(", ")
                        ),
                    ));
                }
            }
            (None, Some(a)) => {
                if let Err(m) = super::validate::label(a) {
                    return Err((at("area"), m));
                }
            }
            (Some(_), Some(_)) => {
                return Err((
                    at("area"),
                    "area anges bara för enheter som täcker flera kommuner (municipality: null)"
                        .to_owned(),
                ));
            }
            (None, None) => {
                return Err((
                    at("area"),
                    "en planerad enhet utan kommun (municipality: null) måste ange area".to_owned(),
                ));
            }
        }
        if !frame.authorities.contains(&p.authority) {
            return Err((
                at("authority"),
                format!(
                    "”{}” finns inte bland kartläggningens myndigheter ({})",
                    p.authority,
                    frame.authorities.join(", ")
                ),
            ));
        }
        if !seen.insert((&p.name, &p.municipality, &p.area, &p.authority)) {
            return Err((
                at("name"),
                format!("den planerade enheten ”{}” står två gånger", p.name),
            ));
        }
    }
    Ok(())
}

/// The planned units of `old` carried into a changed frame `new`:
/// municipalities and authorities renamed in the frame (they are kept by
/// position) are renamed in the planned units too; a planned unit whose
/// municipality or authority was removed is dropped.
pub fn carry_planned(old: &super::Frame, new: &super::Frame) -> Vec<PlannedUnit> {
    let renamed = |list_old: &[String], list_new: &[String], name: &str| {
        list_old
            .iter()
            .position(|x| x == name)
            .and_then(|i| list_new.get(i))
            .cloned()
    };
    old.planned_units
        .iter()
        .filter_map(|p| {
            let municipality = match &p.municipality {
                Some(m) => Some(renamed(&old.municipalities, &new.municipalities, m)?),
                None => None,
            };
            Some(PlannedUnit {
                name: p.name.clone(),
                municipality,
                area: p.area.clone(),
                authority: renamed(&old.authorities, &new.authorities, &p.authority)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_units_follow_renames_and_go_with_removed_lists() {
        let planned = |name: &str, m: Option<&str>, a: &str| PlannedUnit {
            name: name.to_owned(),
            municipality: m.map(str::to_owned),
            area: m.is_none().then(|| "Hela länet".to_owned()),
            authority: a.to_owned(),
        };
        let old = crate::model::Frame {
            municipalities: vec!["Nora".into(), "Lindesberg".into()],
            authorities: vec!["Kommun".into(), "Landsting".into()],
            planned_units: vec![
                planned("A", Some("Nora"), "Kommun"),
                planned("B", Some("Lindesberg"), "Landsting"),
                planned("C", None, "Landsting"),
            ],
            ..Default::default()
        };
        let mut new = old.clone();
        new.municipalities = vec!["Nora kommun".into()];
        new.authorities = vec!["Kommun".into(), "Region".into()];
        assert_eq!(
            carry_planned(&old, &new),
            vec![
                planned("A", Some("Nora kommun"), "Kommun"),
                planned("C", None, "Region"),
            ]
        );
    }
}
