//! A new survey, and changes to the open survey's frame.

use super::*;

impl App {
    /// Creates a survey with `frame` in the open file and opens it; the
    /// reason when refused (the survey open before stays open).
    pub fn create_survey(&mut self, frame: &crate::model::Frame) -> Result<(), String> {
        self.finish_edit();
        let Some(mut store) = self.take_open_store() else {
            return Err(self.error.take().unwrap_or_default());
        };
        match store.create_survey(frame) {
            Ok(()) => {
                self.open_survey_in(store, Some(&frame.name));
                self.view = View::Form;
                Ok(())
            }
            Err(e) => {
                let current = self.settings.survey.clone();
                self.open_survey_in(store, current.as_deref());
                Err(e.to_string())
            }
        }
    }

    /// Changes the open survey's frame, as one undoable edit; the reason
    /// when refused.
    pub fn change_frame(&mut self, mut frame: crate::model::Frame) -> Result<(), String> {
        let Some(doc) = &mut self.doc else {
            return Err("Ingen kartläggning är öppen.".to_owned());
        };
        let before = Box::new(doc.survey().frame.clone());
        // The dialog edits the lists; the planned units follow renames.
        frame.planned_units = crate::model::coverage::carry_planned(&before, &frame);
        doc.apply(
            Change::Frame {
                before,
                after: Box::new(frame),
            },
            "ändra ramen",
        )
        .map_err(|e| e.to_string())?;
        self.settings.survey = Some(doc.survey().frame.name.clone());
        self.review.invalidate();
        Ok(())
    }
}
