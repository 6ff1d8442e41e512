//! The SQLite file. All SQL lives here and only here; the rest of the program
//! sees model types.
//!
//! Reads take `&Connection`, writes take `&Transaction`, so a write outside a
//! transaction does not compile.

pub mod files;
pub mod interrupt;
pub mod schema;
pub mod yardstick;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, params};

use crate::error::{Error, Result};
use crate::model::check::{Kind, Subject};
use crate::model::review::Review;
use crate::model::{
    Cell, Dimension, ExtraTable, Frame, KeyFigure, Layout, Place, Row, Survey, TargetGroup, Unit,
};

/// How to open a database file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read and write; create the file (and its folder) when missing.
    Create,
    /// Read and write an existing file.
    ReadWrite,
    /// Read an existing file only (works on a read-only disk).
    ReadOnly,
}

/// An open database file of ours.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// An exclusive lock on the file while it is open for writing, so that a
    /// second window (or an import from the command line) is told the file
    /// is in use instead of both writing to it. Released when dropped.
    _lock: Option<std::fs::File>,
}

/// The default database file, in the user's data folder.
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("se", "Finsam", "malgrupp").ok_or_else(|| {
        Error::NoDatabase {
            path: PathBuf::from("(ingen hemkatalog hittades; ange --db FIL)"),
        }
    })?;
    Ok(dirs.data_dir().join("malgrupp.sqlite"))
}

impl Store {
    /// Opens (or creates) a database file, refusing foreign, newer, empty
    /// or inconsistent files without touching them. A reading open recovers
    /// an interrupted write (rolls back its journal) or upgrades an older
    /// file the way a writing open does, when the file can be written.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(Error::File {
                    action: "läsa",
                    path: path.to_owned(),
                    source,
                });
            }
        };
        match meta {
            None if access != Access::Create => {
                return Err(Error::NoDatabase {
                    path: path.to_owned(),
                });
            }
            None => create_file(path)?,
            Some(m) if m.is_dir() => {
                return Err(Error::File {
                    action: "öppna",
                    path: path.to_owned(),
                    source: crate::error::io_error_sv(
                        std::io::ErrorKind::IsADirectory,
                        "det är en mapp, ingen databasfil",
                    ),
                });
            }
            Some(m) if m.is_file() && m.len() == 0 => {
                return Err(Error::EmptyFile {
                    path: path.to_owned(),
                });
            }
            Some(_) => {}
        }
        match Store::open_existing(path, access) {
            Err(e @ (Error::HotJournal { .. } | Error::OldVersion { .. }))
                if access == Access::ReadOnly =>
            {
                match Store::open_existing(path, Access::ReadWrite) {
                    Ok(store) if !store.is_read_only() => drop(store),
                    Ok(_) | Err(Error::HotJournal { .. } | Error::ReadOnly { .. }) => {
                        return Err(e);
                    }
                    // A program that has the file open for writing has
                    // already recovered or upgraded it.
                    Err(Error::Busy { .. }) => {}
                    Err(other) => return Err(other),
                }
                Store::open_existing(path, Access::ReadOnly)
            }
            other => other,
        }
    }

    fn open_existing(path: &Path, access: Access) -> Result<Store> {
        let flags = match access {
            Access::Create | Access::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Access::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| map_err(e, path))?;
        files::remember_opened(path);
        let mut store = Store {
            conn,
            path: path.to_owned(),
            _lock: None,
        };
        if access != Access::ReadOnly && !store.is_read_only() {
            store._lock = Some(lock(path)?);
        }
        store
            .check_and_migrate(access)
            .and_then(|()| store.check_consistency())
            .map_err(|e| match e {
                Error::Sqlite(e) => map_err(e, path),
                other => other,
            })?;
        Ok(store)
    }

    /// Whether the file can only be read (a read-only file or disk, or
    /// opened with [`Access::ReadOnly`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_and_migrate(&self, access: Access) -> Result<()> {
        let conn = &self.conn;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let foreign = || Error::ForeignFile {
            path: self.path.clone(),
        };
        if app_id == 0 && version == 0 {
            let objects: i64 =
                conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if objects != 0 {
                return Err(foreign());
            }
        } else if app_id != schema::APPLICATION_ID {
            return Err(foreign());
        }
        if version > schema::VERSION {
            return Err(Error::NewerFile {
                path: self.path.clone(),
                found: version,
                supported: schema::VERSION,
            });
        }
        if access != Access::ReadOnly {
            conn.pragma_update(None, "foreign_keys", true)?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        if version < schema::VERSION {
            if access == Access::ReadOnly || self.is_read_only() {
                // A file without tables yet holds no survey; an older one
                // must be upgraded first.
                return Err(if version == 0 {
                    Error::NoSurvey
                } else {
                    Error::OldVersion {
                        path: self.path.clone(),
                        found: version,
                        supported: schema::VERSION,
                    }
                });
            }
            migrate(conn, version)?;
        }
        Ok(())
    }

    /// Refuses a file whose rows do not hang together: rows that refer to
    /// a row which is not there (another program deleted it with foreign
    /// keys off). Loading one would attach the orphans to whatever later
    /// takes the missing row's id.
    fn check_consistency(&self) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT \"table\", parent, count(*) FROM pragma_foreign_key_check
             GROUP BY 1, 2 ORDER BY 1, 2",
        )?;
        let problems = stmt
            .query_map([], |r| {
                let (table, parent, n): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                Ok(format!(
                    "{n} {} hör till {} som inte finns",
                    table_sv(&table, n),
                    parent_sv(&parent)
                ))
            })?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Inconsistent {
                path: self.path.clone(),
                problems: problems.join("; "),
            })
        }
    }

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
                0 => Err(Error::NoSurvey),
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

    /// Stores a survey in one transaction. A survey of the same name is
    /// refused, or replaced when `replace` is set.
    pub fn import(&mut self, survey: &Survey, replace: bool) -> Result<()> {
        self.write(|tx| {
            if let Some(id) = survey_id(tx, &survey.frame.name)? {
                if !replace {
                    return Err(Error::SurveyExists(survey.frame.name.clone()));
                }
                delete_survey(tx, id)?;
            }
            insert_survey(tx, survey)?;
            Ok(())
        })
    }

    /// Removes the file again after a first write into a file this program
    /// has just created failed, so that no empty database is left behind.
    /// Does nothing if the file holds a survey.
    pub fn discard_new(self) -> Result<()> {
        if !self.surveys()?.is_empty() {
            return Ok(());
        }
        let Store { conn, path, _lock } = self;
        conn.close().map_err(|(_, e)| map_err(e, &path))?;
        std::fs::remove_file(&path).map_err(|source| Error::File {
            action: "ta bort",
            path: path.clone(),
            source,
        })?;
        // A journal left beside it (a write that could not even be rolled
        // back) must go with it, or it would be applied to a later file of
        // the same name.
        let mut journal = path.as_os_str().to_owned();
        journal.push("-journal");
        let _ = std::fs::remove_file(&journal);
        drop(_lock);
        Ok(())
    }
}

impl Store {
    /// Runs `write` in one immediate transaction and commits it; on any
    /// error nothing of it is kept.
    fn write<T>(&mut self, write: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
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
        self.write(|tx| {
            let ids = FrameIds::load(tx, survey)?;
            let uid = unit_id(tx, ids.survey, index)?;
            let (municipality_id, area) = ids.place(&unit.place)?;
            tx.execute(
                "UPDATE unit SET municipality_id = ?2, area = ?3, authority_id = ?4, name = ?5,
                     collaboration_today = ?6, preventive_measures = ?7, note = ?8
                 WHERE id = ?1",
                params![
                    uid,
                    municipality_id,
                    area,
                    ids.authority(unit.authority)?,
                    unit.name,
                    unit.collaboration_today,
                    unit.preventive_measures,
                    unit.note
                ],
            )?;
            for table in ["key_figure", "reported_total", "target_group", "review"] {
                tx.prepare_cached(&format!("DELETE FROM {table} WHERE unit_id = ?1"))?
                    .execute([uid])?;
            }
            UnitWriter::new(tx, *layout)?.contents(uid, index, unit)
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
        self.write(|tx| {
            let ids = FrameIds::load(tx, survey)?;
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
        self.write(|tx| {
            let sid = survey_id(tx, survey)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            let uid = unit_id(tx, sid, index)?;
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
        self.write(|tx| {
            let sid = survey_id(tx, survey)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            unit_id(tx, sid, from)?;
            unit_id(tx, sid, to)?;
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
        self.write(|tx| {
            let sid = survey_id(tx, old_name)?.ok_or_else(|| corrupt("kartläggningen saknas"))?;
            if old_name != frame.name && survey_id(tx, &frame.name)?.is_some() {
                return Err(Error::SurveyExists(frame.name.clone()));
            }
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
            Ok(())
        })
    }
}

/// The id of unit `index` of a survey.
fn unit_id(conn: &Connection, sid: i64, index: usize) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM unit WHERE survey_id = ?1 AND position = ?2")?
        .query_row(params![sid, index as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| corrupt(&format!("enhet nummer {} saknas i databasen", index + 1)))
}

/// Takes the exclusive lock of an open-for-writing file (an advisory
/// `flock`, separate from SQLite's own locks, which only last a transaction).
fn lock(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::open(path).map_err(|source| Error::File {
        action: "öppna",
        path: path.to_owned(),
        source,
    })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy {
            path: path.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(Error::File {
            action: "låsa",
            path: path.to_owned(),
            source,
        }),
    }
}

/// Why SQLite could not open `path` (it does not say): the system's reason
/// when the file itself cannot be opened, else its journal is the trouble.
fn cannot_open_reason(path: &Path) -> std::io::Error {
    use std::io::ErrorKind;
    match std::fs::File::open(path) {
        Err(e) => e,
        Ok(_) => crate::error::io_error_sv(
            ErrorKind::Other,
            "SQLite kunde inte öppna filen eller dess journal",
        ),
    }
}

/// Turns SQLite's errors about the file into plain messages.
fn map_err(e: rusqlite::Error, path: &Path) -> Error {
    let extended = e.sqlite_error().map(|e| e.extended_code);
    if extended == Some(rusqlite::ffi::SQLITE_READONLY_ROLLBACK) {
        return Error::HotJournal {
            path: path.to_owned(),
        };
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::ForeignFile {
            path: path.to_owned(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy {
            path: path.to_owned(),
        },
        Some(ErrorCode::ReadOnly) => Error::ReadOnly {
            path: path.to_owned(),
        },
        Some(ErrorCode::CannotOpen) => Error::File {
            action: "öppna",
            path: path.to_owned(),
            source: cannot_open_reason(path),
        },
        Some(ErrorCode::DiskFull) => Error::DiskFull {
            path: path.to_owned(),
        },
        // A write refused by the system: no space, or a file-size limit
        // (EFBIG), which SQLite reports as a write error.
        Some(ErrorCode::SystemIoFailure)
            if matches!(
                extended,
                Some(rusqlite::ffi::SQLITE_IOERR_WRITE | rusqlite::ffi::SQLITE_IOERR_FSYNC)
            ) =>
        {
            Error::DiskFull {
                path: path.to_owned(),
            }
        }
        Some(ErrorCode::SystemIoFailure) => Error::DatabaseIo {
            path: path.to_owned(),
            code: extended.unwrap_or_default(),
        },
        Some(ErrorCode::OperationInterrupted) => Error::Interrupted,
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt(format!(
            "{} är inte en hel SQLite-databas (sidor saknas eller är förstörda); använd en säkerhetskopia",
            path.display()
        )),
        Some(ErrorCode::ConstraintViolation) => Error::Constraint {
            path: path.to_owned(),
            rule: match &e {
                rusqlite::Error::SqliteFailure(_, Some(message)) => message
                    .split_once(": ")
                    .map_or(message.as_str(), |(_, rule)| rule)
                    .to_owned(),
                _ => String::new(),
            },
        },
        _ => Error::Database {
            path: path.to_owned(),
            source: e,
        },
    }
}

/// A table's rows in Swedish, for messages about the file.
fn table_sv(table: &str, n: i64) -> &str {
    let one = n == 1;
    match table {
        "survey" if one => "kartläggning",
        "survey" => "kartläggningar",
        "municipality" if one => "kommun",
        "municipality" => "kommuner",
        "authority" if one => "myndighet",
        "authority" => "myndigheter",
        "band" if one => "kategori",
        "band" => "kategorier",
        "unit" if one => "enhet",
        "unit" => "enheter",
        "key_figure" => "nyckeltal",
        "reported_total" if one => "summarad",
        "reported_total" => "summarader",
        "target_group" if one => "målgrupp",
        "target_group" => "målgrupper",
        "extra_table" if one => "extratabell",
        "extra_table" => "extratabeller",
        "extra_label" if one => "tabellrubrik",
        "extra_label" => "tabellrubriker",
        "extra_cell" if one => "tabellcell",
        "extra_cell" => "tabellceller",
        "review" if one => "granskningsmarkering",
        "review" => "granskningsmarkeringar",
        other => other,
    }
}

/// "a unit" and so on, for what a row refers to.
fn parent_sv(table: &str) -> String {
    match table {
        "survey" => "en kartläggning".to_owned(),
        "municipality" => "en kommun".to_owned(),
        "authority" => "en myndighet".to_owned(),
        "unit" => "en enhet".to_owned(),
        "target_group" => "en målgrupp".to_owned(),
        "extra_table" => "en extratabell".to_owned(),
        other => format!("en rad i {other}"),
    }
}

/// Creates a new database file whole: the schema is written to a temporary
/// file beside it, which is renamed into place only when complete, so a
/// failure or a kill never leaves an empty or half-made file under the
/// name. If another program created the file meanwhile, that one is used.
fn create_file(path: &Path) -> Result<()> {
    let dir = files::folder_of(path);
    let fail = |source, at: &Path| Error::File {
        action: "skriva",
        path: at.to_owned(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail(e, &dir))?;
    files::clean_stale_temporaries(&dir);
    let mut prefix = String::new();
    let mut builder = files::temp_builder(&mut prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let tmp = builder.tempfile_in(&dir).map_err(|e| fail(e, path))?;
    {
        let conn = Connection::open(tmp.path()).map_err(|e| map_err(e, path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| map_err(e, path))?;
        migrate(&conn, 0).map_err(|e| match e {
            Error::Sqlite(e) => map_err(e, path),
            other => other,
        })?;
        conn.close().map_err(|(_, e)| map_err(e, path))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(e, path))?;
    // A journal left by a database that was deleted without it would be
    // "rolled back" into the new file by the next open: remove it first.
    for suffix in ["-journal", "-wal"] {
        let mut stale = path.as_os_str().to_owned();
        stale.push(suffix);
        match std::fs::remove_file(&stale) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(fail(e, Path::new(&stale)));
            }
            _ => {}
        }
    }
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(_) if path.exists() => Ok(()),
        Err(e) => Err(fail(e.error, path)),
    }
}

/// Brings a file from `from` up to the current version, each step in its own
/// transaction together with the new `user_version`.
fn migrate(conn: &Connection, from: i64) -> Result<()> {
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(from as usize) {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = conn.execute_batch(sql).and_then(|()| {
            conn.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            conn.pragma_update(None, "user_version", i as i64 + 1)
        });
        match step {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                conn.execute_batch("ROLLBACK")?;
                return Err(e.into());
            }
        }
    }
    Ok(())
}

fn survey_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM survey WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

fn delete_survey(tx: &Transaction, id: i64) -> Result<()> {
    // Units first: they refer to the survey's municipalities and authorities.
    tx.execute("DELETE FROM unit WHERE survey_id = ?1", [id])?;
    tx.execute("DELETE FROM survey WHERE id = ?1", [id])?;
    Ok(())
}

/// A breakdown as its JSON column: `[31,17,null]`, or NULL when all blank.
fn cells_json(cells: &[Cell]) -> Option<String> {
    if cells.iter().all(|c| c.is_blank()) {
        return None;
    }
    let mut s = String::with_capacity(2 + cells.len() * 4);
    s.push('[');
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        match c.get() {
            Some(v) => s.push_str(itoa::Buffer::new().format(v)),
            None => s.push_str("null"),
        }
    }
    s.push(']');
    Some(s)
}

/// The four breakdown columns of a row.
fn row_columns(layout: &Layout, row: &Row) -> [Option<String>; 4] {
    Dimension::ALL.map(|d| cells_json(row.part(layout, d)))
}

/// Reads a breakdown column into its cells; a NULL column leaves them blank.
fn read_cells(value: ValueRef<'_>, out: &mut [Cell]) -> Result<()> {
    match value {
        ValueRef::Null => Ok(()),
        ValueRef::Text(t) => {
            parse_cells(t, out).ok_or_else(|| corrupt("en uppdelning som inte är en lista med tal"))
        }
        _ => Err(corrupt("en uppdelning som inte är en lista")),
    }
}

/// Parses a JSON array of whole numbers and nulls (`[31, 17, null]`, as
/// [`cells_json`] writes it) into exactly `out.len()` cells. A byte scan:
/// opening a national survey reads four of these per group, and going
/// through `str` parsing cost more than reading the rows from SQLite.
fn parse_cells(text: &[u8], out: &mut [Cell]) -> Option<()> {
    let mut bytes = text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    if bytes.next()? != b'[' {
        return None;
    }
    let mut n = 0;
    let mut current: Option<u64> = None;
    let mut null = false;
    let mut closed = false;
    while let Some(b) = bytes.next() {
        match b {
            b'0'..=b'9' if !null => {
                let v = current
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(u64::from(b - b'0'))?;
                current = Some(v);
            }
            b'n' if current.is_none() && !null => {
                for expected in *b"ull" {
                    if bytes.next()? != expected {
                        return None;
                    }
                }
                null = true;
            }
            b',' | b']' => {
                let slot = out.get_mut(n);
                match (current.take(), std::mem::take(&mut null), slot) {
                    (Some(v), false, Some(slot)) => *slot = Cell::try_new(v)?,
                    (None, true, Some(slot)) => *slot = Cell::BLANK,
                    // `[]`: no item at all.
                    (None, false, _) if b == b']' && n == 0 => {
                        closed = true;
                        break;
                    }
                    _ => return None,
                }
                n += 1;
                if b == b']' {
                    closed = true;
                    break;
                }
            }
            _ => return None,
        }
    }
    (closed && bytes.next().is_none() && n == out.len()).then_some(())
}

/// Reads the four breakdown columns starting at column `first`.
fn read_row_cells(
    r: &rusqlite::Row<'_>,
    first: usize,
    layout: &Layout,
    cells: &mut [Cell],
) -> Result<()> {
    for (i, d) in Dimension::ALL.into_iter().enumerate() {
        read_cells(r.get_ref(first + i)?, &mut cells[layout.range(d)])?;
    }
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

fn insert_survey(tx: &Transaction, survey: &Survey) -> Result<i64> {
    let f = &survey.frame;
    tx.execute(
        "INSERT INTO survey (name, region, period, note, about) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![f.name, f.region, f.period, f.note, survey.about],
    )?;
    let sid = tx.last_insert_rowid();
    let municipality_ids = insert_names(tx, "municipality", sid, &f.municipalities)?;
    let authority_ids = insert_names(tx, "authority", sid, &f.authorities)?;
    for d in Dimension::PARTS {
        for (i, label) in f.labels(d).iter().enumerate() {
            tx.execute(
                "INSERT INTO band (survey_id, dimension, position, label) VALUES (?1, ?2, ?3, ?4)",
                params![sid, d.index() as i64, i as i64, label],
            )?;
        }
    }

    let ids = FrameIds {
        survey: sid,
        municipalities: municipality_ids,
        authorities: authority_ids,
    };
    let mut writer = UnitWriter::new(tx, survey.layout())?;
    for (ui, unit) in survey.units.iter().enumerate() {
        writer.insert(&ids, ui, unit)?;
    }
    Ok(sid)
}

/// Database ids of a survey and its frame lists, by position.
struct FrameIds {
    survey: i64,
    municipalities: Vec<i64>,
    authorities: Vec<i64>,
}

impl FrameIds {
    fn load(conn: &Connection, survey: &str) -> Result<FrameIds> {
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
struct UnitWriter<'t> {
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
    fn new(tx: &'t Transaction<'t>, layout: Layout) -> Result<UnitWriter<'t>> {
        Ok(UnitWriter {
            tx,
            layout,
            unit: tx.prepare_cached(
                "INSERT INTO unit (survey_id, position, municipality_id, area, authority_id, name,
                     collaboration_today, preventive_measures, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
                     sex, age, duration, also_at, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
    fn insert(&mut self, ids: &FrameIds, position: usize, unit: &Unit) -> Result<i64> {
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
        ])?;
        let uid = self.tx.last_insert_rowid();
        self.contents(uid, position, unit)?;
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
                g.note
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
        Ok(())
    }
}

/// A finding's subject as stored: `count`, `breakdown:1`, `category:3:2`,
/// `extra:0` (dimensions and categories by position, so renaming a band
/// keeps its marks).
fn subject_key(subject: Subject) -> String {
    match subject {
        Subject::Count => "count".to_owned(),
        Subject::Breakdown(d) => format!("breakdown:{}", d.index()),
        Subject::Category(d, i) => format!("category:{}:{i}", d.index()),
        Subject::Extra(t) => format!("extra:{t}"),
        Subject::Rank => "rank".to_owned(),
        Subject::Unit => "unit".to_owned(),
    }
}

fn parse_subject(key: &str) -> Option<Subject> {
    let mut parts = key.split(':');
    let dim = |p: Option<&str>| {
        p.and_then(|p| p.parse::<usize>().ok())
            .and_then(|i| Dimension::ALL.get(i).copied())
    };
    let subject = match parts.next()? {
        "count" => Subject::Count,
        "breakdown" => Subject::Breakdown(dim(parts.next())?),
        "category" => Subject::Category(dim(parts.next())?, parts.next()?.parse().ok()?),
        "extra" => Subject::Extra(parts.next()?.parse().ok()?),
        "rank" => Subject::Rank,
        "unit" => Subject::Unit,
        _ => return None,
    };
    parts.next().is_none().then_some(subject)
}

fn parse_kind(key: &str, amount: Option<i64>) -> Option<Kind> {
    Some(match (key, amount) {
        ("missing_count", None) => Kind::MissingCount,
        ("estimated", None) => Kind::Estimated,
        ("not_given", None) => Kind::NotGiven,
        ("short", Some(n)) => Kind::Short(u64::try_from(n).ok()?),
        ("over", Some(n)) => Kind::Over(u64::try_from(n).ok()?),
        ("totals_differ", Some(d)) => Kind::TotalsDiffer(d),
        ("duplicate", Some(n)) => Kind::Duplicate(u32::try_from(n).ok()?),
        _ => return None,
    })
}

/// The position of a row loaded earlier, by id; a row that refers to one
/// not loaded means the file does not hang together.
fn index_of(index: &HashMap<i64, usize>, id: i64) -> Result<usize> {
    index
        .get(&id)
        .copied()
        .ok_or_else(|| corrupt("en rad hänvisar till en rad som inte finns"))
}

fn corrupt(what: &str) -> Error {
    Error::Corrupt(what.to_owned())
}

fn load(conn: &Connection, name: &str) -> Result<Survey> {
    let (sid, region, period, note, about): (i64, String, String, Option<String>, Option<String>) =
        conn.query_row(
            "SELECT id, region, period, note, about FROM survey WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NoSuchSurvey {
            name: name.to_owned(),
            available: String::new(),
        })?;

    let names = |table: &str| -> Result<(Vec<String>, HashMap<i64, usize>)> {
        let mut stmt = conn.prepare(&format!(
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
        let mut stmt = conn.prepare(
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
        name: name.to_owned(),
        region,
        period,
        municipalities,
        authorities,
        sex,
        age_bands,
        duration_bands,
        note,
    };
    let layout = frame.layout();

    // Units, in order.
    let mut units = Vec::new();
    let mut unit_index: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT id, municipality_id, area, authority_id, name, collaboration_today,
                    preventive_measures, note,
                    (SELECT count(*) FROM target_group g WHERE g.unit_id = unit.id)
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
    let mut extra = load_extra_tables(conn, sid)?;
    // Groups in storage order (a plain scan, the fastest read SQLite has),
    // put in order within their unit afterwards.
    // With one survey in the file (the usual case) every group is ours and
    // the survey filter, an index probe per group, can be left out.
    let surveys: i64 = conn.query_row("SELECT count(*) FROM survey", [], |r| r.get(0))?;
    let columns = "SELECT id, unit_id, position, rank, label, count, estimated, note,
                          sex, age, duration, also_at FROM target_group";
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
            rank: r.get(3)?,
            label: r.get(4)?,
            row: Row {
                count: cell_from(r.get(5)?)?,
                cells: layout.blank(),
            },
            estimated: r.get(6)?,
            note: r.get::<_, Option<String>>(7)?.map(String::into_boxed_str),
            extra: thin_vec::ThinVec::new(),
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
        about,
        frame,
        units,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, len: usize) -> Option<Vec<Option<u32>>> {
        let mut cells = vec![Cell::new(7); len];
        parse_cells(text.as_bytes(), &mut cells).map(|()| cells.iter().map(|c| c.get()).collect())
    }

    #[test]
    fn breakdown_columns_read_back_what_was_written() {
        let cells = [
            Cell::new(31),
            Cell::BLANK,
            Cell::new(0),
            Cell::new(Cell::MAX),
        ];
        let text = cells_json(&cells).unwrap();
        assert_eq!(text, format!("[31,null,0,{}]", Cell::MAX));
        assert_eq!(
            parsed(&text, 4),
            Some(vec![Some(31), None, Some(0), Some(Cell::MAX)])
        );
        assert_eq!(cells_json(&[Cell::BLANK, Cell::BLANK]), None);
    }

    #[test]
    fn breakdown_columns_accept_json_spacing_and_refuse_anything_else() {
        assert_eq!(
            parsed(" [ 1 , null ,2 ] ", 3),
            Some(vec![Some(1), None, Some(2)])
        );
        assert_eq!(parsed("[]", 0), Some(vec![]));
        for bad in [
            "[1,2]",
            "[1,2,3,4]",
            "[1,,2]",
            "[1,2,]",
            "1,2,3",
            "[1,2,3",
            "[1,2,3]x",
            "[-1,2,3]",
            "[1.5,2,3]",
            "[nul,2,3]",
            "[null1,2,3]",
            "[1null,2,3]",
            "[4294967295,1,2]",
            "[99999999999999999999,1,2]",
            "[\"1\",2,3]",
            "",
        ] {
            assert_eq!(parsed(bad, 3), None, "{bad}");
        }
    }
}
