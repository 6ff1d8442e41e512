//! The crate's error type. Every message is Swedish and names the place.

use std::path::PathBuf;

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
    #[error("filen är inte giltig JSON (rad {line}, kolumn {column}): {detail}")]
    NotJson {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// The parser's own words.
        detail: String,
    },
    /// A file could not be read or written.
    #[error("kunde inte {action} {}: {source}", path.display())]
    File {
        /// "läsa" or "skriva".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
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
    /// Any other database error.
    #[error("databasfel: {0}")]
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
