//! Where no file dialog can be shown (no xdg-desktop-portal or zenity on a
//! Linux desktop), the file's path is typed into the app itself rather than
//! the surveyor being sent to the command line.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::export::Options;

/// A file dialog that comes back sooner than this without a file was not
/// shown at all: no person cancels that fast.
pub const NO_DIALOG_WITHIN: Duration = Duration::from_millis(400);

/// What the typed path is for.
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
}

impl PathPurpose {
    /// The dialog's heading.
    fn heading(self) -> &'static str {
        match self {
            PathPurpose::OpenDatabase => "Öppna databas",
            PathPurpose::ImportDocument => "Importera kartläggning",
            PathPurpose::Export(_) => "Exportera till fil",
            PathPurpose::WriteForm(_) => "Spara svarsformulär",
            PathPurpose::ReadForm => "Läs in ifyllt svarsformulär",
            PathPurpose::MergeFile => "Slå samman med",
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
    focused: bool,
}

impl PathDraft {
    /// An empty path for `purpose`, or `suggested` (a file name) filled in.
    pub fn new(purpose: PathPurpose, suggested: &str) -> PathDraft {
        PathDraft {
            purpose,
            text: suggested.to_owned(),
            error: None,
            focused: false,
        }
    }

    /// The path, or why it cannot be used (Swedish, naming the file).
    pub fn path(&self) -> Result<PathBuf, String> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err("Skriv filens sökväg, t.ex. C:\\Users\\namn\\Dokument\\fil.".to_owned());
        }
        let path = PathBuf::from(text);
        if self.purpose.reads() && !path.is_file() {
            return Err(format!("{}: filen finns inte.", path.display()));
        }
        if !self.purpose.reads()
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(format!("{}: mappen finns inte.", dir.display()));
        }
        Ok(path)
    }
}

/// Whether a file dialog that returned nothing after `since` was never
/// shown.
pub fn dialog_missing(since: Instant) -> bool {
    since.elapsed() < NO_DIALOG_WITHIN
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
    egui::Modal::new(egui::Id::unique("sökväg")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(draft.purpose.heading());
        ui.label("Ingen fildialog kunde visas (på Linux behövs xdg-desktop-portal eller zenity). Skriv filens sökväg här i stället.");
        let label = ui.label("Sökväg");
        let field = ui
            .add(egui::TextEdit::singleline(&mut draft.text).desired_width(520.0))
            .labelled_by(label.id);
        if !std::mem::replace(&mut draft.focused, true) {
            field.request_focus();
        }
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            go = true;
        }
        if let Some(e) = &draft.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            go |= ui.button("OK").clicked();
            cancel |= ui.button("Avbryt").clicked();
        });
    });
    if cancel {
        return true;
    }
    if !go {
        return false;
    }
    let path = match draft.path() {
        Ok(p) => p,
        Err(e) => {
            draft.error = Some(e);
            return false;
        }
    };
    match draft.purpose {
        PathPurpose::OpenDatabase => app.open_database(&path),
        PathPurpose::ImportDocument => app.import_document(&path, false),
        PathPurpose::Export(options) => app.export_to(&options, &path),
        PathPurpose::WriteForm(prefill) => app.write_form_to(&path, prefill),
        PathPurpose::ReadForm => app.read_form_from(&path),
        PathPurpose::MergeFile => app.merge_from(&path),
    }
    true
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
}
