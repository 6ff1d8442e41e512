//! The command line: subcommands (clap derive), run and turned into an exit
//! code. 0: done; 1: `check` found something; 2: an error, printed once.

mod merge;
pub use merge::Prefer;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Result;
use crate::export::ExportFormat;
use crate::model::aggregate::survey_totals;
use crate::model::check::check_survey;
use crate::report::text::visible;
use crate::report::{self, By};
use crate::store::{self, Access, Store};
use crate::{export, generate, import};

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version}
{about}

Användning: {usage}

{all-args}{after-help}";

const SUB_TEMPLATE: &str = "\
{about}

Användning: {usage}

{all-args}{after-help}";

/// Målgruppskartläggning: kartläggningar av målgrupper för samverkan (Finsam).
#[derive(Parser, Debug)]
#[command(
    name = "malgrupp",
    version,
    help_template = HELP_TEMPLATE,
    override_usage = "malgrupp [--db FIL] [KOMMANDO]",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Kommandon",
    next_help_heading = "Flaggor",
    after_help = "Slutkoder: 0 klart, 1 check hittade fynd eller merge konflikter (inget ändrat), 2 fel."
)]
pub struct Cli {
    /// Databasfil (standard: malgrupp.sqlite i användarens datamapp)
    #[arg(long, global = true, value_name = "FIL")]
    pub db: Option<PathBuf>,
    /// Vem som gör ändringarna, för historiken (standard: inloggningsnamnet)
    #[arg(long, global = true, value_name = "NAMN")]
    pub user: Option<String>,
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
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp import FIL.json [--db FIL] [--user NAMN] [--replace]"
    )]
    Import {
        /// Dokumentet att läsa (docs/survey-document.md, version 1 eller 2)
        #[arg(value_name = "FIL.json")]
        file: PathBuf,
        /// Ersätt en kartläggning med samma namn
        #[arg(long)]
        replace: bool,
    },
    /// Exportera kartläggningen (JSON-dokument), en tabell med summor (CSV, Markdown), arbetsboken (xlsx) eller rapporten (HTML, Word)
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp export [--db FIL] [--survey NAMN] --out FIL [--format json|csv|md|xlsx|html|docx] [--by municipality|authority|unit|theme] [--csv-comma] [--suppress N]"
    )]
    Export {
        #[command(flatten)]
        survey: SurveyArg,
        /// Filen att skriva
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
        /// json: kartläggningsdokumentet; csv eller md: en tabell med summor; xlsx: alla tabeller; html: rapporten; docx: rapporten som Word-dokument (standard: efter filändelsen, annars json)
        #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
        format: Option<ExportFormat>,
        /// Tabellens rader för csv och md: municipality (standard), authority, unit eller theme
        #[arg(long, value_enum, value_name = "SÄTT", default_value_t = By::Municipality, hide_possible_values = true, hide_default_value = true)]
        by: By,
        /// CSV med komma (RFC 4180) i stället för svenska Excels semikolon
        #[arg(long)]
        csv_comma: bool,
        /// Dölj antal personer från 1 till N−1 och så många andra celler att inget av dem kan ringas in till färre än N värden ur summorna; dolda celler visas som ”..” (csv och md)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..))]
        suppress: Option<u32>,
    },
    /// Skriv ett tomt svarsformulär för en enhet som Excel-arbetsbok (skyddad, med kontroller och summarad)
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp form [--db FIL] [--survey NAMN] --unit ENHET --out FIL.xlsx [--groups N] [--prefill]"
    )]
    Form {
        #[command(flatten)]
        survey: SurveyArg,
        /// Enhetens namn, som i kartläggningen
        #[arg(long, value_name = "ENHET")]
        unit: String,
        /// Arbetsboken att skriva
        #[arg(long, value_name = "FIL.xlsx")]
        out: PathBuf,
        /// Antal rader för målgrupper (standard: 15)
        #[arg(long, value_name = "N", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=1000), hide_default_value = true)]
        groups: u32,
        /// Fyll i enhetens nuvarande svar, så att enheten kan rätta i stället för att skriva om
        #[arg(long)]
        prefill: bool,
    },
    /// Läs in ett ifyllt svarsformulär (xlsx) till enheten; allt eller inget
    #[command(
        name = "import-form",
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp import-form FIL.xlsx [--db FIL] [--user NAMN] [--survey NAMN] --unit ENHET"
    )]
    ImportForm {
        #[command(flatten)]
        survey: SurveyArg,
        /// Det ifyllda formuläret
        #[arg(value_name = "FIL.xlsx")]
        file: PathBuf,
        /// Enhetens namn, som i kartläggningen
        #[arg(long, value_name = "ENHET")]
        unit: String,
    },
    /// Slå samman en annan fil (en kopia av databasen eller ett exporterat dokument) med kartläggningen
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp merge ANNAN.sqlite|ANNAN.json [--db FIL] [--user NAMN] [--survey NAMN] [--prefer mine|theirs]"
    )]
    Merge {
        #[command(flatten)]
        survey: SurveyArg,
        /// Den andra filen; den läses bara och ändras aldrig
        #[arg(value_name = "ANNAN")]
        other: PathBuf,
        /// Vem som vinner konflikter: mine (den här filen) eller theirs (den andra); utan den ändras inget när det finns konflikter
        #[arg(long, value_enum, value_name = "SIDA", hide_possible_values = true)]
        prefer: Option<Prefer>,
    },
    /// Lista alla fynd: saknade, korta, för stora och avvikande uppgifter
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp check [--db FIL] [--survey NAMN] [--format text|json]"
    )]
    Check {
        #[command(flatten)]
        survey: SurveyArg,
        /// Utdataformat: text (standard) eller json
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TextOrJson::Text, hide_possible_values = true, hide_default_value = true)]
        format: TextOrJson,
    },
    /// Täckning: planerade, inmatade, granskade och kontrollinmatade enheter per kommun och myndighet
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp status [--db FIL] [--survey NAMN] [--format text|json]"
    )]
    Status {
        #[command(flatten)]
        survey: SurveyArg,
        /// Utdataformat: text (standard) eller json
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = TextOrJson::Text, hide_possible_values = true, hide_default_value = true)]
        format: TextOrJson,
    },
    /// Summor per kommun, myndighet, enhet eller tema
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp summary [--db FIL] [--survey NAMN] [--by municipality|authority|unit|theme] [--format text|json|csv] [--wide]"
    )]
    Summary {
        #[command(flatten)]
        survey: SurveyArg,
        /// Vad raderna är: municipality (kommun och område, standard), authority (myndighet), unit (enhet) eller theme (tema; en målgrupp med flera teman räknas under vart och ett)
        #[arg(long, value_enum, value_name = "SÄTT", default_value_t = By::Municipality, hide_possible_values = true, hide_default_value = true)]
        by: By,
        /// Utdataformat: text (standard), json eller csv
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text, hide_possible_values = true, hide_default_value = true)]
        format: Format,
        /// Texttabellen med hela raden på en rad (annars i block om högst 80 tecken)
        #[arg(long)]
        wide: bool,
    },
    /// Rita ett diagram som PNG eller SVG (efter filändelsen)
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp chart [--db FIL] [--survey NAMN] --kind sex|age|duration|largest-groups|also-at|themes --out FIL.png|FIL.svg"
    )]
    Chart {
        #[command(flatten)]
        survey: SurveyArg,
        /// Vilket diagram: sex, age eller duration (personer per kommun), largest-groups (de största målgrupperna), also-at (andel aktuella hos varje myndighet) eller themes (personer per tema och myndighet)
        #[arg(long, value_enum, value_name = "SLAG", hide_possible_values = true)]
        kind: report::chart::ChartKind,
        /// Bildfilen att skriva: .png eller .svg
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
    },
    /// Visa ändringshistoriken: vem ändrade vad, när, från vad till vad
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp log [--db FIL] [--survey NAMN] [--unit ENHET] [--since ÅÅÅÅ-MM-DD] [--format text|json|csv]"
    )]
    Log {
        #[command(flatten)]
        survey: SurveyArg,
        /// Bara ändringar i den här enheten
        #[arg(long, value_name = "ENHET")]
        unit: Option<String>,
        /// Bara ändringar från och med den här dagen (lokal tid)
        #[arg(long, value_name = "ÅÅÅÅ-MM-DD")]
        since: Option<String>,
        /// Utdataformat: text (standard), json eller csv
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text, hide_possible_values = true, hide_default_value = true)]
        format: Format,
    },
    /// Skapa en syntetisk kartläggning (för prestandatester)
    #[command(
        help_template = SUB_TEMPLATE,
        next_help_heading = "Flaggor",
        override_usage = "malgrupp generate --out FIL.json [--municipalities N] [--units N] [--groups N] [--seed N] [--name NAMN]"
    )]
    Generate {
        /// JSON-dokumentet att skriva
        #[arg(long, value_name = "FIL.json")]
        out: PathBuf,
        /// Antal kommuner (standard: 290)
        #[arg(long, value_name = "N", default_value_t = generate::Size::NATIONAL.municipalities, hide_default_value = true)]
        municipalities: usize,
        /// Enheter per kommun (standard: 15)
        #[arg(long, value_name = "N", default_value_t = generate::Size::NATIONAL.units, hide_default_value = true)]
        units: usize,
        /// Målgrupper per enhet (standard: 10)
        #[arg(long, value_name = "N", default_value_t = generate::Size::NATIONAL.groups, hide_default_value = true)]
        groups: usize,
        /// Slumpfrö: samma frö ger samma kartläggning (standard: 1)
        #[arg(long, value_name = "N", default_value_t = 1, hide_default_value = true)]
        seed: u64,
        /// Kartläggningens namn (standard: Syntetisk nationell kartläggning)
        #[arg(
            long,
            value_name = "NAMN",
            default_value = "Syntetisk nationell kartläggning",
            hide_default_value = true
        )]
        name: String,
    },
}

/// `--survey NAMN`, shared by the commands that read a survey.
#[derive(clap::Args, Debug)]
pub struct SurveyArg {
    /// Kartläggningens namn (behövs när filen har flera)
    #[arg(long = "survey", value_name = "NAMN")]
    pub name: Option<String>,
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

/// Output formats of `check` and `status`, which have no table for CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Läsbar text
    Text,
    /// JSON för skript
    Json,
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

/// The position of the unit named `name`; it must be there once.
fn unit_index(survey: &crate::model::Survey, name: &str) -> anyhow::Result<usize> {
    let mut found = survey
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.name == name);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Ok(i),
        (Some(_), Some(_)) => anyhow::bail!(
            "flera enheter heter ”{name}” i kartläggningen; byt namn på en av dem i appen först"
        ),
        (None, _) => anyhow::bail!(
            "enheten ”{name}” finns inte i kartläggningen ”{}” (lägg till den i appen först)",
            survey.frame.name
        ),
    }
}

/// Writes to standard output through a buffer; a closed pipe (`| head`) is
/// not an error worth reporting.
fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => anyhow::bail!(
            "kunde inte skriva till standard ut: {}",
            crate::error::io_reason_sv(&e)
        ),
        Ok(()) => Ok(()),
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

/// Opens a database to write, with changes logged as made by `user`
/// (`--user`, else the login name).
fn open_to_write(path: &std::path::Path, access: Access, user: Option<&str>) -> Result<Store> {
    let mut store = Store::open(path, access)?;
    if let Some(user) = user {
        store.set_user(user)?;
    }
    Ok(store)
}

/// Runs a subcommand; `Ok` carries the exit code.
pub fn run(command: Command, db: &Option<PathBuf>) -> anyhow::Result<ExitCode> {
    run_as(command, db, None)
}

/// Runs a subcommand with changes logged as made by `user` (`--user`).
pub fn run_as(
    command: Command,
    db: &Option<PathBuf>,
    user: Option<&str>,
) -> anyhow::Result<ExitCode> {
    if let Some(user) = user {
        crate::model::history::check_user(user)
            .map_err(|reason| crate::Error::at("--user", reason))?;
    }
    match command {
        Command::Merge {
            survey,
            other,
            prefer,
        } => return merge::merge(db, survey.name.as_deref(), &other, prefer, user),
        Command::Import { file, replace } => {
            let survey = import::json::read_file(&file)?;
            let path = db_path(db)?;
            let existed = path.exists();
            let mut store = open_to_write(&path, Access::Create, user)?;
            if let Err(e) = store.import(&survey, replace) {
                // A file made for this import and left empty would only
                // mislead the next command.
                if !existed {
                    let _ = store.discard_new();
                }
                return Err(e.into());
            }
            eprintln!(
                "Importerade ”{}”: {} enheter, {} målgrupper, till {}.",
                visible(&survey.frame.name),
                survey.units.len(),
                survey.group_count(),
                path.display()
            );
        }
        Command::Export {
            survey,
            out,
            format,
            by,
            csv_comma,
            suppress,
        } => {
            let survey = open_survey(db, survey.name.as_deref())?;
            let options = export::Options {
                format: format.unwrap_or_else(|| ExportFormat::of_path(&out)),
                by,
                csv_comma,
                suppress,
            };
            let analysis = crate::model::analyse(&survey);
            let progress = crate::report::suppress::Progress::new();
            with_progress(&progress, || {
                export::write_with(&survey, &analysis, &options, &out, &progress)
            })?;
            eprintln!(
                "Skrev ”{}” till {}.",
                visible(&survey.frame.name),
                out.display()
            );
        }
        Command::Form {
            survey,
            unit,
            out,
            groups,
            prefill,
        } => {
            let survey = open_survey(db, survey.name.as_deref())?;
            let u = unit_index(&survey, &unit)?;
            if prefill {
                export::form::prefill_fits(&survey, &survey.units[u])
                    .map_err(|m| crate::error::Error::at(out.display().to_string(), m))?;
            }
            let bytes = export::form::workbook(&survey, &survey.units[u], groups, prefill)
                .map_err(|e| export::workbook_error(&out, &e))?;
            export::write_atomic(&out, |w| w.write_all(&bytes))?;
            eprintln!(
                "Skrev ett svarsformulär för ”{}” till {}.",
                visible(&unit),
                out.display()
            );
        }
        Command::ImportForm { survey, file, unit } => {
            let mut store = open_to_write(&db_path(db)?, Access::ReadWrite, user)?;
            let name = store.resolve_survey(survey.name.as_deref())?;
            let loaded = store.load(&name)?;
            let u = unit_index(&loaded, &unit)?;
            let import::form::FormRead { unit: new, notes } =
                import::form::read_form(&file, &loaded, u)?;
            for note in &notes {
                eprintln!("Obs: {}", visible(note));
            }
            store.logged_as(crate::model::history::How::ImportForm, |s| {
                s.save_unit(&name, &loaded.layout(), u, &new)
            })?;
            eprintln!(
                "Läste in formuläret för ”{}”: {} målgrupper, {} nyckeltal.",
                visible(&unit),
                new.groups.len(),
                new.key_figures.len()
            );
        }
        Command::Check { survey, format } => {
            let survey = open_survey(db, survey.name.as_deref())?;
            let findings = check_survey(&survey);
            match format {
                TextOrJson::Text => print(report::text::findings(&survey, &findings).as_bytes())?,
                TextOrJson::Json => print_json(&report::json::Findings(&survey, &findings))?,
            }
            if !findings.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Status { survey, format } => {
            let survey = open_survey(db, survey.name.as_deref())?;
            let findings = check_survey(&survey);
            let cells = crate::model::coverage::coverage(&survey, &findings);
            match format {
                TextOrJson::Text => print(report::status::text(&survey, &cells).as_bytes())?,
                TextOrJson::Json => print_json(&report::status::Status(&survey, &cells))?,
            }
        }
        Command::Summary {
            survey,
            by,
            format,
            wide,
        } => {
            let survey = open_survey(db, survey.name.as_deref())?;
            let totals = survey_totals(&survey);
            match format {
                Format::Text => {
                    let table = report::summary_table(&survey, &totals, by);
                    let mut text = if wide {
                        report::text::table(&table)
                    } else {
                        report::text::table_fitted(&table, report::text::TERMINAL_WIDTH)
                    };
                    if by == By::Theme {
                        text.push('\n');
                        text.push_str(crate::model::themes::DOUBLE_COUNT_NOTE);
                        text.push('\n');
                    }
                    print(text.as_bytes())?
                }
                Format::Json => print_json(&report::json::Summary(&survey, &totals, by))?,
                Format::Csv => print(&report::csv::table(
                    &report::summary_table(&survey, &totals, by),
                    report::csv::Dialect::SCRIPT,
                ))?,
            }
            // When the process ends after this command (the binary), the
            // survey is not freed: freeing a national survey's 50,000
            // allocations one by one took 4 % of `summary`, and the system
            // takes the memory back at once. A caller of the library frees it.
            if PROCESS_ENDS_AFTER.load(std::sync::atomic::Ordering::Relaxed) {
                std::mem::forget(survey);
            }
        }
        Command::Chart { survey, kind, out } => {
            use report::chart::{ImageFormat, render};
            let format = match out
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("png") => ImageFormat::Png,
                Some("svg") => ImageFormat::Svg,
                _ => anyhow::bail!("{}: bildfilen ska sluta på .png eller .svg", out.display()),
            };
            let survey = open_survey(db, survey.name.as_deref())?;
            let bytes = render(&survey, &survey_totals(&survey), kind, format, (1200, 700))
                .map_err(|e| crate::Error::at(out.display().to_string(), e.to_string()))?;
            export::write_atomic(&out, |w| w.write_all(&bytes))?;
            eprintln!("Skrev diagrammet till {}.", out.display());
        }
        Command::Log {
            survey,
            unit,
            since,
            format,
        } => {
            let store = Store::open(&db_path(db)?, Access::ReadOnly)?;
            let name = store.resolve_survey(survey.name.as_deref())?;
            let entries = store.history(
                &name,
                &store::history::Query {
                    unit: unit.as_deref(),
                    since: since.as_deref(),
                    ..Default::default()
                },
            )?;
            if entries.is_empty()
                && let Some(unit) = &unit
                && !store.load(&name)?.units.iter().any(|u| &u.name == unit)
            {
                anyhow::bail!(
                    "enheten ”{unit}” finns inte i kartläggningen ”{name}” och har ingen historik"
                );
            }
            match format {
                Format::Text => print(report::history::text(&entries).as_bytes())?,
                Format::Json => print_json(&report::history::Changes { changes: &entries })?,
                Format::Csv => print(&report::history::csv(&entries)?)?,
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
            let survey = generate::generate_checked(&name, size, seed)?;
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

/// Set by [`main_with_args`]: the process ends after the command, so memory
/// it would only free on the way out is left to the system.
static PROCESS_ENDS_AFTER: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Parses the command line and runs it; errors are printed once, in Swedish.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    PROCESS_ENDS_AFTER.store(true, std::sync::atomic::Ordering::Relaxed);
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // Help and version go to standard output as clap writes them.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!(
                "malgrupp: {} (se malgrupp --help)",
                visible(&usage_error_sv(&e))
            );
            return ExitCode::from(2);
        }
    };
    let Some(command) = cli.command else {
        // No command: the app.
        return match crate::ui::run(cli.db) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("malgrupp: {}", visible(&e.to_string()));
                ExitCode::from(2)
            }
        };
    };
    store::interrupt::install();
    // A file-size limit (ulimit -f) must end a write with an error that is
    // rolled back, not kill the program in the middle of it.
    #[cfg(unix)]
    // SAFETY: ignoring a signal has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    match run_as(command, &cli.db, cli.user.as_deref()) {
        Ok(code) => code,
        Err(e) => {
            // A message may echo a hostile name: never raw ESC, CR, NUL.
            eprintln!("malgrupp: {}", visible(&e.to_string()));
            if matches!(e.downcast_ref(), Some(crate::Error::Interrupted)) {
                ExitCode::from(store::interrupt::EXIT_CODE)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

/// A command-line mistake in Swedish (clap writes English).
fn usage_error_sv(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let get = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let suggestion = |kind| {
        e.get(kind)
            .map(|v| format!("; menade du {v}?"))
            .unwrap_or_default()
    };
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = e
                .get(ContextKind::ValidValue)
                .map(|v| format!("; möjliga värden: {v}"))
                .unwrap_or_default();
            format!(
                "ogiltigt värde ”{}” för {}{valid}",
                get(ContextKind::InvalidValue),
                get(ContextKind::InvalidArg)
            )
        }
        ErrorKind::UnknownArgument => format!(
            "okänt argument ”{}”{}",
            get(ContextKind::InvalidArg),
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidSubcommand => format!(
            "okänt kommando ”{}”{}",
            get(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("det här måste anges: {}", get(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => format!(
            "{} kan inte anges tillsammans med {}",
            get(ContextKind::InvalidArg),
            get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::NoEquals => format!("fel antal värden för {}", get(ContextKind::InvalidArg)),
        // Anything rarer: clap's own words, on one line.
        _ => e
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_owned(),
    }
}

/// Runs `work`, and while it runs longer than half a second shows on stderr,
/// when that is a terminal, how far small-number suppression has come: one
/// line, rewritten in place and cleared at the end.
fn with_progress<T>(progress: &crate::report::suppress::Progress, work: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let shower = scope.spawn(|| {
            let start = Instant::now();
            let mut shown = false;
            while !finished.load(Ordering::Relaxed) {
                std::thread::park_timeout(Duration::from_millis(200));
                let (done, total) = progress.counts();
                if total > 0 && start.elapsed() > Duration::from_millis(500) {
                    eprint!(
                        "\rDöljer små tal: {done} av {total} skyddade ({} %)",
                        done * 100 / total
                    );
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[K");
            }
        });
        let out = work();
        finished.store(true, Ordering::Relaxed);
        shower.thread().unpark();
        out
    })
}
