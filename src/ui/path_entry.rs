//! Choosing a file, the one way the whole app does it: the system's file
//! dialog where there is one, else (no xdg-desktop-portal or zenity on a
//! Linux desktop) the file's path typed into the app itself rather than
//! the surveyor being sent to the command line. The example's place is
//! always typed here, with the file dialog one button away.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::dialogs::Dialog;
use crate::export::Options;
use crate::report::chart::{ChartKind, ImageFormat};

/// A file dialog that comes back sooner than this without a file was not
/// shown at all: no person cancels that fast.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// What the chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open a database file.
    OpenDatabase,
    /// Import a survey document.
    ImportDocument,
    /// Write an export with these choices.
    Export(Options),
    /// Write a response form for the selected unit (pre-filled: `true`).
    WriteForm(bool),
    /// Read a filled-in response form into the selected unit.
    ReadForm,
    /// Merge another database or survey document into the open survey.
    MergeFile,
    /// Save the chart of this kind as PNG or SVG.
    SaveChart(ChartKind, ImageFormat),
    /// Where Öppna exempel puts the example's database (ui/example.rs).
    Example,
}

impl PathPurpose {
    /// The dialog's heading (and the file dialog's title).
    fn heading(self) -> &'static str {
        match self {
            PathPurpose::OpenDatabase => "Öppna databas",
            PathPurpose::ImportDocument => "Importera kartläggning",
            PathPurpose::Export(_) => "Exportera till fil",
            PathPurpose::WriteForm(_) => "Spara svarsformulär",
            PathPurpose::ReadForm => "Läs in ifyllt svarsformulär",
            PathPurpose::MergeFile => "Slå samman med",
            PathPurpose::SaveChart(..) => "Spara diagram",
            PathPurpose::Example => "Öppna exempel",
        }
    }

    /// Whether the file must exist already.
    fn reads(self) -> bool {
        matches!(
            self,
            PathPurpose::OpenDatabase
                | PathPurpose::ImportDocument
                | PathPurpose::ReadForm
                | PathPurpose::MergeFile
        )
    }

    /// The file types offered in the file dialog: name and endings.
    fn filter(self) -> (&'static str, Vec<&'static str>) {
        match self {
            PathPurpose::OpenDatabase | PathPurpose::Example => ("Databas", vec!["sqlite", "db"]),
            PathPurpose::ImportDocument => ("Kartläggning (JSON)", vec!["json"]),
            PathPurpose::Export(o) => (o.format.name_sv(), vec![o.format.extension()]),
            PathPurpose::WriteForm(_) | PathPurpose::ReadForm => ("Excel", vec!["xlsx"]),
            PathPurpose::MergeFile => ("Databas eller kartläggning", vec!["sqlite", "db", "json"]),
            PathPurpose::SaveChart(_, ImageFormat::Png) => ("PNG", vec!["png"]),
            PathPurpose::SaveChart(_, ImageFormat::Svg) => ("SVG", vec!["svg"]),
        }
    }

    /// The system's file dialog for this purpose, `suggested` filled in.
    fn file_dialog(self, suggested: &str) -> rfd::FileDialog {
        let (name, endings) = self.filter();
        let mut dialog = rfd::FileDialog::new()
            .set_title(self.heading())
            .add_filter(name, &endings);
        let suggested = Path::new(suggested);
        let dir = if suggested.is_dir() {
            Some(suggested)
        } else {
            suggested.parent().filter(|d| d.is_dir())
        };
        if let Some(dir) = dir {
            dialog = dialog.set_directory(dir);
        }
        if !self.reads()
            && let Some(file) = suggested.file_name()
        {
            dialog = dialog.set_file_name(file.to_string_lossy());
        }
        dialog
    }
}

/// The path being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathDraft {
    /// What it is for.
    pub purpose: PathPurpose,
    /// The path as typed.
    pub text: String,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// An existing file the user was told of: the next Enter replaces it.
    replace: Option<PathBuf>,
    focused: bool,
}

impl PathDraft {
    /// An empty path for `purpose`, or `suggested` filled in.
    pub fn new(purpose: PathPurpose, suggested: &str) -> PathDraft {
        PathDraft {
            purpose,
            text: suggested.to_owned(),
            error: None,
            replace: None,
            focused: false,
        }
    }

    /// The path, or why it cannot be used (Swedish, naming the file). The
    /// example checks its own folder (its default one is made).
    pub fn path(&self) -> Result<PathBuf, String> {
        let text = unquoted(&self.text);
        if text.is_empty() {
            return Err("Skriv filens sökväg, t.ex. C:\\Users\\namn\\Dokument\\fil.".to_owned());
        }
        let path = PathBuf::from(text);
        if self.purpose.reads() && !path.is_file() {
            return Err(format!("{}: filen finns inte.", path.display()));
        }
        if !self.purpose.reads()
            && self.purpose != PathPurpose::Example
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(format!("{}: mappen finns inte.", dir.display()));
        }
        Ok(path)
    }

    /// The path, refused where the file may not be written (the checks
    /// every output goes through: no database, no folder, no read-only
    /// file), and an existing file only once the user was told.
    fn checked(&mut self) -> Result<PathBuf, String> {
        let path = self.path()?;
        if self.purpose.reads() || self.purpose == PathPurpose::Example {
            return Ok(path);
        }
        crate::export::output_target(&path).map_err(|e| e.to_string())?;
        if path.exists() && self.replace.as_deref() != Some(path.as_path()) {
            self.replace = Some(path.clone());
            return Err(format!(
                "{} finns redan. Tryck Enter igen (eller {}) för att ersätta den.",
                path.display(),
                self.go_label()
            ));
        }
        Ok(path)
    }

    /// The text on the button that uses the path.
    fn go_label(&self) -> &'static str {
        match self.purpose {
            PathPurpose::Example => "Skapa och öppna",
            _ => "OK",
        }
    }
}

/// The path in what was typed or pasted: without the quotes Windows'
/// "Kopiera som sökväg" puts around it, a `file://` address (pasted from a
/// Linux file manager) as the path it names.
fn unquoted(text: &str) -> String {
    let text = text.trim();
    let text = ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
        .unwrap_or(text)
        .trim();
    match text.strip_prefix("file://") {
        Some(rest) => percent_decoded(rest),
        None => text.to_owned(),
    }
}

/// `%C3%A5` and the like as the characters they stand for; anything that
/// does not decode is kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Whether a file dialog that returned nothing after `since` was never
/// shown.
pub fn dialog_missing(since: Instant) -> bool {
    since.elapsed() < NO_DIALOG_WITHIN
}

/// What the path field starts with: a file to write as `name` in the open
/// database's folder (a file name alone would land in the program's
/// folder); a file to read, nothing (what is typed is the whole path).
fn suggestion(app: &super::App, purpose: PathPurpose, name: &str) -> String {
    match app.db_path().and_then(Path::parent) {
        Some(dir)
            if !purpose.reads()
                && !name.is_empty()
                && !dir.as_os_str().is_empty()
                && Path::new(name).is_relative() =>
        {
            dir.join(name).display().to_string()
        }
        _ => name.to_owned(),
    }
}

/// Asks for a file for `purpose` in the system's file dialog, `name`
/// suggested. Where no dialog could be shown, the path field opens
/// instead (and uses the path itself); `None` then, as when cancelled.
pub fn choose(app: &mut super::App, purpose: PathPurpose, name: &str) -> Option<PathBuf> {
    let suggested = suggestion(app, purpose, name);
    let dialog = purpose.file_dialog(&suggested);
    let since = Instant::now();
    let picked = if purpose.reads() {
        dialog.pick_file()
    } else {
        dialog.save_file()
    };
    if picked.is_none() && dialog_missing(since) {
        app.dialog = Some(Dialog::Path(Box::new(PathDraft::new(purpose, &suggested))));
    }
    picked
}

/// [`choose`], then does what the file was chosen for.
pub fn choose_and_use(app: &mut super::App, purpose: PathPurpose, name: &str) {
    if let Some(path) = choose(app, purpose, name)
        && let Err(e) = use_path(app, purpose, &path)
    {
        app.error = Some(e);
    }
}

/// Does what the file was chosen for. The example's refusals come back
/// (the dialog shows them and stays); the others show their own.
fn use_path(app: &mut super::App, purpose: PathPurpose, path: &Path) -> Result<(), String> {
    match purpose {
        PathPurpose::OpenDatabase => app.open_database(path),
        PathPurpose::ImportDocument => app.import_document(path, false),
        PathPurpose::Export(options) => app.export_to(&options, path),
        PathPurpose::WriteForm(prefill) => app.write_form_to(path, prefill),
        PathPurpose::ReadForm => app.read_form_from(path),
        PathPurpose::MergeFile => app.merge_from(path),
        PathPurpose::SaveChart(kind, format) => {
            super::charts::save_chart_to(app, kind, format, path)
        }
        PathPurpose::Example => return app.open_example_at(path),
    }
    Ok(())
}

/// The explanation above the path field.
fn intro(purpose: PathPurpose) -> &'static str {
    match purpose {
        PathPurpose::Example => {
            "Exemplet, Norra länsdelens kartläggning från 2005 som följer med programmet, läggs i en egen databas och öppnas. Finns exemplet redan i filen öppnas det som du lämnade det; en annan fil skrivs aldrig över."
        }
        _ => {
            "Ingen fildialog kunde visas (på Linux behövs xdg-desktop-portal eller zenity). Skriv filens sökväg här i stället."
        }
    }
}

/// Draws the dialog; `true` when it is done (the file used, or cancelled).
pub fn path_entry_ui(
    ctx: &egui::Context,
    app: &mut super::App,
    draft: &mut PathDraft,
    escape: bool,
) -> bool {
    let mut go = false;
    let mut cancel = escape;
    let mut browse = false;
    egui::Modal::new(egui::Id::unique("sökväg")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(draft.purpose.heading());
        ui.label(intro(draft.purpose));
        let label = ui.label("Sökväg");
        let before = draft.text.clone();
        let mut output = egui::TextEdit::singleline(&mut draft.text)
            .desired_width(520.0)
            .show(ui);
        let field = output.response.response.clone().labelled_by(label.id);
        // A file dropped onto the window is the path.
        if let Some(path) = ui.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned())) {
            draft.text = path.display().to_string();
        }
        if draft.text != before {
            draft.replace = None;
        }
        if !std::mem::replace(&mut draft.focused, true) {
            field.request_focus();
            // The suggestion selected, as in a save dialog: typing replaces
            // it, an arrow key keeps it to change.
            let all = egui::text::CCursorRange::two(
                egui::text::CCursor::new(0),
                egui::text::CCursor::new(draft.text.chars().count()),
            );
            output.state.cursor.set_char_range(Some(all));
            output.state.store(ui.ctx(), field.id);
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            go = true;
        }
        if let Some(e) = &draft.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            go |= ui.button(draft.go_label()).clicked();
            if draft.purpose == PathPurpose::Example {
                browse = ui
                    .button("Välj plats…")
                    .on_hover_text("Välj mapp och filnamn i systemets fildialog")
                    .clicked();
            }
            cancel |= ui.button("Avbryt").clicked();
            ui.weak(format!(
                "Enter: {} · Esc: avbryt",
                draft.go_label().to_lowercase()
            ));
        });
    });
    if cancel {
        return true;
    }
    if browse {
        let dialog = draft.purpose.file_dialog(draft.text.trim());
        let since = Instant::now();
        match dialog.save_file() {
            Some(path) => {
                draft.text = path.display().to_string();
                go = true;
            }
            None if dialog_missing(since) => {
                draft.error =
                    Some("Ingen fildialog kunde visas: skriv sökvägen i fältet.".to_owned());
                draft.focused = false;
            }
            None => {}
        }
    }
    if !go {
        return false;
    }
    let path = match draft.checked() {
        Ok(p) => p,
        Err(e) => {
            draft.error = Some(e);
            draft.focused = false;
            return false;
        }
    };
    match use_path(app, draft.purpose, &path) {
        Ok(()) => true,
        Err(e) => {
            draft.error = Some(e);
            draft.focused = false;
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_must_be_given_and_a_file_to_read_must_exist() {
        let mut d = PathDraft::new(PathPurpose::OpenDatabase, "");
        assert!(d.path().unwrap_err().starts_with("Skriv filens sökväg"));
        d.text = "/finns/inte.sqlite".into();
        assert_eq!(
            d.path().unwrap_err(),
            "/finns/inte.sqlite: filen finns inte."
        );
        let mut w = PathDraft::new(PathPurpose::WriteForm(false), "/finns/inte/f.xlsx");
        assert_eq!(w.path().unwrap_err(), "/finns/inte: mappen finns inte.");
        w.text = "f.xlsx".into();
        assert_eq!(w.path().unwrap(), PathBuf::from("f.xlsx"));
    }

    #[test]
    fn a_pasted_path_loses_its_quotes_and_a_file_address_is_read() {
        let typed = |t: &str| PathDraft::new(PathPurpose::WriteForm(false), t).path();
        assert_eq!(
            typed(" \"C:\\Users\\Åsa\\Mina filer\\f.xlsx\" ").unwrap(),
            PathBuf::from("C:\\Users\\Åsa\\Mina filer\\f.xlsx")
        );
        assert_eq!(typed("'f.xlsx'").unwrap(), PathBuf::from("f.xlsx"));
        assert_eq!(
            typed("file:///tmp/Mina%20filer%20%C3%A5%C3%A4%C3%B6.xlsx").unwrap(),
            PathBuf::from("/tmp/Mina filer åäö.xlsx")
        );
        assert_eq!(percent_decoded("100%-ig"), "100%-ig");
        assert_eq!(percent_decoded("%ff"), "%ff");
    }
}
