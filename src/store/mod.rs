//! The SQLite file. All SQL lives here and only here; the rest of the program
//! sees model types.
//!
//! Reads take `&Connection`, writes take `&Transaction`, so a write outside a
//! transaction does not compile.
//!
//! One file per concern: `open` (opening, locking, upgrades, error
//! messages), `load` (reading a survey), `edit` (every write), `history` (the
//! change history every write appends to), `codec` (how
//! values sit in columns), `themes`, `schema`, `files`, `interrupt`, `yardstick`.

mod codec;
mod coverage;
mod edit;
pub mod files;
pub mod history;
mod identity;
pub mod interrupt;
mod load;
pub mod lock;
mod merge;
mod open;
pub mod schema;
mod themes;
pub mod writer;
pub mod yardstick;

pub use merge::{Merged, Other};

use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

pub use themes::GroupThemes;

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
    /// An exclusive lock (a lock file beside it, store/lock.rs) while the
    /// file is open for writing, so that a
    /// second window (or an import from the command line) is told the file
    /// is in use instead of both writing to it. Released when dropped.
    _lock: Option<lock::WriterLock>,
    /// The person whose changes are written to the history.
    user: String,
    /// How writes are logged for now ([`Store::logged_as`]).
    how: Option<crate::model::history::How>,
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

fn survey_id(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM survey WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

fn corrupt(what: &str) -> Error {
    Error::Corrupt(what.to_owned())
}
