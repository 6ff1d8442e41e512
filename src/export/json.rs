//! Writing the survey document (docs/survey-document.md, with the version-2 ids,
//! revisions and deleted units of docs/survey-document.md). Import, export and
//! import again gives an equal survey. Written as it is serialised, so a
//! survey of a million groups needs no second copy in memory.

use std::path::Path;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::error::Result;
use crate::model::identity;
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, Layout, Place, Row, Survey, TargetGroup, Unit,
};

/// Writes the document to `path` (complete or not at all).
pub fn write_file(survey: &Survey, path: &Path) -> Result<()> {
    super::write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, &Document(survey))?;
        w.write_all(b"\n")
    })
}

/// The whole survey document.
pub struct Document<'a>(pub &'a Survey);

struct Units<'a>(&'a Survey);
struct UnitDoc<'a>(&'a Survey, &'a Layout, &'a Unit);
struct GroupDoc<'a>(&'a Frame, &'a Layout, &'a TargetGroup);
struct RowDoc<'a>(&'a Layout, &'a Row);
struct Cells<'a>(&'a [Cell]);
struct Tables<'a>(&'a [ExtraTable]);
struct TableDoc<'a>(&'a ExtraTable);
struct TableRows<'a>(&'a ExtraTable);
struct KeyFigures<'a>(&'a Unit);

fn cell(c: Cell) -> Option<u32> {
    c.get()
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(about) = &self.0.about {
            m.serialize_entry("about", about)?;
        }
        m.serialize_entry("survey", &self.0.frame)?;
        m.serialize_entry("units", &Units(self.0))?;
        if !self.0.deleted.0.is_empty() {
            m.serialize_entry("deleted_units", &DeletedUnits(self.0))?;
        }
        m.end()
    }
}

impl Serialize for Units<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let layout = self.0.layout();
        s.collect_seq(self.0.units.iter().map(|u| UnitDoc(self.0, &layout, u)))
    }
}

impl Serialize for UnitDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let UnitDoc(survey, layout, u) = *self;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &u.id.to_string())?;
        match &u.place {
            Place::Municipality(i) => {
                m.serialize_entry("municipality", &survey.frame.municipalities[*i])?
            }
            Place::Area(area) => {
                m.serialize_entry("municipality", &None::<&str>)?;
                m.serialize_entry("area", area)?;
            }
        }
        m.serialize_entry("authority", &survey.frame.authorities[u.authority])?;
        m.serialize_entry("name", &u.name)?;
        if let Some(t) = &u.collaboration_today {
            m.serialize_entry("collaboration_today", t)?;
        }
        if let Some(t) = &u.preventive_measures {
            m.serialize_entry("preventive_measures", t)?;
        }
        if !u.key_figures.is_empty() {
            m.serialize_entry("key_figures", &KeyFigures(u))?;
        }
        m.serialize_entry(
            "groups",
            &SeqOf(u.groups.iter().map(|g| GroupDoc(&survey.frame, layout, g))),
        )?;
        if let Some(row) = &u.reported_totals {
            m.serialize_entry("reported_totals", &RowDoc(layout, row))?;
        }
        if let Some(t) = &u.note {
            m.serialize_entry("note", t)?;
        }
        m.serialize_entry("revisions", &Revisions(u))?;
        m.end()
    }
}

/// Units deleted, in the order of their ids (so the same file always
/// exports the same document).
struct DeletedUnits<'a>(&'a Survey);

impl Serialize for DeletedUnits<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut ids: Vec<&u128> = self.0.deleted.0.keys().collect();
        ids.sort();
        s.collect_seq(ids.into_iter().map(|id| {
            let revisions: Vec<String> = self.0.deleted.0[id]
                .iter()
                .map(|r| identity::revision_hex(*r))
                .collect();
            serde_json::json!({
                "id": identity::Id::from_u128(*id).to_string(),
                "revisions": revisions,
            })
        }))
    }
}

/// The unit's lineage with its current revision last (FORMAT version 2):
/// what a merge needs to tell which side changed the unit.
struct Revisions<'a>(&'a Unit);

impl Serialize for Revisions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let u = self.0;
        let current = identity::revision(u);
        let earlier = u.lineage.0.iter().filter(|r| **r != current);
        s.collect_seq(
            earlier
                .chain(std::iter::once(&current))
                .map(|r| identity::revision_hex(*r)),
        )
    }
}

impl Serialize for KeyFigures<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.key_figures.iter().map(|k| (&k.name, k.value)))
    }
}

/// Writes the count, then each breakdown that has a filled cell; all-blank
/// ones are left out, which reads back the same.
fn row_entries<M: SerializeMap>(m: &mut M, layout: &Layout, row: &Row) -> Result<(), M::Error> {
    for d in Dimension::ALL {
        let part = row.part(layout, d);
        if part.iter().any(|c| !c.is_blank()) {
            m.serialize_entry(d.key(), &Cells(part))?;
        }
    }
    Ok(())
}

impl Serialize for RowDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("count", &cell(self.1.count))?;
        row_entries(&mut m, self.0, self.1)?;
        m.end()
    }
}

impl Serialize for GroupDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let GroupDoc(frame, layout, g) = *self;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &g.id.to_string())?;
        m.serialize_entry("rank", &g.rank)?;
        m.serialize_entry("label", &g.label)?;
        m.serialize_entry("count", &cell(g.row.count))?;
        if g.estimated {
            m.serialize_entry("estimated", &true)?;
        }
        row_entries(&mut m, layout, &g.row)?;
        if let Some(note) = &g.note {
            m.serialize_entry("note", note)?;
        }
        if !g.extra.is_empty() {
            m.serialize_entry("extra_breakdowns", &Tables(&g.extra))?;
        }
        if !g.themes.is_empty() {
            m.serialize_entry(
                "themes",
                &SeqOf(
                    g.themes
                        .iter()
                        .filter_map(|t| frame.themes.get(usize::from(*t)))
                        .map(|t| &t.name),
                ),
            )?;
        }
        m.end()
    }
}

impl Serialize for Cells<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|c| cell(*c)))
    }
}

impl Serialize for Tables<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(TableDoc))
    }
}

impl Serialize for TableDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("title", &t.title)?;
        m.serialize_entry("rows", &t.rows)?;
        m.serialize_entry("columns", &t.columns)?;
        m.serialize_entry("cells", &TableRows(t))?;
        m.end()
    }
}

impl Serialize for TableRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let n = t.columns.len();
        let mut seq = s.serialize_seq(Some(t.rows.len()))?;
        for r in 0..t.rows.len() {
            seq.serialize_element(&Cells(&t.cells[r * n..(r + 1) * n]))?;
        }
        seq.end()
    }
}

/// Serialises the items of an iterator as a list, without collecting them.
pub struct SeqOf<I>(pub I);

impl<I> Serialize for SeqOf<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}
