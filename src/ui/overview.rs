//! Översikt (Ctrl+5): coverage as a matrix of municipality (or area) ×
//! authority, each cell listing its units with their state. A click opens
//! an entered unit; a planned unit not yet entered is added and opened.
//! Planned units are added to the frame from here (one undoable edit).

use egui::RichText;

use super::app::{App, View};
use super::document::{Change, Document};
use crate::model::coverage::{self, CoverageCell, PlannedUnit, UnitState};
use crate::model::{Place, Unit};

/// What the overview keeps between frames.
#[derive(Default)]
pub struct OverviewState {
    /// The cells, for a revision of the survey.
    cache: Option<(u64, Vec<CoverageCell>)>,
    /// A planned unit being added: its name.
    pub name: String,
    /// Its municipality by position; past the last: a region-wide area.
    pub municipality: usize,
    /// Its area, when region-wide.
    pub area: String,
    /// Its authority.
    pub authority: usize,
    /// Why the last planned unit was refused.
    pub error: Option<String>,
}

/// A click in the overview, done after drawing.
enum Action {
    Open(usize),
    Enter(PlannedUnit),
    Plan,
    Unplan(PlannedUnit),
}

/// The planned unit `u` of `cell`.
fn planned_in(
    survey: &crate::model::Survey,
    cell: &CoverageCell,
    u: &coverage::CoverageUnit,
) -> PlannedUnit {
    let (municipality, area) = match &cell.place {
        Place::Municipality(m) => (Some(survey.frame.municipalities[*m].clone()), None),
        Place::Area(a) => (None, Some(a.clone())),
    };
    PlannedUnit {
        name: u.name.clone(),
        municipality,
        area,
        authority: survey.frame.authorities[cell.authority].clone(),
    }
}

/// The mark and colour of a state.
fn mark(state: UnitState, dark: bool) -> (&'static str, egui::Color32) {
    use super::colours;
    use crate::model::check::Kind;
    match state {
        UnitState::Planned => ("○", colours::of(Kind::NotGiven, dark)),
        UnitState::Open => ("●", colours::of(Kind::Short(0), dark)),
        UnitState::Reviewed => ("✓", colours::reviewed(dark)),
        UnitState::Verified => ("✔✔", colours::reviewed(dark)),
    }
}

/// `text` with every word wider than `width` cut to fit with "…", so that
/// wrapping breaks only between words.
fn fit_words(ui: &egui::Ui, text: &str, width: f32, font: &egui::FontId) -> String {
    let measure = |s: &str| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(s.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
                .size()
                .x
        })
    };
    // Bold text is a little wider than the body font measures.
    let width = width - 8.0;
    text.split(' ')
        .map(|word| {
            if measure(word) <= width {
                return word.to_owned();
            }
            let mut cut: String = word.to_owned();
            while cut.chars().count() > 1 {
                cut.pop();
                let candidate = format!("{cut}…");
                if measure(&candidate) <= width {
                    return candidate;
                }
            }
            format!("{cut}…")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Draws the overview.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let revision = doc.revision();
    if app
        .overview
        .cache
        .as_ref()
        .is_none_or(|(r, _)| *r != revision)
    {
        let cells = coverage::coverage(doc.survey(), &doc.analysis().findings);
        app.overview.cache = Some((revision, cells));
    }
    let survey = doc.survey();
    let cells = &app.overview.cache.as_ref().expect("cached").1;
    let dark = ui.visuals().dark_mode;
    let n_auth = survey.frame.authorities.len().max(1);
    let mut action = None;

    let total = |f: fn(&CoverageCell) -> usize| cells.iter().map(f).sum::<usize>();
    ui.label(format!(
        "{} planerade, {} inmatade, {} med alla fynd granskade, {} kontrollinmatade.",
        total(|c| c.planned),
        total(|c| c.entered),
        total(|c| c.reviewed),
        total(|c| c.verified)
    ));
    ui.horizontal(|ui| {
        for state in [
            UnitState::Planned,
            UnitState::Open,
            UnitState::Reviewed,
            UnitState::Verified,
        ] {
            let (m, colour) = mark(state, dark);
            ui.label(RichText::new(format!("{m} {}", state.name_sv())).color(colour));
            ui.add_space(8.0);
        }
    });
    ui.separator();

    // The columns share the width so the matrix fits the window (1024 px
    // wide too); text wraps between words, a word wider than its column is
    // cut with "…" and the whole name shown on hover. When it still does
    // not fit, the sideways scroll bar sits right under the matrix.
    let gap = 12.0;
    let col = ((ui.available_width() - 16.0 - gap * n_auth as f32) / (n_auth + 1) as f32)
        .clamp(90.0, 240.0)
        .floor();
    let body = egui::TextStyle::Body.resolve(ui.style());
    let fit = |ui: &egui::Ui, text: &str, width: f32| fit_words(ui, text, width, &body);
    egui::ScrollArea::both()
        .id_salt("översikt")
        .auto_shrink([false, true])
        .max_height((ui.available_height() - 150.0).max(120.0))
        .show(ui, |ui| {
            egui::Grid::new("täckning")
                .striped(true)
                .spacing([gap, 6.0])
                .min_col_width(col)
                .max_col_width(col)
                .show(ui, |ui| {
                    ui.strong("Kommun / område");
                    for a in &survey.frame.authorities {
                        let text = fit(ui, a, col);
                        let cut = text != *a;
                        let r = ui.add(egui::Label::new(RichText::new(text).strong()).wrap());
                        if cut {
                            r.on_hover_text(a).accessible_name(a);
                        }
                    }
                    ui.end_row();
                    for row in cells.chunks(n_auth) {
                        let Some(first) = row.first() else { continue };
                        let place = survey.place_name(&first.place);
                        let text = fit(ui, place, col);
                        let cut = text != place;
                        let r = ui.add(egui::Label::new(RichText::new(text).strong()).wrap());
                        if cut {
                            r.on_hover_text(place).accessible_name(place);
                        }
                        for cell in row {
                            ui.vertical(|ui| {
                                if cell.units.is_empty() {
                                    ui.weak("–");
                                } else if cell.planned > 0 {
                                    ui.weak(format!(
                                        "{} av {} planerade inmatade",
                                        cell.planned
                                            - cell
                                                .units
                                                .iter()
                                                .filter(|u| u.state == UnitState::Planned)
                                                .count(),
                                        cell.planned
                                    ));
                                }
                                for u in &cell.units {
                                    let (m, colour) = mark(u.state, dark);
                                    let mut text = format!("{m} {}", u.name);
                                    if u.changed_after_verification {
                                        text.push_str(" (ändrad efter kontroll)");
                                    }
                                    let hover = match u.index {
                                        Some(_) => format!(
                                            "{}: {}. Klicka för att öppna enheten.",
                                            u.name,
                                            crate::report::status::state_sv(u)
                                        ),
                                        None => format!(
                                            "{}: planerad, ej inmatad. Klicka för att lägga \
                                             till enheten och börja mata in den.",
                                            u.name
                                        ),
                                    };
                                    let shown = fit(ui, &text, col);
                                    let response = ui
                                        .add(
                                            egui::Button::new(RichText::new(shown).color(colour))
                                                .frame(false)
                                                .wrap(),
                                        )
                                        .on_hover_text(hover)
                                        .accessible_name(&text);
                                    if response.clicked() {
                                        action = Some(match u.index {
                                            Some(i) => Action::Open(i),
                                            None => Action::Enter(planned_in(survey, cell, u)),
                                        });
                                    }
                                    if u.index.is_none() {
                                        response.context_menu(|ui| {
                                            if ui.button("Ta bort ur planen").clicked() {
                                                action = Some(Action::Unplan(planned_in(
                                                    survey, cell, u,
                                                )));
                                                ui.close();
                                            }
                                        });
                                    }
                                }
                            });
                        }
                        ui.end_row();
                    }
                });
        });

    ui.separator();
    if plan_ui(ui, &mut app.overview, survey, doc.is_read_only()) {
        action = Some(Action::Plan);
    }

    match action {
        Some(Action::Open(i)) => {
            app.finish_edit();
            app.selected = Some(i);
            app.view = View::Form;
        }
        Some(Action::Enter(p)) => enter_planned(app, &p),
        Some(Action::Plan) => add_planned(app),
        Some(Action::Unplan(p)) => {
            app.finish_edit();
            if let Some(doc) = &mut app.doc {
                let before = Box::new(doc.survey().frame.clone());
                let mut after = before.clone();
                after.planned_units.retain(|q| *q != p);
                let result = doc.apply(Change::Frame { before, after }, "ta bort ur planen");
                app.report(result);
            }
        }
        None => {}
    }
}

/// The row that adds a planned unit; whether its button was clicked.
fn plan_ui(
    ui: &mut egui::Ui,
    st: &mut OverviewState,
    survey: &crate::model::Survey,
    read_only: bool,
) -> bool {
    let f = &survey.frame;
    ui.strong("Planera en enhet");
    let mut clicked = false;
    ui.add_enabled_ui(!read_only, |ui| {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Namn");
            ui.add(egui::TextEdit::singleline(&mut st.name).desired_width(220.0))
                .labelled_by(label.id);
            let label = ui.label("Kommun eller område");
            let current = f
                .municipalities
                .get(st.municipality)
                .cloned()
                .unwrap_or_else(|| "Regionövergripande område".to_owned());
            egui::ComboBox::from_id_salt("planerad kommun")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (i, m) in f.municipalities.iter().enumerate() {
                        ui.selectable_value(&mut st.municipality, i, m);
                    }
                    ui.selectable_value(
                        &mut st.municipality,
                        f.municipalities.len(),
                        "Regionövergripande område",
                    );
                })
                .response
                .labelled_by(label.id);
            if st.municipality >= f.municipalities.len() {
                let label = ui.label("Område");
                ui.add(egui::TextEdit::singleline(&mut st.area).desired_width(160.0))
                    .labelled_by(label.id);
            }
            let label = ui.label("Myndighet");
            egui::ComboBox::from_id_salt("planerad myndighet")
                .selected_text(f.authorities.get(st.authority).cloned().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for (i, a) in f.authorities.iter().enumerate() {
                        ui.selectable_value(&mut st.authority, i, a);
                    }
                })
                .response
                .labelled_by(label.id);
            clicked = ui.button("Lägg till i planen").clicked();
        });
    });
    if let Some(e) = &st.error {
        ui.label(
            RichText::new(format!("Inte tillagd – {e}")).color(super::colours::of(
                crate::model::check::Kind::Over(0),
                ui.visuals().dark_mode,
            )),
        );
    }
    clicked
}

/// Adds the planned unit being typed to the frame, as one undoable edit.
fn add_planned(app: &mut App) {
    app.finish_edit();
    let Some(doc) = &mut app.doc else { return };
    let st = &mut app.overview;
    let frame = &doc.survey().frame;
    let planned = PlannedUnit {
        name: st.name.trim().to_owned(),
        municipality: frame.municipalities.get(st.municipality).cloned(),
        area: (st.municipality >= frame.municipalities.len()).then(|| st.area.trim().to_owned()),
        authority: frame
            .authorities
            .get(st.authority)
            .cloned()
            .unwrap_or_default(),
    };
    match plan(doc, planned) {
        Ok(()) => {
            st.error = None;
            app.info = Some(format!("Lade till ”{}” i planen.", st.name.trim()));
            st.name.clear();
        }
        Err(e) => st.error = Some(e),
    }
}

/// Adds `planned` to the frame of `doc` (one undoable edit); the reason in
/// Swedish when refused.
pub fn plan(doc: &mut Document, planned: PlannedUnit) -> Result<(), String> {
    if planned.name.is_empty() {
        return Err("ge enheten ett namn".to_owned());
    }
    let before = Box::new(doc.survey().frame.clone());
    let mut after = before.clone();
    after.planned_units.push(planned);
    if let Err((_, message)) = coverage::check_planned(&after) {
        return Err(message);
    }
    doc.apply(Change::Frame { before, after }, "planera enhet")
        .map_err(|e| e.to_string())
}

/// Adds a planned unit as an entered (empty) unit at the end and opens it.
fn enter_planned(app: &mut App, p: &PlannedUnit) {
    app.finish_edit();
    let Some(doc) = &mut app.doc else { return };
    let survey = doc.survey();
    let Some((place, authority)) = coverage::planned_place(survey, p) else {
        return;
    };
    let unit = Unit::empty(p.name.clone(), authority, place);
    let index = survey.units.len();
    let result = doc.apply(
        Change::Insert {
            index,
            unit: Box::new(unit),
        },
        "mata in planerad enhet",
    );
    if result.is_ok() {
        app.selected = Some(index);
        app.view = View::Form;
        app.review.invalidate();
    }
    app.report(result);
}

#[cfg(test)]
mod tests {
    use super::fit_words;

    /// Runs `f` in a frame of a fresh context, with its central panel's ui.
    fn in_frame(f: impl FnOnce(&mut egui::Ui)) {
        let ctx = egui::Context::default();
        let mut f = Some(f);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            if let Some(f) = f.take() {
                f(ui);
            }
        });
        // No painter takes the font texture here.
        output.textures_delta.clear();
    }

    #[test]
    fn a_word_wider_than_its_column_is_cut_with_an_ellipsis_and_the_others_kept() {
        in_frame(|ui| {
            let font = egui::TextStyle::Body.resolve(ui.style());
            let name = "Försäkringskassan Nora, rehabiliteringshandläggare för sjukfall över 2 år";
            let fitted = fit_words(ui, name, 120.0, &font);
            let words: Vec<&str> = fitted.split(' ').collect();
            assert_eq!(words.len(), name.split(' ').count(), "{fitted}");
            for (word, whole) in words.iter().zip(name.split(' ')) {
                let width = ui.fonts_mut(|f| {
                    f.layout_no_wrap((*word).to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
                        .size()
                        .x
                });
                assert!(width <= 112.0, "”{word}” is {width} px in {fitted}");
                if word.ends_with('…') {
                    assert!(whole.starts_with(word.trim_end_matches('…')), "{fitted}");
                } else {
                    assert_eq!(*word, whole, "{fitted}");
                }
            }
            assert!(
                words[2].starts_with("rehabilitering") && words[2].ends_with('…'),
                "{fitted}"
            );
            assert_eq!(fit_words(ui, "Nora", 120.0, &font), "Nora");
        });
    }
}
