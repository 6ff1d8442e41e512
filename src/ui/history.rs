//! Who is making changes, and the history of a cell or a unit: who
//! changed what, when (local time), from what to what, newest first.
//!
//! The name is asked once, at the first start, and can be changed under
//! Arkiv → Inställningar…; it is kept with the app's settings and given to
//! the open file, which writes it with every change.

use egui::RichText;

use super::app::App;
use super::form::Target;
use crate::model::history::{check_user, default_user};
use crate::model::validate::thousands;
use crate::model::{Dimension, Survey, Unit};
use crate::report::history::{field_sv, how_sv, value_sv};
use crate::store::history::{Entry, Query};

/// Entries read at a time, the newest first: a page. The window shows
/// about twenty lines at once, and a page of 500 reads in a few
/// milliseconds however long the history (BENCHMARKS.md); it says how many
/// there are in all and reads the next page when asked. The command line
/// (`malgrupp log`) gives them all.
pub const PAGE: usize = 500;

/// What a history window shows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// One cell: the unit, the group's label (`None` for unit-level
    /// fields) and the field.
    Cell {
        unit: String,
        label: Option<String>,
        field: String,
    },
    /// Everything about one unit.
    Unit(String),
}

/// An open history window.
struct Open {
    scope: Scope,
    /// The window's heading: what the history is of, for people.
    title: String,
    /// The entries read, newest first: the newest pages.
    entries: Vec<Entry>,
    /// How many entries there are in all, when more than are read
    /// (counted only then).
    total: Option<usize>,
    /// The survey's revision and the writes sent when last read: while
    /// they stay, the history shown cannot have changed.
    seen: Option<(u64, u64)>,
    /// The next page asked for (Visa äldre).
    more: bool,
    /// The file and survey read: another one is read from its first page.
    source: Option<(std::path::PathBuf, String)>,
    error: Option<String>,
}

/// The name dialog being edited.
#[derive(Clone, Debug)]
pub struct WhoDraft {
    name: String,
    /// Asked at the first start, beside the work rather than over it.
    first: bool,
    error: Option<String>,
    /// At the end of the last frame, whether the keyboard was in this
    /// window or nowhere: then Esc is for it (closing it), not for a cell
    /// being typed in.
    keyboard_here: bool,
}

/// The history window and the name dialog.
#[derive(Default)]
pub struct HistoryState {
    open: Option<Open>,
    who: Option<WhoDraft>,
    /// Entries read from the file since the app started (for tests: what
    /// a change elsewhere costs the open window).
    rows_read: usize,
}

impl HistoryState {
    /// Whether the name dialog of the settings is open (it takes the
    /// keyboard; the first start's window does not).
    pub fn asking_who(&self) -> bool {
        self.who.as_ref().is_some_and(|w| !w.first)
    }

    /// Whether a history window is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// How many entries the history windows have read from the file.
    #[doc(hidden)]
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }
}

/// The person whose changes the app writes: as set, else the login name.
pub fn user(app: &App) -> String {
    app.settings
        .user
        .clone()
        .filter(|u| check_user(u).is_ok())
        .unwrap_or_else(default_user)
}

/// Gives the open file the person's name.
pub fn apply_user(app: &mut App) {
    let user = user(app);
    if let Some(doc) = &mut app.doc {
        let _ = doc.store().set_user(&user);
    }
}

/// Opens the name dialog; `first` at the first start.
pub fn ask_who(app: &mut App, first: bool) {
    app.history.who = Some(WhoDraft {
        name: user(app),
        first,
        error: None,
        keyboard_here: true,
    });
}

/// The cell a target is, as the history names it: the group's label (or
/// `None`) and the field; and the cell for people.
fn cell_of(
    survey: &Survey,
    unit: &Unit,
    target: Target,
) -> Option<(Option<String>, String, String)> {
    let layout = survey.layout();
    let category = |i: usize| {
        let d = Dimension::ALL
            .into_iter()
            .find(|d| layout.range(*d).contains(&i))?;
        let label = survey.frame.labels(d).get(i - layout.range(d).start)?;
        Some((
            format!("{}:{label}", d.key()),
            format!("{} {label}", d.name_sv()),
        ))
    };
    let group = |g: usize| unit.groups.get(g);
    Some(match target {
        Target::Count(g) => {
            let g = group(g)?;
            (
                Some(g.label.clone()),
                "count".to_owned(),
                format!("rang {} ”{}”, antal", g.rank, g.label),
            )
        }
        Target::Cell(g, i) => {
            let g = group(g)?;
            let (field, name) = category(i)?;
            (
                Some(g.label.clone()),
                field,
                format!("rang {} ”{}”, {name}", g.rank, g.label),
            )
        }
        Target::TotalCount => (
            None,
            "total:count".to_owned(),
            "totalraden, antal".to_owned(),
        ),
        Target::TotalCell(i) => {
            let (field, name) = category(i)?;
            (
                None,
                format!("total:{field}"),
                format!("totalraden, {name}"),
            )
        }
        Target::Key(k) => {
            let name = &unit.key_figures.get(k)?.name;
            (None, format!("key:{name}"), format!("nyckeltalet ”{name}”"))
        }
        Target::Extra(g, t, _) => {
            let g = group(g)?;
            let title = &g.extra.get(t)?.title;
            (
                Some(g.label.clone()),
                format!("extra:{title}"),
                format!("rang {} ”{}”, tabellen ”{title}”", g.rank, g.label),
            )
        }
    })
}

/// Opens the history of a cell of unit `u` (right-click → Historik…).
pub fn open_cell(app: &mut App, u: usize, target: Target) {
    app.finish_edit();
    let Some(doc) = &app.doc else { return };
    let survey = doc.survey();
    let Some(unit) = survey.units.get(u) else {
        return;
    };
    let Some((label, field, name)) = cell_of(survey, unit, target) else {
        return;
    };
    open(
        app,
        Scope::Cell {
            unit: unit.name.clone(),
            label,
            field,
        },
        format!("Historik för {}: {name}", unit.name),
    );
}

/// Opens the history of the cell with the focus (Ctrl+H); without one, of
/// the selected unit.
pub fn open_focused(app: &mut App) {
    match app.form.focused_cell() {
        Some((u, target)) => open_cell(app, u, target),
        None => open_unit(app),
    }
}

/// Opens the history of the selected unit (Enhet → Historik för enheten…).
pub fn open_unit(app: &mut App) {
    app.finish_edit();
    let (Some(doc), Some(u)) = (&app.doc, app.selected) else {
        return;
    };
    let Some(unit) = doc.survey().units.get(u) else {
        return;
    };
    let name = unit.name.clone();
    open(
        app,
        Scope::Unit(name.clone()),
        format!("Historik för {name}"),
    );
}

fn open(app: &mut App, scope: Scope, title: String) {
    app.history.open = Some(Open {
        scope,
        title,
        entries: Vec::new(),
        total: None,
        seen: None,
        more: false,
        source: None,
        error: None,
    });
    refresh(app);
}

/// Reads what the open window lacks: the first page when opened, the next
/// page when asked, and only the entries added since when something was
/// written to the file. Reads nothing while the writer is busy (the window
/// draws frames until it is done, then reads), so it never waits for it.
fn refresh(app: &mut App) {
    let (Some(doc), Some(open)) = (&app.doc, &mut app.history.open) else {
        return;
    };
    let rows_read = &mut app.history.rows_read;
    let stamp = (doc.revision(), doc.writes_sent());
    if open.seen == Some(stamp) && !open.more {
        return;
    }
    let Some(store) = doc.idle_store() else {
        return;
    };
    let name = doc.survey().frame.name.as_str();
    let same = |(path, survey): &(std::path::PathBuf, String)| path == doc.path() && survey == name;
    if !open.source.as_ref().is_some_and(same) {
        open.source = Some((doc.path().to_owned(), name.to_owned()));
        open.seen = None;
    }
    let changed = open.seen != Some(stamp);
    let read = read_into(open, &store, name, changed, rows_read);
    drop(store);
    open.seen = Some(stamp);
    open.more = false;
    open.error = read.err().map(|e| e.to_string());
}

/// The part of [`refresh`] that reads.
fn read_into(
    open: &mut Open,
    store: &crate::store::Store,
    name: &str,
    changed: bool,
    rows_read: &mut usize,
) -> crate::error::Result<()> {
    let mut page = |before: Option<i64>, after: Option<i64>| {
        let query = match &open.scope {
            Scope::Cell { unit, label, field } => Query {
                unit: Some(unit),
                cell: Some((label.as_deref(), field)),
                ..Default::default()
            },
            Scope::Unit(unit) => Query {
                unit: Some(unit),
                ..Default::default()
            },
        };
        let query = Query {
            limit: Some(PAGE),
            before,
            after,
            ..query
        };
        // Counted for the first page only: the others keep the count.
        let (entries, total) = if before.is_none() && after.is_none() {
            store.history_page(name, &query)?
        } else {
            (store.history(name, &query)?, None)
        };
        *rows_read += entries.len();
        Ok::<_, crate::error::Error>((entries, total))
    };
    let newest = open.entries.first().map(|e| e.id);
    let oldest = open.entries.last().map(|e| e.id);
    if open.seen.is_none() || newest.is_none() || open.error.is_some() {
        (open.entries, open.total) = page(None, None)?;
        return Ok(());
    }
    if changed {
        let (newer, _) = page(None, newest)?;
        if newer.len() == PAGE {
            // Many new ones: start again from the newest page.
            (open.entries, open.total) = page(None, None)?;
            return Ok(());
        }
        if !newer.is_empty() {
            open.total = open.total.map(|t| t + newer.len());
            open.entries.splice(0..0, newer);
        }
    }
    if open.more {
        let (older, _) = page(oldest, None)?;
        open.entries.extend(older);
    }
    Ok(())
}

/// One entry for people: when, who, what, old → new, how.
fn line(e: &Entry, whole_unit: bool) -> String {
    let field = field_sv(&e.field);
    let place = match (whole_unit, e.rank, &e.label) {
        (true, Some(rank), Some(label)) => format!("rang {rank} ”{label}”, {field}"),
        _ => field,
    };
    format!(
        "{}  {}  {place}: {} → {}  ({})",
        e.local_time,
        e.user,
        value_sv(e.old.as_deref()),
        value_sv(e.new.as_deref()),
        how_sv(&e.how)
    )
}

/// Draws the history window and the name dialog, when open, and opens a
/// cell's history asked for with a right-click.
pub fn show(ctx: &egui::Context, app: &mut App) {
    who_ui(ctx, app);
    if let Some((u, target)) = app.form.history_request.take() {
        open_cell(app, u, target);
    }
    refresh(app);
    history_window_ui(ctx, &mut app.history);
}

/// The history window: it needs only its own state, read by [`refresh`].
fn history_window_ui(ctx: &egui::Context, state: &mut HistoryState) {
    let Some(open) = &state.open else {
        return;
    };
    let (mut keep, mut more) = (true, false);
    let whole_unit = matches!(open.scope, Scope::Unit(_));
    egui::Window::new("Historik")
        .id(egui::Id::unique("historik"))
        .open(&mut keep)
        .default_size(egui::vec2(720.0, 420.0))
        .show(ctx, |ui| {
            ui.label(RichText::new(&open.title).strong());
            if let Some(e) = &open.error {
                ui.label(format!("Historiken kunde inte läsas: {e}"));
                return;
            }
            if open.seen.is_none() {
                ui.label("Läser historiken …");
                return;
            }
            if open.entries.is_empty() {
                ui.label("Inga ändringar sparade ännu.");
                return;
            }
            let shown = open.entries.len();
            match open.total.filter(|t| *t > shown) {
                Some(total) => {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "Visar de {} senaste av {} ändringar (lokal tid).",
                            thousands(shown as u64),
                            thousands(total as u64)
                        ));
                        let next = PAGE.min(total - shown);
                        if ui
                            .button(format!("Visa {} äldre", thousands(next as u64)))
                            .clicked()
                        {
                            more = true;
                        }
                    });
                }
                None => {
                    ui.label(format!(
                        "{} ändringar, de senaste först (lokal tid).",
                        thousands(shown as u64)
                    ));
                }
            }
            // Only the lines in view are laid out: pages read cost no
            // more to draw than a screenful.
            let height = ui.text_style_height(&egui::TextStyle::Body);
            egui::ScrollArea::vertical()
                .auto_shrink([false, true])
                .show_rows(ui, height, shown, |ui, rows| {
                    for e in &open.entries[rows] {
                        ui.add(egui::Label::new(line(e, whole_unit)).truncate());
                    }
                });
        });
    if more && let Some(open) = &mut state.open {
        open.more = true;
    }
    if !keep || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        state.open = None;
    }
}

/// The name field and the buttons; whether saved, whether cancelled, and
/// the ids of the widgets that take the keyboard.
fn who_contents(ui: &mut egui::Ui, draft: &mut WhoDraft) -> (bool, bool, [egui::Id; 3]) {
    let (mut done, mut cancel) = (false, false);
    let mut ids = [egui::Id::NULL; 3];
    ui.label(
        "Varje ändring sparas med namnet på den som gjorde den (historiken). \
         Skriv ditt namn som kollegorna känner igen det.",
    );
    ui.horizontal(|ui| {
        let label = ui.label("Ditt namn");
        let r = ui
            .add(egui::TextEdit::singleline(&mut draft.name).desired_width(260.0))
            .labelled_by(label.id);
        ids[0] = r.id;
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            done = true;
        }
    });
    if let Some(e) = &draft.error {
        ui.label(format!("Fel: {e}"));
    }
    ui.horizontal(|ui| {
        let save = ui.button("Spara namnet");
        ids[1] = save.id;
        if save.clicked() {
            done = true;
        }
        let avbryt = ui.button("Avbryt");
        ids[2] = avbryt.id;
        if avbryt.clicked() {
            cancel = true;
        }
    });
    (done, cancel, ids)
}

/// The name dialog: at the first start a small window beside the work,
/// which takes neither the keyboard nor the mouse (the login name is used
/// until a name is saved; closed unsaved, it is asked again next start);
/// from Arkiv → Inställningar… a dialog.
fn who_ui(ctx: &egui::Context, app: &mut App) {
    let Some(mut draft) = app.history.who.take() else {
        return;
    };
    let (done, cancel) = if draft.first {
        // Esc closes it as Avbryt does (the login name stays in use), when
        // the keyboard is in it or nowhere; Esc in a cell is the cell's.
        let escape = draft.keyboard_here
            && app.history.open.is_none()
            && app.dialog.is_none()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        let mut open = true;
        let shown = egui::Window::new("Vem arbetar här?")
            .id(egui::Id::unique("vem arbetar här"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-16.0, 48.0))
            .show(ctx, |ui| who_contents(ui, &mut draft))
            .and_then(|r| r.inner);
        let focused = ctx.memory(|m| m.focused());
        draft.keyboard_here = match (&shown, focused) {
            (_, None) => true,
            (Some((_, _, ids)), Some(f)) => ids.contains(&f),
            (None, Some(_)) => false,
        };
        let (done, cancel) = shown.map_or((false, false), |(d, c, _)| (d, c));
        (done, cancel || !open || escape)
    } else {
        let shown = egui::Modal::new(egui::Id::unique("inställningar")).show(ctx, |ui| {
            ui.heading("Inställningar");
            who_contents(ui, &mut draft)
        });
        let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
        (shown.inner.0, shown.inner.1 || escape)
    };
    if cancel {
        return;
    }
    if done {
        match check_user(&draft.name) {
            Ok(()) => {
                app.settings.user = Some(draft.name.trim().to_owned());
                apply_user(app);
                app.info = Some(format!(
                    "Ändringar sparas nu med namnet ”{}”.",
                    draft.name.trim()
                ));
                return;
            }
            Err(e) => draft.error = Some(e),
        }
    }
    app.history.who = Some(draft);
}
