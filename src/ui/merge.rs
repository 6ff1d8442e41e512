//! Arkiv → Slå samman med…: another file's units into the open survey.
//! Without conflicts it merges at once; with conflicts a window shows each
//! conflicting unit's two versions side by side, differing cells marked,
//! and the user picks a version per unit. One undo step either way.

use std::path::{Path, PathBuf};

use crate::Result;
use crate::model::Survey;
use crate::model::compare::{Line, side_by_side};
use crate::model::merge::{Pick, Plan, check_and_align, plan};
use crate::report::merge::{conflict_kind, conflict_order, conflict_unit};
use crate::store::Other;

use egui_extras::{Column, TableBuilder};

use super::document::Document;

/// A merge waiting for the user to settle its conflicts.
pub struct MergeState {
    /// The other file.
    pub path: PathBuf,
    /// This file's survey as stored when the merge was planned.
    pub mine: Survey,
    /// The other file's survey.
    pub theirs: Survey,
    /// What the merge does.
    pub plan: Plan,
    /// The conflicts by municipality, authority and unit.
    order: Vec<usize>,
    /// The version picked for each conflict, by index in `plan.conflicts`.
    pub picks: Vec<Option<Pick>>,
    /// The conflict shown (index in `plan.conflicts`).
    shown: usize,
    /// Show only the fields that differ.
    only_differences: bool,
    /// The shown conflict's lines, with the conflict they belong to.
    lines: Option<(usize, Vec<Line>)>,
    /// The open survey's revision in memory when planned: an edit made
    /// while the window is open means planning again.
    pub doc_revision: u64,
}

/// What the user chose in the merge window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeAction {
    /// Merge with the picks made.
    Merge,
    /// Close without merging.
    Cancel,
}

impl MergeState {
    /// Reads the other file and plans the merge into the open survey
    /// (this file's survey as stored, so unsaved typing is saved first by
    /// the caller). Refused when the frames differ.
    pub fn prepare(doc: &mut Document, path: &Path) -> Result<MergeState> {
        let name = doc.survey().frame.name.clone();
        let name = name.as_str();
        let mine = doc.store().load(name)?;
        let other = Other::read(path, name, doc.path())?;
        let mut theirs = other.survey;
        check_and_align(&mine.frame, &mut theirs, path)?;
        let mut plan = plan(&mine, &theirs);
        plan.keep_my_marks = other.is_document;
        let order = conflict_order(&mine, &theirs, &plan);
        Ok(MergeState {
            path: path.to_owned(),
            picks: vec![None; plan.conflicts.len()],
            shown: order.first().copied().unwrap_or(0),
            order,
            mine,
            theirs,
            plan,
            only_differences: false,
            lines: None,
            doc_revision: doc.revision(),
        })
    }

    /// The picks, when every conflict has one.
    pub fn all_picked(&self) -> Option<Vec<Pick>> {
        self.picks.iter().copied().collect()
    }

    /// "Kommun / Myndighet / Enhet" of conflict `i`.
    fn title(&self, i: usize) -> String {
        let c = &self.plan.conflicts[i];
        let u = conflict_unit(&self.mine, &self.theirs, c);
        format!(
            "{} / {} / {}",
            self.mine.place_name(&u.place),
            self.mine
                .frame
                .authorities
                .get(u.authority)
                .map_or("", String::as_str),
            u.name
        )
    }

    fn lines(&mut self) -> &[Line] {
        let i = self.shown;
        if self.lines.as_ref().is_none_or(|(j, _)| *j != i) {
            let c = self.plan.conflicts[i];
            let lines = side_by_side(
                &self.mine.frame,
                c.mine.map(|m| &self.mine.units[m]),
                c.theirs.map(|t| &self.theirs.units[t]),
            );
            self.lines = Some((i, lines));
        }
        self.lines.as_ref().map_or(&[], |(_, l)| l)
    }
}

/// The merge window; what the user chose, if anything this frame.
pub fn merge_ui(ctx: &egui::Context, state: &mut MergeState) -> Option<MergeAction> {
    let mut action = None;
    let (added, taken, deleted) = state.plan.counts();
    egui::Window::new("Slå samman")
        .collapsible(false)
        .default_size([1000.0, 640.0])
        .max_width((ctx.content_rect().width() - 40.0).max(400.0))
        .show(ctx, |ui| {
            ui.label(format!(
                "Från {}: {added} enheter läggs till, {taken} uppdateras och {deleted} tas bort utan att fråga. {} {} på båda håll sedan filerna senast delade dem: välj version för var och en.",
                state.path.display(),
                state.plan.conflicts.len(),
                if state.plan.conflicts.len() == 1 { "enhet är ändrad" } else { "enheter är ändrade" },
            ));
            ui.horizontal(|ui| {
                if ui.button("Behåll alla den här filens").clicked() {
                    state.picks.iter_mut().for_each(|p| *p = Some(Pick::Mine));
                }
                if ui.button("Ta alla den andra filens").clicked() {
                    state.picks.iter_mut().for_each(|p| *p = Some(Pick::Theirs));
                }
                ui.checkbox(&mut state.only_differences, "Visa bara det som skiljer");
            });
            ui.separator();
            egui::Panel::bottom("merge_buttons").show(ui, |ui| {
                ui.horizontal(|ui| {
                    let open = state.picks.iter().filter(|p| p.is_none()).count();
                    let ready = open == 0;
                    if ui
                        .add_enabled(ready, egui::Button::new("Slå samman"))
                        .clicked()
                    {
                        action = Some(MergeAction::Merge);
                    }
                    if ui.button("Avbryt").clicked() {
                        action = Some(MergeAction::Cancel);
                    }
                    if !ready {
                        ui.label(if open == 1 {
                            "1 enhet utan val".to_owned()
                        } else {
                            format!("{open} enheter utan val")
                        });
                    }
                });
            });
            egui::Panel::left("merge_conflicts")
                .resizable(true)
                .default_size(300.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        for k in 0..state.order.len() {
                            let i = state.order[k];
                            let mark = match state.picks[i] {
                                None => "○",
                                Some(Pick::Mine) => "● här",
                                Some(Pick::Theirs) => "● där",
                            };
                            let text = format!("{mark}  {}", state.title(i));
                            if ui.selectable_label(state.shown == i, text).clicked() {
                                state.shown = i;
                            }
                        }
                    });
                });
            conflict_ui(ui, state);
        });
    action
}

/// The shown conflict: its two versions side by side and the pick.
fn conflict_ui(ui: &mut egui::Ui, state: &mut MergeState) {
    let i = state.shown;
    let c = state.plan.conflicts[i];
    ui.heading(state.title(i));
    ui.label(conflict_kind(&c));
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut state.picks[i],
            Some(Pick::Mine),
            "Behåll den här filens",
        );
        ui.radio_value(
            &mut state.picks[i],
            Some(Pick::Theirs),
            "Ta den andra filens",
        );
    });
    let only = state.only_differences;
    let warn = ui.visuals().warn_fg_color;
    let lines: Vec<Line> = state
        .lines()
        .iter()
        .filter(|l| !only || l.differs())
        .cloned()
        .collect();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let value = |ui: &mut egui::Ui, text: &str, differs: bool| {
        let text = egui::RichText::new(text);
        let text = if differs {
            text.color(warn).strong()
        } else {
            text
        };
        ui.add(egui::Label::new(text).truncate());
    };
    TableBuilder::new(ui)
        .id_salt("merge_side_by_side")
        .striped(true)
        .column(Column::initial(300.0).at_least(160.0).clip(true))
        .column(Column::initial(300.0).at_least(120.0).clip(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(row_height, |mut h| {
            for title in ["Fält", "Den här filen", "Den andra filen"] {
                h.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, lines.len(), |mut row| {
                let line = &lines[row.index()];
                let differs = line.differs();
                row.col(|ui| {
                    if differs {
                        value(ui, &format!("≠ {}", line.field), true);
                    } else {
                        value(ui, &line.field, false);
                    }
                });
                row.col(|ui| value(ui, &line.mine, differs));
                row.col(|ui| value(ui, &line.theirs, differs));
            });
        });
}
