//! Writing the survey document (FORMAT.md, version 1). Import, export and
//! import again gives an equal survey.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::Result;
use crate::model::{Cell, Dimension, Layout, Place, Row, Survey, TargetGroup, Unit};

/// The survey as a JSON document.
pub fn to_value(survey: &Survey) -> Value {
    let f = &survey.frame;
    let layout = survey.layout();
    let mut frame = Map::new();
    frame.insert("name".into(), json!(f.name));
    frame.insert("region".into(), json!(f.region));
    frame.insert("period".into(), json!(f.period));
    frame.insert("municipalities".into(), json!(f.municipalities));
    frame.insert("authorities".into(), json!(f.authorities));
    frame.insert("sex".into(), json!(f.sex));
    frame.insert("age_bands".into(), json!(f.age_bands));
    frame.insert("duration_bands".into(), json!(f.duration_bands));
    put_text(&mut frame, "note", &f.note);

    let mut doc = Map::new();
    put_text(&mut doc, "about", &survey.about);
    doc.insert("survey".into(), Value::Object(frame));
    doc.insert(
        "units".into(),
        survey
            .units
            .iter()
            .map(|u| unit(survey, &layout, u))
            .collect(),
    );
    Value::Object(doc)
}

/// Writes the document to `path` (complete or not at all).
pub fn write_file(survey: &Survey, path: &Path) -> Result<()> {
    let value = to_value(survey);
    super::write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, &value)?;
        w.write_all(b"\n")
    })
}

fn put_text(map: &mut Map<String, Value>, key: &str, text: &Option<String>) {
    if let Some(t) = text {
        map.insert(key.into(), json!(t));
    }
}

fn cell(c: Cell) -> Value {
    c.get().map_or(Value::Null, Value::from)
}

fn cells(cells: &[Cell]) -> Value {
    cells.iter().copied().map(cell).collect()
}

/// Writes the breakdowns that have any filled cell; all-blank ones are left
/// out, which reads back the same.
fn put_row(map: &mut Map<String, Value>, layout: &Layout, row: &Row) {
    map.insert("count".into(), cell(row.count));
    for d in Dimension::ALL {
        let part = row.part(layout, d);
        if part.iter().any(|c| !c.is_blank()) {
            map.insert(d.key().into(), cells(part));
        }
    }
}

fn unit(survey: &Survey, layout: &Layout, u: &Unit) -> Value {
    let mut map = Map::new();
    match &u.place {
        Place::Municipality(m) => {
            map.insert(
                "municipality".into(),
                json!(survey.frame.municipalities[*m]),
            );
        }
        Place::Area(area) => {
            map.insert("municipality".into(), Value::Null);
            map.insert("area".into(), json!(area));
        }
    }
    map.insert(
        "authority".into(),
        json!(survey.frame.authorities[u.authority]),
    );
    map.insert("name".into(), json!(u.name));
    put_text(&mut map, "collaboration_today", &u.collaboration_today);
    put_text(&mut map, "preventive_measures", &u.preventive_measures);
    if !u.key_figures.is_empty() {
        map.insert(
            "key_figures".into(),
            Value::Object(
                u.key_figures
                    .iter()
                    .map(|k| (k.name.clone(), json!(k.value)))
                    .collect(),
            ),
        );
    }
    map.insert(
        "groups".into(),
        u.groups.iter().map(|g| group(layout, g)).collect(),
    );
    if let Some(row) = &u.reported_totals {
        let mut totals = Map::new();
        put_row(&mut totals, layout, row);
        map.insert("reported_totals".into(), Value::Object(totals));
    }
    put_text(&mut map, "note", &u.note);
    Value::Object(map)
}

fn group(layout: &Layout, g: &TargetGroup) -> Value {
    let mut map = Map::new();
    map.insert("rank".into(), json!(g.rank));
    map.insert("label".into(), json!(g.label));
    put_row(&mut map, layout, &g.row);
    if g.estimated {
        // After count, where a reader expects it.
        map.shift_insert(3, "estimated".into(), json!(true));
    }
    put_text(&mut map, "note", &g.note);
    if !g.extra.is_empty() {
        let tables = g
            .extra
            .iter()
            .map(|t| {
                json!({
                    "title": t.title,
                    "rows": t.rows,
                    "columns": t.columns,
                    "cells": (0..t.rows.len())
                        .map(|r| cells(&t.cells[r * t.columns.len()..(r + 1) * t.columns.len()]))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        map.insert("extra_breakdowns".into(), tables);
    }
    Value::Object(map)
}
