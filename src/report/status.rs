//! `malgrupp status`: the coverage overview as text and as JSON, made from
//! the cells [`crate::model::coverage::coverage`] computes once.

use std::fmt::Write;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::text::visible;
use crate::export::json::SeqOf;
use crate::model::coverage::{CoverageCell, CoverageUnit, UnitState};
use crate::model::{Place, Survey};

/// `{"cells":[{"municipality","area","authority","planned","entered",
/// "reviewed","verified","units":[{"name","state"}]}]}`.
pub struct Status<'a>(pub &'a Survey, pub &'a [CoverageCell]);

struct CellDoc<'a>(&'a Survey, &'a CoverageCell);
struct UnitDoc<'a>(&'a CoverageUnit);

impl Serialize for Status<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("cells", &SeqOf(self.1.iter().map(|c| CellDoc(self.0, c))))?;
        m.end()
    }
}

impl Serialize for CellDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let CellDoc(survey, c) = *self;
        let (municipality, area) = match &c.place {
            Place::Municipality(m) => (Some(&survey.frame.municipalities[*m]), None),
            Place::Area(a) => (None, Some(a)),
        };
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("municipality", &municipality)?;
        m.serialize_entry("area", &area)?;
        m.serialize_entry("authority", &survey.frame.authorities[c.authority])?;
        m.serialize_entry("planned", &c.planned)?;
        m.serialize_entry("entered", &c.entered)?;
        m.serialize_entry("reviewed", &c.reviewed)?;
        m.serialize_entry("verified", &c.verified)?;
        m.serialize_entry("units", &SeqOf(c.units.iter().map(UnitDoc)))?;
        m.end()
    }
}

impl Serialize for UnitDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let u = self.0;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("name", &u.name)?;
        m.serialize_entry("state", u.state.key())?;
        m.serialize_entry("changed_after_verification", &u.changed_after_verification)?;
        m.end()
    }
}

/// The state of a unit in words, with "ändrad efter kontroll" when so.
pub fn state_sv(u: &CoverageUnit) -> String {
    let mut s = u.state.name_sv().to_owned();
    if u.state == UnitState::Open {
        s = format!("inmatad, {} ogranskade fynd", u.open_findings);
    }
    if u.changed_after_verification {
        s.push_str(", ändrad efter kontroll");
    }
    s
}

/// One block per municipality (or area) × authority, empty ones included,
/// then the totals.
pub fn text(survey: &Survey, cells: &[CoverageCell]) -> String {
    let mut out = String::new();
    let (mut planned, mut entered, mut reviewed, mut verified) = (0, 0, 0, 0);
    for c in cells {
        let _ = writeln!(
            out,
            "{} · {}: {} planerade, {} inmatade, {} granskade, {} kontrollinmatade",
            visible(survey.place_name(&c.place)),
            visible(&survey.frame.authorities[c.authority]),
            c.planned,
            c.entered,
            c.reviewed,
            c.verified
        );
        for u in &c.units {
            let _ = writeln!(out, "  {}: {}", visible(&u.name), state_sv(u));
        }
        planned += c.planned;
        entered += c.entered;
        reviewed += c.reviewed;
        verified += c.verified;
    }
    let _ = writeln!(
        out,
        "\nTotalt: {planned} planerade, {entered} inmatade, {reviewed} granskade, {verified} kontrollinmatade."
    );
    out
}
