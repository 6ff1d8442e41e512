//! The new-unit dialog: a unit gets its name, authority and municipality
//! (or area) from the person adding it, by keyboard, before it is created.
//! Nothing is chosen for them: a typist who Tabs past a choice is told so,
//! rather than saving the authority of the unit selected before.

use crate::model::validate;
use crate::model::{Place, Survey};

/// Where a new unit belongs, as chosen in the dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaceChoice {
    /// A municipality of the frame (position).
    Municipality(usize),
    /// A region-wide area, named in the dialog.
    Area,
}

/// The new unit as typed so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewUnitDraft {
    /// Where the unit goes in the list.
    pub index: usize,
    /// The unit's name.
    pub name: String,
    /// The authority chosen (position), none until chosen.
    pub authority: Option<usize>,
    /// The municipality or area chosen, none until chosen.
    pub place: Option<PlaceChoice>,
    /// The area's name, when an area is chosen.
    pub area: String,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// The name field has had the focus once.
    focused: bool,
}

impl NewUnitDraft {
    /// A new unit to go at `index`.
    pub fn at(index: usize) -> NewUnitDraft {
        NewUnitDraft {
            index,
            ..Default::default()
        }
    }

    /// The unit's name, authority and place, or what is missing (Swedish,
    /// naming the field).
    pub fn choices(&self, survey: &Survey) -> Result<(String, usize, Place), String> {
        let name = self.name.trim();
        validate::label(name).map_err(|e| format!("Enhetens namn {e}."))?;
        let authority = self
            .authority
            .filter(|a| *a < survey.frame.authorities.len())
            .ok_or("Välj enhetens myndighet.")?;
        let place = match &self.place {
            Some(PlaceChoice::Municipality(m)) if *m < survey.frame.municipalities.len() => {
                Place::Municipality(*m)
            }
            Some(PlaceChoice::Area) => {
                let area = self.area.trim();
                validate::label(area).map_err(|e| format!("Områdets namn {e}."))?;
                Place::Area(area.to_owned())
            }
            _ => return Err("Välj kommun eller område.".to_owned()),
        };
        Ok((name.to_owned(), authority, place))
    }
}

/// Draws the dialog; `true` when it is done (created or cancelled).
pub fn new_unit_ui(
    ctx: &egui::Context,
    app: &mut super::App,
    draft: &mut NewUnitDraft,
    escape: bool,
) -> bool {
    let Some(doc) = &app.doc else { return true };
    let survey = doc.survey();
    let mut create = false;
    let mut cancel = escape;
    egui::Modal::new(egui::Id::unique("ny enhet")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading("Ny enhet");
        ui.label("Namn, myndighet och kommun eller område behövs. Tabb flyttar, mellanslag väljer, Retur skapar.");
        ui.add_space(6.0);
        let label = ui.label("Enhetens namn");
        let name = ui
            .add(egui::TextEdit::singleline(&mut draft.name).desired_width(360.0))
            .labelled_by(label.id);
        if !std::mem::replace(&mut draft.focused, true) {
            name.request_focus();
        }
        // Enter anywhere in the dialog creates (on a choice, after
        // choosing it); what is missing is said, nothing is chosen for
        // the user.
        if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            create = true;
        }
        ui.add_space(6.0);
        ui.strong("Myndighet");
        ui.horizontal_wrapped(|ui| {
            for (i, a) in survey.frame.authorities.iter().enumerate() {
                ui.radio_value(&mut draft.authority, Some(i), a);
            }
        });
        ui.add_space(6.0);
        ui.strong("Kommun eller område");
        ui.horizontal_wrapped(|ui| {
            for (i, m) in survey.frame.municipalities.iter().enumerate() {
                ui.radio_value(&mut draft.place, Some(PlaceChoice::Municipality(i)), m);
            }
            ui.radio_value(
                &mut draft.place,
                Some(PlaceChoice::Area),
                "Regionövergripande område",
            );
        });
        if draft.place == Some(PlaceChoice::Area) {
            ui.horizontal(|ui| {
                let label = ui.label("Områdets namn");
                ui.add(egui::TextEdit::singleline(&mut draft.area).desired_width(300.0))
                    .labelled_by(label.id);
            });
        }
        if let Some(e) = &draft.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            create |= ui.button("Skapa enheten").clicked();
            cancel |= ui.button("Avbryt").clicked();
        });
    });
    if cancel {
        return true;
    }
    if !create {
        return false;
    }
    match draft.choices(survey) {
        Ok((name, authority, place)) => {
            app.create_unit(draft.index, name, authority, place);
            true
        }
        Err(e) => {
            draft.error = Some(e);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        let mut s = Survey::default();
        s.frame.authorities = vec!["Kommun".into(), "Landsting".into()];
        s.frame.municipalities = vec!["Nora".into()];
        s
    }

    #[test]
    fn a_unit_needs_a_name_an_authority_and_a_place() {
        let s = survey();
        let mut d = NewUnitDraft::at(0);
        assert_eq!(
            d.choices(&s).unwrap_err(),
            "Enhetens namn får inte vara tom."
        );
        d.name = "Vårdcentralen Nora".into();
        assert_eq!(d.choices(&s).unwrap_err(), "Välj enhetens myndighet.");
        d.authority = Some(1);
        assert_eq!(d.choices(&s).unwrap_err(), "Välj kommun eller område.");
        d.place = Some(PlaceChoice::Area);
        assert!(d.choices(&s).unwrap_err().starts_with("Områdets namn"));
        d.place = Some(PlaceChoice::Municipality(0));
        assert_eq!(
            d.choices(&s).unwrap(),
            ("Vårdcentralen Nora".into(), 1, Place::Municipality(0))
        );
    }
}
