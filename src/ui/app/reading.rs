//! A file another window is writing, opened for reading, and read again.

use std::path::Path;

use super::*;

impl App {
    /// Opens `path` for reading only, beside the window that writes it.
    pub fn open_for_reading(&mut self, path: &Path) {
        self.busy_offer = None;
        self.error = None;
        self.finish_edit();
        let previous = self.take_store();
        match Store::open(path, store::Access::ReadOnly) {
            Ok(store) => {
                self.settings.recent.retain(|p| p != path);
                self.settings.recent.insert(0, path.to_owned());
                self.settings.recent.truncate(RECENT_MAX);
                self.info = Some(format!(
                    "{} är öppen för skrivning i ett annat fönster: öppnad endast för läsning. \
                     Läs om (F5) visar det som sparats där sedan dess.",
                    path.display()
                ));
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

    /// Reads the open file again (it is open for reading only, and another
    /// window may have saved since), keeping the survey and unit shown.
    pub fn reload(&mut self) {
        let Some(path) = self.db_path().map(Path::to_owned) else {
            return;
        };
        let (selected, view) = (self.selected, self.view);
        self.take_store();
        match Store::open(&path, store::Access::ReadOnly) {
            Ok(store) => {
                let name = self.settings.survey.clone();
                self.open_survey_in(store, name.as_deref());
                if let Some(doc) = &self.doc {
                    let n = doc.survey().units.len();
                    self.selected = selected
                        .map(|s| s.min(n.saturating_sub(1)))
                        .filter(|_| n > 0);
                }
                self.view = view;
                self.review.invalidate();
                self.info = Some(format!("Läste om {}.", path.display()));
            }
            Err(e) => self.error = Some(format!("Kunde inte läsa om {}: {e}", path.display())),
        }
    }
}
