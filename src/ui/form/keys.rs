//! Tab order inside the group grid: a typist goes from a row's last number
//! to the next row's label (the note, the move and delete buttons of the
//! row are left to the mouse and their own keys), and from the last row to
//! the unit's own total row, or, without one, to the empty row where
//! Ctrl+G's new group would go (typing a name there makes the group), so
//! one Tab or Enter too many never lands on "Ta bort".

use egui::{FocusDirection, Id, Key, Modifiers};

use super::Target;
use crate::model::Unit;

/// The last number cell of group `g`'s row (its count when the frame has
/// no breakdown).
fn last_cell(u: usize, g: usize, cells: usize) -> Id {
    let target = match cells.checked_sub(1) {
        Some(i) => Target::Cell(g, i),
        None => Target::Count(g),
    };
    Id::unique(("tal", u, target))
}

/// The label field of group `g`; for `g` = the number of groups, the
/// new-row field under the last group, which becomes the new group's label
/// field once a name is typed into it.
pub(super) fn label_id(u: usize, g: usize) -> Id {
    Id::unique(("etikett", u, g))
}

/// Where Tab (or Shift+Tab with `back`) goes from `focused` in unit `u`,
/// when the grid decides it rather than the order the widgets are drawn.
fn next_stop(u: usize, unit: &Unit, cells: usize, focused: Id, back: bool) -> Option<Id> {
    let n = unit.groups.len();
    let total = Id::unique(("tal", u, Target::TotalCount));
    if back {
        if focused == total && n > 0 {
            return Some(last_cell(u, n - 1, cells));
        }
        // The new-row field (g = n) goes back to the last row too.
        return (1..=n)
            .find(|g| label_id(u, *g) == focused)
            .map(|g| last_cell(u, g - 1, cells));
    }
    let g = (0..n).find(|g| last_cell(u, *g, cells) == focused)?;
    if g + 1 < n || unit.reported_totals.is_none() {
        // The next row's label, or the new-row field after the last row.
        Some(label_id(u, g + 1))
    } else {
        Some(total)
    }
}

/// Takes a Tab that the grid routes itself and moves the focus there;
/// called when a frame starts, before anything is drawn.
pub fn tab_moves_on(ctx: &egui::Context, u: usize, unit: &Unit, cells: usize) {
    let Some(focused) = ctx.memory(|m| m.focused()) else {
        return;
    };
    for (modifiers, back) in [(Modifiers::NONE, false), (Modifiers::SHIFT, true)] {
        let pressed = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(e, egui::Event::Key { key: Key::Tab, pressed: true, modifiers: m, .. } if *m == modifiers)
            })
        });
        if !pressed {
            continue;
        }
        let Some(to) = next_stop(u, unit, cells, focused, back) else {
            return;
        };
        ctx.input_mut(|i| i.consume_key(modifiers, Key::Tab));
        ctx.memory_mut(|m| {
            m.move_focus(FocusDirection::None);
            m.request_focus(to);
        });
        return;
    }
}
