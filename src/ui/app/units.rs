//! Adding, deleting and moving units.

use super::{App, Change, Dialog, View};
use crate::model::{Place, Unit};
use crate::ui::new_unit::NewUnitDraft;

impl App {
    /// Asks for a new unit's name, authority and municipality or area
    /// (nothing chosen for the user); it goes after the selected unit, or
    /// last.
    pub fn add_unit(&mut self) {
        self.finish_edit();
        let Some(doc) = &self.doc else { return };
        let survey = doc.survey();
        if survey.frame.authorities.is_empty() {
            self.error = Some("Kartläggningen har inga myndigheter att välja bland.".to_owned());
            return;
        }
        let index = self
            .selected
            .filter(|s| *s < survey.units.len())
            .map_or(survey.units.len(), |s| s + 1);
        self.dialog = Some(Dialog::NewUnit(Box::new(NewUnitDraft::at(index))));
    }

    /// Creates a unit with what the new-unit dialog asked for, at `index`,
    /// as one undoable edit, and opens it.
    pub fn create_unit(&mut self, index: usize, name: String, authority: usize, place: Place) {
        let Some(doc) = &mut self.doc else { return };
        let index = index.min(doc.survey().units.len());
        let unit = Unit::empty(name, authority, place);
        let result = doc.apply(
            Change::Insert {
                index,
                unit: Box::new(unit),
            },
            "ny enhet",
        );
        if result.is_ok() {
            self.selected = Some(index);
            self.view = View::Form;
            self.form.focus_unit_name = true;
            self.review.invalidate();
        }
        self.report(result);
    }

    /// Deletes unit `index` (asked first); undo brings it back.
    pub fn delete_unit(&mut self, index: usize) {
        let Some(doc) = &mut self.doc else { return };
        let unit = Box::new(doc.survey().units[index].clone());
        let what = format!("ta bort ”{}”", unit.name);
        let result = doc.apply(Change::Remove { index, unit }, &what);
        if result.is_ok() {
            let n = doc.survey().units.len();
            self.selected = (n > 0).then(|| index.min(n - 1));
            self.review.invalidate();
        }
        self.report(result);
    }

    pub(super) fn move_unit(&mut self, up: bool) {
        let (Some(doc), Some(from)) = (&mut self.doc, self.selected) else {
            return;
        };
        let n = doc.survey().units.len();
        let to = if up {
            from.checked_sub(1)
        } else {
            (from + 1 < n).then_some(from + 1)
        };
        let Some(to) = to else { return };
        let result = doc.apply(Change::Move { from, to }, "flytta enhet");
        if result.is_ok() {
            self.selected = Some(to);
            self.review.invalidate();
        }
        self.report(result);
    }
}
