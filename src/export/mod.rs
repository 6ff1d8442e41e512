//! Writing files: the survey document, tables and reports. Every
//! file is written to a temporary file beside the target and renamed, so it
//! is complete or absent, never half written.

pub mod form;
pub mod json;
pub mod xlsx;

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{Analysis, Survey};
use crate::report::suppress::Progress;
use crate::report::{self, By};

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Kartläggningsdokumentet (FORMAT.md)
    Json,
    /// Summor som CSV
    Csv,
    /// Summor som Markdown-tabell
    Md,
    /// Alla tabeller och målgrupperna med fynd som Excel-arbetsbok
    Xlsx,
    /// Rapporten som en fristående, utskrivbar HTML-fil
    Html,
}

impl ExportFormat {
    /// Every format, for choosers.
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Xlsx,
        ExportFormat::Html,
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
    // The summary table, and the note that explains its hidden cells.
    let table = || -> Result<(report::Table, Option<String>)> {
        let mut table = report::summary_table(survey, &analysis.totals, options.by);
        let mut note = None;
        if let Some(n) = options.suppress.filter(|n| *n >= 2) {
            let first = if options.by == By::Unit { 3 } else { 1 };
            let roles = report::suppress::Roles::summary(&survey.layout(), first);
            report::suppress::suppress_with(&mut table, &roles, n, progress).map_err(|_| {
                Error::at(
                    path.display().to_string(),
                    "exporten avbröts; ingen fil skrevs",
                )
            })?;
            note = Some(report::suppress::note(n));
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
            .map_err(|e| {
                Error::at(
                    path.display().to_string(),
                    format!("diagrammen kunde inte ritas: {e}"),
                )
            })?
            .into_bytes(),
        ExportFormat::Xlsx => xlsx::workbook(survey, &analysis.totals, &analysis.findings)
            .map_err(|e| {
                Error::at(
                    path.display().to_string(),
                    format!("arbetsboken kunde inte skapas: {e}"),
                )
            })?,
    };
    write_atomic(path, |w| w.write_all(&bytes))
}

/// Writes a file atomically: `write` fills a temporary file in the same
/// folder, which is synced and then renamed over `path`.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let fail = |source| Error::File {
        action: "skriva",
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".malgrupp-").suffix(".tmp");
    // A temporary file is private (0600); the export is a document to share,
    // so it gets the permissions of the file it replaces, or rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        builder.permissions(permissions);
    }
    let tmp = builder.tempfile_in(dir).map_err(fail)?;
    {
        let mut out = BufWriter::new(tmp.as_file());
        write(&mut out).map_err(fail)?;
        out.flush().map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
