//! An export with small-number suppression runs beside the window (it can
//! take seconds on a large survey): a modal shows how far it has come and
//! can cancel it. The export works on a copy of the survey taken when it
//! started; a cancelled export writes nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::export::{self, Options};
use crate::model::{Analysis, Survey};
use crate::report::suppress::Progress;

/// A running export.
pub struct ExportJob {
    progress: Arc<Progress>,
    path: PathBuf,
    handle: JoinHandle<crate::error::Result<()>>,
}

/// How an export ended, in words for the status line.
pub enum Ended {
    /// Written; the news to show.
    Written(String),
    /// Cancelled by the user; the news to show.
    Cancelled(String),
    /// Failed; the message.
    Failed(String),
}

impl ExportJob {
    /// Starts writing `survey` to `path` on a thread of its own.
    pub fn start(survey: Survey, analysis: Analysis, options: Options, path: &Path) -> ExportJob {
        ExportJob::start_with(survey, analysis, options, path, Arc::new(Progress::new()))
    }

    /// [`ExportJob::start`] reporting to, and cancelled through, `progress`.
    pub fn start_with(
        survey: Survey,
        analysis: Analysis,
        options: Options,
        path: &Path,
        progress: Arc<Progress>,
    ) -> ExportJob {
        let (shared, target) = (Arc::clone(&progress), path.to_owned());
        let handle = std::thread::spawn(move || {
            export::write_with(&survey, &analysis, &options, &target, &shared)
        });
        ExportJob {
            progress,
            path: path.to_owned(),
            handle,
        }
    }

    /// Whether the export has ended (written, failed or cancelled).
    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the end (at once when [`ExportJob::is_finished`]).
    pub fn end(self) -> Ended {
        let shown = self.path.display();
        match self.handle.join() {
            Ok(Ok(())) => Ended::Written(format!("Exporterade till {shown}.")),
            Ok(Err(_)) if self.progress.is_cancelled() => {
                Ended::Cancelled(format!("Exporten till {shown} avbröts; ingen fil skrevs."))
            }
            Ok(Err(e)) => Ended::Failed(e.to_string()),
            Err(_) => Ended::Failed(format!(
                "{shown}: exporten avbröts av ett internt fel; ingen fil skrevs"
            )),
        }
    }
}

/// Draws the running export's progress with a button that cancels it.
pub fn export_job_ui(ctx: &egui::Context, job: &ExportJob) {
    egui::Modal::new(egui::Id::unique("export pågår")).show(ctx, |ui| {
        ui.heading("Exporterar");
        let (done, total) = job.progress.counts();
        if job.progress.is_cancelled() {
            ui.label("Avbryter …");
        } else {
            ui.label(format!(
                "Döljer små tal: {done} av {total} små tal skyddade. Exporten skrivs till {}.",
                job.path.display()
            ));
        }
        let fraction = if total > 0 {
            done as f32 / total as f32
        } else {
            0.0
        };
        ui.add(egui::ProgressBar::new(fraction).show_percentage());
        if ui.button("Avbryt").clicked() {
            job.progress.cancel();
        }
    });
    ctx.request_repaint_after(Duration::from_millis(100));
}
