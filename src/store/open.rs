//! Opening a database file: the lock, the checks and upgrades before any
//! read, and SQLite's errors about the file in plain Swedish.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

use super::lock::WriterLock;
use super::{Access, Store, files, schema};

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
            // A named pipe or a device: SQLite would wait on it for ever
            // (a pipe) or read what is no database.
            Some(m) if !m.is_file() => {
                return Err(Error::File {
                    action: "öppna",
                    path: path.to_owned(),
                    source: crate::error::io_error_sv(
                        std::io::ErrorKind::InvalidInput,
                        "det är ingen vanlig fil (en enhet eller en namngiven pipe), ingen databasfil",
                    ),
                });
            }
            Some(m) if m.len() == 0 => {
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
            user: crate::model::history::default_user(),
            how: None,
        };
        if access != Access::ReadOnly && !store.is_read_only() {
            store._lock = Some(WriterLock::acquire(path)?);
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
            // Units stored before ids and revisions existed (merge).
            super::identity::record_missing(conn)?;
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

    /// Removes the file again after a first write into a file this program
    /// has just created failed, so that no empty database is left behind.
    /// Does nothing if the file holds a survey.
    pub fn discard_new(self) -> Result<()> {
        if !self.surveys()?.is_empty() {
            return Ok(());
        }
        let Store {
            conn, path, _lock, ..
        } = self;
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
pub(super) fn map_err(e: rusqlite::Error, path: &Path) -> Error {
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
        "verification" if one => "kontrollinmatning",
        "verification" => "kontrollinmatningar",
        "planned_unit" if one => "planerad enhet",
        "planned_unit" => "planerade enheter",
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
    // Only Unix sets permissions on it (below).
    #[cfg_attr(not(unix), allow(unused_mut))]
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
