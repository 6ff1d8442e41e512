//! Saving beside the window: the writer's answers are taken in every frame
//! (a failed save is put back and said), frames keep coming while saves are
//! out, and what must see every edit on disk first (closing, another file
//! or survey, an import, an export) waits for them, showing "Sparar …"
//! when that takes long.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::App;
use crate::export;
use crate::ui::document::SaveFailure;

/// How long an action waits for the edits sent to be written before it
/// shows "Sparar …" and waits beside the window instead.
pub const SHOW_SAVING_AFTER: Duration = Duration::from_millis(400);

/// An action waiting for every edit to be written.
#[derive(Clone, Debug)]
pub enum AfterSave {
    /// Close the window.
    Close,
    /// Open another database file.
    Open(PathBuf),
    /// Import a survey document (replacing the survey of that name).
    Import(PathBuf, bool),
    /// Export the survey.
    Export(export::Options, PathBuf),
    /// Open another survey of the file.
    Switch(String),
}

impl AfterSave {
    /// What the status bar says meanwhile.
    fn waiting(&self) -> String {
        match self {
            AfterSave::Close => "Sparar … (fönstret stängs när allt är sparat)".to_owned(),
            AfterSave::Open(path) => {
                format!("Sparar … ({} öppnas när allt är sparat)", path.display())
            }
            AfterSave::Import(path, _) => {
                format!(
                    "Sparar … ({} importeras när allt är sparat)",
                    path.display()
                )
            }
            AfterSave::Export(_, path) => format!(
                "Sparar … (exporten till {} görs när allt är sparat)",
                path.display()
            ),
            AfterSave::Switch(name) => {
                format!("Sparar … (”{name}” öppnas när allt är sparat)")
            }
        }
    }
}

/// Test hook: `MALGRUPP_SAVE_DELAY_MS` makes every save of the app wait
/// that long first (like `MALGRUPP_AUTOSAVE_SECS`), as on a slow network
/// folder, to try the window with slow saves.
pub(super) fn slow_disk_for_tests(doc: &crate::ui::document::Document) {
    let delay = std::env::var("MALGRUPP_SAVE_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(Duration::from_millis);
    if let Some(delay) = delay {
        doc.before_each_save(Some(std::sync::Arc::new(move || std::thread::sleep(delay))));
    }
}

impl App {
    /// Takes in the answers the writer has given: failures are shown, an
    /// action waiting for the saves runs once they are written, and while
    /// saves are out the window keeps drawing frames.
    pub(super) fn take_in_saves(&mut self, ctx: &egui::Context) {
        if let Some(doc) = &mut self.doc {
            doc.poll();
        }
        if self.report_save_failures() && matches!(self.after_save, Some(AfterSave::Close)) {
            // The user is to see what was taken back before the window goes.
            self.after_save = None;
        }
        if self.doc.as_ref().is_some_and(|d| d.saving() > 0) {
            // "Sparar …" stays true, and the answer is taken in even if the
            // writer's own call for a frame came between two.
            if self.repaint_while_saving.is_zero() {
                ctx.request_repaint();
            } else {
                ctx.request_repaint_after(self.repaint_while_saving);
            }
            return;
        }
        if let Some(then) = self.after_save.take() {
            match then {
                AfterSave::Close => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
                AfterSave::Open(path) => self.open_database(&path),
                AfterSave::Import(path, replace) => self.import_document(&path, replace),
                AfterSave::Export(options, path) => self.export_to(&options, &path),
                AfterSave::Switch(name) => self.switch_survey(&name),
            }
        }
    }

    /// Ends the edit being typed and waits for every edit to be written:
    /// whether `then` may go ahead now. When that takes long, `then` waits
    /// beside the window (with "Sparar …") and runs once all is written. A
    /// close does not go ahead after a failed save: its message is shown.
    pub(super) fn saved_first(&mut self, then: AfterSave) -> bool {
        self.finish_edit();
        let Some(doc) = &mut self.doc else {
            return true;
        };
        let done = doc.flush_until(Instant::now() + SHOW_SAVING_AFTER);
        let failed = self.report_save_failures();
        if !done {
            if !matches!(self.after_save, Some(AfterSave::Close)) {
                self.after_save = Some(then);
            }
            self.ctx.request_repaint();
            return false;
        }
        !(failed && matches!(then, AfterSave::Close))
    }

    /// Ends the edit being typed and waits until every edit is written.
    pub(super) fn flush_saves(&mut self) {
        self.finish_edit();
        if let Some(doc) = &mut self.doc {
            doc.flush();
        }
        self.report_save_failures();
    }

    /// Shows the saves that failed (the document has put them back);
    /// whether there were any.
    fn report_save_failures(&mut self) -> bool {
        let Some(doc) = &mut self.doc else {
            return false;
        };
        let failures = doc.take_failures();
        let any = !failures.is_empty();
        for failure in failures {
            self.save_failed(failure);
        }
        any
    }

    /// A save of what was typed was refused and the document took the edit
    /// back: the field drops what it showed (it shows the unit as saved
    /// again), the findings follow, and the reason is shown with its place.
    pub(super) fn save_failed(&mut self, failure: SaveFailure) {
        if self.selected == Some(failure.index) {
            self.form.forget_typing(&self.ctx);
        }
        self.review.invalidate();
        let later = match failure.later {
            0 => String::new(),
            1 => " (även den ändring i enheten som väntade på att sparas)".to_owned(),
            n => format!(" (även de {n} ändringar i enheten som väntade på att sparas)"),
        };
        self.error = Some(format!(
            "Ändringen av ”{}” kunde inte sparas och har tagits tillbaka{later}: {}",
            failure.unit, failure.error
        ));
        self.ctx.request_repaint();
    }

    /// "Sparar …" with what waits for it, while edits are being written.
    pub(super) fn saving_status(&self) -> Option<String> {
        if let Some(then) = &self.after_save {
            return Some(then.waiting());
        }
        let saving = self.doc.as_ref()?.saving();
        (saving > 0).then(|| "Sparar …".to_owned())
    }
}
