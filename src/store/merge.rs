//! Writing a merge: another file's units into this one as a
//! [`Plan`](crate::model::merge::Plan) says, in one transaction; and putting
//! a survey's units back exactly as they were (undo of a merge).

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

use crate::error::{Error, Result};
use crate::model::identity::{self, Id};
use crate::model::merge::{Change, Pick, Plan};
use crate::model::{Survey, Unit};

use super::edit::{FrameIds, UnitWriter, overwrite};
use super::{Access, Store, corrupt, identity as ids};

/// One unit a merge changed, as it was and as it is (`None`: not there).
/// What the change history logs, with how = `merge`.
#[derive(Clone, Debug)]
pub struct Merged {
    /// The unit before the merge.
    pub before: Option<Unit>,
    /// The unit after the merge.
    pub after: Option<Unit>,
}

/// The other file of a merge, read but never written.
pub struct Other {
    /// The survey to merge in, lineages and deletions filled.
    pub survey: Survey,
    /// Whether it was read from a survey document (which has no review
    /// marks) rather than a database.
    pub is_document: bool,
}

impl Other {
    /// Reads the survey named `name` (or the only one) from another file:
    /// a database (opened for reading only; an older one is upgraded in a
    /// temporary copy, never in place) or a survey document (`.json`).
    /// `ours` is the open database, which cannot be merged with itself.
    pub fn read(path: &Path, name: &str, ours: &Path) -> Result<Other> {
        let same = match (path.canonicalize(), ours.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same {
            return Err(Error::at(
                path.display().to_string(),
                "det är den öppna filen; välj en annan fil att slå samman med",
            ));
        }
        let is_json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            return Ok(Other {
                survey: crate::import::json::read_file(path)?,
                is_document: true,
            });
        }
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            // Missing, a folder, a pipe or a device: refused with the
            // reason before anything opens it (SQLite would wait on a pipe
            // for ever).
            return Err(match Store::open(path, Access::ReadOnly) {
                Err(e) => e,
                Ok(_) => Error::at(path.display().to_string(), "ingen vanlig fil"),
            });
        }
        if needs_copy(path) {
            // Upgraded or recovered in a copy: the other file stays as it is.
            let dir = tempfile::tempdir().map_err(|e| {
                Error::at(path.display().to_string(), crate::error::io_reason_sv(&e))
            })?;
            let copy = dir.path().join("andra.sqlite");
            std::fs::copy(path, &copy).map_err(|e| {
                Error::at(path.display().to_string(), crate::error::io_reason_sv(&e))
            })?;
            let store = Store::open(&copy, Access::ReadWrite).map_err(|e| named(e, path))?;
            let survey = Self::pick(&store, name, path)?;
            return Ok(Other {
                survey,
                is_document: false,
            });
        }
        let store = Store::open(path, Access::ReadOnly)?;
        Ok(Other {
            survey: Self::pick(&store, name, path)?,
            is_document: false,
        })
    }

    /// The survey of the same name, or the only one in the file, checked
    /// by the rules a document obeys: another program (or another
    /// version) may have written the file, and what a merge takes from it
    /// is stored here.
    fn pick(store: &Store, name: &str, path: &Path) -> Result<Survey> {
        let names = store.surveys()?;
        let chosen = if names.iter().any(|n| n == name) {
            name.to_owned()
        } else {
            match names.len() {
                0 => {
                    return Err(Error::at(
                        path.display().to_string(),
                        "filen innehåller ingen kartläggning att slå samman; inget är ändrat",
                    ));
                }
                1 => names[0].clone(),
                _ => {
                    return Err(Error::at(
                        path.display().to_string(),
                        format!(
                            "filen har flera kartläggningar och ingen heter ”{name}” ({}); inget är ändrat",
                            names.join(", ")
                        ),
                    ));
                }
            }
        };
        let survey = store.load(&chosen).map_err(|e| named(e, path))?;
        crate::model::validate::survey(&survey)
            .and_then(|()| identity::check(&survey))
            .map_err(|e| {
                Error::at(
                    format!("{} ({})", path.display(), e.at),
                    format!("{}; inget är ändrat", e.message),
                )
            })?;
        Ok(survey)
    }
}

/// An error about the other file with the file named (the messages about a
/// damaged file do not say which).
fn named(e: Error, path: &Path) -> Error {
    match e {
        Error::Corrupt(what) => Error::at(
            path.display().to_string(),
            format!("databasen är skadad: {what}; inget är ändrat"),
        ),
        other => other,
    }
}

/// Whether opening `path` could write to it: an older file is upgraded and
/// an interrupted write rolled back by any open. Then the merge reads a
/// copy. A file that is not ours is left to [`Store::open`] to refuse.
fn needs_copy(path: &Path) -> bool {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if Path::new(&journal).exists() {
        return true;
    }
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)))
        .is_ok_and(|v| v != 0 && v < super::schema::VERSION)
}

impl Store {
    /// Merges `theirs` into the survey `mine` (as loaded from this file) as
    /// `plan` says, each conflict settled by the pick at its index, in one
    /// transaction; the units it changed. A plan that changes nothing
    /// writes nothing.
    pub fn merge(
        &mut self,
        mine: &Survey,
        theirs: &Survey,
        plan: &Plan,
        picks: &[Pick],
    ) -> Result<Vec<Merged>> {
        if picks.len() != plan.conflicts.len() {
            return Err(corrupt("en sammanslagning utan val för varje konflikt"));
        }
        if plan.is_empty() {
            return Ok(Vec::new());
        }
        let name = &mine.frame.name;
        let layout = mine.layout();
        let user = self.user.clone();
        self.write(|tx| {
            let frame = FrameIds::load(tx, name)?;
            let sid = frame.survey;
            let mut writer = UnitWriter::new(tx, layout)?;
            let mut merged = Vec::new();
            let mut end = mine.units.len();
            let mut deleted_any = false;

            // Their version over ours, with both lineages: the next merge
            // of either file sees this as the newer version.
            let take = |tx: &Transaction, writer: &mut UnitWriter, m: usize, t: usize| {
                let my = &mine.units[m];
                let mut unit = theirs.units[t].clone();
                if plan.keep_my_marks {
                    unit.reviews = my.reviews.clone();
                }
                unit.lineage.0.push(identity::revision(my));
                let row = row_of(tx, sid, my.id)?;
                let index = position_of(tx, row)?;
                overwrite(tx, &frame, writer, row, index, &unit)?;
                Ok::<_, Error>(Merged {
                    before: Some(my.clone()),
                    after: Some(unit),
                })
            };
            let add = |writer: &mut UnitWriter, t: usize, end: &mut usize| {
                let unit = theirs.units[t].clone();
                writer.insert(&frame, *end, &unit)?;
                *end += 1;
                Ok::<_, Error>(Merged {
                    before: None,
                    after: Some(unit),
                })
            };
            let delete = |tx: &Transaction, m: usize| {
                let my = &mine.units[m];
                let row = row_of(tx, sid, my.id)?;
                ids::mark_deleted(tx, sid, row)?;
                tx.execute("DELETE FROM unit WHERE id = ?1", [row])?;
                Ok::<_, Error>(Merged {
                    before: Some(my.clone()),
                    after: None,
                })
            };

            for change in &plan.changes {
                merged.push(match *change {
                    Change::Take { mine: m, theirs: t } => take(tx, &mut writer, m, t)?,
                    Change::Add { theirs: t } => add(&mut writer, t, &mut end)?,
                    Change::Delete { mine: m } => {
                        deleted_any = true;
                        delete(tx, m)?
                    }
                });
            }
            for (conflict, pick) in plan.conflicts.iter().zip(picks) {
                match (*pick, conflict.mine, conflict.theirs) {
                    (Pick::Theirs, Some(m), Some(t)) => merged.push(take(tx, &mut writer, m, t)?),
                    (Pick::Theirs, None, Some(t)) => merged.push(add(&mut writer, t, &mut end)?),
                    (Pick::Theirs, Some(m), None) => {
                        deleted_any = true;
                        merged.push(delete(tx, m)?);
                    }
                    (Pick::Mine, _, Some(t)) => {
                        // Ours stands (or stays deleted); theirs becomes
                        // its past, so the same conflict does not return.
                        let their = &theirs.units[t];
                        let mut revisions = their.lineage.0.clone();
                        revisions.push(identity::revision(their));
                        ids::learn(tx, sid, their.id, &revisions)?;
                    }
                    (Pick::Mine, Some(m), None) => {
                        let id = mine.units[m].id;
                        if let Some(revisions) = theirs.deleted.0.get(&id.get()) {
                            ids::learn(tx, sid, id, revisions)?;
                        }
                    }
                    (_, None, None) => {}
                }
            }
            for (id, revisions) in &plan.learn {
                ids::learn(tx, sid, *id, revisions)?;
            }
            for (id, revisions) in &plan.learn_deleted {
                ids::mark_deleted_id(tx, sid, *id)?;
                ids::learn(tx, sid, *id, revisions)?;
            }
            if deleted_any {
                renumber(tx, sid)?;
            }
            // HISTORY HOOK: the change history logs each merged unit here,
            // field by field, with how = `merge`, inside this transaction.
            log_merge(tx, sid, &user, &mine.frame, &merged)?;
            Ok(merged)
        })
    }

    /// Puts a survey's units back exactly as `survey` has them, with their
    /// lineages and the deleted units (undo and redo of a merge). One
    /// transaction.
    ///
    /// The history gets the field-level differences of every unit put
    /// back, logged as undo or redo (see [`Store::logged_as`]), else as
    /// `merge`.
    pub fn restore_units(&mut self, survey: &Survey) -> Result<()> {
        let layout = survey.layout();
        let (user, how) = (
            self.user.clone(),
            self.how(crate::model::history::How::Merge),
        );
        self.write(|tx| {
            let frame = FrameIds::load(tx, &survey.frame.name)?;
            let sid = frame.survey;
            let before = super::load::load(tx, &survey.frame.name)?;
            let changes = restored_changes(&before, survey);
            tx.execute("DELETE FROM unit WHERE survey_id = ?1", [sid])?;
            tx.execute("DELETE FROM unit_revision WHERE survey_id = ?1", [sid])?;
            tx.execute("DELETE FROM unit_deleted WHERE survey_id = ?1", [sid])?;
            let mut writer = UnitWriter::new(tx, layout)?;
            for (i, unit) in survey.units.iter().enumerate() {
                writer.insert(&frame, i, unit)?;
            }
            for (id, revisions) in &survey.deleted.0 {
                let id = Id::from_u128(*id);
                ids::mark_deleted_id(tx, sid, id)?;
                ids::learn(tx, sid, id, revisions)?;
            }
            super::history::record(tx, sid, &user, how, &changes)
        })
    }
}

/// The field-level differences when the units of `before` are replaced by
/// those of `after` (the same survey): units paired by their stable id,
/// in the order of `after`, then the units that are gone.
fn restored_changes(before: &Survey, after: &Survey) -> Vec<crate::model::history::FieldChange> {
    use crate::model::history::diff_units;
    // By `Id::get`: ids themselves always compare equal.
    let by_id: std::collections::HashMap<u128, &Unit> =
        before.units.iter().map(|u| (u.id.get(), u)).collect();
    let kept: std::collections::HashSet<u128> = after.units.iter().map(|u| u.id.get()).collect();
    let mut out = Vec::new();
    for unit in &after.units {
        let old = by_id.get(&unit.id.get()).copied();
        if old != Some(unit) {
            out.extend(diff_units(&after.frame, old, Some(unit)));
        }
    }
    for unit in before.units.iter().filter(|u| !kept.contains(&u.id.get())) {
        out.extend(diff_units(&before.frame, Some(unit), None));
    }
    out
}

/// The change history of a merge (how = `merge`): one entry per changed
/// field of each unit in `merged`, in the merge's transaction.
fn log_merge(
    tx: &Transaction,
    sid: i64,
    user: &str,
    frame: &crate::model::Frame,
    merged: &[Merged],
) -> Result<()> {
    use crate::model::history::{How, diff_units};
    for m in merged {
        let changes = diff_units(frame, m.before.as_ref(), m.after.as_ref());
        super::history::record(tx, sid, user, How::Merge, &changes)?;
    }
    Ok(())
}

/// The database row of the unit with id `id`.
fn row_of(tx: &Transaction, sid: i64, id: Id) -> Result<i64> {
    tx.prepare_cached("SELECT id FROM unit WHERE survey_id = ?1 AND uid = ?2")?
        .query_row(params![sid, id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| corrupt("en enhet att slå samman finns inte längre i filen"))
}

fn position_of(tx: &Transaction, row: i64) -> Result<usize> {
    let p: i64 = tx
        .prepare_cached("SELECT position FROM unit WHERE id = ?1")?
        .query_row([row], |r| r.get(0))?;
    usize::try_from(p).map_err(|_| corrupt("en enhet med negativ plats"))
}

/// Numbers the survey's units 0, 1, 2 … in their order after deletions.
fn renumber(tx: &Transaction, sid: i64) -> Result<()> {
    let rows: Vec<(i64, i64)> = tx
        .prepare("SELECT id, position FROM unit WHERE survey_id = ?1 ORDER BY position")?
        .query_map([sid], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare_cached("UPDATE unit SET position = ?2 WHERE id = ?1")?;
    for (i, (row, position)) in rows.into_iter().enumerate() {
        if position != i as i64 {
            update.execute(params![row, i as i64])?;
        }
    }
    Ok(())
}
