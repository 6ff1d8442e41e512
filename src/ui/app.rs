//! The window: menus, the unit tree, the views, the status bar, dialogs.

use std::path::{Path, PathBuf};

use egui::{Id, RichText};

use super::command::{Command, MENUS};
use super::dialogs::Dialog;
use super::document::{Change, Document};
use super::{dialogs, form, review, totals, tree};
use crate::export::{self, ExportFormat};
use crate::model::{Place, Unit};
use crate::store::{self, Store};

/// What is remembered between runs (eframe's storage; the window size is
/// remembered by eframe itself).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The database file open last.
    pub db: Option<PathBuf>,
    /// The survey open last.
    pub survey: Option<String>,
    /// The unit selected last.
    pub unit: Option<usize>,
    /// Files opened, newest first.
    pub recent: Vec<PathBuf>,
    /// Dark theme; `None` follows the system.
    pub dark: Option<bool>,
}

const SETTINGS_KEY: &str = "malgrupp";
const RECENT_MAX: usize = 8;

/// Seconds after the last keystroke that a field being typed in is saved.
pub const SAVE_TYPING_AFTER: f64 = 0.8;

/// The main views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The unit form.
    Form,
    /// All findings.
    Review,
    /// Totals tables.
    Totals,
    /// Charts.
    Charts,
}

/// The app.
pub struct App {
    /// Remembered between runs.
    pub settings: Settings,
    /// The open database when no survey is open in it.
    store: Option<Store>,
    /// The open survey.
    pub doc: Option<Document>,
    /// Position of the unit shown in the form.
    pub selected: Option<usize>,
    /// The view in the middle.
    pub view: View,
    /// The last error, shown until dismissed.
    pub error: Option<String>,
    /// The last piece of news ("Exporterade …").
    pub info: Option<String>,
    /// An open dialog.
    pub dialog: Option<Dialog>,
    /// Form state (the cell being typed in, its message).
    pub form: form::FormState,
    /// Review list state (filters, sorting).
    pub review: review::ReviewState,
    /// Totals view state.
    pub totals: totals::TotalsState,
    /// Charts view state.
    pub charts: super::charts::ChartsState,
    /// Tree state (which municipalities are open).
    pub tree: tree::TreeState,
    last_focus: Option<Id>,
    /// The revision of the survey when typing last changed it, and the
    /// input time then: what is typed is saved once typing pauses.
    typed_at: Option<(u64, f64)>,
    /// Reviewed findings, for a revision of the survey (status bar).
    reviewed_count: Option<(u64, usize)>,
    /// For smoke tests: close after this many frames
    /// (`MALGRUPP_SMOKE_FRAMES`).
    smoke_frames: Option<u32>,
    /// An export with small-number suppression, running.
    pub export_job: Option<super::export_job::ExportJob>,
    /// The window's context, for what happens outside a frame (eframe's
    /// `save`): a failed save drops the cell being typed at once.
    ctx: egui::Context,
}

impl App {
    /// Starts on `db`, else the file used last, else the default file
    /// (created on first run).
    pub fn new(cc: &eframe::CreationContext<'_>, db: Option<PathBuf>) -> App {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        App::with_settings(&cc.egui_ctx, settings, db)
    }

    /// Starts with the given remembered settings (tests use this).
    pub fn with_settings(ctx: &egui::Context, settings: Settings, db: Option<PathBuf>) -> App {
        super::type_ahead::TypeAhead::install(ctx);
        // egui's own fonts lack arrows and check marks: DejaVu Sans (already
        // in the binary for the charts) fills in behind them.
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            ctx.add_font(egui::epaint::text::FontInsert::new(
                &format!("DejaVu Sans {family:?}"),
                egui::FontData::from_static(crate::report::chart::FONT),
                vec![egui::epaint::text::InsertFontFamily {
                    family,
                    priority: egui::epaint::text::FontPriority::Lowest,
                }],
            ));
        }
        if let Some(dark) = settings.dark {
            ctx.set_theme(if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
        }
        let mut app = App {
            settings,
            store: None,
            doc: None,
            selected: None,
            view: View::Form,
            error: None,
            info: None,
            dialog: None,
            form: Default::default(),
            review: Default::default(),
            totals: Default::default(),
            charts: Default::default(),
            tree: Default::default(),
            last_focus: None,
            typed_at: None,
            reviewed_count: None,
            export_job: None,
            ctx: ctx.clone(),
            smoke_frames: std::env::var("MALGRUPP_SMOKE_FRAMES")
                .ok()
                .and_then(|n| n.parse().ok()),
        };
        let path = db
            .or_else(|| app.settings.db.clone())
            .map(Ok)
            .unwrap_or_else(store::default_path);
        match path {
            Ok(path) => {
                let unit = app.settings.unit;
                app.open_database(&path);
                if let Some(doc) = &app.doc {
                    app.selected = unit.filter(|u| *u < doc.survey().units.len()).or((!doc
                        .survey()
                        .units
                        .is_empty())
                    .then_some(0));
                }
            }
            Err(e) => app.error = Some(e.to_string()),
        }
        app
    }

    /// The open database's path.
    pub fn db_path(&self) -> Option<&Path> {
        self.doc
            .as_ref()
            .map(|d| d.store().path())
            .or(self.store.as_ref().map(|s| s.path()))
    }

    /// Opens a database file and the survey used last in it (or its
    /// first). Keeps the current one open if the new one cannot be opened.
    pub fn open_database(&mut self, path: &Path) {
        if self.db_path() == Some(path) {
            return;
        }
        self.finish_edit();
        // Release the current file first: reopening it must not find our
        // own lock.
        let previous = self.take_store();
        match Document::open_store(path) {
            Ok(store) => {
                self.settings.db = Some(path.to_owned());
                self.settings.recent.retain(|p| p != path);
                self.settings.recent.insert(0, path.to_owned());
                self.settings.recent.truncate(RECENT_MAX);
                if store.is_read_only() {
                    self.info = Some(format!(
                        "{} går inte att skriva till: öppnad endast för läsning.",
                        path.display()
                    ));
                }
                self.open_survey_in(store, None);
            }
            Err(e) => {
                self.error = Some(e.to_string());
                if let Some(prev) = previous.and_then(|p| Document::open_store(&p).ok()) {
                    self.open_survey_in(prev, None);
                }
            }
        }
    }

    /// Closes what is open; the path it had.
    fn take_store(&mut self) -> Option<PathBuf> {
        let path = self.db_path().map(Path::to_owned);
        if let Some(doc) = self.doc.take() {
            // Pending edits were committed by finish_edit.
            drop(doc);
        }
        self.store = None;
        path
    }

    /// Opens survey `name` (or the remembered one, or the first) of `store`.
    fn open_survey_in(&mut self, store: Store, name: Option<&str>) {
        let names = match store.surveys() {
            Ok(n) => n,
            Err(e) => {
                self.error = Some(e.to_string());
                self.store = Some(store);
                return;
            }
        };
        let wanted = name
            .map(str::to_owned)
            .or_else(|| self.settings.survey.clone())
            .filter(|n| names.contains(n))
            .or_else(|| names.first().cloned());
        let Some(name) = wanted else {
            self.store = Some(store);
            self.selected = None;
            return;
        };
        match Document::load(store, &name) {
            Ok(doc) => {
                self.settings.survey = Some(name);
                self.selected = (!doc.survey().units.is_empty()).then_some(0);
                self.doc = Some(doc);
                self.review.invalidate();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Switches to another survey of the same file.
    pub fn switch_survey(&mut self, name: &str) {
        self.finish_edit();
        let Some(doc) = self.doc.take() else { return };
        match doc.into_store() {
            Ok(store) => self.open_survey_in(store, Some(name)),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Ends what is being typed (a view changes, a command runs, the window
    /// closes): a refused cell is put back as it was, the rest is saved.
    pub fn finish_edit(&mut self) {
        form::restore_refused(self, None);
        self.commit_edit();
    }

    /// Saves the edit being typed as one undoable step.
    fn commit_edit(&mut self) {
        if let Some(doc) = &mut self.doc
            && let Err(e) = doc.commit()
        {
            self.save_failed(e);
        }
    }

    /// A save of what was typed was refused and the document took the edit
    /// back: the field drops what it showed (it shows the unit as saved
    /// again), the findings follow, and the reason is shown with its place.
    fn save_failed(&mut self, e: crate::Error) {
        self.form.forget_typing(&self.ctx);
        self.review.invalidate();
        self.error = Some(format!(
            "Ändringen kunde inte sparas och har tagits tillbaka: {e}"
        ));
        self.ctx.request_repaint();
    }

    /// When the focus has left the field being typed in: a refused cell
    /// is put back, the edit is saved as its own undo step. Called when a
    /// frame starts (a Tab of the last frame moved the focus) and when it
    /// ends (a click or a command moved it), so each cell is its own step.
    fn focus_moved(&mut self, ctx: &egui::Context) {
        let focus = ctx.memory(|m| m.focused());
        if focus != self.last_focus {
            self.last_focus = focus;
            form::restore_refused(self, focus);
            self.commit_edit();
        }
    }

    /// Saves the field being typed in, without ending the edit, once
    /// typing has paused for [`SAVE_TYPING_AFTER`] seconds (by the input's
    /// clock), so a crash loses at most that. Refused text is not saved.
    fn save_typing(&mut self, ctx: &egui::Context) {
        let Some(doc) = &mut self.doc else {
            self.typed_at = None;
            return;
        };
        if !doc.has_pending() {
            self.typed_at = None;
            return;
        }
        let now = ctx.input(|i| i.time);
        let revision = doc.revision();
        let since = match self.typed_at {
            Some((r, t)) if r == revision => t,
            _ => {
                self.typed_at = Some((revision, now));
                now
            }
        };
        if self.form.typing_refused() {
            return;
        }
        let due = since + SAVE_TYPING_AFTER;
        if now < due {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(due - now));
            return;
        }
        self.typed_at = None;
        if let Err(e) = doc.save_pending() {
            self.save_failed(e);
        }
    }

    /// Reports the result of an edit.
    pub fn report(&mut self, result: crate::Result<()>) {
        if let Err(e) = result {
            self.error = Some(e.to_string());
        }
    }

    /// Runs a command from a menu or a shortcut.
    pub fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::NewSurvey => {
                self.finish_edit();
                self.dialog = Some(Dialog::new_survey());
            }
            Command::OpenDatabase => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Öppna databas")
                    .add_filter("Databas", &["sqlite", "db"])
                    .pick_file()
                {
                    self.open_database(&path);
                } else {
                    self.no_dialog_hint();
                }
            }
            Command::ImportDocument => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Importera kartläggning")
                    .add_filter("Kartläggning (JSON)", &["json"])
                    .pick_file()
                {
                    self.import_document(&path, false);
                } else {
                    self.no_dialog_hint();
                }
            }
            Command::ExportDocument => {
                if let Some(path) = self.save_dialog(ExportFormat::Json) {
                    self.export_to(
                        &export::Options {
                            format: ExportFormat::Json,
                            by: crate::report::By::Municipality,
                            csv_comma: false,
                            suppress: None,
                        },
                        &path,
                    );
                }
            }
            Command::EditFrame => {
                if let Some(doc) = &self.doc {
                    self.dialog = Some(Dialog::edit_frame(&doc.survey().frame));
                }
            }
            Command::ExportReport => {
                if self.doc.is_some() {
                    self.finish_edit();
                    self.dialog = Some(Dialog::Export(Default::default()));
                }
            }
            Command::Quit => {
                self.finish_edit();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo | Command::Redo => {
                self.form.forget_typing(ctx);
                let Some(doc) = &mut self.doc else { return };
                let result = if command == Command::Undo {
                    doc.undo()
                } else {
                    doc.redo()
                };
                match result {
                    Ok(Some(unit)) => self.selected = Some(unit),
                    Ok(None) => {
                        let n = doc.survey().units.len();
                        self.selected = self.selected.map(|s| s.min(n.saturating_sub(1)));
                        if n == 0 {
                            self.selected = None;
                        }
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
                self.review.invalidate();
            }
            Command::AddUnit => self.add_unit(),
            Command::DeleteUnit => {
                if let Some(u) = self.selected {
                    self.finish_edit();
                    self.dialog = Some(Dialog::ConfirmDelete(u));
                }
            }
            Command::MoveUnitUp | Command::MoveUnitDown => {
                self.move_unit(command == Command::MoveUnitUp)
            }
            Command::AddGroup => {
                // The cell being typed is its own undo step, not part of
                // the new group's.
                self.finish_edit();
                if let (Some(doc), Some(u)) = (&mut self.doc, self.selected) {
                    self.view = View::Form;
                    let result = form::add_group(doc, u);
                    self.report(result);
                    self.form.focus_group_label = self
                        .doc
                        .as_ref()
                        .map(|d| d.survey().units[u].groups.len() - 1);
                }
            }
            Command::WriteForm => self.write_form(false),
            Command::WriteFilledForm => self.write_form(true),
            Command::ReadForm => self.read_form(),
            Command::ShowForm => self.view = View::Form,
            Command::ShowReview => {
                self.finish_edit();
                self.view = View::Review;
            }
            Command::ShowTotals => {
                self.finish_edit();
                self.view = View::Totals;
            }
            Command::ShowCharts => {
                self.finish_edit();
                self.view = View::Charts;
            }
            Command::ToggleTheme => {
                let dark = !ctx.global_style().visuals.dark_mode;
                self.settings.dark = Some(dark);
                ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
        }
    }

    fn no_dialog_hint(&mut self) {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return;
        }
        // rfd returns None at once when no file-dialog service runs.
        self.info = Some(
            "Ingen fil vald. Syns ingen fildialog saknas xdg-desktop-portal eller zenity; \
             använd då kommandoraden (malgrupp import/export)."
                .to_owned(),
        );
    }

    /// A save dialog for an export; the chosen file with its ending.
    pub fn save_dialog(&mut self, format: ExportFormat) -> Option<PathBuf> {
        let doc = self.doc.as_ref()?;
        let name = format!("{}.{}", doc.survey().frame.name, format.extension());
        let picked = rfd::FileDialog::new()
            .set_title("Exportera")
            .set_file_name(name)
            .add_filter(format.name_sv(), &[format.extension()])
            .save_file();
        if picked.is_none() {
            self.no_dialog_hint();
        }
        picked
    }

    /// Writes an export of the open survey.
    pub fn export_to(&mut self, options: &export::Options, path: &Path) {
        self.finish_edit();
        let Some(doc) = &self.doc else { return };
        if options.suppress.is_some() {
            // Suppression can take seconds: beside the window, cancellable.
            self.export_job = Some(super::export_job::ExportJob::start(
                doc.survey().clone(),
                doc.analysis().clone(),
                *options,
                path,
            ));
            return;
        }
        match export::write(doc.survey(), doc.analysis(), options, path) {
            Ok(()) => self.info = Some(format!("Exporterade till {}.", path.display())),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Shows a running export; takes in its end.
    fn export_job_ui(&mut self, ctx: &egui::Context) {
        use super::export_job::{Ended, export_job_ui};
        let Some(job) = &self.export_job else { return };
        if !job.is_finished() {
            export_job_ui(ctx, job);
            return;
        }
        if let Some(job) = self.export_job.take() {
            match job.end() {
                Ended::Written(news) | Ended::Cancelled(news) => self.info = Some(news),
                Ended::Failed(message) => self.error = Some(message),
            }
        }
    }

    /// Writes a response form for the selected unit: empty, or pre-filled
    /// with its current answers.
    fn write_form(&mut self, prefill: bool) {
        self.finish_edit();
        let (Some(doc), Some(u)) = (&self.doc, self.selected) else {
            return;
        };
        let unit = &doc.survey().units[u];
        let picked = rfd::FileDialog::new()
            .set_title("Spara svarsformulär")
            .set_file_name(format!("Svarsformulär {}.xlsx", unit.name))
            .add_filter("Excel", &["xlsx"])
            .save_file();
        let Some(path) = picked else {
            self.no_dialog_hint();
            return;
        };
        let fits = if prefill {
            export::form::prefill_fits(doc.survey(), unit)
                .map_err(|m| crate::error::Error::at(path.display().to_string(), m))
        } else {
            Ok(())
        };
        let result = fits
            .and_then(|()| {
                export::form::workbook(doc.survey(), unit, 15, prefill)
                    .map_err(|e| export::workbook_error(&path, &e))
            })
            .and_then(|bytes| export::write_atomic(&path, |w| w.write_all(&bytes)));
        match result {
            Ok(()) => self.info = Some(format!("Skrev svarsformuläret till {}.", path.display())),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Reads a filled-in response form into the selected unit, as one
    /// undoable edit.
    fn read_form(&mut self) {
        self.finish_edit();
        let Some(path) = rfd::FileDialog::new()
            .set_title("Läs in ifyllt svarsformulär")
            .add_filter("Excel", &["xlsx"])
            .pick_file()
        else {
            self.no_dialog_hint();
            return;
        };
        self.read_form_from(&path);
    }

    /// Reads the form at `path` into the selected unit (all or nothing).
    pub fn read_form_from(&mut self, path: &Path) {
        let (Some(doc), Some(u)) = (&mut self.doc, self.selected) else {
            return;
        };
        let result = crate::import::form::read_form(path, doc.survey(), u).and_then(|read| {
            let before = Box::new(doc.survey().units[u].clone());
            doc.apply(
                Change::Unit {
                    index: u,
                    before,
                    after: Box::new(read.unit),
                },
                "läs in svarsformulär",
            )
            .map(|()| read.notes)
        });
        match result {
            Ok(notes) => {
                let notes: String = notes.iter().map(|n| format!(" Obs: {n}.")).collect();
                self.info = Some(format!("Läste in {}.{notes}", path.display()));
                self.review.invalidate();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Imports a survey document into the open file and opens it.
    pub fn import_document(&mut self, path: &Path, replace: bool) {
        self.finish_edit();
        let survey = match crate::import::json::read_file(path) {
            Ok(s) => s,
            Err(e) => {
                // A file error names the file already; the others name
                // the place in the document, so the file goes in front.
                self.error = Some(match e {
                    crate::Error::File { .. } => e.to_string(),
                    e => format!("{}: {e}", path.display()),
                });
                return;
            }
        };
        let Some(mut store) = self.take_open_store() else {
            return;
        };
        let name = survey.frame.name.clone();
        match store.import(&survey, replace) {
            Ok(()) => {
                self.info = Some(format!(
                    "Importerade ”{name}”: {} enheter, {} målgrupper.",
                    survey.units.len(),
                    survey.group_count()
                ));
                self.open_survey_in(store, Some(&name));
            }
            Err(crate::Error::SurveyExists(_)) => {
                let current = self.settings.survey.clone();
                self.open_survey_in(store, current.as_deref());
                self.dialog = Some(Dialog::ConfirmReplace(path.to_owned(), name));
            }
            Err(e) => {
                self.error = Some(e.to_string());
                let current = self.settings.survey.clone();
                self.open_survey_in(store, current.as_deref());
            }
        }
    }

    /// Takes the open store out (finishing the survey open in it), to write
    /// a whole survey; `None` with the error shown when there is none.
    fn take_open_store(&mut self) -> Option<Store> {
        let store = match (self.doc.take(), self.store.take()) {
            (Some(doc), _) => doc.into_store(),
            (None, Some(store)) => Ok(store),
            (None, None) => {
                self.error = Some("Ingen databas är öppen.".to_owned());
                return None;
            }
        };
        store.map_err(|e| self.error = Some(e.to_string())).ok()
    }

    /// Creates a survey with `frame` in the open file and opens it; the
    /// reason when refused (the survey open before stays open).
    pub fn create_survey(&mut self, frame: &crate::model::Frame) -> Result<(), String> {
        self.finish_edit();
        let Some(mut store) = self.take_open_store() else {
            return Err(self.error.take().unwrap_or_default());
        };
        match store.create_survey(frame) {
            Ok(()) => {
                self.open_survey_in(store, Some(&frame.name));
                self.view = View::Form;
                Ok(())
            }
            Err(e) => {
                let current = self.settings.survey.clone();
                self.open_survey_in(store, current.as_deref());
                Err(e.to_string())
            }
        }
    }

    /// Changes the open survey's frame, as one undoable edit; the reason
    /// when refused.
    pub fn change_frame(&mut self, frame: crate::model::Frame) -> Result<(), String> {
        let Some(doc) = &mut self.doc else {
            return Err("Ingen kartläggning är öppen.".to_owned());
        };
        let before = Box::new(doc.survey().frame.clone());
        doc.apply(
            Change::Frame {
                before,
                after: Box::new(frame),
            },
            "ändra ramen",
        )
        .map_err(|e| e.to_string())?;
        self.settings.survey = Some(doc.survey().frame.name.clone());
        self.review.invalidate();
        Ok(())
    }

    /// Adds a unit after the selected one (same municipality and authority),
    /// or first.
    pub fn add_unit(&mut self) {
        let Some(doc) = &mut self.doc else { return };
        let survey = doc.survey();
        if survey.frame.authorities.is_empty() {
            self.error = Some("Kartläggningen har inga myndigheter att välja bland.".to_owned());
            return;
        }
        let (index, place, authority) = match self.selected.map(|s| &survey.units[s]) {
            Some(u) => (self.selected.unwrap() + 1, u.place.clone(), u.authority),
            None => (
                survey.units.len(),
                if survey.frame.municipalities.is_empty() {
                    Place::Area("Hela området".to_owned())
                } else {
                    Place::Municipality(0)
                },
                0,
            ),
        };
        let unit = Unit {
            place,
            authority,
            name: "Ny enhet".to_owned(),
            collaboration_today: None,
            preventive_measures: None,
            note: None,
            key_figures: Vec::new(),
            groups: Vec::new(),
            reported_totals: None,
            reviews: Vec::new(),
        };
        let result = doc.apply(
            Change::Insert {
                index,
                unit: Box::new(unit),
            },
            "ny enhet",
        );
        if result.is_ok() {
            self.selected = Some(index);
            self.view = View::Form;
            self.form.focus_unit_name = true;
            self.review.invalidate();
        }
        self.report(result);
    }

    /// Deletes unit `index` (asked first); undo brings it back.
    pub fn delete_unit(&mut self, index: usize) {
        let Some(doc) = &mut self.doc else { return };
        let unit = Box::new(doc.survey().units[index].clone());
        let what = format!("ta bort ”{}”", unit.name);
        let result = doc.apply(Change::Remove { index, unit }, &what);
        if result.is_ok() {
            let n = doc.survey().units.len();
            self.selected = (n > 0).then(|| index.min(n - 1));
            self.review.invalidate();
        }
        self.report(result);
    }

    fn move_unit(&mut self, up: bool) {
        let (Some(doc), Some(from)) = (&mut self.doc, self.selected) else {
            return;
        };
        let n = doc.survey().units.len();
        let to = if up {
            from.checked_sub(1)
        } else {
            (from + 1 < n).then_some(from + 1)
        };
        let Some(to) = to else { return };
        let result = doc.apply(Change::Move { from, to }, "flytta enhet");
        if result.is_ok() {
            self.selected = Some(to);
            self.review.invalidate();
        }
        self.report(result);
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (title, commands) in MENUS {
                ui.menu_button(*title, |ui| {
                    for &command in *commands {
                        let enabled = self.enabled(command);
                        let mut label = command.label().to_owned();
                        if let Some(doc) = &self.doc {
                            let name = match command {
                                Command::Undo => doc.undo_name(),
                                Command::Redo => doc.redo_name(),
                                _ => None,
                            };
                            if let Some(name) = name {
                                label = format!("{label}: {name}");
                            }
                        }
                        let mut button = egui::Button::new(label);
                        if let Some(s) = command.shortcuts().first() {
                            button = button.shortcut_text(ui.ctx().format_shortcut(s));
                        }
                        if ui.add_enabled(enabled, button).clicked() {
                            ui.close();
                            self.run(ui.ctx(), command);
                        }
                    }
                    if *title == "Arkiv" {
                        ui.separator();
                        self.file_submenus(ui);
                    }
                });
            }
        });
    }

    fn file_submenus(&mut self, ui: &mut egui::Ui) {
        let surveys = self
            .doc
            .as_ref()
            .map(|d| d.store())
            .or(self.store.as_ref())
            .and_then(|s| s.surveys().ok())
            .unwrap_or_default();
        ui.menu_button("Byt kartläggning", |ui| {
            for name in surveys {
                let current =
                    self.settings.survey.as_deref() == Some(name.as_str()) && self.doc.is_some();
                if ui.selectable_label(current, &name).clicked() {
                    ui.close();
                    self.switch_survey(&name);
                }
            }
        });
        ui.menu_button("Senaste filer", |ui| {
            let recent = self.settings.recent.clone();
            if recent.is_empty() {
                ui.label("Inga ännu");
            }
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    ui.close();
                    self.open_database(&path);
                }
            }
        });
    }

    /// Whether a command can run now.
    pub fn enabled(&self, command: Command) -> bool {
        let writable = self.doc.as_ref().is_some_and(|d| !d.is_read_only());
        match command {
            Command::NewSurvey | Command::ImportDocument => self
                .doc
                .as_ref()
                .map(|d| !d.is_read_only())
                .or(self.store.as_ref().map(|s| !s.is_read_only()))
                .unwrap_or(false),
            Command::OpenDatabase | Command::Quit | Command::ToggleTheme => true,
            Command::ExportDocument | Command::ExportReport => self.doc.is_some(),
            Command::ShowForm | Command::ShowReview | Command::ShowTotals | Command::ShowCharts => {
                self.doc.is_some()
            }
            Command::Undo => self
                .doc
                .as_ref()
                .is_some_and(|d| d.undo_name().is_some() || d.has_pending()),
            Command::Redo => self.doc.as_ref().is_some_and(|d| d.redo_name().is_some()),
            Command::AddUnit | Command::EditFrame => writable,
            Command::DeleteUnit
            | Command::MoveUnitUp
            | Command::MoveUnitDown
            | Command::AddGroup
            | Command::ReadForm => writable && self.selected.is_some(),
            Command::WriteForm | Command::WriteFilledForm => {
                self.doc.is_some() && self.selected.is_some()
            }
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let Some(doc) = &self.doc else {
                ui.label(match self.db_path() {
                    Some(p) => format!("{} · ingen kartläggning öppen", p.display()),
                    None => "Ingen databas öppen".to_owned(),
                });
                return;
            };
            let survey = doc.survey();
            let findings = &doc.analysis().findings;
            // Counted once per change of the survey, not every frame.
            let revision = doc.revision();
            let reviewed = match self.reviewed_count {
                Some((r, n)) if r == revision => n,
                _ => {
                    let n = findings
                        .iter()
                        .filter(|f| f.unit(survey).review_of(f).is_some())
                        .count();
                    self.reviewed_count = Some((revision, n));
                    n
                }
            };
            ui.label(format!(
                "Fynd: {} öppna, {} granskade",
                findings.len() - reviewed,
                reviewed
            ))
            .on_hover_text("Granskade fynd är kontrollerade med enheten.");
            ui.separator();
            if doc.is_read_only() {
                ui.label(RichText::new("Endast läsning").strong());
            } else if doc.has_pending() && self.form.typing_refused() {
                ui.label("Ändras … (inte sparat förrän fältet är rättat)");
            } else if doc.has_pending() {
                ui.label("Ändras … (sparas inom en sekund)");
            } else {
                ui.label("Allt sparat");
            }
            ui.separator();
            ui.label(format!(
                "{} enheter, {} målgrupper",
                survey.units.len(),
                survey.group_count()
            ));
            ui.separator();
            ui.label(doc.store().path().display().to_string());
        });
    }

    fn messages(&mut self, ui: &mut egui::Ui) {
        let dark = ui.visuals().dark_mode;
        if let Some(e) = self.error.clone() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("Fel: {e}"))
                        .color(super::colours::of(crate::model::check::Kind::Over(0), dark)),
                );
                if ui.small_button("Stäng").clicked() {
                    self.error = None;
                }
            });
        }
        if let Some(i) = self.info.clone() {
            ui.horizontal(|ui| {
                ui.label(i);
                if ui.small_button("OK").clicked() {
                    self.info = None;
                }
            });
        }
    }

    fn welcome(&mut self, ui: &mut egui::Ui) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("Målgruppskartläggning");
            ui.add_space(12.0);
            match self.db_path() {
                Some(p) => {
                    ui.label(format!(
                        "Databasen {} har ingen kartläggning ännu.",
                        p.display()
                    ));
                }
                None => {
                    ui.label("Ingen databas är öppen.");
                }
            }
            ui.add_space(12.0);
            for command in [
                Command::NewSurvey,
                Command::ImportDocument,
                Command::OpenDatabase,
            ] {
                if ui
                    .add_enabled(self.enabled(command), egui::Button::new(command.label()))
                    .clicked()
                {
                    self.run(ui.ctx(), command);
                }
            }
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if ctx.input(|i| i.viewport().close_requested()) {
            self.finish_edit();
        }
        self.focus_moved(&ctx);
        if self.dialog.is_none() && self.export_job.is_none() {
            form::enter_moves_on(&ctx, &self.form);
            if let Some(command) = Command::pressed(&ctx)
                && self.enabled(command)
            {
                self.run(&ctx, command);
            }
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.doc.is_some() {
            egui::Panel::left("tree")
                .resizable(true)
                .default_size(280.0)
                .show(ui, |ui| tree::show(ui, self));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.messages(ui);
            if self.doc.is_none() {
                self.welcome(ui);
                return;
            }
            ui.horizontal(|ui| {
                for (view, command) in [
                    (View::Form, Command::ShowForm),
                    (View::Review, Command::ShowReview),
                    (View::Totals, Command::ShowTotals),
                    (View::Charts, Command::ShowCharts),
                ] {
                    if ui
                        .selectable_label(self.view == view, command.label())
                        .clicked()
                    {
                        self.run(ui.ctx(), command);
                    }
                }
            });
            ui.separator();
            match self.view {
                View::Form => form::show(ui, self),
                View::Review => review::show(ui, self),
                View::Totals => totals::show(ui, self),
                View::Charts => super::charts::show(ui, self),
            }
        });
        dialogs::show(&ctx, self);
        self.export_job_ui(&ctx);

        self.focus_moved(&ctx);
        self.save_typing(&ctx);
        if let Some(n) = &mut self.smoke_frames {
            // A smoke run: show each view, then close as a user would.
            *n = n.saturating_sub(1);
            self.view = match *n % 4 {
                0 => View::Form,
                1 => View::Review,
                2 => View::Totals,
                _ => View::Charts,
            };
            if *n == 0 {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ctx.request_repaint();
            }
        }
        if let Some(doc) = &self.doc {
            self.settings.unit = self.selected;
            self.settings.survey = Some(doc.survey().frame.name.clone());
        }
    }

    /// eframe's autosave, every 30 s. Test hook: `MALGRUPP_AUTOSAVE_SECS`
    /// sets the interval in seconds (like `MALGRUPP_SMOKE_FRAMES`);
    /// tests/window_typing.rs sets a day, so that only the app's own save
    /// of a cell being typed ([`SAVE_TYPING_AFTER`]) can put it on disk.
    fn auto_save_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs(
            std::env::var("MALGRUPP_AUTOSAVE_SECS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(30),
        )
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // eframe saves every 30 s and at exit: what is typed is saved
        // without ending the edit, so the cell stays one undo step.
        if !self.form.typing_refused()
            && let Some(doc) = &mut self.doc
            && let Err(e) = doc.save_pending()
        {
            self.save_failed(e);
        }
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
