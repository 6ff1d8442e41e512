//! The same totals and checks computed by SQLite alone, straight from the
//! file. Two uses: the yardstick that opening a survey (load + checks +
//! totals in Rust) is benchmarked against, and an independent cross-check of
//! the Rust rules in tests.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::Store;
use crate::error::Result;
use crate::model::Place;

/// Totals of one place as SQLite computes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SqlTotals {
    /// Number of groups.
    pub groups: u64,
    /// Groups without a count.
    pub groups_without_count: u64,
    /// Sum of counts.
    pub count: u64,
    /// Sum of estimated counts.
    pub estimated: u64,
    /// Sum per (dimension index, category position).
    pub cells: BTreeMap<(u8, u32), u64>,
    /// People not given per sex, age and duration.
    pub not_given: [i64; 3],
}

/// What SQLite finds in a survey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SqlReport {
    /// Totals per municipality or area.
    pub places: BTreeMap<Place, SqlTotals>,
    /// Number of findings per kind key (`short`, `over` …).
    pub findings: BTreeMap<String, u64>,
}

/// The breakdown columns and their dimension index.
const DIMS: [(&str, u8); 4] = [("sex", 0), ("age", 1), ("duration", 2), ("also_at", 3)];

impl Store {
    /// Computes the survey's totals and finding counts in SQL only.
    pub fn sql_report(&self, survey: &str) -> Result<SqlReport> {
        sql_report(&self.conn, survey)
    }
}

/// A count read from SQL (never negative here).
fn n(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0) as u64)
}

/// The totals of the place named by a row's first two columns
/// (municipality position, area).
fn place_totals<'a>(report: &'a mut SqlReport, r: &rusqlite::Row<'_>) -> Result<&'a mut SqlTotals> {
    let place = match r.get::<_, Option<i64>>(0)? {
        Some(m) => Place::Municipality(m as usize),
        None => Place::Area(r.get::<_, Option<String>>(1)?.unwrap_or_default()),
    };
    Ok(report.places.entry(place).or_default())
}

fn sql_report(conn: &Connection, survey: &str) -> Result<SqlReport> {
    let mut report = SqlReport::default();
    // The survey's units and groups with where they belong, once.
    conn.execute_batch("DROP TABLE IF EXISTS temp.g; DROP TABLE IF EXISTS temp.u")?;
    conn.execute(
        "CREATE TEMP TABLE u AS SELECT u.id FROM unit u JOIN survey s ON s.id = u.survey_id
         WHERE s.name = ?1",
        [survey],
    )?;
    conn.execute(
        "CREATE TEMP TABLE g AS
         SELECT g.id, g.unit_id, m.position AS municipality, u.area, g.rank, g.count, g.estimated,
                g.sex, g.age, g.duration, g.also_at
         FROM survey s JOIN unit u ON u.survey_id = s.id
         JOIN target_group g ON g.unit_id = u.id
         LEFT JOIN municipality m ON m.id = u.municipality_id
         WHERE s.name = ?1",
        [survey],
    )?;
    // The correlated look-ups below go by unit and by group. (Expanding every
    // cell into a temporary table first was measured slower: json_each on
    // short arrays is cheaper than materialising 300,000 rows.)
    conn.execute_batch(
        "CREATE INDEX temp.g_by_unit ON g(unit_id); CREATE INDEX temp.g_by_id ON g(id);",
    )?;

    let mut stmt = conn.prepare(
        "SELECT municipality, area, count(*), sum(count IS NULL), coalesce(sum(count), 0),
                coalesce(sum(CASE WHEN estimated THEN count END), 0),
                coalesce(sum(count - coalesce((SELECT sum(value) FROM json_each(g.sex)), 0)), 0),
                coalesce(sum(count - coalesce((SELECT sum(value) FROM json_each(g.age)), 0)), 0),
                coalesce(sum(count - coalesce((SELECT sum(value) FROM json_each(g.duration)), 0)), 0)
         FROM temp.g GROUP BY municipality, area",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let t = place_totals(&mut report, r)?;
        t.groups = n(r, 2)?;
        t.groups_without_count = n(r, 3)?;
        t.count = n(r, 4)?;
        t.estimated = n(r, 5)?;
        t.not_given = [r.get(6)?, r.get(7)?, r.get(8)?];
    }
    for (column, dim) in DIMS {
        let mut stmt = conn.prepare(&format!(
            "SELECT municipality, area, j.key, sum(j.value)
             FROM temp.g, json_each(g.{column}) AS j
             WHERE j.value IS NOT NULL GROUP BY municipality, area, j.key"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            place_totals(&mut report, r)?
                .cells
                .insert((dim, r.get(2)?), n(r, 3)?);
        }
    }

    let mut count = |kind: &str, sql: &str| -> Result<()> {
        let found = conn.query_row(sql, [], |r| n(r, 0))?;
        if found > 0 {
            *report.findings.entry(kind.to_owned()).or_default() += found;
        }
        Ok(())
    };
    count(
        "missing_count",
        "SELECT count(*) FROM temp.g WHERE count IS NULL",
    )?;
    count(
        "estimated",
        "SELECT count(*) FROM temp.g WHERE count IS NOT NULL AND estimated",
    )?;
    for (column, _) in &DIMS[..3] {
        let parts = format!("(SELECT sum(value) FROM json_each(g.{column}))");
        count(
            "not_given",
            &format!("SELECT count(*) FROM temp.g WHERE count IS NOT NULL AND {parts} IS NULL"),
        )?;
        count(
            "short",
            &format!("SELECT count(*) FROM temp.g WHERE {parts} < count"),
        )?;
        count(
            "over",
            &format!("SELECT count(*) FROM temp.g WHERE {parts} > count"),
        )?;
    }
    count(
        "over",
        "SELECT count(*) FROM temp.g, json_each(g.also_at) AS j WHERE j.value > g.count",
    )?;
    let table_sum = "(SELECT sum(value) FROM extra_cell c WHERE c.table_id = t.id)";
    for (kind, test) in [
        ("not_given", format!("{table_sum} IS NULL")),
        ("short", format!("{table_sum} < g.count")),
        ("over", format!("{table_sum} > g.count")),
    ] {
        count(
            kind,
            &format!(
                "SELECT count(*) FROM extra_table t JOIN temp.g ON g.id = t.group_id
                 WHERE g.count IS NOT NULL AND {test}"
            ),
        )?;
    }
    let units = "SELECT id FROM temp.u";
    count(
        "totals_differ",
        &format!(
            "SELECT count(*) FROM reported_total r WHERE r.unit_id IN ({units})
             AND r.count <> (SELECT coalesce(sum(count), 0) FROM temp.g WHERE g.unit_id = r.unit_id)"
        ),
    )?;
    for (column, _) in DIMS {
        count(
            "totals_differ",
            &format!(
                "SELECT count(*) FROM reported_total r, json_each(r.{column}) AS j
                 WHERE r.unit_id IN ({units}) AND j.value IS NOT NULL
                 AND j.value <> (SELECT coalesce(sum(json_extract(g.{column}, '$[' || j.key || ']')), 0)
                                 FROM temp.g WHERE g.unit_id = r.unit_id)"
            ),
        )?;
    }
    // A group whose rank another group of its unit has; a unit whose name,
    // place and authority another unit of the survey has (GROUP BY puts
    // NULL places together, as the same place).
    count(
        "duplicate",
        "SELECT count(*) FROM temp.g WHERE EXISTS
           (SELECT 1 FROM temp.g o WHERE o.unit_id = g.unit_id AND o.rank = g.rank AND o.id <> g.id)",
    )?;
    count(
        "duplicate",
        &format!(
            "SELECT coalesce(sum(n), 0) FROM
               (SELECT count(*) AS n FROM unit WHERE id IN ({units})
                GROUP BY municipality_id, area, authority_id, name HAVING count(*) > 1)"
        ),
    )?;
    conn.execute_batch("DROP TABLE temp.g; DROP TABLE temp.u")?;
    Ok(report)
}
