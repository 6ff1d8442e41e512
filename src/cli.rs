//! The command line: subcommands (clap derive), run and turned into an exit
//! code. 0: done; 1: `check` found something; 2: an error, printed once.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Result;
use crate::model::aggregate::survey_totals;
use crate::model::check::check_survey;
use crate::report::{self, By};
use crate::store::{self, Access, Store};
use crate::{export, generate, import};

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version}
{about}

Användning: {usage}

{all-args}{after-help}";

/// Målgruppskartläggning: kartläggningar av målgrupper för samverkan (Finsam).
#[derive(Parser, Debug)]
#[command(
    name = "malgrupp",
    version,
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Kommandon",
    next_help_heading = "Flaggor",
    after_help = "Slutkoder: 0 klart, 1 check hittade fynd, 2 fel."
)]
pub struct Cli {
    /// Databasfil (standard: malgrupp.sqlite i användarens datamapp)
    #[arg(long, global = true, value_name = "FIL")]
    pub db: Option<PathBuf>,
    /// Visa hjälp
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Visa versionen
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Vad som ska göras
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Importera en kartläggning från ett JSON-dokument (allt eller inget)
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Flaggor")]
    Import {
        /// Dokumentet att läsa (FORMAT.md, version 1)
        #[arg(value_name = "FIL.json")]
        file: PathBuf,
        /// Ersätt en kartläggning med samma namn
        #[arg(long)]
        replace: bool,
    },
    /// Exportera en kartläggning till ett JSON-dokument
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Flaggor")]
    Export {
        /// Kartläggningens namn (behövs när filen har flera)
        #[arg(long, value_name = "NAMN")]
        survey: Option<String>,
        /// Filen att skriva
        #[arg(long, value_name = "FIL.json")]
        out: PathBuf,
    },
    /// Lista alla fynd: saknade, korta, för stora och avvikande uppgifter
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Flaggor")]
    Check {
        /// Kartläggningens namn (behövs när filen har flera)
        #[arg(long, value_name = "NAMN")]
        survey: Option<String>,
        /// Utdataformat
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Summor per kommun, myndighet eller enhet
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Flaggor")]
    Summary {
        /// Kartläggningens namn (behövs när filen har flera)
        #[arg(long, value_name = "NAMN")]
        survey: Option<String>,
        /// Vad raderna är
        #[arg(long, value_enum, default_value_t = By::Municipality)]
        by: By,
        /// Utdataformat
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Skapa en syntetisk kartläggning (för prestandatester)
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Flaggor")]
    Generate {
        /// JSON-dokumentet att skriva
        #[arg(long, value_name = "FIL.json")]
        out: PathBuf,
        /// Antal kommuner
        #[arg(long, default_value_t = generate::Size::NATIONAL.municipalities)]
        municipalities: usize,
        /// Enheter per kommun
        #[arg(long, default_value_t = generate::Size::NATIONAL.units)]
        units: usize,
        /// Målgrupper per enhet
        #[arg(long, default_value_t = generate::Size::NATIONAL.groups)]
        groups: usize,
        /// Slumpfrö (samma frö ger samma kartläggning)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Kartläggningens namn
        #[arg(long, default_value = "Syntetisk nationell kartläggning")]
        name: String,
    },
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Läsbar text
    Text,
    /// JSON för skript
    Json,
    /// CSV (kommaseparerad, UTF-8)
    Csv,
}

fn db_path(db: &Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p.clone()),
        None => store::default_path(),
    }
}

fn open_survey(db: &Option<PathBuf>, name: Option<&str>) -> Result<crate::model::Survey> {
    let store = Store::open(&db_path(db)?, Access::ReadOnly)?;
    let name = store.resolve_survey(name)?;
    store.load(&name)
}

/// Writes to standard output through a buffer; a closed pipe (`| head`) is
/// not an error worth reporting.
fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn print(bytes: &[u8]) -> anyhow::Result<()> {
    print_with(|w| w.write_all(bytes))
}

/// Streams a value as pretty JSON with a final newline.
fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    print_with(|w| {
        serde_json::to_writer_pretty(&mut *w, value)?;
        w.write_all(b"\n")
    })
}

/// Runs a subcommand; `Ok` carries the exit code.
pub fn run(command: Command, db: &Option<PathBuf>) -> anyhow::Result<ExitCode> {
    match command {
        Command::Import { file, replace } => {
            let survey = import::json::read_file(&file)?;
            let path = db_path(db)?;
            let mut store = Store::open(&path, Access::Create)?;
            store.import(&survey, replace)?;
            eprintln!(
                "Importerade ”{}”: {} enheter, {} målgrupper, till {}.",
                survey.frame.name,
                survey.units.len(),
                survey.group_count(),
                path.display()
            );
        }
        Command::Export { survey, out } => {
            let survey = open_survey(db, survey.as_deref())?;
            export::json::write_file(&survey, &out)?;
            eprintln!("Skrev ”{}” till {}.", survey.frame.name, out.display());
        }
        Command::Check { survey, format } => {
            let survey = open_survey(db, survey.as_deref())?;
            let findings = check_survey(&survey);
            match format {
                Format::Text => print(report::text::findings(&survey, &findings).as_bytes())?,
                Format::Json => print_json(&report::json::Findings(&survey, &findings))?,
                Format::Csv => anyhow::bail!("check skriver text eller json, inte csv"),
            }
            if !findings.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Summary { survey, by, format } => {
            let survey = open_survey(db, survey.as_deref())?;
            let totals = survey_totals(&survey);
            match format {
                Format::Text => {
                    let table = report::summary_table(&survey, &totals, by);
                    print(report::text::table(&table).as_bytes())?
                }
                Format::Json => print_json(&report::json::Summary(&survey, &totals, by))?,
                Format::Csv => print(&report::csv::table(&report::summary_table(
                    &survey, &totals, by,
                )))?,
            }
        }
        Command::Generate {
            out,
            municipalities,
            units,
            groups,
            seed,
            name,
        } => {
            let size = generate::Size {
                municipalities,
                units,
                groups,
            };
            let survey = generate::generate(&name, size, seed);
            export::json::write_file(&survey, &out)?;
            eprintln!(
                "Skrev en syntetisk kartläggning med {} målgrupper till {}.",
                survey.group_count(),
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Parses the command line and runs it; errors are printed once, in Swedish.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let Some(command) = cli.command else {
        use clap::CommandFactory;
        let _ = Cli::command().print_help();
        return ExitCode::SUCCESS;
    };
    match run(command, &cli.db) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("malgrupp: {e}");
            ExitCode::from(2)
        }
    }
}
