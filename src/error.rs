//! The crate's error type. Every message is Swedish and names the place.

use std::path::PathBuf;

mod reason;

pub use reason::{io_error_sv, io_reason_sv, json_data_sv, json_syntax_sv, sqlite_reason_sv};

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A survey document (or form) with a wrong value; `path` is where, as in
    /// `units[2].groups[0].sex`.
    #[error("{path}: {message}")]
    Document {
        /// Where in the document.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// The file is not JSON at all.
    #[error(
        "filen är inte giltig JSON (rad {line}, kolumn {column}): {}",
        json_syntax_sv(detail)
    )]
    NotJson {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// The parser's own words (shown in Swedish, see
        /// [`json_syntax_sv`]).
        detail: String,
    },
    /// A file could not be read or written.
    #[error("kunde inte {action} {}: {}", path.display(), io_reason_sv(source))]
    File {
        /// "läsa" or "skriva".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason (shown in Swedish, see
        /// [`io_reason_sv`]).
        source: std::io::Error,
    },
    /// The database file is not one of ours.
    #[error(
        "{} är ingen databas från Målgruppskartläggning; filen har inte ändrats",
        path.display()
    )]
    ForeignFile {
        /// The file.
        path: PathBuf,
    },
    /// The database file was made by a newer version of the program.
    #[error(
        "{} är gjord av en nyare version av Målgruppskartläggning (schemaversion {found}, den här versionen förstår till och med {supported}); filen har inte ändrats",
        path.display()
    )]
    NewerFile {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this program knows.
        supported: i64,
    },
    /// The database file asked for does not exist.
    #[error("databasen {} finns inte", path.display())]
    NoDatabase {
        /// The file.
        path: PathBuf,
    },
    /// The database is locked by another program.
    #[error(
        "databasen {} används av ett annat program (till exempel ett annat fönster av Målgruppskartläggning); försök igen när det är stängt",
        path.display()
    )]
    Busy {
        /// The file.
        path: PathBuf,
    },
    /// The database could not be written (read-only disk or file).
    #[error("databasen {} går inte att skriva till (skrivskyddad fil eller disk)", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// An import of a survey whose name is already in the file.
    #[error("kartläggningen ”{0}” finns redan i databasen; använd --replace för att ersätta den")]
    SurveyExists(String),
    /// No survey by that name.
    #[error("kartläggningen ”{name}” finns inte i databasen (där finns: {available})")]
    NoSuchSurvey {
        /// The name asked for.
        name: String,
        /// The names there are, comma-separated.
        available: String,
    },
    /// The file holds no survey.
    #[error("databasen innehåller ingen kartläggning; importera en med malgrupp import FIL.json")]
    NoSurvey,
    /// The file holds several surveys and none was named.
    #[error("databasen innehåller flera kartläggningar; välj en med --survey: {0}")]
    SeveralSurveys(String),
    /// The file is ours but its contents break the schema's rules.
    #[error("databasen är skadad: {0}")]
    Corrupt(String),
    /// The database file is empty (0 bytes): not a database of ours, and
    /// left as it is.
    #[error(
        "{} är en tom fil (0 byte), ingen databas från Målgruppskartläggning; filen har inte ändrats. Ta bort den eller välj en annan fil, så skapar en import en ny databas",
        path.display()
    )]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A write to the file was interrupted (killed, power cut, full disk)
    /// and its journal must be rolled back, which needs write access.
    #[error(
        "en skrivning till databasen {} avbröts (journalfilen {}-journal finns kvar) och måste rullas tillbaka innan filen kan läsas, men filen eller mappen går inte att skriva till. Ge skrivrätt till filen och mappen och kör kommandot igen, så återställs databasen till läget före den avbrutna skrivningen. Ta inte bort journalfilen: utan den kan databasen bli förstörd",
        path.display(),
        path.display()
    )]
    HotJournal {
        /// The file.
        path: PathBuf,
    },
    /// An older file that must be upgraded before it can be read, on a
    /// read-only disk or file.
    #[error(
        "{} är gjord av en äldre version av Målgruppskartläggning (schemaversion {found}) och måste uppgraderas till version {supported} innan den kan läsas, men filen går inte att skriva till; ge skrivrätt till filen och mappen och kör kommandot igen. Filen har inte ändrats",
        path.display()
    )]
    OldVersion {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this program writes.
        supported: i64,
    },
    /// The file's rows do not hang together (edited by another program).
    #[error(
        "databasen {} hänger inte ihop: {problems}. Filen har troligen ändrats med ett annat program; den har inte ändrats nu. Använd en säkerhetskopia",
        path.display()
    )]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// What is wrong, in Swedish.
        problems: String,
    },
    /// Ctrl-C or a termination signal stopped a write, which was undone.
    #[error(
        "avbrutet (Ctrl-C eller avslutningssignal); det som hann skrivas är ångrat och ingenting har ändrats"
    )]
    Interrupted,
    /// A write the system refused: the disk is full, the file may not grow
    /// further, or the disk failed.
    #[error(
        "{} kunde inte skrivas klart: disken är full, filen får inte bli större eller disken gick inte att skriva till. Ingenting har ändrats; frigör utrymme och försök igen",
        path.display()
    )]
    DiskFull {
        /// The file.
        path: PathBuf,
    },
    /// The operating system failed a read or write of the database.
    #[error(
        "kunde inte läsa eller skriva databasen {} (in- eller utmatningsfel, kod {code}). Det som inte hann sparas klart är ångrat, senast nästa gång filen öppnas",
        path.display()
    )]
    DatabaseIo {
        /// The file.
        path: PathBuf,
        /// SQLite's extended result code.
        code: i32,
    },
    /// A value the database's rules refuse (a bug elsewhere if it happens:
    /// every value is checked before it is written).
    #[error(
        "databasen {} tog inte emot ett värde (regeln ”{rule}” bröts); ingenting har ändrats",
        path.display()
    )]
    Constraint {
        /// The file.
        path: PathBuf,
        /// The rule, as SQLite names it.
        rule: String,
    },
    /// An output path that must not be written.
    #[error("{} skrivs inte: {reason}", path.display())]
    RefusedOutput {
        /// The path given.
        path: PathBuf,
        /// Why, in Swedish.
        reason: String,
    },
    /// Any other error of the database file, in Swedish (see
    /// [`sqlite_reason_sv`]).
    #[error("fel i databasen {}: {}", path.display(), sqlite_reason_sv(source))]
    Database {
        /// The file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// Any other database error, where the file is not known (the store
    /// turns these into [`Error::Database`] or one of the errors above).
    #[error("databasfel: {}", sqlite_reason_sv(.0))]
    Sqlite(#[from] rusqlite::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A document error at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Document {
            path: path.into(),
            message: message.into(),
        }
    }
}
