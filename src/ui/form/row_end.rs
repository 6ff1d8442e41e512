//! The end of a group's row in the grid: a small menu button with the
//! row's rarer actions (move, own table, delete), then the row's findings
//! in words, cut to the width that is left with the whole of them on
//! hover. So the 2005 frame's row fits a 1366 pixel screen beside the unit
//! list, and the findings are listed in full under the grid as well.

use egui::text::LayoutJob;
use egui::{Align, Layout, TextFormat};

use super::Edit;
use crate::model::Unit;
use crate::model::check::Finding;
use crate::ui::colours;

/// The least width of the Kontroll column: the menu button and a few words.
pub(super) const CHECK_MIN_WIDTH: f32 = 100.0;

/// The menu of a row's rarer actions, on a button that is clicked (no Tab
/// stop, so one Enter too many never reaches "Ta bort").
fn row_menu_ui(ui: &mut egui::Ui, g: usize, n_groups: usize, rank: u32, edits: &mut Vec<Edit>) {
    let button = ui
        .add(egui::Button::new("⋯").small().sense(egui::Sense::CLICK))
        .on_hover_text("Flytta, egen tabell, ta bort")
        .accessible_name(format!("Rang {rank}, Mer"));
    egui::Popup::menu(&button).show(|ui| {
        let item = |ui: &mut egui::Ui, enabled: bool, text: &str| {
            ui.add_enabled(enabled, egui::Button::new(text).sense(egui::Sense::CLICK))
                .clicked()
        };
        if item(ui, g > 0, "↑ Flytta upp") {
            edits.push(Edit::MoveGroup(g, g - 1));
        }
        if item(ui, g + 1 < n_groups, "↓ Flytta ned") {
            edits.push(Edit::MoveGroup(g, g + 1));
        }
        if item(ui, true, "+ Egen tabell till raden") {
            edits.push(Edit::AddTable(g));
        }
        ui.separator();
        if item(ui, true, "Ta bort målgruppen (kan ångras)") {
            edits.push(Edit::RemoveGroup(g));
        }
    });
}

/// The total row's menu: its one action, taking the row away.
pub(super) fn total_row_menu_ui(ui: &mut egui::Ui, edits: &mut Vec<Edit>) {
    let button = ui
        .add(egui::Button::new("⋯").small().sense(egui::Sense::CLICK))
        .on_hover_text("Ta bort totalraden")
        .accessible_name("Totalraden, Mer");
    egui::Popup::menu(&button).show(|ui| {
        if ui
            .add(egui::Button::new("Ta bort totalraden (kan ångras)").sense(egui::Sense::CLICK))
            .clicked()
        {
            edits.push(Edit::RemoveTotalRow);
        }
    });
}

/// The Kontroll cell of group `g`: the menu, then the row's findings, each
/// in its colour (✔ when reviewed), cut to the cell with "…".
#[allow(clippy::too_many_arguments)]
pub(super) fn row_end_ui(
    ui: &mut egui::Ui,
    survey: &crate::model::Survey,
    unit: &Unit,
    g: usize,
    findings: &[Finding],
    dark: bool,
    edits: &mut Vec<Edit>,
) {
    let rank = unit.groups[g].rank;
    let width = ui.available_width().max(CHECK_MIN_WIDTH);
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.set_width(width);
            row_menu_ui(ui, g, unit.groups.len(), rank, edits);
            let mine: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.group == Some(g as u32))
                .collect();
            if mine.is_empty() {
                return;
            }
            let font = egui::TextStyle::Body.resolve(ui.style());
            let mut job = LayoutJob::default();
            let mut whole = Vec::new();
            for (i, f) in mine.iter().enumerate() {
                let reviewed = unit.review_of(f).is_some();
                let colour = if reviewed {
                    colours::reviewed(dark)
                } else {
                    colours::of(f.kind, dark)
                };
                let text = format!("{}{}", if reviewed { "✔ " } else { "" }, f.message(survey));
                if i > 0 {
                    job.append("; ", 0.0, TextFormat::simple(font.clone(), colour));
                }
                job.append(&text, 0.0, TextFormat::simple(font.clone(), colour));
                whole.push(text);
            }
            let whole = whole.join("\n");
            ui.add(egui::Label::new(job).truncate())
                .on_hover_text(&whole)
                .accessible_name(format!(
                    "Rang {rank}, Kontroll: {}",
                    whole.replace('\n', "; ")
                ));
        },
    );
}
