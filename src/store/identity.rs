//! Stable identity in the file: the revisions each unit has had and the
//! units deleted, kept so that a merge can tell which side changed what
//! (docs/survey-document.md). Copying the file carries all of it.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, Transaction, params};

use crate::error::Result;
use crate::model::Unit;
use crate::model::identity::{self, Id};

use super::corrupt;

/// Records the unit's current revision (and the earlier ones it brings,
/// from a document or a merge) as revisions it has had, and clears a
/// deletion of it (an undone deletion). Called on every write of a unit.
pub(super) fn record(tx: &Transaction, sid: i64, unit: &Unit) -> Result<()> {
    let current = identity::revision(unit);
    let revisions = unit
        .lineage
        .0
        .iter()
        .filter(|r| **r != current)
        .chain(std::iter::once(&current));
    append(tx, sid, unit.id, revisions)?;
    tx.prepare_cached("DELETE FROM unit_deleted WHERE survey_id = ?1 AND uid = ?2")?
        .execute(params![sid, unit.id.to_string()])?;
    Ok(())
}

/// Adds the revisions not yet recorded for unit `id`, in order, after
/// those there are. The last sequence number is read once (not per row:
/// a document's unit may bring thousands of revisions).
fn append<'a>(
    tx: &Transaction,
    sid: i64,
    id: Id,
    revisions: impl Iterator<Item = &'a u128>,
) -> Result<()> {
    let uid = id.to_string();
    let mut seq: i64 = tx
        .prepare_cached(
            "SELECT coalesce(max(seq), 0) FROM unit_revision WHERE survey_id = ?1 AND uid = ?2",
        )?
        .query_row(params![sid, uid], |r| r.get(0))?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO unit_revision (survey_id, uid, revision, seq)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for r in revisions {
        if insert.execute(params![sid, uid, identity::revision_hex(*r), seq + 1])? == 1 {
            seq += 1;
        }
    }
    Ok(())
}

/// Records revisions a unit has had without writing the unit (a merge
/// that keeps one side's unit learns the other side's revisions, or those
/// of a unit that stays deleted).
pub(super) fn learn(tx: &Transaction, sid: i64, id: Id, revisions: &[u128]) -> Result<()> {
    append(tx, sid, id, revisions.iter())
}

/// Remembers that the unit with database row `unit_row` is deleted.
pub(super) fn mark_deleted(tx: &Transaction, sid: i64, unit_row: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO unit_deleted (survey_id, uid)
         SELECT survey_id, uid FROM unit WHERE id = ?1 AND survey_id = ?2",
    )?
    .execute(params![unit_row, sid])?;
    Ok(())
}

/// Remembers that the unit `id` is deleted (a merge takes the other side's
/// deletion, or learns of a unit deleted there that was never here).
pub(super) fn mark_deleted_id(tx: &Transaction, sid: i64, id: Id) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO unit_deleted (survey_id, uid) VALUES (?1, ?2)")?
        .execute(params![sid, id.to_string()])?;
    Ok(())
}

/// Fills each unit's lineage, oldest revision first.
pub(super) fn load_lineages(conn: &Connection, sid: i64, units: &mut [Unit]) -> Result<()> {
    let by_id: HashMap<u128, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.get(), i))
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT uid, revision FROM unit_revision WHERE survey_id = ?1 ORDER BY uid, seq",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        let uid: String = r.get(0)?;
        let Some(&u) = Id::parse(&uid).and_then(|id| by_id.get(&id.get())) else {
            // A deleted unit's revisions.
            continue;
        };
        let revision: String = r.get(1)?;
        let revision = identity::parse_revision(&revision)
            .ok_or_else(|| corrupt("en revision som inte går att läsa"))?;
        units[u].lineage.0.push(revision);
    }
    Ok(())
}

/// The deleted units of a survey, each with the revisions it had.
pub(super) fn deleted(conn: &Connection, sid: i64) -> Result<HashMap<u128, Vec<u128>>> {
    let mut out: HashMap<u128, Vec<u128>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT d.uid, r.revision FROM unit_deleted d
         LEFT JOIN unit_revision r ON r.survey_id = d.survey_id AND r.uid = d.uid
         WHERE d.survey_id = ?1 ORDER BY d.uid, r.seq",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        let uid: String = r.get(0)?;
        let id = Id::parse(&uid).ok_or_else(|| corrupt("en borttagen enhet utan giltigt id"))?;
        let entry = out.entry(id.get()).or_default();
        if let Some(revision) = r.get::<_, Option<String>>(1)? {
            entry.push(
                identity::parse_revision(&revision)
                    .ok_or_else(|| corrupt("en revision som inte går att läsa"))?,
            );
        }
    }
    Ok(out)
}

/// After an upgrade from a file without revisions: records every unit's
/// current revision, so that a copy of the file made before the upgrade and
/// this one share their starting point. One transaction.
pub(super) fn record_missing(conn: &Connection) -> Result<()> {
    let missing: i64 = conn.query_row(
        "SELECT count(*) FROM unit u WHERE NOT EXISTS
             (SELECT 1 FROM unit_revision r WHERE r.survey_id = u.survey_id AND r.uid = u.uid)",
        [],
        |r| r.get(0),
    )?;
    if missing == 0 {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    let names: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM survey")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (sid, name) in names {
        let survey = super::load::load(&tx, &name)?;
        let seen: HashSet<u128> = survey
            .units
            .iter()
            .filter(|u| !u.lineage.0.is_empty())
            .map(|u| u.id.get())
            .collect();
        for unit in survey.units.iter().filter(|u| !seen.contains(&u.id.get())) {
            record(&tx, sid, unit)?;
        }
    }
    tx.commit()?;
    Ok(())
}
