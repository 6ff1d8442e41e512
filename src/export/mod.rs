//! Writing files: the survey document, tables and reports. Every
//! file is written to a temporary file beside the target and renamed, so it
//! is complete or absent, never half written.

pub mod form;
pub mod json;
pub mod xlsx;
pub mod xlsx_units;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Analysis, Survey};
use crate::report::suppress::Progress;
use crate::report::{self, By};
use crate::store::{files, interrupt};

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Kartläggningsdokumentet (docs/survey-document.md)
    Json,
    /// Summor som CSV
    Csv,
    /// Summor som Markdown-tabell
    Md,
    /// Alla tabeller och målgrupperna med fynd som Excel-arbetsbok
    Xlsx,
    /// Rapporten som en fristående, utskrivbar HTML-fil
    Html,
    /// Rapporten som Word-dokument
    Docx,
}

impl ExportFormat {
    /// Every format, for choosers.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Xlsx,
        ExportFormat::Html,
        ExportFormat::Docx,
        ExportFormat::Csv,
        ExportFormat::Md,
        ExportFormat::Json,
    ];

    /// The format a file name asks for (`.csv`, `.md`), JSON otherwise.
    pub fn of_path(path: &Path) -> ExportFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => ExportFormat::Csv,
            Some("md" | "markdown") => ExportFormat::Md,
            Some("xlsx") => ExportFormat::Xlsx,
            Some("html" | "htm") => ExportFormat::Html,
            Some("docx") => ExportFormat::Docx,
            _ => ExportFormat::Json,
        }
    }

    /// The file ending.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Md => "md",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Html => "html",
            ExportFormat::Docx => "docx",
        }
    }

    /// What it is, in Swedish, for the export dialog.
    pub fn name_sv(self) -> &'static str {
        match self {
            ExportFormat::Json => "Kartläggningsdokument (JSON)",
            ExportFormat::Csv => "Summor för Excel (CSV)",
            ExportFormat::Md => "Summor som Markdown-tabell",
            ExportFormat::Xlsx => "Alla tabeller (Excel, XLSX)",
            ExportFormat::Html => "Rapporten (HTML, utskrivbar)",
            ExportFormat::Docx => "Rapporten (Word, DOCX)",
        }
    }
}

/// Everything an export is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// What to write.
    pub format: ExportFormat,
    /// The rows of a CSV or Markdown table.
    pub by: By,
    /// Plain RFC 4180 CSV instead of Swedish Excel's.
    pub csv_comma: bool,
    /// Hide counts of people from 1 to N−1 (and enough others), CSV and
    /// Markdown only; see [`report::suppress`].
    pub suppress: Option<u32>,
}

/// Writes an export of `survey` to `path` (atomically), from the findings
/// and totals already computed. The command line and the app both come here.
pub fn write(survey: &Survey, analysis: &Analysis, options: &Options, path: &Path) -> Result<()> {
    write_with(survey, analysis, options, path, &Progress::new())
}

/// [`write`], showing how far small-number suppression has come in
/// `progress`, which can also cancel it (then nothing is written).
pub fn write_with(
    survey: &Survey,
    analysis: &Analysis,
    options: &Options,
    path: &Path,
    progress: &Progress,
) -> Result<()> {
    if options.suppress.is_some() && !matches!(options.format, ExportFormat::Csv | ExportFormat::Md)
    {
        return Err(Error::at(
            "--suppress",
            "små tal döljs bara i summatabellerna (csv eller md); arbetsboken, rapporten och dokumentet visar enheternas egna uppgifter och skrivs inte med --suppress",
        ));
    }
    if options.suppress.is_some() && options.by == By::Theme {
        return Err(Error::at(
            "--suppress",
            "små tal kan inte döljas i tabellen per tema: en målgrupp med flera teman räknas under vart och ett, så kolumnerna har ingen totalrad att skydda de dolda cellerna med",
        ));
    }
    // The summary table, and the note that explains its hidden cells (or,
    // by theme, that a group may count in several rows).
    let table = || -> Result<(report::Table, Option<String>)> {
        let mut table = report::summary_table(survey, &analysis.totals, options.by);
        let mut note = None;
        if let Some(n) = options.suppress.filter(|n| *n >= 2) {
            let first = if options.by == By::Unit { 3 } else { 1 };
            let roles = report::suppress::Roles::summary(&survey.layout(), first);
            report::suppress::suppress_with(&mut table, &roles, n, progress).map_err(|e| {
                let why = match e {
                    report::suppress::Stopped::Cancelled => {
                        "exporten avbröts; ingen fil skrevs".to_owned()
                    }
                    report::suppress::Stopped::Unprotected((r, c)) => format!(
                        "det lilla talet i rad ”{}”, kolumn ”{}” kan inte skyddas: cellerna som \
                         skulle döljas med det är inte antal; ingen fil skrevs",
                        row_name(&table, r, first),
                        table.header.get(c).map_or("", String::as_str),
                    ),
                };
                Error::at(path.display().to_string(), why)
            })?;
            note = Some(report::suppress::note(n));
        }
        if options.by == By::Theme {
            note = Some(crate::model::themes::DOUBLE_COUNT_NOTE.to_owned());
        }
        Ok((table, note))
    };
    let bytes = match options.format {
        ExportFormat::Json => return json::write_file(survey, path),
        ExportFormat::Csv => {
            let dialect = if options.csv_comma {
                report::csv::Dialect::RFC4180
            } else {
                report::csv::Dialect::EXCEL_SV
            };
            let (table, note) = table()?;
            let mut bytes = report::csv::table(&table, dialect);
            if let Some(note) = note {
                bytes.extend(report::csv::note(&note, dialect));
            }
            bytes
        }
        ExportFormat::Md => {
            let (table, note) = table()?;
            let mut text = report::md::table(&table);
            if let Some(note) = note {
                text.push('\n');
                text.push_str(&note);
                text.push('\n');
            }
            text.into_bytes()
        }
        ExportFormat::Html => report::html::report(survey, analysis)
            .map_err(|e| Error::at(path.display().to_string(), e.to_string()))?
            .into_bytes(),
        ExportFormat::Docx => report::docx::report(survey, analysis)
            .map_err(|e| Error::at(path.display().to_string(), e.to_string()))?,
        ExportFormat::Xlsx => xlsx::workbook(survey, &analysis.totals, &analysis.findings)
            .map_err(|e| workbook_error(path, &e))?,
    };
    write_atomic(path, |w| w.write_all(&bytes))
}

/// The name of row `r` of a summary table: its text cells before `first`.
fn row_name(table: &report::Table, r: usize, first: usize) -> String {
    let parts: Vec<&str> = table.rows[r]
        .iter()
        .take(first)
        .filter_map(|f| match f {
            report::Field::Text(t) if !t.is_empty() => Some(t.as_str()),
            _ => None,
        })
        .collect();
    parts.join(" / ")
}

/// The error for a workbook (export or response form) to be written to
/// `path` that could not be made: in Swedish, the library's own words only
/// where no Swedish reason is known.
pub fn workbook_error(path: &Path, e: &rust_xlsxwriter::XlsxError) -> Error {
    use rust_xlsxwriter::XlsxError as X;
    let reason = match e {
        X::RowColumnLimitError => {
            "den blir större än ett Excel-blad rymmer (1 048 576 rader, 16 384 kolumner)".to_owned()
        }
        X::MaxStringLengthExceeded => {
            "en text är längre än en Excel-cell rymmer (32 767 tecken)".to_owned()
        }
        X::IoError(e) | X::TempFileError(_, e) => crate::error::io_reason_sv(e),
        other => format!("fel i Excel-biblioteket ({other})"),
    };
    Error::at(
        path.display().to_string(),
        format!("arbetsboken kunde inte skapas: {reason}"),
    )
}

/// Writes a file atomically: `write` fills a temporary file in the target's
/// folder, which is synced and then renamed over the target. The target is
/// checked first (see [`output_target`]); a symbolic link is written
/// through, to the file it names. Temporary files that a killed writer left
/// in that folder are removed first. Ctrl-C or SIGTERM while writing
/// removes the temporary file and leaves the target as it was.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let target = output_target(path)?;
    let fail = |source| {
        if interrupt::requested() {
            Error::Interrupted
        } else {
            Error::File {
                action: "skriva",
                path: path.to_owned(),
                source,
            }
        }
    };
    let dir = files::folder_of(&target);
    files::clean_stale_temporaries(&dir);
    let writing = interrupt::Writing::begin(None);
    let mut prefix = String::new();
    // Only Unix sets permissions on it (below).
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = files::temp_builder(&mut prefix);
    // A temporary file is private (0600); the export is a document to share,
    // so it gets the permissions of the file it replaces, or rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(&target)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        builder.permissions(permissions);
    }
    let tmp = builder
        .tempfile_in(&dir)
        .map_err(|e| fail(in_folder(e, &dir)))?;
    {
        let mut out = BufWriter::new(Interruptible(tmp.as_file()));
        write(&mut out).map_err(fail)?;
        out.flush().map_err(fail)?;
    }
    interrupt::check()?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    writing.done();
    Ok(())
}

/// A failure to create a file in the folder `dir`, said of the folder where
/// the folder is the reason ("mappen /x finns inte").
fn in_folder(e: std::io::Error, dir: &Path) -> std::io::Error {
    use std::io::ErrorKind as K;
    let dir_path = dir;
    let dir = dir.display();
    let text = match e.kind() {
        K::NotFound if !dir_path.exists() => format!("mappen {dir} finns inte"),
        K::NotFound => format!("det går inte att skapa filer i mappen {dir}"),
        K::NotADirectory => format!("{dir} är ingen mapp"),
        K::PermissionDenied => format!("behörighet saknas att skapa filer i mappen {dir}"),
        _ => return e,
    };
    crate::error::io_error_sv(e.kind(), text)
}

/// A file that stops taking bytes once Ctrl-C or SIGTERM has arrived.
struct Interruptible<'a>(&'a std::fs::File);

impl Write for Interruptible<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if interrupt::requested() {
            return Err(crate::error::io_error_sv(
                std::io::ErrorKind::Other,
                "avbrutet",
            ));
        }
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The file an output path names, once it is known that writing it destroys
/// nothing: symbolic links are followed to their target (so a link stays a
/// link), and refused are a folder, a FIFO, a device or socket, a read-only
/// file or one this user may not write, the database this program has open
/// (also by another path or link), any other database of ours, and a
/// database's journal. Every refusal says why, and nothing is written.
pub fn output_target(path: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str| Error::RefusedOutput {
        path: path.to_owned(),
        reason: format!("{reason}; ingenting har skrivits"),
    };
    // Whatever fails while the target is looked at, the user asked to
    // write it: "kunde inte skriva …", not "läsa".
    let unwritable = |source| Error::File {
        action: "skriva",
        path: path.to_owned(),
        source,
    };
    let mut target = path.to_owned();
    let mut links = 0;
    loop {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                links += 1;
                if links > 40 {
                    return Err(refuse("för många symboliska länkar i rad (en slinga?)"));
                }
                let link = std::fs::read_link(&target).map_err(unwritable)?;
                target = files::folder_of(&target).join(link);
            }
            _ => break,
        }
    }
    match std::fs::metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(unwritable(source)),
        Ok(m) => {
            let kind = m.file_type();
            if kind.is_dir() {
                return Err(refuse("det är en mapp; ange en fil i mappen"));
            }
            if !kind.is_file() {
                return Err(refuse(&format!(
                    "det är ingen vanlig fil utan {}; ange en vanlig fil",
                    special_kind_sv(&kind)
                )));
            }
            if m.permissions().readonly() {
                return Err(refuse(
                    "filen är skrivskyddad; ta bort skrivskyddet eller välj ett annat filnamn",
                ));
            }
            if files::is_opened_database(&target) {
                return Err(refuse(
                    "det är databasen som kartläggningen läses från, och den skulle skrivas över; välj ett annat filnamn",
                ));
            }
            if files::is_our_database(&target) {
                return Err(refuse(
                    "det är en databas från Målgruppskartläggning, och den skulle skrivas över; välj ett annat filnamn",
                ));
            }
            // The write bits alone do not say whether *this* user may
            // write: a file of another user's, in a folder anyone may write
            // to, would be silently replaced by the rename. Ask the system:
            // open it for writing, without creating or truncating it.
            match std::fs::OpenOptions::new().write(true).open(&target) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    return Err(refuse(
                        "du saknar skrivrätt till filen; be den som äger filen om skrivrätt eller välj ett annat filnamn",
                    ));
                }
                Err(source) => return Err(unwritable(source)),
            }
        }
    }
    if let Some(name) = target.file_name().and_then(|n| n.to_str()) {
        for suffix in ["-journal", "-wal", "-shm"] {
            if let Some(base) = name.strip_suffix(suffix) {
                let database = target.with_file_name(base);
                if files::is_opened_database(&database) || files::is_our_database(&database) {
                    return Err(refuse(
                        "det är journalfilen till en databas från Målgruppskartläggning; välj ett annat filnamn",
                    ));
                }
            }
        }
        // The writer's lock file (store/lock.rs): replaced, it would let a
        // second writer in beside the one holding the old file.
        if let Some(base) = name.strip_suffix(".lock") {
            let database = target.with_file_name(base);
            if files::is_opened_database(&database) || files::is_our_database(&database) {
                return Err(refuse(
                    "det är låsfilen till en databas från Målgruppskartläggning; välj ett annat filnamn",
                ));
            }
        }
    }
    Ok(target)
}

/// What a file that is neither a folder nor a regular file is, in Swedish.
fn special_kind_sv(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "en namngiven rörledning (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "en enhet";
        }
        if kind.is_socket() {
            return "en socket";
        }
    }
    let _ = kind;
    "en speciell fil"
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::XlsxError;

    #[test]
    fn a_workbook_that_cannot_be_made_is_told_in_swedish_with_the_file() {
        let path = Path::new("/x/bok.xlsx");
        let cases = [
            (
                XlsxError::RowColumnLimitError,
                "/x/bok.xlsx: arbetsboken kunde inte skapas: den blir större än ett Excel-blad rymmer (1 048 576 rader, 16 384 kolumner)",
            ),
            (
                XlsxError::MaxStringLengthExceeded,
                "/x/bok.xlsx: arbetsboken kunde inte skapas: en text är längre än en Excel-cell rymmer (32 767 tecken)",
            ),
            (
                XlsxError::IoError(std::io::Error::from(std::io::ErrorKind::StorageFull)),
                "/x/bok.xlsx: arbetsboken kunde inte skapas: disken är full",
            ),
        ];
        for (e, message) in cases {
            assert_eq!(workbook_error(path, &e).to_string(), message);
        }
        // Anything else: Swedish first, the library's words in parentheses.
        let other = workbook_error(path, &XlsxError::SheetnameReused("Summor".into())).to_string();
        assert!(
            other.starts_with(
                "/x/bok.xlsx: arbetsboken kunde inte skapas: fel i Excel-biblioteket (Worksheet name 'Summor'"
            ),
            "{other}"
        );
    }

    #[test]
    fn a_folder_that_is_missing_is_named() {
        let dir = Path::new("/finns/inte");
        let e = in_folder(std::io::Error::from_raw_os_error(2), dir);
        assert_eq!(
            crate::error::io_reason_sv(&e),
            "mappen /finns/inte finns inte"
        );
        let e = in_folder(std::io::Error::from(std::io::ErrorKind::StorageFull), dir);
        assert_eq!(crate::error::io_reason_sv(&e), "disken är full");
    }
}
