//! The unit's findings under its form, each with its review mark.

use egui::RichText;

use super::Edit;
use crate::model::Unit;
use crate::model::check::{Finding, Subject};
use crate::ui::colours;

#[allow(clippy::too_many_arguments)]
pub(super) fn findings_list(
    ui: &mut egui::Ui,
    survey: &crate::model::Survey,
    unit: &Unit,
    findings: &[Finding],
    comment: &mut String,
    edits: &mut Vec<Edit>,
    dark: bool,
) {
    ui.strong(format!("Fynd i enheten ({})", findings.len()));
    if findings.is_empty() {
        ui.label("Inga fynd: alla uppdelningar stämmer.");
        return;
    }
    crate::ui::review::comment_field(ui, comment);
    egui::Grid::new("enhetens fynd")
        .striped(true)
        .show(ui, |ui| {
            for f in findings {
                let where_ = match f.group {
                    Some(g) => format!("Rang {}", unit.groups[g as usize].rank),
                    None if f.subject == Subject::Unit => "Enheten".to_owned(),
                    None => "Totalraden".to_owned(),
                };
                ui.label(where_);
                let review = unit.review_of(f);
                let colour = if review.is_some() {
                    colours::reviewed(dark)
                } else {
                    colours::of(f.kind, dark)
                };
                ui.label(RichText::new(f.message(survey)).color(colour));
                match review {
                    Some(r) => {
                        ui.label(
                            RichText::new(format!("✔ granskat: {}", r.comment))
                                .color(colours::reviewed(dark)),
                        );
                        if ui.small_button("Ångra granskning").clicked() {
                            edits.push(Edit::Unreview(*f));
                        }
                    }
                    None => {
                        ui.label("");
                        if ui.small_button("Markera som granskat").clicked() {
                            edits.push(Edit::Review(*f, comment.trim().to_owned()));
                        }
                    }
                }
                ui.end_row();
            }
        });
}
