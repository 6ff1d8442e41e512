//! The form's fields: text fields checked as they are typed, and number
//! cells that take digits, nothing or an estimate.

use egui::{Id, RichText};

use super::{Edit, FormState, Target, TextField, TextRefused, Typing, get_target};
use crate::model::Unit;
use crate::model::check::Kind;
use crate::model::edit;
use crate::model::entry;
use crate::ui::colours;

/// A single-line text field bound to a unit's text; Enter moves on.
#[allow(clippy::too_many_arguments)]
pub(super) fn line(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    width: f32,
    field: TextField,
    edits: &mut Vec<Edit>,
) -> egui::Response {
    st.drawn_fields.insert(id);
    text_field(ui, st, unit, id, text, name, Some(width), field, edits)
}

/// A multi-line text field bound to a unit's text.
#[allow(clippy::too_many_arguments)]
pub(super) fn area(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    field: TextField,
    edits: &mut Vec<Edit>,
) {
    text_field(ui, st, unit, id, text, name, None, field, edits);
}

/// A text field (one line of `width`, or several lines) checked as it is
/// typed by the rules every way in obeys ([`edit::check_text`]): refused
/// text stays in the field with the reason under it and is not saved; when
/// the field is left it shows the saved text again, as a refused number
/// cell is put back.
#[allow(clippy::too_many_arguments)]
fn text_field(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    width: Option<f32>,
    field: TextField,
    edits: &mut Vec<Edit>,
) -> egui::Response {
    let refused_here = st.text_refused.as_ref().filter(|r| r.id == id);
    let mut buf = refused_here.map_or_else(|| text.to_owned(), |r| r.text.clone());
    let reason = refused_here
        .and(st.refused.as_ref())
        .filter(|(r, _)| *r == id)
        .map(|(_, m)| m.clone());
    let show = |ui: &mut egui::Ui, buf: &mut String| {
        let edit = match width {
            // min_size: in a grid the available width is last frame's
            // column width, which would otherwise keep the field as narrow
            // as its header.
            Some(w) => egui::TextEdit::singleline(buf)
                .desired_width(w)
                .min_size(egui::vec2(w, 0.0)),
            None => egui::TextEdit::multiline(buf)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        };
        edit.id(id).show(ui).response.response.accessible_name(name)
    };
    let response = match &reason {
        Some(reason) => {
            let dark = ui.visuals().dark_mode;
            ui.vertical(|ui| {
                let r = show(ui, &mut buf);
                ui.label(
                    RichText::new(format!("Inte sparat – {reason}"))
                        .color(colours::of(Kind::Over(0), dark)),
                );
                r
            })
            .inner
        }
        None => show(ui, &mut buf),
    };
    if response.gained_focus() {
        ui.scroll_to_rect(
            response.rect.expand2(egui::vec2(8.0, sticky_margin(st))),
            None,
        );
        st.text_entered = Some((id, text.to_owned()));
    }
    if response.changed() {
        match edit::check_text(unit, field, &buf) {
            Ok(()) => {
                if st.text_refused.as_ref().is_some_and(|r| r.id == id) {
                    st.text_refused = None;
                    st.refused = None;
                }
                edits.push(Edit::Text(field, buf));
            }
            Err(message) => {
                st.refused = Some((id, format!("{name}: {message}")));
                let original = match (&st.text_refused, &st.text_entered) {
                    (Some(r), _) if r.id == id => r.original.clone(),
                    (_, Some((entered, t))) if *entered == id => t.clone(),
                    _ => text.to_owned(),
                };
                st.text_refused = Some(TextRefused {
                    id,
                    unit: st.drawing,
                    field,
                    original,
                    text: buf,
                });
            }
        }
    }
    response
}

/// Selects all of a text field's text, so the first key typed replaces it
/// (a new group's or unit's name given the focus).
pub(super) fn select_all(ctx: &egui::Context, id: Id, text: &str) {
    use egui::text::{CCursor, CCursorRange};
    let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(0),
        CCursor::new(text.chars().count()),
    )));
    state.store(ctx, id);
}

/// The width of a number cell: four digits (with a narrow inner margin),
/// so the 2005 frame's whole row fits a 1366 pixel screen beside the unit
/// list.
pub(super) const CELL_WIDTH: f32 = 34.0;

/// Room kept above a cell scrolled into view, for the column headers that
/// stay at the top of the form: as high as they are drawn this frame.
pub(super) fn sticky_margin(st: &FormState) -> f32 {
    super::heads::band_height(&st.heads).map_or(90.0, |h| h + 12.0)
}

/// A number cell: shows the value, takes typing, refuses what is not a
/// whole number ≥ 0.
#[allow(clippy::too_many_arguments)]
pub(super) fn number(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit_index: usize,
    unit: &Unit,
    target: Target,
    name: &str,
    finding: Option<(Kind, bool)>,
    edits: &mut Vec<Edit>,
) {
    let id = Id::unique(("tal", unit_index, target));
    let (value, estimated) = get_target(unit, target);
    let typing_text = st
        .typing
        .as_ref()
        .filter(|t| t.id == id)
        .map(|t| t.text.clone());
    let typing_here = typing_text.is_some();
    let mut text = typing_text.unwrap_or_else(|| entry::show(value));
    let dark = ui.visuals().dark_mode;
    let refused = st.refused.as_ref().is_some_and(|(r, _)| *r == id);
    let background = if refused {
        Some(colours::cell(Kind::Over(0), dark))
    } else {
        finding.map(|(k, reviewed)| {
            if reviewed {
                colours::reviewed(dark).gamma_multiply(0.2)
            } else {
                colours::cell(k, dark)
            }
        })
    };
    let mut edit = egui::TextEdit::singleline(&mut text)
        .id(id)
        .desired_width(CELL_WIDTH)
        .min_size(egui::vec2(CELL_WIDTH, 0.0))
        .margin(egui::vec2(3.0, 2.0))
        .align(egui::Align2::RIGHT_CENTER);
    if let Some(bg) = background {
        edit = edit.background_color(bg);
    }
    let response = edit.show(ui).response.response.accessible_name(name);
    st.drawn_fields.insert(id);
    if st.focus_target == Some(target) {
        st.focus_target = None;
        response.request_focus();
        response.scroll_to_me(Some(egui::Align::Center));
    }
    response.context_menu(|ui| {
        if ui.button("Historik…").clicked() {
            st.history_request = Some((unit_index, target));
            ui.close();
        }
    });
    if response.gained_focus() {
        // Tab or a click: the cell typed in is always in view, both ways,
        // and not under the column headers that stay at the top.
        ui.scroll_to_rect(
            response.rect.expand2(egui::vec2(8.0, sticky_margin(st))),
            None,
        );
    }
    if response.gained_focus() || (response.has_focus() && !typing_here) {
        if let Some(old) = st.typing.take() {
            st.left.push(old);
        }
        st.typing = Some(Typing {
            id,
            unit: unit_index,
            target,
            text: text.clone(),
            original: (value, estimated),
        });
    }
    if response.changed() {
        if let Some(t) = &mut st.typing
            && t.id == id
        {
            t.text = text.clone();
        }
        let group_row = matches!(target, Target::Count(_) | Target::Cell(..));
        // What the cell held before typing began, for text that is not
        // (yet) a number.
        let before = st
            .typing
            .as_ref()
            .filter(|t| t.id == id)
            .map_or((value, estimated), |t| t.original);
        let parsed = entry::parse(&text);
        if !matches!(&parsed, Ok(e) if !e.estimated || group_row)
            && get_target(unit, target) != before
        {
            edits.push(Edit::Revert(target, before));
        }
        match parsed {
            Ok(e) if e.estimated && !group_row => {
                st.refused = Some((
                    id,
                    format!(
                        "{name}: ”{}”: uppskattningar (ca) anges bara i en målgrupps rad",
                        text.trim()
                    ),
                ));
            }
            Ok(e) => {
                if refused {
                    st.refused = None;
                }
                edits.push(Edit::Number(target, e));
            }
            Err(message) => st.refused = Some((id, format!("{name}: {message}"))),
        }
    }
    if let Some((kind, reviewed)) = finding {
        let words = if reviewed {
            format!("{kind} (granskat)")
        } else {
            kind.to_string()
        };
        response.on_hover_text(words);
    } else if refused && let Some((_, m)) = &st.refused {
        response.on_hover_text(m.clone());
    }
}
