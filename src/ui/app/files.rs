//! File dialogs, imports, exports and response forms.

use std::path::{Path, PathBuf};

use super::saving::AfterSave;
use super::{App, Change, Dialog};
use crate::export;
use crate::ui::path_entry::{self, PathPurpose};

impl App {
    /// A save dialog for an export (or, without one, the path field); the
    /// chosen file.
    pub fn save_dialog(&mut self, options: &export::Options) -> Option<PathBuf> {
        let doc = self.doc.as_ref()?;
        let name = format!("{}.{}", doc.survey().frame.name, options.format.extension());
        path_entry::choose(self, PathPurpose::Export(*options), &name)
    }

    /// Writes an export of the open survey.
    pub fn export_to(&mut self, options: &export::Options, path: &Path) {
        if !self.saved_first(AfterSave::Export(*options, path.to_owned())) {
            return;
        }
        let Some(doc) = &mut self.doc else { return };
        if options.suppress.is_some() {
            // Suppression can take seconds: beside the window, cancellable.
            self.export_job = Some(crate::ui::export_job::ExportJob::start(
                doc.survey().clone(),
                doc.analysis().clone(),
                *options,
                path,
            ));
            return;
        }
        // The document carries each unit's revisions for merging: read them
        // as the file has them now (memory keeps those of when it was opened).
        let name = doc.survey().frame.name.clone();
        let stored =
            (options.format == export::ExportFormat::Json).then(|| doc.store().load(&name));
        let survey = match &stored {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                self.error = Some(e.to_string());
                return;
            }
            None => doc.survey(),
        };
        match export::write(survey, doc.analysis(), options, path) {
            Ok(()) => self.info = Some(format!("Exporterade till {}.", path.display())),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Shows a running export; takes in its end.
    pub(super) fn export_job_ui(&mut self, ctx: &egui::Context) {
        use crate::ui::export_job::{Ended, export_job_ui};
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
    pub(super) fn write_form(&mut self, prefill: bool) {
        self.finish_edit();
        let (Some(doc), Some(u)) = (&self.doc, self.selected) else {
            return;
        };
        let name = format!("Svarsformulär {}.xlsx", doc.survey().units[u].name);
        path_entry::choose_and_use(self, PathPurpose::WriteForm(prefill), &name);
    }

    /// Writes a response form for the selected unit to `path`: empty, or
    /// pre-filled with its current answers.
    pub fn write_form_to(&mut self, path: &Path, prefill: bool) {
        let (Some(doc), Some(u)) = (&self.doc, self.selected) else {
            return;
        };
        let unit = &doc.survey().units[u];
        let fits = if prefill {
            export::form::prefill_fits(doc.survey(), unit)
                .map_err(|m| crate::error::Error::at(path.display().to_string(), m))
        } else {
            Ok(())
        };
        let result = fits
            .and_then(|()| {
                export::form::workbook(doc.survey(), unit, 15, prefill)
                    .map_err(|e| export::workbook_error(path, &e))
            })
            .and_then(|bytes| export::write_atomic(path, |w| w.write_all(&bytes)));
        match result {
            Ok(()) => self.info = Some(format!("Skrev svarsformuläret till {}.", path.display())),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Reads a filled-in response form into the selected unit, as one
    /// undoable edit.
    pub(super) fn read_form(&mut self) {
        self.finish_edit();
        path_entry::choose_and_use(self, PathPurpose::ReadForm, "");
    }

    /// Reads the form at `path` into the selected unit (all or nothing).
    pub fn read_form_from(&mut self, path: &Path) {
        let (Some(doc), Some(u)) = (&mut self.doc, self.selected) else {
            return;
        };
        let result = crate::import::form::read_form(path, doc.survey(), u).and_then(|read| {
            let before = Box::new(doc.survey().units[u].clone());
            doc.apply_as(
                Change::Unit {
                    index: u,
                    before,
                    after: Box::new(read.unit),
                },
                "läs in svarsformulär",
                crate::model::history::How::ImportForm,
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
        if !self.saved_first(AfterSave::Import(path.to_owned(), replace)) {
            return;
        }
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
}
