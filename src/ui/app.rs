//! The window: menus, the unit tree, the views, the status bar, dialogs.

mod chrome;
mod files;
mod units;

use std::path::{Path, PathBuf};

use egui::Id;

use super::command::Command;
use super::dialogs::Dialog;
use super::document::{Change, Document};
use super::path_entry::{self, PathPurpose};
use super::{dialogs, form, review, totals, tree};
use saving::AfterSave;

mod merging;
mod reading;
mod saving;
mod survey;
use crate::export::{self, ExportFormat};
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
    /// The unit selected last in each file (by the file's path), so that
    /// opening another file does not select a unit never chosen there.
    pub units: std::collections::BTreeMap<String, usize>,
    /// The unit list is folded away (Ctrl+L).
    pub tree_hidden: bool,
    /// The person making changes, for the history; asked at the first
    /// start (`None` until then: the login name is used).
    pub user: Option<String>,
}

const SETTINGS_KEY: &str = "malgrupp";
const RECENT_MAX: usize = 8;

/// The key of a file in [`Settings::units`].
fn unit_key(path: &Path) -> String {
    path.display().to_string()
}

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
    /// Coverage overview.
    Overview,
    /// All groups by theme.
    Themes,
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
    /// The view by theme: its choices and marked groups.
    pub themes: super::themes::ThemesState,
    /// Tree state (which municipalities are open).
    pub tree: tree::TreeState,
    /// Coverage overview state.
    pub overview: super::overview::OverviewState,
    /// A double entry in progress (the form shows its scratch copy).
    pub double_entry: Option<super::double_entry::DoubleEntry>,
    /// A file that another window has open for writing, offered for
    /// reading.
    pub busy_offer: Option<PathBuf>,
    /// The history window and the name dialog.
    pub history: super::history::HistoryState,
    last_focus: Option<Id>,
    /// The revision of the survey when typing last changed it, and the
    /// input time then: what is typed is saved once typing pauses.
    typed_at: Option<(u64, f64)>,
    /// Reviewed findings, for a revision of the survey (status bar).
    reviewed_count: Option<(u64, usize)>,
    /// For smoke tests: close after this many frames
    /// (`MALGRUPP_SMOKE_FRAMES`).
    smoke_frames: Option<u32>,
    /// How often the window draws while saves are out (the writer also asks
    /// for a frame when one ends). Tests set zero: egui_kittest's `run`
    /// then steps until every save is answered.
    #[doc(hidden)]
    pub repaint_while_saving: std::time::Duration,
    /// What waits for the edits sent to be written (closing, another
    /// file, an import or an export), with "Sparar …" shown meanwhile.
    after_save: Option<AfterSave>,
    /// An export with small-number suppression, running.
    pub export_job: Option<super::export_job::ExportJob>,
    /// A merge waiting for its conflicts to be settled.
    pub merge: Option<super::merge::MergeState>,
    /// The window's context, for what happens outside a frame (eframe's
    /// `save`): a failed save drops the cell being typed at once.
    ctx: egui::Context,
    /// Where Arkiv → Öppna exempel puts the example (ui/example.rs);
    /// `None`: beside the default database.
    pub example_db: Option<PathBuf>,
    /// Hjälp → Handledning and Om (ui/help.rs).
    pub help: super::help::HelpState,
}

impl App {
    /// Starts on `db`, else the file used last, else the default file
    /// (created on first run).
    pub fn new(cc: &eframe::CreationContext<'_>, db: Option<PathBuf>) -> App {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let mut app = App::with_settings(&cc.egui_ctx, settings, db);
        if app.settings.user.is_none() {
            // The first start: who is this, for the history.
            super::history::ask_who(&mut app, true);
        }
        app
    }

    /// Starts with the given remembered settings (tests use this).
    pub fn with_settings(ctx: &egui::Context, settings: Settings, db: Option<PathBuf>) -> App {
        super::type_ahead::TypeAhead::install(ctx);
        super::theme::install(ctx);
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
            themes: Default::default(),
            tree: Default::default(),
            overview: Default::default(),
            double_entry: None,
            busy_offer: None,
            history: Default::default(),
            last_focus: None,
            typed_at: None,
            reviewed_count: None,
            export_job: None,
            after_save: None,
            repaint_while_saving: std::time::Duration::from_millis(16),
            merge: None,
            ctx: ctx.clone(),
            example_db: None,
            help: Default::default(),
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
                // Settings from before units were remembered per file: the
                // one unit belongs to the file open last.
                if let (Some(unit), Some(last)) = (app.settings.unit, &app.settings.db)
                    && app.settings.units.is_empty()
                {
                    app.settings.units.insert(unit_key(last), unit);
                }
                app.open_database(&path);
            }
            Err(e) => app.error = Some(e.to_string()),
        }
        app
    }

    /// The open database's path.
    pub fn db_path(&self) -> Option<&Path> {
        self.doc
            .as_ref()
            .map(|d| d.path())
            .or(self.store.as_ref().map(|s| s.path()))
    }

    /// Opens a database file and the survey used last in it (or its
    /// first). Keeps the current one open if the new one cannot be opened.
    pub fn open_database(&mut self, path: &Path) {
        if self.db_path() == Some(path) {
            return;
        }
        if !self.saved_first(AfterSave::Open(path.to_owned())) {
            return;
        }
        // Release the current file first: reopening it must not find our
        // own lock.
        let previous = self.take_store();
        match Document::open_store(path) {
            Ok(mut store) => {
                // The history names who made each change, from the start.
                let _ = store.set_user(&super::history::user(self));
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
                if let crate::Error::Busy { .. } = e {
                    // Another window is writing: offer to look without
                    // writing (a reviewer beside a surveyor).
                    self.busy_offer = Some(path.to_owned());
                }
                self.error = Some(e.to_string());
                if let Some(prev) = previous.and_then(|p| Document::open_store(&p).ok()) {
                    self.open_survey_in(prev, None);
                }
            }
        }
    }

    /// Saves what is typed and closes the open database.
    pub fn close_database(&mut self) {
        self.finish_edit();
        self.take_store();
    }

    /// The surveys in the open database.
    pub fn survey_names(&self) -> Vec<String> {
        match (&self.doc, &self.store) {
            (Some(doc), _) => doc.surveys().to_vec(),
            (None, Some(store)) => store.surveys().unwrap_or_default(),
            (None, None) => Vec::new(),
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
                let ctx = self.ctx.clone();
                doc.on_saved(std::sync::Arc::new(move || ctx.request_repaint()));
                saving::slow_disk_for_tests(&doc);
                self.settings.survey = Some(name);
                let n = doc.survey().units.len();
                let remembered = self.settings.units.get(&unit_key(doc.path()));
                self.selected = remembered
                    .copied()
                    .filter(|u| *u < n)
                    .or((n > 0).then_some(0));
                self.doc = Some(doc);
                super::history::apply_user(self);
                self.review.invalidate();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Switches to another survey of the same file.
    pub fn switch_survey(&mut self, name: &str) {
        if !self.saved_first(AfterSave::Switch(name.to_owned())) {
            return;
        }
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

    /// Sends the edit being typed to be saved, as one undoable step.
    fn commit_edit(&mut self) {
        if let Some(doc) = &mut self.doc
            && let Err(e) = doc.commit()
        {
            self.error = Some(e.to_string());
        }
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
            self.error = Some(e.to_string());
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
                path_entry::choose_and_use(self, PathPurpose::OpenDatabase, "")
            }
            Command::OpenExample => {
                self.finish_edit();
                self.choose_example_place();
            }
            Command::MergeFile => {
                self.finish_edit();
                path_entry::choose_and_use(self, PathPurpose::MergeFile, "");
            }
            Command::ImportDocument => {
                path_entry::choose_and_use(self, PathPurpose::ImportDocument, "")
            }
            Command::ExportDocument => {
                let options = export::Options {
                    format: ExportFormat::Json,
                    by: crate::report::By::Municipality,
                    csv_comma: false,
                    suppress: None,
                };
                if let Some(path) = self.save_dialog(&options) {
                    self.export_to(&options, &path);
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
            Command::TotalRow => {
                self.finish_edit();
                if let (Some(doc), Some(u)) = (&mut self.doc, self.selected) {
                    self.view = View::Form;
                    let result = form::add_total_row(doc, u);
                    if result.is_ok() {
                        self.form.focus_target = Some(form::Target::TotalCount);
                        self.review.invalidate();
                    }
                    self.report(result);
                }
            }
            Command::ToggleTree => self.settings.tree_hidden = !self.settings.tree_hidden,
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
            Command::ShowOverview => {
                self.finish_edit();
                self.view = View::Overview;
            }
            Command::DoubleEntry => super::double_entry::start(self),
            Command::Reload => self.reload(),
            Command::Settings => super::history::ask_who(self, false),
            Command::History => super::history::open_focused(self),
            Command::UnitHistory => super::history::open_unit(self),
            Command::ShowThemes => {
                self.finish_edit();
                self.view = View::Themes;
            }
            Command::ShowGuide => self.help.open(ctx, super::help::HelpPage::Guide),
            Command::ShowAbout => self.help.open(ctx, super::help::HelpPage::About),
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

    /// Takes the open store out (finishing the survey open in it), to write
    /// a whole survey; `None` with the error shown when there is none.
    fn take_open_store(&mut self) -> Option<Store> {
        self.flush_saves();
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
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.take_in_saves(&ctx);
        if ctx.input(|i| i.viewport().close_requested()) && !self.saved_first(AfterSave::Close) {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        self.focus_moved(&ctx);
        super::help::escape(&ctx, &mut self.help);
        if self.dialog.is_none() && self.export_job.is_none() && !self.history.asking_who() {
            form::enter_moves_on(&ctx, &self.form);
            if self.view == View::Form
                && let (Some(doc), Some(u)) = (&self.doc, self.selected)
                && let Some(unit) = doc.survey().units.get(u)
            {
                form::tab_moves_on(&ctx, u, unit, doc.survey().layout().len());
            }
            if let Some(command) = Command::pressed(&ctx)
                && self.enabled(command)
            {
                self.run(&ctx, command);
            }
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.doc.is_some() && !self.settings.tree_hidden && self.double_entry.is_none() {
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
            if self.double_entry.is_some() {
                if super::double_entry::show(ui, self) {
                    form::show(ui, self);
                }
                return;
            }
            ui.horizontal(|ui| {
                if self.settings.tree_hidden
                    && ui
                        .small_button("» Enheter")
                        .on_hover_text("Visa enhetslistan (Ctrl+L)")
                        .clicked()
                {
                    self.run(ui.ctx(), Command::ToggleTree);
                }
                for (view, command) in [
                    (View::Form, Command::ShowForm),
                    (View::Review, Command::ShowReview),
                    (View::Totals, Command::ShowTotals),
                    (View::Charts, Command::ShowCharts),
                    (View::Overview, Command::ShowOverview),
                    (View::Themes, Command::ShowThemes),
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
                View::Overview => super::overview::show(ui, self),
                View::Themes => super::themes::show(ui, self),
            }
        });
        dialogs::show(&ctx, self);
        super::history::show(&ctx, self);
        super::help::show(&ctx, &mut self.help);
        self.export_job_ui(&ctx);
        self.merge_window(&ctx);

        self.focus_moved(&ctx);
        self.save_typing(&ctx);
        self.take_in_saves(&ctx);
        if let Some(n) = &mut self.smoke_frames {
            // A smoke run: show each view, then close as a user would.
            *n = n.saturating_sub(1);
            self.view = match *n % 5 {
                0 => View::Form,
                1 => View::Review,
                2 => View::Totals,
                3 => View::Themes,
                _ => View::Charts,
            };
            if *n == 0 {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ctx.request_repaint();
            }
        }
        if let Some(doc) = &self.doc
            && self.double_entry.is_none()
        {
            self.settings.unit = self.selected;
            let key = unit_key(doc.path());
            match self.selected {
                Some(u) => self.settings.units.insert(key, u),
                None => self.settings.units.remove(&key),
            };
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

    /// After eframe's last `save`: every edit sent is written before the
    /// program ends (the writer's thread would not outlive it).
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(doc) = &mut self.doc {
            doc.flush();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // eframe saves every 30 s and at exit: what is typed is saved
        // without ending the edit, so the cell stays one undo step.
        if !self.form.typing_refused()
            && let Some(doc) = &mut self.doc
            && let Err(e) = doc.save_pending()
        {
            self.error = Some(e.to_string());
        }
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
