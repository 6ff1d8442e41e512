//! Writing: importing a survey, saving and moving units, changing a frame.
//! Every write is one transaction.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Error, Result};
use crate::model::{Dimension, Frame, Layout, Place, Survey, Unit};

use crate::model::history::{self, FieldChange, How};

use super::codec::{row_columns, subject_key};
use super::history::record;
use super::load::{load, load_frame, load_unit};
use super::open::map_err;
use super::{Store, corrupt, identity, interrupt, survey_id};

impl Store {
    /// Stores a survey in one transaction. A survey of the same name is
    /// refused, or replaced when `replace` is set.
    /// The history gets the field-level differences against the survey
    /// replaced, or one entry per unit of a new survey.
    pub fn import(&mut self, survey: &Survey, replace: bool) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Import));
        self.write(|tx| {
            let name = &survey.frame.name;
            let (sid, changes) = if let Some(id) = survey_id(tx, name)? {
                if !replace {
                    return Err(Error::SurveyExists(name.clone()));
                }
                let before = load(tx, name)?;
                delete_survey(tx, id)?;
                // The survey keeps its id, and with it its history.
                (
                    insert_survey(tx, survey, Some(id))?,
                    history::diff_surveys(&before, survey),
                )
            } else {
                let units = survey.units.iter().map(|u| FieldChange {
                    unit: Some(u.name.clone()),
                    rank: None,
                    label: None,
                    field: "unit".to_owned(),
                    old: None,
                    new: Some(u.name.clone()),
                });
                (insert_survey(tx, survey, None)?, units.collect())
            };
            record(tx, sid, &user, how, &changes)
        })
    }
}

impl Store {
    /// Runs `write` in one immediate transaction and commits it; on any
    /// error nothing of it is kept.
    pub(super) fn write<T>(&mut self, write: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let writing = interrupt::Writing::begin(Some(self.conn.get_interrupt_handle()));
        interrupt::check()?;
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| map_err(e, &path))?;
            let value = write(&tx)
                .and_then(|value| interrupt::check().map(|()| value))
                .map_err(|e| match e {
                    Error::Sqlite(e) => map_err(e, &path),
                    other => other,
                })?;
            tx.commit().map_err(|e| map_err(e, &path))?;
            writing.done();
            Ok(value)
        })();
        if let Err(Error::DiskFull { .. } | Error::DatabaseIo { .. }) = &result {
            // After a failed write SQLite leaves its journal for the next
            // reader to roll back; read at once, so that the file is as it
            // was before the command ends (the next open would otherwise).
            let _ = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                    r.get::<_, i64>(0)
                });
        }
        result
    }

    /// Stores a new, empty survey (its frame only).
    pub fn create_survey(&mut self, frame: &Frame) -> Result<()> {
        valid_frame(frame)?;
        let survey = Survey {
            deleted: Default::default(),
            about: None,
            frame: frame.clone(),
            units: Vec::new(),
        };
        self.import(&survey, false)
    }

    /// Replaces everything about unit `index` of a survey with `unit`, in
    /// one transaction. New input: a unit the rules refuse is not written.
    pub fn save_unit(
        &mut self,
        survey: &str,
        layout: &Layout,
        index: usize,
        unit: &Unit,
    ) -> Result<()> {
        valid_unit(index, unit)?;
        self.write_unit(survey, layout, index, unit)
    }

    /// Puts unit `index` back exactly as it was before (undo and redo), in
    /// one transaction. Not checked: a unit saved under older rules (an
    /// empty group label, say) must come back as it was, never be refused.
    pub fn restore_unit(
        &mut self,
        survey: &str,
        layout: &Layout,
        index: usize,
        unit: &Unit,
    ) -> Result<()> {
        self.write_unit(survey, layout, index, unit)
    }

    fn write_unit(
        &mut self,
        survey: &str,
        layout: &Layout,
        index: usize,
        unit: &Unit,
    ) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Edit));
        self.write(|tx| {
            let ids = FrameIds::load(tx, survey)?;
            let uid = unit_id(tx, ids.survey, index)?;
            let frame = load_frame(tx, ids.survey)?;
            let before = load_unit(tx, ids.survey, uid, &frame)?;
            let changes = history::diff_units(&frame, Some(&before), Some(unit));
            record(tx, ids.survey, &user, how, &changes)?;
            overwrite(
                tx,
                &ids,
                &mut UnitWriter::new(tx, *layout)?,
                uid,
                index,
                unit,
            )
        })
    }

    /// Inserts a new unit at position `index` of a survey. New input: a
    /// unit the rules refuse is not written.
    pub fn insert_unit(
        &mut self,
        survey: &str,
        layout: &Layout,
        index: usize,
        unit: &Unit,
    ) -> Result<()> {
        valid_unit(index, unit)?;
        self.add_unit(survey, layout, index, unit)
    }

    /// Inserts a deleted unit again at position `index`, exactly as it was
    /// (undo of a deletion, redo of an insertion). Not checked, like
    /// [`Store::restore_unit`]: older data must never be lost to undo.
    pub fn reinsert_unit(
        &mut self,
        survey: &str,
        layout: &Layout,
        index: usize,
        unit: &Unit,
    ) -> Result<()> {
        self.add_unit(survey, layout, index, unit)
    }

    fn add_unit(&mut self, survey: &str, layout: &Layout, index: usize, unit: &Unit) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Add));
        self.write(|tx| {
            let ids = FrameIds::load(tx, survey)?;
            let frame = load_frame(tx, ids.survey)?;
            record(
                tx,
                ids.survey,
                &user,
                how,
                &history::diff_units(&frame, None, Some(unit)),
            )?;
            tx.execute(
                "UPDATE unit SET position = position + 1 WHERE survey_id = ?1 AND position >= ?2",
                params![ids.survey, index as i64],
            )?;
            UnitWriter::new(tx, *layout)?.insert(&ids, index, unit)?;
            Ok(())
        })
    }

    /// Deletes unit `index` of a survey with everything in it.
    pub fn delete_unit(&mut self, survey: &str, index: usize) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Delete));
        self.write(|tx| {
            let sid = survey_id(tx, survey)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            let uid = unit_id(tx, sid, index)?;
            let frame = load_frame(tx, sid)?;
            let before = load_unit(tx, sid, uid, &frame)?;
            record(
                tx,
                sid,
                &user,
                how,
                &history::diff_units(&frame, Some(&before), None),
            )?;
            identity::mark_deleted(tx, sid, uid)?;
            tx.execute("DELETE FROM unit WHERE id = ?1", [uid])?;
            tx.execute(
                "UPDATE unit SET position = position - 1 WHERE survey_id = ?1 AND position > ?2",
                params![sid, index as i64],
            )?;
            Ok(())
        })
    }

    /// Moves unit `from` to position `to`; the units between shift by one.
    pub fn move_unit(&mut self, survey: &str, from: usize, to: usize) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Move));
        self.write(|tx| {
            let sid = survey_id(tx, survey)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            let uid = unit_id(tx, sid, from)?;
            unit_id(tx, sid, to)?;
            if from != to {
                let name: String =
                    tx.query_row("SELECT name FROM unit WHERE id = ?1", [uid], |r| r.get(0))?;
                let moved = FieldChange {
                    unit: Some(name),
                    rank: None,
                    label: None,
                    field: "position".to_owned(),
                    old: Some((from + 1).to_string()),
                    new: Some((to + 1).to_string()),
                };
                record(tx, sid, &user, how, &[moved])?;
            }
            tx.execute(
                "UPDATE unit SET position = CASE
                     WHEN position = ?2 THEN ?3
                     WHEN ?2 < ?3 AND position > ?2 AND position <= ?3 THEN position - 1
                     WHEN ?3 < ?2 AND position >= ?3 AND position < ?2 THEN position + 1
                     ELSE position END
                 WHERE survey_id = ?1",
                params![sid, from as i64, to as i64],
            )?;
            Ok(())
        })
    }
}

impl Store {
    /// Changes a survey's frame (see [`crate::model::check_frame_change`]
    /// for what may change; the caller checks first). One transaction.
    pub fn update_frame(&mut self, old_name: &str, frame: &Frame) -> Result<()> {
        valid_frame(frame)?;
        let (user, how) = (self.user.clone(), self.how(How::Frame));
        self.write(|tx| {
            let sid = survey_id(tx, old_name)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            if old_name != frame.name && survey_id(tx, &frame.name)?.is_some() {
                return Err(Error::SurveyExists(frame.name.clone()));
            }
            let before = load_frame(tx, sid)?;
            let mut changes = history::diff_frames(&before, frame);
            changes.extend(super::themes::frame_change_on_groups(
                tx,
                sid,
                &before.themes,
                &frame.themes,
            )?);
            record(tx, sid, &user, how, &changes)?;
            // Planned units refer to the lists: out first, back at the end.
            super::coverage::clear_planned(tx, sid)?;
            tx.execute(
                "UPDATE survey SET name = ?2, region = ?3, period = ?4, note = ?5 WHERE id = ?1",
                params![sid, frame.name, frame.region, frame.period, frame.note],
            )?;
            for (table, names) in [
                ("municipality", &frame.municipalities),
                ("authority", &frame.authorities),
            ] {
                // Every name goes through a temporary one first, so that two
                // names can swap without breaking UNIQUE (survey_id, name).
                tx.execute(
                    &format!("DELETE FROM {table} WHERE survey_id = ?1 AND position >= ?2"),
                    params![sid, names.len() as i64],
                )?;
                tx.execute(
                    &format!("UPDATE {table} SET name = '#' || id WHERE survey_id = ?1"),
                    [sid],
                )?;
                for (i, name) in names.iter().enumerate() {
                    let changed = tx.execute(
                        &format!("UPDATE {table} SET name = ?3 WHERE survey_id = ?1 AND position = ?2"),
                        params![sid, i as i64, name],
                    )?;
                    if changed == 0 {
                        tx.execute(
                            &format!("INSERT INTO {table} (survey_id, position, name) VALUES (?1, ?2, ?3)"),
                            params![sid, i as i64, name],
                        )?;
                    }
                }
            }
            tx.execute("DELETE FROM band WHERE survey_id = ?1", [sid])?;
            for d in Dimension::PARTS {
                for (i, label) in frame.labels(d).iter().enumerate() {
                    tx.execute(
                        "INSERT INTO band (survey_id, dimension, position, label) VALUES (?1, ?2, ?3, ?4)",
                        params![sid, d.index() as i64, i as i64, label],
                    )?;
                }
            }
            super::coverage::write_planned(tx, sid, frame)?;
            super::themes::write_frame_themes(tx, sid, &frame.themes)?;
            Ok(())
        })
    }
}

/// Replaces everything about the unit in database row `row` (at `index`)
/// with `unit`, and records its revision.
pub(super) fn overwrite(
    tx: &Transaction,
    ids: &FrameIds,
    writer: &mut UnitWriter,
    row: i64,
    index: usize,
    unit: &Unit,
) -> Result<()> {
    let (municipality_id, area) = ids.place(&unit.place)?;
    tx.prepare_cached(
        "UPDATE unit SET municipality_id = ?2, area = ?3, authority_id = ?4, name = ?5,
             collaboration_today = ?6, preventive_measures = ?7, note = ?8, uid = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        row,
        municipality_id,
        area,
        ids.authority(unit.authority)?,
        unit.name,
        unit.collaboration_today,
        unit.preventive_measures,
        unit.note,
        unit.id.to_string()
    ])?;
    for table in [
        "key_figure",
        "reported_total",
        "target_group",
        "review",
        "verification",
    ] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE unit_id = ?1"))?
            .execute([row])?;
    }
    writer.contents(row, index, unit)?;
    identity::record(tx, ids.survey, unit)
}

/// The id of unit `index` of a survey.
pub(super) fn unit_id(conn: &Connection, sid: i64, index: usize) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM unit WHERE survey_id = ?1 AND position = ?2")?
        .query_row(params![sid, index as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| corrupt(&format!("enhet nummer {} saknas i databasen", index + 1)))
}

fn delete_survey(tx: &Transaction, id: i64) -> Result<()> {
    // Units first: they refer to the survey's municipalities and authorities.
    tx.execute("DELETE FROM unit WHERE survey_id = ?1", [id])?;
    super::coverage::clear_planned(tx, id)?;
    tx.execute("DELETE FROM survey WHERE id = ?1", [id])?;
    Ok(())
}

/// Inserts a survey's municipalities or authorities in order; their ids.
fn insert_names(tx: &Transaction, table: &str, sid: i64, names: &[String]) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare(&format!(
        "INSERT INTO {table} (survey_id, position, name) VALUES (?1, ?2, ?3)"
    ))?;
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Ok(stmt.insert(params![sid, i as i64, name])?))
        .collect()
}

/// Inserts a survey, under the id `keep` when given (a survey replaced
/// keeps its id, and so its history); its id.
fn insert_survey(tx: &Transaction, survey: &Survey, keep: Option<i64>) -> Result<i64> {
    let f = &survey.frame;
    tx.execute(
        "INSERT INTO survey (id, name, region, period, note, about) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![keep, f.name, f.region, f.period, f.note, survey.about],
    )?;
    let sid = tx.last_insert_rowid();
    let municipality_ids = insert_names(tx, "municipality", sid, &f.municipalities)?;
    let authority_ids = insert_names(tx, "authority", sid, &f.authorities)?;
    super::coverage::write_planned(tx, sid, f)?;
    for d in Dimension::PARTS {
        for (i, label) in f.labels(d).iter().enumerate() {
            tx.execute(
                "INSERT INTO band (survey_id, dimension, position, label) VALUES (?1, ?2, ?3, ?4)",
                params![sid, d.index() as i64, i as i64, label],
            )?;
        }
    }

    super::themes::write_frame_themes(tx, sid, &f.themes)?;
    let ids = FrameIds {
        survey: sid,
        municipalities: municipality_ids,
        authorities: authority_ids,
    };
    let mut writer = UnitWriter::new(tx, survey.layout())?;
    for (ui, unit) in survey.units.iter().enumerate() {
        writer.insert(&ids, ui, unit)?;
    }
    for (id, revisions) in &survey.deleted.0 {
        let id = crate::model::identity::Id::from_u128(*id);
        identity::mark_deleted_id(tx, sid, id)?;
        identity::learn(tx, sid, id, revisions)?;
    }
    Ok(sid)
}

/// Database ids of a survey and its frame lists, by position.
pub(super) struct FrameIds {
    pub(super) survey: i64,
    municipalities: Vec<i64>,
    authorities: Vec<i64>,
}

impl FrameIds {
    pub(super) fn load(conn: &Connection, survey: &str) -> Result<FrameIds> {
        let sid = survey_id(conn, survey)?.ok_or_else(|| Error::NoSuchSurvey {
            name: survey.to_owned(),
            available: String::new(),
        })?;
        let ids = |table: &str| -> Result<Vec<i64>> {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM {table} WHERE survey_id = ?1 ORDER BY position"
            ))?;
            let ids = stmt
                .query_map([sid], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        };
        Ok(FrameIds {
            survey: sid,
            municipalities: ids("municipality")?,
            authorities: ids("authority")?,
        })
    }

    fn place(&self, place: &Place) -> Result<(Option<i64>, Option<String>)> {
        Ok(match place {
            Place::Municipality(m) => (
                Some(
                    *self
                        .municipalities
                        .get(*m)
                        .ok_or_else(|| corrupt("enheten hör till en kommun utanför ramen"))?,
                ),
                None,
            ),
            Place::Area(a) => (None, Some(a.clone())),
        })
    }

    fn authority(&self, a: usize) -> Result<i64> {
        self.authorities
            .get(a)
            .copied()
            .ok_or_else(|| corrupt("enheten hör till en myndighet utanför ramen"))
    }
}

/// Writes units and everything in them, with its statements prepared once
/// (an import writes thousands of units).
pub(super) struct UnitWriter<'t> {
    tx: &'t Transaction<'t>,
    layout: Layout,
    unit: rusqlite::CachedStatement<'t>,
    key: rusqlite::CachedStatement<'t>,
    reported: rusqlite::CachedStatement<'t>,
    group: rusqlite::CachedStatement<'t>,
    table: rusqlite::CachedStatement<'t>,
    label: rusqlite::CachedStatement<'t>,
    cell: rusqlite::CachedStatement<'t>,
    review: rusqlite::CachedStatement<'t>,
}

impl<'t> UnitWriter<'t> {
    pub(super) fn new(tx: &'t Transaction<'t>, layout: Layout) -> Result<UnitWriter<'t>> {
        Ok(UnitWriter {
            tx,
            layout,
            unit: tx.prepare_cached(
                "INSERT INTO unit (survey_id, position, municipality_id, area, authority_id, name,
                     collaboration_today, preventive_measures, note, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?,
            key: tx.prepare_cached(
                "INSERT INTO key_figure (unit_id, position, name, value) VALUES (?1, ?2, ?3, ?4)",
            )?,
            reported: tx.prepare_cached(
                "INSERT INTO reported_total (unit_id, count, sex, age, duration, also_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            group: tx.prepare_cached(
                "INSERT INTO target_group (unit_id, position, rank, label, count, estimated,
                     sex, age, duration, also_at, note, themes, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            table: tx.prepare_cached(
                "INSERT INTO extra_table (group_id, position, title) VALUES (?1, ?2, ?3)",
            )?,
            label: tx.prepare_cached(
                "INSERT INTO extra_label (table_id, axis, position, label) VALUES (?1, ?2, ?3, ?4)",
            )?,
            cell: tx.prepare_cached(
                "INSERT INTO extra_cell (table_id, row, col, value) VALUES (?1, ?2, ?3, ?4)",
            )?,
            review: tx.prepare_cached(
                "INSERT INTO review (unit_id, group_position, subject, kind, amount, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
        })
    }

    /// Inserts a unit at `position` (the caller makes room).
    pub(super) fn insert(&mut self, ids: &FrameIds, position: usize, unit: &Unit) -> Result<i64> {
        let (municipality_id, area) = ids.place(&unit.place)?;
        self.unit.execute(params![
            ids.survey,
            position as i64,
            municipality_id,
            area,
            ids.authority(unit.authority)?,
            unit.name,
            unit.collaboration_today,
            unit.preventive_measures,
            unit.note,
            unit.id.to_string(),
        ])?;
        let uid = self.tx.last_insert_rowid();
        self.contents(uid, position, unit)?;
        identity::record(self.tx, ids.survey, unit)?;
        Ok(uid)
    }

    /// Writes what is inside a unit: key figures, total row, groups, marks.
    fn contents(&mut self, uid: i64, index: usize, unit: &Unit) -> Result<()> {
        for (i, k) in unit.key_figures.iter().enumerate() {
            let value = i64::try_from(k.value).map_err(|_| {
                Error::at(
                    format!("units[{index}].key_figures.{}", k.name),
                    format!(
                        "talet {} är för stort; databasen rymmer högst {}",
                        k.value,
                        i64::MAX
                    ),
                )
            })?;
            self.key.execute(params![uid, i as i64, k.name, value])?;
        }
        if let Some(row) = &unit.reported_totals {
            let [sex, age, duration, also_at] = row_columns(&self.layout, row);
            self.reported
                .execute(params![uid, row.count.get(), sex, age, duration, also_at])?;
        }
        for (gi, g) in unit.groups.iter().enumerate() {
            let [sex, age, duration, also_at] = row_columns(&self.layout, &g.row);
            self.group.execute(params![
                uid,
                gi as i64,
                g.rank,
                g.label,
                g.row.count.get(),
                g.estimated,
                sex,
                age,
                duration,
                also_at,
                g.note,
                super::themes::group_column(&g.themes),
                g.id.to_string()
            ])?;
            let gid = self.tx.last_insert_rowid();
            for (ti, t) in g.extra.iter().enumerate() {
                self.table.execute(params![gid, ti as i64, t.title])?;
                let tid = self.tx.last_insert_rowid();
                for (axis, labels) in [(0, &t.rows), (1, &t.columns)] {
                    for (i, l) in labels.iter().enumerate() {
                        self.label.execute(params![tid, axis, i as i64, l])?;
                    }
                }
                let n = t.columns.len();
                for (i, c) in t.cells.iter().enumerate() {
                    if let Some(v) = c.get() {
                        self.cell
                            .execute(params![tid, (i / n) as i64, (i % n) as i64, v])?;
                    }
                }
            }
        }
        for r in &unit.reviews {
            self.review.execute(params![
                uid,
                r.group,
                subject_key(r.subject),
                r.kind.key(),
                r.kind.amount(),
                r.comment
            ])?;
        }
        super::coverage::write_verification(self.tx, uid, unit)?;
        Ok(())
    }
}

/// The last guard of the edits' writes: a unit that the survey document
/// would refuse is not written, whichever way it came.
fn valid_unit(index: usize, unit: &Unit) -> Result<()> {
    crate::model::validate::unit(unit)
        .map_err(|e| Error::at(format!("units[{index}].{}", e.at), e.message))
}

/// The last guard for a frame written on its own.
fn valid_frame(frame: &Frame) -> Result<()> {
    crate::model::validate::frame(frame).map_err(|e| Error::at(e.at, e.message))
}
