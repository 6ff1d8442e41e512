//! The change history in the file: written by every write, in the same
//! transaction (see [`record`]), and read for the app and `malgrupp log`.
//! The table is append-only; its triggers refuse UPDATE and DELETE.

use rusqlite::{Connection, ToSql, Transaction, params};

use crate::error::{Error, Result};
use crate::model::history::{FieldChange, How};

use super::open::map_err;
use super::{Store, survey_id};

/// One change to one field, as the history holds it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// When, in UTC (`2026-11-27T14:05:04.123Z`).
    pub time: String,
    /// Who.
    pub user: String,
    /// The unit's name; `None` for the frame.
    pub unit: Option<String>,
    /// The group's rank as it was; `None` for unit-level fields.
    pub rank: Option<u32>,
    /// The group's label as it was; `None` for unit-level fields.
    pub label: Option<String>,
    /// The field.
    pub field: String,
    /// The value before, `None` when blank.
    pub old: Option<String>,
    /// The value after, `None` when blank.
    pub new: Option<String>,
    /// How it was made ([`How::key`]).
    pub how: String,
    /// When, in this computer's local time (`2026-11-27 15:05:04`), for
    /// people; not in the JSON.
    #[serde(skip)]
    pub local_time: String,
    /// Its place in the history: later entries have larger ones (for
    /// reading the next page); not in the JSON.
    #[serde(skip)]
    pub id: i64,
}

/// Which part of a survey's history to read; everything by default.
#[derive(Clone, Copy, Debug, Default)]
pub struct Query<'a> {
    /// Only this unit's changes.
    pub unit: Option<&'a str>,
    /// Only one cell of that unit: the group's label (`None` for a
    /// unit-level field) and the field.
    pub cell: Option<(Option<&'a str>, &'a str)>,
    /// Only changes on or after this day (`YYYY-MM-DD`, local time).
    pub since: Option<&'a str>,
    /// At most this many, the newest.
    pub limit: Option<usize>,
    /// Only entries older than this one ([`Entry::id`]): the next page.
    pub before: Option<i64>,
    /// Only entries newer than this one: what was added since.
    pub after: Option<i64>,
}

/// Appends `changes` to the history of survey `survey_id`, made by `user`
/// in the way `how`, all with the same time. Call it inside the
/// transaction that makes the changes. An edit that only sets or clears
/// review marks is logged as `review`.
pub fn record(
    tx: &Transaction,
    survey_id: i64,
    user: &str,
    how: How,
    changes: &[FieldChange],
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let time: String = tx
        .prepare_cached("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")?
        .query_row([], |r| r.get(0))?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO history (survey_id, time, user, unit, rank, label, field, old, new, how)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for c in changes {
        let how = if how == How::Edit && c.field.starts_with("review:") {
            How::Review
        } else {
            how
        };
        stmt.execute(params![
            survey_id,
            time,
            user,
            c.unit,
            c.rank,
            c.label,
            c.field,
            c.old,
            c.new,
            how.key()
        ])?;
    }
    Ok(())
}

/// Whether `day` is a date written `YYYY-MM-DD` that exists.
pub fn valid_day(day: &str) -> bool {
    let parts: Vec<&str> = day.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl Store {
    /// The person whose changes this store writes down.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Sets the person whose changes this store writes down; refused (in
    /// Swedish) when the name is empty or holds control characters.
    pub fn set_user(&mut self, user: &str) -> Result<()> {
        crate::model::history::check_user(user)
            .map_err(|reason| Error::at("användaren", reason))?;
        self.user = user.trim().to_owned();
        Ok(())
    }

    /// Runs `write` with its changes logged as `how` (undo, redo, an
    /// import of a form, a merge) instead of each write's own way.
    pub fn logged_as<T>(
        &mut self,
        how: How,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let before = self.how.replace(how);
        let result = write(self);
        self.how = before;
        result
    }

    /// How the next write is logged: as set by [`Store::logged_as`], else
    /// the write's own way.
    pub(super) fn how(&self, own: How) -> How {
        self.how.unwrap_or(own)
    }

    /// The history of survey `survey`, newest first, narrowed by `query`.
    pub fn history(&self, survey: &str, query: &Query) -> Result<Vec<Entry>> {
        read(&self.conn, survey, query).map_err(|e| match e {
            Error::Sqlite(e) => map_err(e, &self.path),
            other => other,
        })
    }

    /// A page of the history as the app's window reads it: the entries
    /// `query` finds, newest first, at most its limit; and when the page is
    /// full, how many there are in all (counted only then).
    pub fn history_page(&self, survey: &str, query: &Query) -> Result<(Vec<Entry>, Option<usize>)> {
        let entries = self.history(survey, query)?;
        let total = match query.limit {
            Some(limit) if entries.len() == limit => Some(self.history_count(survey, query)?),
            _ => None,
        };
        Ok((entries, total))
    }

    /// How many entries `query` finds, its limit, `before` and `after`
    /// aside (to say "the newest 500 of 5 248").
    pub fn history_count(&self, survey: &str, query: &Query) -> Result<usize> {
        let whole = Query {
            limit: None,
            before: None,
            after: None,
            ..*query
        };
        count(&self.conn, survey, &whole).map_err(|e| match e {
            Error::Sqlite(e) => map_err(e, &self.path),
            other => other,
        })
    }
}

/// The columns an entry is read from, in [`read`]'s order.
const COLUMNS: &str = "time, user, unit, rank, label, field, old, new, how,
    strftime('%Y-%m-%d %H:%M:%S', time, 'localtime'), id";

fn count(conn: &Connection, survey: &str, query: &Query) -> Result<usize> {
    let (sql, sid, since) = select("count(*)", conn, survey, query)?;
    let mut args: Vec<&dyn ToSql> = vec![&sid];
    push_args(query, &since, &mut args);
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(args.as_slice(), |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The statement for `what` of the entries `query` finds (without its
/// order and limit), the survey's id and the day's start (`--since`).
fn select(
    what: &str,
    conn: &Connection,
    survey: &str,
    query: &Query,
) -> Result<(String, i64, Option<String>)> {
    let sid = survey_id(conn, survey)?.ok_or_else(|| Error::NoSuchSurvey {
        name: survey.to_owned(),
        available: String::new(),
    })?;
    let mut sql = format!("SELECT {what} FROM history WHERE survey_id = ?1");
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    if query.unit.is_some() {
        sql += &format!(" AND unit = ?{}", next());
    }
    if query.cell.is_some() {
        sql += &format!(" AND label IS ?{} AND field = ?{}", next(), next());
    }
    if let Some(since) = &query.since {
        if !valid_day(since) {
            return Err(Error::at(
                "--since",
                format!(
                    "”{}” är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2026-11-27",
                    crate::model::validate::shorten(since)
                ),
            ));
        }
        // Midnight of that day here, in UTC, as the times are kept.
        sql += &format!(
            " AND time >= strftime('%Y-%m-%dT%H:%M:%fZ', ?{}, 'utc')",
            next()
        );
    }
    if query.before.is_some() {
        sql += &format!(" AND id < ?{}", next());
    }
    if query.after.is_some() {
        sql += &format!(" AND id > ?{}", next());
    }
    Ok((sql, sid, query.since.map(str::to_owned)))
}

/// The arguments of [`select`]'s statement after the survey's id.
fn push_args<'a>(query: &'a Query, since: &'a Option<String>, args: &mut Vec<&'a dyn ToSql>) {
    if let Some(unit) = &query.unit {
        args.push(unit);
    }
    if let Some((label, field)) = &query.cell {
        args.push(label);
        args.push(field);
    }
    if let Some(since) = since {
        args.push(since);
    }
    if let Some(before) = &query.before {
        args.push(before);
    }
    if let Some(after) = &query.after {
        args.push(after);
    }
}

/// [`select`] of the entries, newest first, with `query`'s limit as the
/// last argument.
fn page_sql(
    conn: &Connection,
    survey: &str,
    query: &Query,
) -> Result<(String, i64, Option<String>)> {
    let (mut sql, sid, since) = select(COLUMNS, conn, survey, query)?;
    sql += " ORDER BY id DESC";
    if query.limit.is_some() {
        let n = sql.matches('?').count() + 1;
        sql += &format!(" LIMIT ?{n}");
    }
    Ok((sql, sid, since))
}

fn read(conn: &Connection, survey: &str, query: &Query) -> Result<Vec<Entry>> {
    let (sql, sid, since) = page_sql(conn, survey, query)?;
    let mut args: Vec<&dyn ToSql> = vec![&sid];
    push_args(query, &since, &mut args);
    let limit = query.limit.map(|l| l as i64);
    if let Some(limit) = &limit {
        args.push(limit);
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args.as_slice(), |r| {
        Ok(Entry {
            time: r.get(0)?,
            user: r.get(1)?,
            unit: r.get(2)?,
            rank: r.get(3)?,
            label: r.get(4)?,
            field: r.get(5)?,
            old: r.get(6)?,
            new: r.get(7)?,
            how: r.get(8)?,
            local_time: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            id: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<Entry>>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The history window's page of a cell and of a unit is one run of an
    /// index that holds what is read, newest first: no visit to the table,
    /// no sort, whatever the size of the history.
    #[test]
    fn a_page_of_a_cell_or_a_unit_is_read_from_an_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store =
            Store::open(&dir.path().join("h.sqlite"), super::super::Access::Create).unwrap();
        let frame = crate::generate::frame_2005("S", vec!["Nora".into()]);
        store.create_survey(&frame).unwrap();
        let plan = |query: &Query| {
            let (sql, sid, since) = page_sql(&store.conn, "S", query).unwrap();
            let mut args: Vec<&dyn ToSql> = vec![&sid];
            push_args(query, &since, &mut args);
            let limit = 2000i64;
            args.push(&limit);
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let rows = stmt
                .query_map(args.as_slice(), |r| r.get::<_, String>(3))
                .unwrap();
            rows.map(|r| r.unwrap()).collect::<Vec<_>>().join(" | ")
        };
        let cell = plan(&Query {
            unit: Some("U"),
            cell: Some((Some("G"), "count")),
            limit: Some(2000),
            before: Some(10),
            ..Default::default()
        });
        assert!(
            cell.contains("COVERING INDEX history_by_cell_newest"),
            "{cell}"
        );
        assert!(!cell.contains("TEMP B-TREE"), "{cell}");
        let unit = plan(&Query {
            unit: Some("U"),
            limit: Some(2000),
            after: Some(10),
            ..Default::default()
        });
        assert!(unit.contains("INDEX history_by_unit_newest"), "{unit}");
        assert!(!unit.contains("TEMP B-TREE"), "{unit}");
    }

    #[test]
    fn days_are_checked() {
        assert!(valid_day("2026-11-27"));
        assert!(valid_day("2024-02-29"));
        assert!(!valid_day("2023-02-29"));
        assert!(!valid_day("2026-13-01"));
        assert!(!valid_day("27/11/2026"));
        assert!(!valid_day("2026-1-1"));
    }
}
