//! Arkiv → Slå samman med…: merging another file into the open survey.

use std::path::Path;

use super::App;

impl App {
    /// Merges another file into the open survey: at once when nothing
    /// conflicts, else through the merge window (one undo step).
    pub fn merge_from(&mut self, path: &Path) {
        self.finish_edit();
        let Some(doc) = &mut self.doc else { return };
        let state = match doc
            .commit()
            .and_then(|()| crate::ui::merge::MergeState::prepare(doc, path))
        {
            Ok(state) => state,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        if state.plan.is_empty() {
            self.info = Some(format!(
                "Inget nytt i {}: allt därifrån finns redan här.",
                path.display()
            ));
        } else if state.plan.conflicts.is_empty() {
            self.finish_merge(state, Vec::new());
        } else {
            self.merge = Some(state);
        }
    }

    /// Writes a planned merge with the picks made.
    pub(super) fn finish_merge(
        &mut self,
        state: crate::ui::merge::MergeState,
        picks: Vec<crate::model::merge::Pick>,
    ) {
        let Some(doc) = &mut self.doc else { return };
        if doc.revision() != state.doc_revision {
            // Edited while the window was open: the plan is out of date.
            self.info = Some(
                "Kartläggningen ändrades medan sammanslagningen var öppen; jämför på nytt."
                    .to_owned(),
            );
            let path = state.path.clone();
            self.merge_from(&path);
            return;
        }
        let (added, taken, deleted) = state.plan.counts();
        let conflicts = state.plan.conflicts.len();
        let learned = crate::report::merge::learned(&state.plan);
        let only_learned = state.plan.changes.is_empty() && conflicts == 0;
        match doc.merge(state.mine, &state.theirs, &state.plan, &picks) {
            Ok(_) => {
                self.info = Some(match learned {
                    Some(learned) if only_learned => format!(
                        "Inga enheter ändrades av {}; {learned}.",
                        state.path.display()
                    ),
                    learned => format!(
                        "Slog samman med {}: {added} tillagda, {taken} uppdaterade, {deleted} borttagna enheter, {conflicts} konflikter lösta.{}",
                        state.path.display(),
                        learned.map(|l| format!(" {l}.")).unwrap_or_default()
                    ),
                });
                self.selected = self.selected.filter(|&u| u < doc.survey().units.len());
                self.review.invalidate();
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The merge window while a merge waits for its conflicts.
    pub(super) fn merge_window(&mut self, ctx: &egui::Context) {
        use crate::ui::merge::{MergeAction, merge_ui};
        let Some(state) = &mut self.merge else { return };
        match merge_ui(ctx, state) {
            Some(MergeAction::Cancel) => {
                self.merge = None;
                self.info = Some("Sammanslagningen avbröts; inget är ändrat.".to_owned());
            }
            Some(MergeAction::Merge) => {
                if let Some(state) = self.merge.take()
                    && let Some(picks) = state.all_picked()
                {
                    self.finish_merge(state, picks);
                }
            }
            None => {}
        }
    }
}
