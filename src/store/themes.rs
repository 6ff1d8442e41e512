//! Themes in the file: the frame's list (`theme`) and each group's themes
//! (`target_group.themes`, a JSON list of theme positions, NULL when none).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;
use crate::model::Theme;
use crate::model::history::{FieldChange, How, themes_value};

use super::edit::unit_id;
use super::history::record;
use super::identity;
use super::load::{load_frame, load_unit};
use super::{Store, corrupt, survey_id};

/// A group's themes as their column: `[0,2]`, or NULL when none.
pub(super) fn group_column(themes: &[u16]) -> Option<String> {
    (!themes.is_empty()).then(|| {
        let items: Vec<String> = themes.iter().map(u16::to_string).collect();
        format!("[{}]", items.join(","))
    })
}

/// The column as the program writes it (`[0,3]`: digits and commas, no
/// spaces) read without serde_json, which took a twentieth of loading a
/// national file; `None` for anything else, left to serde_json.
fn plain_list(text: &str) -> Option<thin_vec::ThinVec<u16>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = thin_vec::ThinVec::new();
    if inner.is_empty() {
        return Some(out);
    }
    for n in inner.split(',') {
        // JSON has no leading zeros: "07" is serde_json's to refuse.
        if n.is_empty()
            || n.len() > 5
            || (n.len() > 1 && n.starts_with('0'))
            || !n.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        out.push(n.parse().ok()?);
    }
    Some(out)
}

/// Reads a group's themes column, checking each position against the
/// frame's `count` themes.
pub(super) fn read_group_column(
    text: Option<&str>,
    count: usize,
) -> Result<thin_vec::ThinVec<u16>> {
    let Some(text) = text else {
        return Ok(thin_vec::ThinVec::new());
    };
    let mut out: thin_vec::ThinVec<u16> = match plain_list(text) {
        Some(list) => list,
        None => serde_json::from_str::<Vec<u16>>(text)
            .map_err(|_| corrupt("en målgrupps teman är inte en lista"))?
            .into_iter()
            .collect(),
    };
    out.sort_unstable();
    out.dedup();
    if out.iter().any(|t| usize::from(*t) >= count) {
        return Err(corrupt("en målgrupp har ett tema som saknas i ramen"));
    }
    Ok(out)
}

/// The frame's themes, in order.
pub(super) fn load_frame_themes(conn: &Connection, sid: i64) -> Result<Vec<Theme>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, keywords FROM theme WHERE survey_id = ?1 ORDER BY position",
    )?;
    let mut rows = stmt.query([sid])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let keywords: Option<String> = r.get(1)?;
        let keywords = match keywords {
            None => Vec::new(),
            Some(k) => serde_json::from_str(&k)
                .map_err(|_| corrupt("ett temas nyckelord är inte en lista med texter"))?,
        };
        out.push(Theme {
            name: r.get(0)?,
            keywords,
        });
    }
    Ok(out)
}

/// Writes the frame's themes in place of those there were. Groups refer to
/// themes by position, so a renamed theme keeps its groups.
pub(super) fn write_frame_themes(tx: &Transaction, sid: i64, themes: &[Theme]) -> Result<()> {
    tx.execute("DELETE FROM theme WHERE survey_id = ?1", [sid])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO theme (survey_id, position, name, keywords) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, t) in themes.iter().enumerate() {
        let keywords = (!t.keywords.is_empty())
            .then(|| serde_json::Value::from(t.keywords.clone()).to_string());
        stmt.execute(params![sid, i as i64, t.name, keywords])?;
    }
    Ok(())
}

/// One group's new themes: unit position, group position, theme positions.
pub type GroupThemes<'a> = (usize, usize, &'a [u16]);

impl Store {
    /// Sets the themes of many groups of a survey at once, in one
    /// transaction (tagging from the view by theme, and its undo). The
    /// history gets each group whose themes changed (field `themes`).
    pub fn set_group_themes(&mut self, survey: &str, edits: &[GroupThemes<'_>]) -> Result<()> {
        let (user, how) = (self.user.clone(), self.how(How::Edit));
        self.write(|tx| {
            let sid = survey_id(tx, survey)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            let frame_themes = load_frame_themes(tx, sid)?;
            let mut read = tx.prepare_cached(
                "SELECT g.id, u.name, g.rank, g.label, g.themes
                 FROM target_group g JOIN unit u ON u.id = g.unit_id
                 WHERE u.survey_id = ?1 AND u.position = ?2 AND g.position = ?3",
            )?;
            let mut update =
                tx.prepare_cached("UPDATE target_group SET themes = ?2 WHERE id = ?1")?;
            let mut changes = Vec::new();
            let mut retagged: Vec<usize> = Vec::new();
            for &(unit, group, themes) in edits {
                let found = read
                    .query_row(params![sid, unit as i64, group as i64], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, u32>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, Option<String>>(4)?,
                        ))
                    })
                    .optional()?;
                let Some((row, unit_name, rank, label, before)) = found else {
                    return Err(corrupt(&format!(
                        "målgrupp {} i enhet nummer {} saknas i databasen",
                        group + 1,
                        unit + 1
                    )));
                };
                let before = read_group_column(before.as_deref(), frame_themes.len())?;
                let (old, new) = (
                    themes_value(&frame_themes, &before),
                    themes_value(&frame_themes, themes),
                );
                if old != new {
                    changes.push(FieldChange {
                        unit: Some(unit_name),
                        rank: Some(rank),
                        label: Some(label),
                        field: "themes".to_owned(),
                        old,
                        new,
                    });
                }
                update.execute(params![row, group_column(themes)])?;
                if !retagged.contains(&unit) {
                    retagged.push(unit);
                }
            }
            // Themes are part of a unit's revision: each retagged unit
            // records its new one, so a merge sees the change.
            if !retagged.is_empty() {
                let frame = load_frame(tx, sid)?;
                for unit in retagged {
                    let uid = unit_id(tx, sid, unit)?;
                    identity::record(tx, sid, &load_unit(tx, sid, uid, &frame)?)?;
                }
            }
            record(tx, sid, &user, how, &changes)
        })
    }
}

/// What a change of the frame's themes from `before` to `after` does to
/// the groups that carry them (a theme renamed: every group with it now
/// shows the new name), for the history; call it before the themes are
/// written.
pub(super) fn frame_change_on_groups(
    tx: &Transaction,
    sid: i64,
    before: &[Theme],
    after: &[Theme],
) -> Result<Vec<FieldChange>> {
    let names = |themes: &[Theme]| themes.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    if names(before) == names(after) {
        return Ok(Vec::new());
    }
    let mut stmt = tx.prepare_cached(
        "SELECT u.name, g.rank, g.label, g.themes
         FROM target_group g JOIN unit u ON u.id = g.unit_id
         WHERE u.survey_id = ?1 AND g.themes IS NOT NULL
         ORDER BY u.position, g.position",
    )?;
    let mut rows = stmt.query([sid])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let text: Option<String> = r.get(3)?;
        let carried = read_group_column(text.as_deref(), before.len())?;
        let (old, new) = (
            themes_value(before, &carried),
            themes_value(after, &carried),
        );
        if old != new {
            out.push(FieldChange {
                unit: Some(r.get(0)?),
                rank: Some(r.get(1)?),
                label: Some(r.get(2)?),
                field: "themes".to_owned(),
                old,
                new,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::read_group_column;

    /// The fast reading agrees with serde_json's: what the program writes,
    /// and what only serde_json reads (spaces) or refuses.
    #[test]
    fn group_column_read_as_serde_json_reads_it() {
        let read = |t: &str| read_group_column(Some(t), 10).ok().map(|v| v.to_vec());
        assert_eq!(read("[]"), Some(vec![]));
        assert_eq!(read("[3,0,3]"), Some(vec![0, 3]));
        assert_eq!(read("[ 1 , 2 ]"), Some(vec![1, 2]));
        assert_eq!(read("[9]"), Some(vec![9]));
        for bad in [
            "[10]", "[07]", "[-1]", "[1,]", "[,]", "[70000]", "1", "[\"a\"]",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
