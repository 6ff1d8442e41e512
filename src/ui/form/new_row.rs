//! The empty row under the last group, where Ctrl+G's new group would go:
//! Tab from the last row's last number lands in its label field, and
//! typing a name there makes the group. A typist who Tabs on without
//! typing leaves no empty group behind.

use egui::RichText;

use super::{Edit, FormState, TextField};
use crate::model::Unit;
use crate::model::edit;

/// The new-row field of unit `u` with `n` groups, `width` wide. Its id is
/// the label id the new group gets ([`super::keys::label_id`]), so the
/// focus and the cursor stay put when the group is made and the next keys
/// go on into its label.
pub(super) fn new_row_ui(
    ui: &mut egui::Ui,
    st: &mut FormState,
    u: usize,
    unit: &Unit,
    width: f32,
    edits: &mut Vec<Edit>,
) {
    let n = unit.groups.len();
    let id = super::keys::label_id(u, n);
    let mut text = std::mem::take(&mut st.new_row);
    let response = egui::TextEdit::singleline(&mut text)
        .id(id)
        .hint_text(RichText::new("+ ny målgrupp").italics())
        .desired_width(width)
        .min_size(egui::vec2(width, 0.0))
        .show(ui)
        .response
        .response
        .accessible_name(NAME)
        .on_hover_text("Skriv en ny målgrupps namn här för att lägga till raden (eller Ctrl+G).");
    // Enter moves on from here as from the other fields.
    st.drawn_fields.insert(id);
    if response.gained_focus() {
        let margin = super::fields::sticky_margin(st);
        ui.scroll_to_rect(response.rect.expand2(egui::vec2(8.0, margin)), None);
    }
    if response.changed() && !text.trim().is_empty() {
        match edit::check_text(unit, TextField::Label(n), &text) {
            Ok(()) => {
                if st.refused.as_ref().is_some_and(|(r, _)| *r == id) {
                    st.refused = None;
                }
                edits.push(Edit::AddNamedGroup(std::mem::take(&mut text)));
            }
            Err(message) => st.refused = Some((id, format!("{NAME}: {message}"))),
        }
    }
    if response.lost_focus() {
        // Nothing half-typed stays behind in the empty row.
        text.clear();
        if st.refused.as_ref().is_some_and(|(r, _)| *r == id) {
            st.refused = None;
        }
    }
    st.new_row = text;
}

/// The new-row field's accessible name.
pub const NAME: &str = "Ny rad, Målgrupp";
