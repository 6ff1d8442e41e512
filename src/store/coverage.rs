//! Verification by double entry (goes with its unit) and the frame's
//! planned units: how they sit in the database.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction, params};

use crate::error::Result;
use crate::model::coverage::PlannedUnit;
use crate::model::verification::Verification;
use crate::model::{Frame, Unit};

use super::corrupt;

/// Writes a unit's verification, if any (its row was deleted or is new).
pub(super) fn write_verification(tx: &Transaction, uid: i64, unit: &Unit) -> Result<()> {
    if let Some(v) = &unit.verification {
        tx.prepare_cached(
            "INSERT INTO verification (unit_id, user, time, differed, digest)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![uid, v.user, v.time, v.differed, v.digest as i64])?;
    }
    Ok(())
}

/// Puts the verifications of a survey's units on them.
pub(super) fn load_verifications(
    conn: &Connection,
    sid: i64,
    unit_index: &HashMap<i64, usize>,
    units: &mut [Unit],
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT v.unit_id, v.user, v.time, v.differed, v.digest FROM verification v
         JOIN unit u ON u.id = v.unit_id WHERE u.survey_id = ?1",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        let u = *unit_index
            .get(&r.get::<_, i64>(0)?)
            .ok_or_else(|| corrupt("en kontrollinmatning hör till en enhet som inte finns"))?;
        units[u].verification = Some(Verification {
            user: r.get(1)?,
            time: r.get(2)?,
            differed: r.get(3)?,
            digest: r.get::<_, i64>(4)? as u64,
        });
    }
    Ok(())
}

/// Replaces a survey's planned units with the frame's (after its
/// municipalities and authorities are written).
pub(super) fn write_planned(tx: &Transaction, sid: i64, frame: &Frame) -> Result<()> {
    tx.execute("DELETE FROM planned_unit WHERE survey_id = ?1", [sid])?;
    if frame.planned_units.is_empty() {
        return Ok(());
    }
    let id_of = |table: &str, name: &str| -> Result<i64> {
        tx.prepare_cached(&format!(
            "SELECT id FROM {table} WHERE survey_id = ?1 AND name = ?2"
        ))?
        .query_row(params![sid, name], |r| r.get(0))
        .map_err(|_| corrupt("en planerad enhet hör till en kommun eller myndighet utanför ramen"))
    };
    let mut insert = tx.prepare_cached(
        "INSERT INTO planned_unit (survey_id, position, name, municipality_id, area, authority_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, p) in frame.planned_units.iter().enumerate() {
        let municipality = match &p.municipality {
            Some(m) => Some(id_of("municipality", m)?),
            None => None,
        };
        let authority = id_of("authority", &p.authority)?;
        insert.execute(params![
            sid,
            i as i64,
            p.name,
            municipality,
            p.area,
            authority
        ])?;
    }
    Ok(())
}

/// Removes a survey's planned units (before its frame lists shrink).
pub(super) fn clear_planned(tx: &Transaction, sid: i64) -> Result<()> {
    tx.execute("DELETE FROM planned_unit WHERE survey_id = ?1", [sid])?;
    Ok(())
}

/// A survey's planned units, in order.
pub(super) fn load_planned(conn: &Connection, sid: i64) -> Result<Vec<PlannedUnit>> {
    let mut stmt = conn.prepare(
        "SELECT p.name, m.name, p.area, a.name FROM planned_unit p
         LEFT JOIN municipality m ON m.id = p.municipality_id
         JOIN authority a ON a.id = p.authority_id
         WHERE p.survey_id = ?1 ORDER BY p.position",
    )?;
    let planned = stmt
        .query_map([sid], |r| {
            Ok(PlannedUnit {
                name: r.get(0)?,
                municipality: r.get(1)?,
                area: r.get(2)?,
                authority: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(planned)
}
