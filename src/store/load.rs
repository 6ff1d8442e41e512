//! Reading a survey back from the file.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::identity::{self, Id};
use crate::model::review::Review;
use crate::model::{Cell, ExtraTable, Frame, KeyFigure, Place, Row, Survey, TargetGroup, Unit};

use super::codec::{parse_kind, parse_subject, read_row_cells};
use super::open::map_err;
use super::{Store, corrupt};

impl Store {
    /// Names of the surveys in the file, in the order they were added.
    pub fn surveys(&self) -> Result<Vec<String>> {
        let names = (|| {
            let mut stmt = self.conn.prepare("SELECT name FROM survey ORDER BY id")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })();
        names.map_err(|e| map_err(e, &self.path))
    }

    /// The survey named, or the only one when no name is given.
    pub fn resolve_survey(&self, name: Option<&str>) -> Result<String> {
        let names = self.surveys()?;
        match name {
            Some(n) if names.iter().any(|s| s == n) => Ok(n.to_owned()),
            Some(n) => Err(Error::NoSuchSurvey {
                name: n.to_owned(),
                available: if names.is_empty() {
                    "inga".to_owned()
                } else {
                    names.join(", ")
                },
            }),
            None => match names.len() {
                // Named: beside a merge's other file it is not plain which.
                0 => Err(Error::at(
                    self.path.display().to_string(),
                    Error::NoSurvey.to_string(),
                )),
                1 => Ok(names.into_iter().next().expect("one name")),
                _ => Err(Error::SeveralSurveys(names.join(", "))),
            },
        }
    }

    /// Loads a whole survey by name, in one read transaction: a writer in
    /// another program cannot commit between its queries.
    pub fn load(&self, name: &str) -> Result<Survey> {
        (|| {
            let tx = self.conn.unchecked_transaction()?;
            let survey = load(&tx, name)?;
            tx.commit()?;
            Ok(survey)
        })()
        .map_err(|e| match e {
            // A writer holding the file longer than the busy timeout, or
            // a disk error, in plain words.
            Error::Sqlite(e) => map_err(e, &self.path),
            other => other,
        })
    }
}

/// The position of a row loaded earlier, by id; a row that refers to one
/// not loaded means the file does not hang together.
fn index_of(index: &HashMap<i64, usize>, id: i64) -> Result<usize> {
    index
        .get(&id)
        .copied()
        .ok_or_else(|| corrupt("en rad hänvisar till en rad som inte finns"))
}

/// A stored id; every row gets one when written (or by the upgrade).
/// A text column (or NULL) borrowed from the row, not copied.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn uid_from(text: Option<&str>) -> Result<Id> {
    text.and_then(Id::parse)
        .ok_or_else(|| corrupt("en enhet eller målgrupp saknar giltigt id"))
}

pub(super) fn load(conn: &Connection, name: &str) -> Result<Survey> {
    let (sid, about): (i64, Option<String>) = conn
        .query_row(
            "SELECT id, about FROM survey WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NoSuchSurvey {
            name: name.to_owned(),
            available: String::new(),
        })?;
    let (frame, municipality_index, authority_index) = frame_with_ids(conn, sid)?;
    let layout = frame.layout();

    // Units, in order.
    let mut units = Vec::new();
    let mut unit_index: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT id, municipality_id, area, authority_id, name, collaboration_today,
                    preventive_measures, note,
                    (SELECT count(*) FROM target_group g WHERE g.unit_id = unit.id), uid
             FROM unit WHERE survey_id = ?1 ORDER BY position",
        )?;
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            let place = match (r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?) {
                (Some(m), _) => Place::Municipality(
                    *municipality_index
                        .get(&m)
                        .ok_or_else(|| corrupt("okänd kommun"))?,
                ),
                (None, Some(area)) => Place::Area(area),
                (None, None) => return Err(corrupt("enhet utan plats")),
            };
            let authority = *authority_index
                .get(&r.get(3)?)
                .ok_or_else(|| corrupt("okänd myndighet"))?;
            unit_index.insert(r.get(0)?, units.len());
            units.push(Unit {
                id: uid_from(text_at(r, 9)?)?,
                lineage: Default::default(),
                place,
                authority,
                name: r.get(4)?,
                collaboration_today: r.get(5)?,
                preventive_measures: r.get(6)?,
                note: r.get(7)?,
                key_figures: Vec::new(),
                // Sized exactly: growing by doubling would leave a national
                // survey's group vectors a third empty.
                groups: Vec::with_capacity(r.get::<_, i64>(8)?.max(0) as usize),
                reported_totals: None,
                reviews: Vec::new(),
                verification: None,
            });
        }
    }
    {
        let mut stmt = conn.prepare(
            "SELECT k.unit_id, k.name, k.value FROM key_figure k JOIN unit u ON u.id = k.unit_id
             WHERE u.survey_id = ?1 ORDER BY k.unit_id, k.position",
        )?;
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            let u = index_of(&unit_index, r.get(0)?)?;
            units[u].key_figures.push(KeyFigure {
                name: r.get(1)?,
                value: r
                    .get::<_, i64>(2)?
                    .try_into()
                    .map_err(|_| corrupt("negativt tal"))?,
            });
        }
    }
    {
        let mut stmt = conn.prepare(
            "SELECT t.unit_id, t.count, t.sex, t.age, t.duration, t.also_at FROM reported_total t
             JOIN unit u ON u.id = t.unit_id WHERE u.survey_id = ?1",
        )?;
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            let u = index_of(&unit_index, r.get(0)?)?;
            let mut row = Row {
                count: cell_from(r.get(1)?)?,
                cells: layout.blank(),
            };
            read_row_cells(r, 2, &layout, &mut row.cells)?;
            units[u].reported_totals = Some(row);
        }
    }

    {
        let mut stmt = conn.prepare(
            "SELECT r.unit_id, r.group_position, r.subject, r.kind, r.amount, r.comment
             FROM review r JOIN unit u ON u.id = r.unit_id
             WHERE u.survey_id = ?1 ORDER BY r.unit_id, r.rowid",
        )?;
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            let u = index_of(&unit_index, r.get(0)?)?;
            let (subject, kind): (String, String) = (r.get(2)?, r.get(3)?);
            let subject =
                parse_subject(&subject).ok_or_else(|| corrupt("en granskning med okänt ämne"))?;
            let kind = parse_kind(&kind, r.get(4)?)
                .ok_or_else(|| corrupt("en granskning av okänt slag"))?;
            units[u].reviews.push(Review {
                group: r.get(1)?,
                subject,
                kind,
                comment: r.get(5)?,
            });
        }
    }
    super::coverage::load_verifications(conn, sid, &unit_index, &mut units)?;
    super::identity::load_lineages(conn, sid, &mut units)?;
    let mut extra = load_extra_tables(conn, sid)?;
    // Groups in storage order (a plain scan, the fastest read SQLite has),
    // put in order within their unit afterwards.
    // With one survey in the file (the usual case) every group is ours and
    // the survey filter, an index probe per group, can be left out.
    let surveys: i64 = conn.query_row("SELECT count(*) FROM survey", [], |r| r.get(0))?;
    let columns = "SELECT id, unit_id, position, rank, label, count, estimated, note,
                          sex, age, duration, also_at, themes, uid FROM target_group";
    let mut stmt = if surveys == 1 {
        conn.prepare(columns)?
    } else {
        conn.prepare(&format!(
            "{columns} WHERE +unit_id IN (SELECT id FROM unit WHERE survey_id = ?1)"
        ))?
    };
    let mut rows = if surveys == 1 {
        stmt.query([])?
    } else {
        stmt.query([sid])?
    };
    let mut positions: Vec<Vec<u32>> = units
        .iter()
        .map(|u| Vec::with_capacity(u.groups.capacity()))
        .collect();
    let mut current: Option<(i64, usize)> = None;
    while let Some(r) = rows.next()? {
        let unit_id: i64 = r.get(1)?;
        let u = match current {
            Some((id, u)) if id == unit_id => u,
            _ => {
                let u = index_of(&unit_index, unit_id)?;
                current = Some((unit_id, u));
                u
            }
        };
        let mut group = TargetGroup {
            id: uid_from(text_at(r, 13)?)?,
            rank: r.get(3)?,
            label: r.get(4)?,
            row: Row {
                count: cell_from(r.get(5)?)?,
                cells: layout.blank(),
            },
            estimated: r.get(6)?,
            note: r.get::<_, Option<String>>(7)?.map(String::into_boxed_str),
            extra: thin_vec::ThinVec::new(),
            themes: super::themes::read_group_column(text_at(r, 12)?, frame.themes.len())?,
        };
        read_row_cells(r, 8, &layout, &mut group.row.cells)?;
        if !extra.is_empty()
            && let Some(tables) = extra.remove(&r.get::<_, i64>(0)?)
        {
            group.extra = tables.into();
        }
        positions[u].push(r.get(2)?);
        units[u].groups.push(group);
    }
    for (unit, positions) in units.iter_mut().zip(positions) {
        if !positions.is_sorted() {
            let mut order: Vec<usize> = (0..positions.len()).collect();
            order.sort_by_key(|&i| positions[i]);
            let mut groups: Vec<Option<TargetGroup>> = std::mem::take(&mut unit.groups)
                .into_iter()
                .map(Some)
                .collect();
            unit.groups = order
                .into_iter()
                .map(|i| groups[i].take().expect("each group once"))
                .collect();
        }
    }
    Ok(Survey {
        deleted: identity::Deleted(super::identity::deleted(conn, sid)?),
        about,
        frame,
        units,
    })
}

/// The frame of survey `sid`.
pub(super) fn load_frame(conn: &Connection, sid: i64) -> Result<Frame> {
    Ok(frame_with_ids(conn, sid)?.0)
}

/// The frame of survey `sid`, with the positions of its municipalities and
/// authorities by database id.
#[allow(clippy::type_complexity)]
fn frame_with_ids(
    conn: &Connection,
    sid: i64,
) -> Result<(Frame, HashMap<i64, usize>, HashMap<i64, usize>)> {
    let (name, region, period, note): (String, String, String, Option<String>) = conn
        .prepare_cached("SELECT name, region, period, note FROM survey WHERE id = ?1")?
        .query_row([sid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let names = |table: &str| -> Result<(Vec<String>, HashMap<i64, usize>)> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT id, name FROM {table} WHERE survey_id = ?1 ORDER BY position"
        ))?;
        let mut names = Vec::new();
        let mut ids = HashMap::new();
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            ids.insert(r.get(0)?, names.len());
            names.push(r.get(1)?);
        }
        Ok((names, ids))
    };
    let (municipalities, municipality_index) = names("municipality")?;
    let (authorities, authority_index) = names("authority")?;
    let mut bands: [Vec<String>; 3] = Default::default();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT dimension, label FROM band WHERE survey_id = ?1 ORDER BY dimension, position",
        )?;
        let mut rows = stmt.query([sid])?;
        while let Some(r) = rows.next()? {
            let d: i64 = r.get(0)?;
            usize::try_from(d)
                .ok()
                .and_then(|d| bands.get_mut(d))
                .ok_or_else(|| corrupt("okänd dimension"))?
                .push(r.get(1)?);
        }
    }
    let [sex, age_bands, duration_bands] = bands;
    let frame = Frame {
        name,
        region,
        period,
        municipalities,
        authorities,
        sex,
        age_bands,
        duration_bands,
        note,
        planned_units: super::coverage::load_planned(conn, sid)?,
        themes: super::themes::load_frame_themes(conn, sid)?,
    };
    Ok((frame, municipality_index, authority_index))
}

/// Unit `uid` as the file holds it, in `frame` (survey `sid`): what an
/// edit is compared with for the history, read inside the edit's own
/// transaction.
pub(super) fn load_unit(conn: &Connection, sid: i64, uid: i64, frame: &Frame) -> Result<Unit> {
    let layout = frame.layout();
    let mut unit = conn
        .prepare_cached(
            "SELECT (SELECT position FROM municipality m WHERE m.id = u.municipality_id),
                    u.area,
                    (SELECT position FROM authority a WHERE a.id = u.authority_id),
                    u.name, u.collaboration_today, u.preventive_measures, u.note, u.uid
             FROM unit u WHERE u.id = ?1 AND u.survey_id = ?2",
        )?
        .query_row(params![uid, sid], |r| {
            let place = match (r.get::<_, Option<i64>>(0)?, r.get::<_, Option<String>>(1)?) {
                (Some(m), _) => Some(Place::Municipality(m as usize)),
                (None, Some(area)) => Some(Place::Area(area)),
                (None, None) => None,
            };
            Ok((
                place,
                r.get::<_, Option<i64>>(2)?,
                Unit {
                    id: uid_from(text_at(r, 7)?).map_err(|_| rusqlite::Error::InvalidQuery)?,
                    // Not part of the history's comparison.
                    lineage: Default::default(),
                    place: Place::Municipality(0),
                    authority: 0,
                    name: r.get(3)?,
                    collaboration_today: r.get(4)?,
                    preventive_measures: r.get(5)?,
                    note: r.get(6)?,
                    key_figures: Vec::new(),
                    groups: Vec::new(),
                    reported_totals: None,
                    reviews: Vec::new(),
                    // Not part of the history's comparison.
                    verification: None,
                },
            ))
        })
        .optional()?
        .map(|(place, authority, mut unit)| -> Result<Unit> {
            unit.place = place.ok_or_else(|| corrupt("enhet utan plats"))?;
            unit.authority = authority.ok_or_else(|| corrupt("okänd myndighet"))? as usize;
            Ok(unit)
        })
        .ok_or_else(|| corrupt("enheten saknas i databasen"))??;
    let mut stmt = conn.prepare_cached(
        "SELECT name, value FROM key_figure WHERE unit_id = ?1 ORDER BY position",
    )?;
    let mut rows = stmt.query([uid])?;
    while let Some(r) = rows.next()? {
        unit.key_figures.push(KeyFigure {
            name: r.get(0)?,
            value: r
                .get::<_, i64>(1)?
                .try_into()
                .map_err(|_| corrupt("negativt tal"))?,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT count, sex, age, duration, also_at FROM reported_total WHERE unit_id = ?1",
    )?;
    let mut rows = stmt.query([uid])?;
    if let Some(r) = rows.next()? {
        let mut row = Row {
            count: cell_from(r.get(0)?)?,
            cells: layout.blank(),
        };
        read_row_cells(r, 1, &layout, &mut row.cells)?;
        unit.reported_totals = Some(row);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, rank, label, count, estimated, note, sex, age, duration, also_at, themes, uid
         FROM target_group WHERE unit_id = ?1 ORDER BY position",
    )?;
    let mut ids = Vec::new();
    let mut rows = stmt.query([uid])?;
    while let Some(r) = rows.next()? {
        ids.push(r.get::<_, i64>(0)?);
        let mut group = TargetGroup {
            id: uid_from(text_at(r, 11)?)?,
            rank: r.get(1)?,
            label: r.get(2)?,
            row: Row {
                count: cell_from(r.get(3)?)?,
                cells: layout.blank(),
            },
            estimated: r.get(4)?,
            note: r.get::<_, Option<String>>(5)?.map(String::into_boxed_str),
            extra: thin_vec::ThinVec::new(),
            themes: super::themes::read_group_column(
                r.get::<_, Option<String>>(10)?.as_deref(),
                frame.themes.len(),
            )?,
        };
        read_row_cells(r, 6, &layout, &mut group.row.cells)?;
        unit.groups.push(group);
    }
    let mut tables = conn.prepare_cached(
        "SELECT id, title FROM extra_table WHERE group_id = ?1 ORDER BY position",
    )?;
    let mut labels = conn.prepare_cached(
        "SELECT axis, label FROM extra_label WHERE table_id = ?1 ORDER BY axis, position",
    )?;
    let mut cells =
        conn.prepare_cached("SELECT row, col, value FROM extra_cell WHERE table_id = ?1")?;
    for (group, gid) in unit.groups.iter_mut().zip(ids) {
        let mut rows = tables.query([gid])?;
        while let Some(r) = rows.next()? {
            let tid: i64 = r.get(0)?;
            let mut t = ExtraTable {
                title: r.get(1)?,
                rows: Vec::new(),
                columns: Vec::new(),
                cells: Vec::new(),
            };
            let mut ls = labels.query([tid])?;
            while let Some(l) = ls.next()? {
                if l.get::<_, i64>(0)? == 0 {
                    t.rows.push(l.get(1)?);
                } else {
                    t.columns.push(l.get(1)?);
                }
            }
            t.cells = vec![Cell::BLANK; t.rows.len() * t.columns.len()];
            let n = t.columns.len();
            let mut cs = cells.query([tid])?;
            while let Some(c) = cs.next()? {
                let (row, col) = (c.get::<_, i64>(0)? as usize, c.get::<_, i64>(1)? as usize);
                if row >= t.rows.len() || col >= n {
                    return Err(corrupt("en tabellcell utanför tabellen"));
                }
                t.cells[row * n + col] = cell_from(Some(c.get(2)?))?;
            }
            group.extra.push(t);
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT group_position, subject, kind, amount, comment FROM review
         WHERE unit_id = ?1 ORDER BY rowid",
    )?;
    let mut rows = stmt.query([uid])?;
    while let Some(r) = rows.next()? {
        let (subject, kind): (String, String) = (r.get(1)?, r.get(2)?);
        unit.reviews.push(Review {
            group: r.get(0)?,
            subject: parse_subject(&subject)
                .ok_or_else(|| corrupt("en granskning med okänt ämne"))?,
            kind: parse_kind(&kind, r.get(3)?)
                .ok_or_else(|| corrupt("en granskning av okänt slag"))?,
            comment: r.get(4)?,
        });
    }
    Ok(unit)
}

fn cell_from(v: Option<i64>) -> Result<Cell> {
    match v {
        None => Ok(Cell::BLANK),
        Some(v) => u64::try_from(v)
            .ok()
            .and_then(Cell::try_new)
            .ok_or_else(|| corrupt("ogiltigt antal")),
    }
}

/// Loads the (rare) extra tables of a survey, by group id, each group's in
/// order. The joins start from the tables (CROSS JOIN fixes the order): left
/// to itself SQLite walked every group of the survey looking for tables, a
/// third of the time it takes to open a national survey.
fn load_extra_tables(conn: &Connection, sid: i64) -> Result<HashMap<i64, Vec<ExtraTable>>> {
    let mut tables: Vec<(i64, i64, ExtraTable)> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT t.id, t.group_id, t.title FROM extra_table t
         CROSS JOIN target_group g ON g.id = t.group_id CROSS JOIN unit u ON u.id = g.unit_id
         WHERE u.survey_id = ?1 ORDER BY t.group_id, t.position",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        index.insert(r.get(0)?, tables.len());
        tables.push((
            r.get(0)?,
            r.get(1)?,
            ExtraTable {
                title: r.get(2)?,
                rows: Vec::new(),
                columns: Vec::new(),
                cells: Vec::new(),
            },
        ));
    }
    if tables.is_empty() {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare(
        "SELECT l.table_id, l.axis, l.label FROM extra_table t
         CROSS JOIN target_group g ON g.id = t.group_id CROSS JOIN unit u ON u.id = g.unit_id
         CROSS JOIN extra_label l ON l.table_id = t.id
         WHERE u.survey_id = ?1 ORDER BY l.table_id, l.axis, l.position",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        let t = &mut tables[index_of(&index, r.get(0)?)?].2;
        if r.get::<_, i64>(1)? == 0 {
            t.rows.push(r.get(2)?);
        } else {
            t.columns.push(r.get(2)?);
        }
    }
    for (_, _, t) in &mut tables {
        t.cells = vec![Cell::BLANK; t.rows.len() * t.columns.len()];
    }
    let mut stmt = conn.prepare(
        "SELECT c.table_id, c.row, c.col, c.value FROM extra_table t
         CROSS JOIN target_group g ON g.id = t.group_id CROSS JOIN unit u ON u.id = g.unit_id
         CROSS JOIN extra_cell c ON c.table_id = t.id WHERE u.survey_id = ?1",
    )?;
    let mut rows = stmt.query([sid])?;
    while let Some(r) = rows.next()? {
        let t = &mut tables[index_of(&index, r.get(0)?)?].2;
        let (row, col) = (r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize);
        if row >= t.rows.len() || col >= t.columns.len() {
            return Err(corrupt("en tabellcell utanför tabellen"));
        }
        let n = t.columns.len();
        t.cells[row * n + col] = cell_from(Some(r.get(3)?))?;
    }
    let mut by_group: HashMap<i64, Vec<ExtraTable>> = HashMap::new();
    for (_, gid, t) in tables {
        by_group.entry(gid).or_default().push(t);
    }
    Ok(by_group)
}
