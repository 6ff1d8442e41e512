//! Findings and summaries as JSON: a stable contract for scripts.

use serde_json::{Value, json};

use super::{By, SummaryRow, summary_rows};
use crate::model::aggregate::{SurveyTotals, Totals};
use crate::model::check::Finding;
use crate::model::{Dimension, Place, Survey};

/// `{"findings": [...]}`, one object per finding.
pub fn findings(survey: &Survey, findings: &[Finding]) -> Value {
    let items: Vec<Value> = findings
        .iter()
        .map(|f| {
            let unit = f.unit(survey);
            let group = f.target_group(survey);
            let (municipality, area) = match &unit.place {
                Place::Municipality(m) => (Some(&survey.frame.municipalities[*m]), None),
                Place::Area(a) => (None, Some(a)),
            };
            json!({
                "municipality": municipality,
                "area": area,
                "authority": survey.frame.authorities[unit.authority],
                "unit": unit.name,
                "rank": group.map(|g| g.rank),
                "label": group.map(|g| &g.label),
                "breakdown": f.breakdown_key(survey),
                "kind": f.kind.key(),
                "amount": f.kind.amount(),
                "message": f.message(survey),
            })
        })
        .collect();
    json!({ "findings": items })
}

fn totals(survey: &Survey, t: &Totals) -> serde_json::Map<String, Value> {
    let layout = survey.layout();
    let mut m = serde_json::Map::new();
    m.insert("groups".into(), json!(t.groups));
    m.insert("groups_without_count".into(), json!(t.groups_without_count));
    m.insert("count".into(), json!(t.count));
    m.insert("estimated".into(), json!(t.estimated));
    for d in Dimension::ALL {
        m.insert(d.key().into(), json!(t.part(&layout, d)));
    }
    m.insert(
        "not_given".into(),
        json!({
            "sex": t.not_given(Dimension::Sex),
            "age": t.not_given(Dimension::Age),
            "duration": t.not_given(Dimension::Duration),
        }),
    );
    m
}

fn row(survey: &Survey, by: By, r: &SummaryRow) -> Value {
    let mut m = serde_json::Map::new();
    if by != By::Authority {
        m.insert("municipality".into(), json!(r.municipality));
        m.insert("area".into(), json!(r.area));
    }
    if by != By::Municipality {
        m.insert("authority".into(), json!(r.authority));
    }
    if by == By::Unit {
        m.insert("unit".into(), json!(r.unit));
    }
    m.extend(totals(survey, r.totals));
    Value::Object(m)
}

/// `{"rows": [...], "total": {...}}`, rows in the survey's order.
pub fn summary(survey: &Survey, all: &SurveyTotals, by: By) -> Value {
    let rows: Vec<Value> = summary_rows(survey, all, by)
        .iter()
        .map(|r| row(survey, by, r))
        .collect();
    json!({ "rows": rows, "total": Value::Object(totals(survey, &all.all)) })
}
