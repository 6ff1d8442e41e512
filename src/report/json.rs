//! Findings and summaries as JSON: a stable contract for scripts. Written as
//! serialised, so a national survey's findings need no copy in memory.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{By, SummaryRow, summary_rows};
use crate::export::json::SeqOf;
use crate::model::aggregate::{SurveyTotals, Totals};
use crate::model::check::Finding;
use crate::model::{Dimension, Place, Survey};

/// `{"findings": [...]}`, one object per finding.
pub struct Findings<'a>(pub &'a Survey, pub &'a [Finding]);

struct FindingDoc<'a>(&'a Survey, &'a Finding);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(
            "findings",
            &SeqOf(self.1.iter().map(|f| FindingDoc(self.0, f))),
        )?;
        m.end()
    }
}

impl Serialize for FindingDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let FindingDoc(survey, f) = *self;
        let unit = f.unit(survey);
        let group = f.target_group(survey);
        let (municipality, area) = match &unit.place {
            Place::Municipality(m) => (Some(&survey.frame.municipalities[*m]), None),
            Place::Area(a) => (None, Some(a)),
        };
        let review = unit.review_of(f);
        let mut m = s.serialize_map(Some(13))?;
        m.serialize_entry("municipality", &municipality)?;
        m.serialize_entry("area", &area)?;
        m.serialize_entry("authority", &survey.frame.authorities[unit.authority])?;
        m.serialize_entry("unit", &unit.name)?;
        m.serialize_entry("rank", &group.map(|g| g.rank))?;
        m.serialize_entry("label", &group.map(|g| &g.label))?;
        m.serialize_entry("breakdown", &f.breakdown_key(survey))?;
        m.serialize_entry("kind", f.kind.key())?;
        m.serialize_entry("amount", &f.kind.amount())?;
        m.serialize_entry("message", &f.message(survey))?;
        m.serialize_entry("reviewed", &review.is_some())?;
        m.serialize_entry("comment", &review.map(|r| &r.comment))?;
        m.serialize_entry("verified", &unit.is_verified())?;
        m.end()
    }
}

/// `{"rows": [...], "total": {...}}`, rows in the survey's order.
pub struct Summary<'a>(pub &'a Survey, pub &'a SurveyTotals, pub By);

#[derive(Clone)]
struct RowDoc<'a>(&'a Survey, By, SummaryRow<'a>);
struct TotalsDoc<'a>(&'a Survey, &'a Totals);

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Summary(survey, totals, by) = *self;
        if by == By::Theme {
            let rows = crate::model::themes::totals(survey);
            return super::themes::Summary(survey, &rows, &totals.all).serialize(s);
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(
            "rows",
            &SeqOf(
                summary_rows(survey, totals, by)
                    .into_iter()
                    .map(|r| RowDoc(survey, by, r)),
            ),
        )?;
        m.serialize_entry("total", &TotalsDoc(survey, &totals.all))?;
        m.end()
    }
}

fn totals_entries<M: SerializeMap>(m: &mut M, survey: &Survey, t: &Totals) -> Result<(), M::Error> {
    let layout = survey.layout();
    m.serialize_entry("groups", &t.groups)?;
    m.serialize_entry("groups_without_count", &t.groups_without_count)?;
    m.serialize_entry("count", &t.count)?;
    m.serialize_entry("estimated", &t.estimated)?;
    for d in Dimension::ALL {
        m.serialize_entry(d.key(), t.part(&layout, d))?;
    }
    m.serialize_entry("not_given", &PerPart(t, |t, d| t.not_given(d)))?;
    // Added keys: missing and over-reported people apart (not netted), and
    // the base of the "aktuell hos" shares.
    m.serialize_entry("missing", &PerPart(t, |t, d| t.missing(d) as i64))?;
    m.serialize_entry("over", &PerPart(t, |t, d| t.over(d) as i64))?;
    m.serialize_entry("also_at_answered", &t.also_at_answered)
}

/// One number per breakdown (sex, age, duration) as a map.
struct PerPart<'a>(&'a Totals, fn(&Totals, Dimension) -> i64);

impl Serialize for PerPart<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        for d in Dimension::PARTS {
            m.serialize_entry(d.key(), &(self.1)(self.0, d))?;
        }
        m.end()
    }
}

impl Serialize for TotalsDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        totals_entries(&mut m, self.0, self.1)?;
        m.end()
    }
}

impl Serialize for RowDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let RowDoc(survey, by, r) = self;
        let mut m = s.serialize_map(None)?;
        if *by != By::Authority {
            m.serialize_entry("municipality", &r.municipality)?;
            m.serialize_entry("area", &r.area)?;
        }
        if *by != By::Municipality {
            m.serialize_entry("authority", &r.authority)?;
        }
        if *by == By::Unit {
            m.serialize_entry("unit", &r.unit)?;
        }
        totals_entries(&mut m, survey, r.totals)?;
        m.end()
    }
}
