//! Dialogs: a new survey's frame, confirmations, the export choices.

use std::path::PathBuf;

use super::app::App;
use crate::export::{ExportFormat, Options};
use crate::model::Frame;
use crate::report::By;

/// The frame of a new survey as typed: lists one entry per line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameDraft {
    /// Survey name.
    pub name: String,
    /// Region.
    pub region: String,
    /// Period.
    pub period: String,
    /// Municipalities, one per line.
    pub municipalities: String,
    /// Authority types, one per line.
    pub authorities: String,
    /// Sex categories, one per line.
    pub sex: String,
    /// Age bands, one per line.
    pub age: String,
    /// Duration bands, one per line.
    pub duration: String,
    /// Themes, one per line, keywords after a colon
    /// ([`crate::model::themes::to_lines`]).
    pub themes: String,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// Changing the open survey's frame (else a new survey).
    pub editing: bool,
}

impl From<&Frame> for FrameDraft {
    /// The open survey's frame, to change.
    fn from(f: &Frame) -> Self {
        FrameDraft {
            name: f.name.clone(),
            region: f.region.clone(),
            period: f.period.clone(),
            municipalities: f.municipalities.join("\n"),
            authorities: f.authorities.join("\n"),
            sex: f.sex.join("\n"),
            age: f.age_bands.join("\n"),
            duration: f.duration_bands.join("\n"),
            themes: crate::model::themes::to_lines(&f.themes),
            error: None,
            editing: true,
        }
    }
}

impl Default for FrameDraft {
    /// The frame of the 2005 form (docs/survey-document.md), to edit.
    fn default() -> Self {
        FrameDraft {
            name: String::new(),
            region: "Norra länsdelen, Örebro län".to_owned(),
            period: String::new(),
            municipalities: "Hällefors\nLindesberg\nLjusnarsberg\nNora".to_owned(),
            authorities: "Kommun\nLandsting\nFörsäkringskassan\nArbetsförmedlingen".to_owned(),
            sex: "Män\nKvinnor".to_owned(),
            age: "16-20\n21-30\n31-50\n51-65".to_owned(),
            duration: "upp till 6 mån\n7 mån-1 år\n2-3 år\n4 år och mer".to_owned(),
            themes: String::new(),
            error: None,
            editing: false,
        }
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl FrameDraft {
    /// The frame, or why not.
    pub fn frame(&self) -> Result<Frame, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Ge kartläggningen ett namn.".to_owned());
        }
        // A new survey says when it was made; an imported one may lack it,
        // and changing its frame does not ask for it.
        if !self.editing && self.period.trim().is_empty() {
            return Err("Ange perioden, t.ex. ”januari–mars 2005”.".to_owned());
        }
        let lists = [
            ("kommuner", lines(&self.municipalities), 0),
            ("myndigheter", lines(&self.authorities), 1),
            ("kön", lines(&self.sex), 1),
            ("åldersgrupper", lines(&self.age), 1),
            ("tid som aktuell", lines(&self.duration), 1),
        ];
        // How many lines at most and that none repeats are the survey
        // document's rules, checked below; only "at least one" is the
        // dialog's own (a survey may have no municipality, only areas).
        for (what, list, min) in &lists {
            if list.len() < *min {
                return Err(format!("Ange minst en rad under {what}."));
            }
        }
        let [m, a, s, g, d] = lists.map(|(_, l, _)| l);
        let frame = Frame {
            name: name.to_owned(),
            region: self.region.trim().to_owned(),
            period: self.period.trim().to_owned(),
            municipalities: m,
            authorities: a,
            sex: s,
            age_bands: g,
            duration_bands: d,
            note: None,
            planned_units: Vec::new(),
            themes: crate::model::themes::from_lines(&self.themes),
        };
        // The same rules as a survey document's frame: no invisible-only
        // or over-long names, no control characters.
        crate::model::validate::frame(&frame).map_err(|e| {
            let place = e.at.strip_prefix("survey.").unwrap_or(&e.at);
            let (key, rest) = place.split_at(place.find('[').unwrap_or(place.len()));
            let what = match key {
                "name" => "Namn",
                "region" => "Region",
                "period" => "Period",
                "municipalities" => "Kommuner",
                "authorities" => "Myndigheter",
                "sex" => "Kön",
                "age_bands" => "Åldersgrupper",
                "duration_bands" => "Tid som aktuell",
                "themes" => "Teman",
                _ => key,
            };
            // "[2]" is the third line.
            let line = rest
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default()
                .parse::<usize>()
                .map(|i| format!(", rad {}", i + 1))
                .unwrap_or_default();
            format!("{what}{line}: {}", e.message)
        })?;
        Ok(frame)
    }
}

impl Dialog {
    /// The open survey's frame, to change.
    pub fn edit_frame(frame: &Frame) -> Dialog {
        Dialog::NewSurvey(Box::new(FrameDraft::from(frame)))
    }
}

/// Choices for an export of tables or the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportDraft {
    /// What to write.
    pub format: ExportFormat,
    /// Rows of a CSV or Markdown table.
    pub by: By,
    /// RFC 4180 CSV.
    pub csv_comma: bool,
    /// Hide small numbers.
    pub suppress: bool,
    /// Below this.
    pub suppress_below: u32,
}

impl Default for ExportDraft {
    fn default() -> Self {
        ExportDraft {
            format: ExportFormat::Xlsx,
            by: By::Municipality,
            csv_comma: false,
            suppress: false,
            suppress_below: 5,
        }
    }
}

/// An open dialog.
#[derive(Clone, Debug)]
pub enum Dialog {
    /// A new survey's frame.
    NewSurvey(Box<FrameDraft>),
    /// Delete the unit at this position?
    ConfirmDelete(usize),
    /// Replace the survey of this name with the document at this path?
    ConfirmReplace(PathBuf, String),
    /// Export tables or the report.
    Export(ExportDraft),
    /// A new unit's name, authority and place.
    NewUnit(Box<super::new_unit::NewUnitDraft>),
    /// A file's path typed in, where no file dialog could be shown.
    Path(Box<super::path_entry::PathDraft>),
}

impl Dialog {
    /// A new-survey dialog with the 2005 frame filled in.
    pub fn new_survey() -> Dialog {
        Dialog::NewSurvey(Box::default())
    }
}

/// What a dialog asked for when closed.
enum Outcome {
    Keep,
    Close,
    Create(Box<Frame>),
    Delete(usize),
    Replace(PathBuf),
    Export(ExportDraft),
}

/// Draws the open dialog, if any, and does what it asks.
pub fn show(ctx: &egui::Context, app: &mut App) {
    let Some(mut dialog) = app.dialog.take() else {
        return;
    };
    let mut outcome = Outcome::Keep;
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    match &mut dialog {
        Dialog::NewUnit(draft) => {
            if super::new_unit::new_unit_ui(ctx, app, draft, escape) {
                outcome = Outcome::Close;
            }
        }
        Dialog::Path(draft) => {
            if super::path_entry::path_entry_ui(ctx, app, draft, escape) {
                outcome = Outcome::Close;
            }
        }
        Dialog::NewSurvey(draft) => {
            egui::Modal::new(egui::Id::unique("ny kartläggning")).show(ctx, |ui| {
                // Room for the five lists side by side; narrower, the last
                // one was squeezed to a letter per line.
                ui.set_min_width(780.0);
                if draft.editing {
                    ui.heading("Ändra ramen");
                    ui.label("Kommuner kan byta namn eller läggas till sist, myndigheter byta namn. Antalet myndigheter och indelningarna (kön, ålder, tid) kan bara ändras innan några målgrupper är inlagda: varje cell hör till sin plats. Listor: en rad per post.");
                } else {
                    ui.heading("Ny kartläggning");
                    ui.label("Ramen är förifylld med 2005 års formulär; ändra fritt. Listor: en rad per post.");
                }
                let needed = !draft.editing;
                egui::Grid::new("ram").num_columns(2).show(ui, |ui| {
                    for (label, text, hint) in [
                        ("Namn", &mut draft.name, "krävs"),
                        ("Region", &mut draft.region, ""),
                        ("Period", &mut draft.period, if needed { "krävs, t.ex. januari–mars 2005" } else { "" }),
                    ] {
                        let l = ui.label(label);
                        ui.add(egui::TextEdit::singleline(text).desired_width(320.0).hint_text(hint))
                            .labelled_by(l.id);
                        ui.end_row();
                    }
                });
                // As many lists side by side as fit, each wide enough for
                // its lines; the rest on the next row.
                {
                let lists = [
                    ("Kommuner", &mut draft.municipalities),
                    ("Myndigheter", &mut draft.authorities),
                    ("Kön", &mut draft.sex),
                    ("Åldersgrupper", &mut draft.age),
                    ("Tid som aktuell", &mut draft.duration),
                ];
                const LIST_WIDTH: f32 = 150.0;
                let per_row = ((ui.available_width() + 8.0) / (LIST_WIDTH + 8.0)).floor().clamp(1.0, 5.0) as usize;
                let mut lists = lists.into_iter().peekable();
                while lists.peek().is_some() {
                    ui.horizontal_top(|ui| {
                        for (label, text) in lists.by_ref().take(per_row) {
                            ui.allocate_ui(egui::vec2(LIST_WIDTH, 200.0), |ui| {
                                ui.set_width(LIST_WIDTH);
                                ui.vertical(|ui| {
                                    let l = ui.label(label);
                                    ui.add(
                                        egui::TextEdit::multiline(text)
                                            .desired_width(LIST_WIDTH)
                                            .desired_rows(6),
                                    )
                                    .labelled_by(l.id);
                                });
                            });
                        }
                    });
                }
                }
                // Theme lines carry their keywords: a row of their own.
                let l = ui.label("Teman");
                ui.add(egui::TextEdit::multiline(&mut draft.themes).desired_width(f32::INFINITY).desired_rows(4))
                    .labelled_by(l.id);
                ui.label("Teman (gemensamma målgrupper): ett per rad, nyckelord efter kolon, till exempel ”Arbetslösa unga: ungdom, unga”. Nyckelorden ger förslag i målgruppstabellen. Teman kan byta namn eller läggas till sist.");
                if let Some(e) = &draft.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ui.horizontal(|ui| {
                    if ui.button(if draft.editing { "Spara ramen" } else { "Skapa" }).clicked() {
                        match draft.frame() {
                            Ok(frame) => outcome = Outcome::Create(Box::new(frame)),
                            Err(e) => draft.error = Some(e),
                        }
                    }
                    if ui.button("Avbryt").clicked() || escape {
                        outcome = Outcome::Close;
                    }
                });
            });
        }
        Dialog::ConfirmDelete(u) => {
            let name = app
                .doc
                .as_ref()
                .and_then(|d| d.survey().units.get(*u))
                .map(|u| u.name.clone());
            let Some(name) = name else { return };
            egui::Modal::new(egui::Id::unique("ta bort")).show(ctx, |ui| {
                ui.heading("Ta bort enhet");
                ui.label(format!(
                    "Ta bort ”{name}” med alla dess målgrupper? Det går att ångra (Ctrl+Z)."
                ));
                ui.horizontal(|ui| {
                    if ui.button("Ta bort enheten").clicked() {
                        outcome = Outcome::Delete(*u);
                    }
                    if ui.button("Avbryt").clicked() || escape {
                        outcome = Outcome::Close;
                    }
                });
            });
        }
        Dialog::ConfirmReplace(path, name) => {
            egui::Modal::new(egui::Id::unique("ersätt")).show(ctx, |ui| {
                ui.heading("Kartläggningen finns redan");
                ui.label(format!(
                    "Databasen har redan ”{name}”. Ersätta den med innehållet i {}? Granskningar i den gamla försvinner.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Ersätt").clicked() {
                        outcome = Outcome::Replace(path.clone());
                    }
                    if ui.button("Avbryt").clicked() || escape {
                        outcome = Outcome::Close;
                    }
                });
            });
        }
        Dialog::Export(draft) => {
            egui::Modal::new(egui::Id::unique("exportera")).show(ctx, |ui| {
                ui.heading("Exportera tabeller och rapport");
                for format in ExportFormat::ALL {
                    ui.radio_value(&mut draft.format, format, format.name_sv());
                }
                if matches!(draft.format, ExportFormat::Csv | ExportFormat::Md) {
                    ui.horizontal(|ui| {
                        ui.label("Rader:");
                        ui.radio_value(&mut draft.by, By::Municipality, "kommun");
                        ui.radio_value(&mut draft.by, By::Authority, "myndighet");
                        ui.radio_value(&mut draft.by, By::Unit, "enhet");
                        ui.radio_value(&mut draft.by, By::Theme, "tema");
                    });
                }
                if matches!(draft.format, ExportFormat::Csv | ExportFormat::Md) {
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut draft.suppress, "Dölj små tal, under");
                        let l = ui.label("personer");
                        ui.add_enabled(
                            draft.suppress,
                            egui::DragValue::new(&mut draft.suppress_below).range(2..=100),
                        )
                        .labelled_by(l.id);
                    })
                    .response
                    .on_hover_text("Antal från 1 till N−1 döljs, och så många andra celler att inget av dem kan räknas fram eller ringas in till färre än N möjliga värden ur rad- och kolumnsummorna. Alla dolda celler visas som ”..”, förklarat under tabellen. Se README.");
                }
                if draft.format == ExportFormat::Csv {
                    ui.checkbox(
                        &mut draft.csv_comma,
                        "Komma i stället för semikolon (RFC 4180)",
                    );
                }
                ui.horizontal(|ui| {
                    if ui.button("Spara som…").clicked() {
                        outcome = Outcome::Export(*draft);
                    }
                    if ui.button("Avbryt").clicked() || escape {
                        outcome = Outcome::Close;
                    }
                });
            });
        }
    }
    match outcome {
        Outcome::Keep => app.dialog = Some(dialog),
        Outcome::Close => {}
        Outcome::Create(frame) => create(app, *frame, dialog),
        Outcome::Delete(u) => app.delete_unit(u),
        Outcome::Replace(path) => app.import_document(&path, true),
        Outcome::Export(draft) => {
            let options = Options {
                format: draft.format,
                by: draft.by,
                csv_comma: draft.csv_comma,
                suppress: (draft.suppress
                    && matches!(draft.format, ExportFormat::Csv | ExportFormat::Md))
                .then_some(draft.suppress_below),
            };
            if let Some(path) = app.save_dialog(&options) {
                app.export_to(&options, &path);
            } else if app.dialog.is_none() {
                // Cancelled: the choices stay; without a file dialog the
                // path is asked for instead.
                app.dialog = Some(dialog);
            }
        }
    }
}

/// Creates a survey in the open file and opens it; on refusal the dialog
/// stays open with the reason.
pub fn create(app: &mut App, frame: Frame, mut dialog: Dialog) {
    let editing = matches!(&dialog, Dialog::NewSurvey(d) if d.editing);
    let result = if editing {
        app.change_frame(frame)
    } else {
        app.create_survey(&frame)
    };
    match result {
        Ok(()) => {}
        Err(e) => {
            if let Dialog::NewSurvey(draft) = &mut dialog {
                draft.error = Some(e);
            }
            app.dialog = Some(dialog);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_import_would_refuse_is_refused_in_the_dialog() {
        let no_period = FrameDraft {
            name: "Ny".into(),
            ..FrameDraft::default()
        };
        assert_eq!(
            no_period.frame().unwrap_err(),
            "Ange perioden, t.ex. ”januari–mars 2005”."
        );
        let ok = FrameDraft {
            period: "våren 2026".into(),
            ..no_period
        };
        assert!(ok.frame().is_ok());
        let invisible = FrameDraft {
            municipalities: "Hällefors\n\u{200B}\nNora".into(),
            ..ok.clone()
        };
        let e = invisible.frame().unwrap_err();
        assert!(
            e.starts_with("Kommuner, rad 2: ") && e.contains("osynliga"),
            "{e}"
        );
        let control = FrameDraft {
            name: "Ny\u{1b}[31m".into(),
            ..ok.clone()
        };
        assert!(control.frame().unwrap_err().starts_with("Namn: "));
        let long = FrameDraft {
            authorities: format!("Kommun\n{}", "x".repeat(1001)),
            ..ok
        };
        let e = long.frame().unwrap_err();
        assert!(e.contains("Myndigheter, rad 2: texten är för lång"), "{e}");
    }

    /// The limits on lines come from the document's rules, with the place.
    #[test]
    fn too_many_or_repeated_lines_are_refused_by_the_documents_rules() {
        let ok = FrameDraft {
            name: "Ny".into(),
            period: "2026".into(),
            ..FrameDraft::default()
        };
        let repeated = FrameDraft {
            municipalities: "Hällefors\nNora\nHällefors".into(),
            ..ok.clone()
        };
        assert_eq!(
            repeated.frame().unwrap_err(),
            "Kommuner, rad 3: ”Hällefors” står två gånger"
        );
        let many = FrameDraft {
            age: (0..1001).map(|i| format!("{i} år\n")).collect(),
            ..ok.clone()
        };
        assert_eq!(
            many.frame().unwrap_err(),
            "Åldersgrupper: för många (1001, högst 1000)"
        );
        let just = FrameDraft {
            age: (0..1000).map(|i| format!("{i} år\n")).collect(),
            ..ok.clone()
        };
        assert!(just.frame().is_ok());
        let none = FrameDraft {
            authorities: String::new(),
            ..ok
        };
        assert_eq!(
            none.frame().unwrap_err(),
            "Ange minst en rad under myndigheter."
        );
    }
}
