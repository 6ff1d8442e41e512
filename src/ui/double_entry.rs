//! Enhet → Kontrollinmata: the selected unit's form appears with every
//! number blank and a second person types it again from the paper, blind
//! to the first entry. The very same form is used: the open survey is set
//! aside and the form shows a scratch copy of the unit in a temporary
//! database. "Jämför" lists every differing cell; the user picks the right
//! value of each, and the unit is saved resolved and marked verified (one
//! undoable edit).

use egui::RichText;

use super::app::{App, View};
use super::command::Command;
use super::document::{Change, Document};
use crate::model::verification::{self, Difference};
use crate::store::{Access, Store};

/// A double entry in progress.
pub struct DoubleEntry {
    /// The survey as the first entry has it, set aside meanwhile.
    original: Document,
    /// The unit being checked, by position in the original.
    unit: usize,
    /// The unit's name, for messages.
    name: String,
    /// The view before, to go back to.
    view_before: View,
    /// After "Jämför": the differences and, per difference, whether the
    /// second entry's value is the right one.
    compared: Option<(Vec<Difference>, Vec<bool>)>,
    /// Who does the second entry (the login name to start with).
    pub user: String,
    /// Holds the scratch database; removed with it.
    _dir: tempfile::TempDir,
}

/// The commands that make sense while the second entry is typed: the rest
/// would act on the scratch copy, or leave it.
pub fn allowed(command: Command) -> bool {
    matches!(
        command,
        Command::Undo
            | Command::Redo
            | Command::AddGroup
            | Command::ShowForm
            | Command::ToggleTheme
            | Command::ShowGuide
            | Command::ShowAbout
            | Command::Quit
    )
}

/// The person at the computer: the login name, until the app has a setting
/// for it.
pub fn login_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "okänd".to_owned())
}

/// Now, in UTC (`2026-11-27T14:05:05Z`).
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    verification::format_utc(secs)
}

/// Starts a double entry of the selected unit.
pub fn start(app: &mut App) {
    app.finish_edit();
    let (Some(doc), Some(u)) = (&app.doc, app.selected) else {
        return;
    };
    let survey = doc.survey();
    let first = &survey.units[u];
    let blank = verification::blank_copy(first, &survey.layout());
    let scratch = (|| -> crate::Result<(tempfile::TempDir, Document)> {
        let dir = tempfile::Builder::new()
            .prefix("malgrupp-kontroll")
            .tempdir()
            .map_err(|source| crate::Error::File {
                action: "skapa",
                path: std::env::temp_dir(),
                source,
            })?;
        let mut store = Store::open(&dir.path().join("kontroll.sqlite"), Access::Create)?;
        store.create_survey(&survey.frame)?;
        store.reinsert_unit(&survey.frame.name, &survey.layout(), 0, &blank)?;
        let doc = Document::load(store, &survey.frame.name)?;
        Ok((dir, doc))
    })();
    let (dir, scratch) = match scratch {
        Ok(s) => s,
        Err(e) => {
            app.error = Some(format!("Kontrollinmatningen kunde inte börja: {e}"));
            return;
        }
    };
    let name = first.name.clone();
    let Some(original) = app.doc.replace(scratch) else {
        return;
    };
    app.double_entry = Some(DoubleEntry {
        original,
        unit: u,
        name,
        view_before: app.view,
        compared: None,
        user: login_name(),
        _dir: dir,
    });
    app.selected = Some(0);
    app.view = View::Form;
    app.review.invalidate();
    app.info = None;
}

/// What is left of a double entry when it ends.
struct Ended {
    unit: usize,
    name: String,
    compared: Option<(Vec<Difference>, Vec<bool>)>,
    user: String,
}

/// Ends the double entry: the original survey back, the scratch copy and
/// its folder gone.
fn end(app: &mut App, ctx: &egui::Context) -> Option<Ended> {
    app.finish_edit();
    let DoubleEntry {
        original,
        unit,
        name,
        view_before,
        compared,
        user,
        _dir,
    } = app.double_entry.take()?;
    app.form.forget_typing(ctx);
    // The scratch store closes before its folder is removed.
    drop(app.doc.replace(original));
    drop(_dir);
    app.selected = Some(unit);
    app.view = view_before;
    app.review.invalidate();
    Some(Ended {
        unit,
        name,
        compared,
        user,
    })
}

/// The banner above the form while the second entry is typed, and the
/// comparison once asked for. Returns whether the form should be drawn.
pub fn show(ui: &mut egui::Ui, app: &mut App) -> bool {
    let Some(de) = &mut app.double_entry else {
        return true;
    };
    let mut compare = false;
    let mut cancel = false;
    let mut save = false;
    let mut back = false;
    let strong = |s: String| RichText::new(s).strong();
    match &mut de.compared {
        None => {
            ui.label(strong(format!(
                "Kontrollinmatning av ”{}”: skriv in talen från pappersformuläret. Den första inmatningen visas inte.",
                de.name
            )));
            ui.horizontal(|ui| {
                compare = ui.button("Jämför med första inmatningen").clicked();
                cancel = ui.button("Avbryt kontrollinmatningen").clicked();
            });
            ui.separator();
        }
        Some((differences, take_second)) => {
            ui.heading(format!("Kontrollinmatning av ”{}”", de.name));
            if differences.is_empty() {
                ui.label("Inga skillnader: de två inmatningarna stämmer cell för cell.");
            } else {
                ui.label(format!(
                    "{} celler skiljer sig. Välj det värde som står på papperet.",
                    differences.len()
                ));
                ui.horizontal(|ui| {
                    if ui
                        .small_button("Välj första inmatningen överallt")
                        .clicked()
                    {
                        take_second.iter_mut().for_each(|t| *t = false);
                    }
                    if ui
                        .small_button("Välj kontrollinmatningen överallt")
                        .clicked()
                    {
                        take_second.iter_mut().for_each(|t| *t = true);
                    }
                });
            }
            egui::ScrollArea::vertical()
                .max_height((ui.available_height() - 90.0).max(120.0))
                .show(ui, |ui| {
                    egui::Grid::new("skillnader")
                        .striped(true)
                        .spacing([16.0, 4.0])
                        .show(ui, |ui| {
                            if !differences.is_empty() {
                                ui.strong("Cell");
                                ui.strong("Första inmatningen");
                                ui.strong("Kontrollinmatningen");
                                ui.end_row();
                            }
                            for (d, second) in differences.iter().zip(take_second.iter_mut()) {
                                ui.label(&d.place);
                                let first_text = format!(
                                    "Första: {} ({})",
                                    verification::value_sv(d.first),
                                    d.place
                                );
                                let second_text = format!(
                                    "Kontroll: {} ({})",
                                    verification::value_sv(d.second),
                                    d.place
                                );
                                ui.radio_value(second, false, verification::value_sv(d.first))
                                    .on_hover_text(first_text);
                                ui.radio_value(second, true, verification::value_sv(d.second))
                                    .on_hover_text(second_text);
                                ui.end_row();
                            }
                        });
                });
            ui.horizontal(|ui| {
                let label = ui.label("Kontrollinmatad av");
                ui.add(egui::TextEdit::singleline(&mut de.user).desired_width(180.0))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                save = ui
                    .add_enabled(
                        !de.user.trim().is_empty(),
                        egui::Button::new("Spara som kontrollinmatad"),
                    )
                    .clicked();
                back = ui.button("Tillbaka till kontrollinmatningen").clicked();
                cancel = ui.button("Avbryt kontrollinmatningen").clicked();
            });
        }
    }
    if compare {
        app.finish_edit();
        let (Some(de), Some(scratch)) = (&mut app.double_entry, &app.doc) else {
            return false;
        };
        let survey = de.original.survey();
        match verification::compare(survey, &survey.units[de.unit], &scratch.survey().units[0]) {
            Ok(differences) => {
                let n = differences.len();
                de.compared = Some((differences, vec![false; n]));
            }
            Err(why) => app.error = Some(format!("Kan inte jämföra: {why}.")),
        }
    }
    if back && let Some(de) = &mut app.double_entry {
        de.compared = None;
    }
    if cancel {
        end(app, ui.ctx());
        app.info = Some("Kontrollinmatningen avbröts; inget ändrades.".to_owned());
    }
    if save {
        finish(app, ui.ctx());
    }
    app.double_entry
        .as_ref()
        .is_some_and(|de| de.compared.is_none())
}

/// Saves the unit resolved and verified, as one undoable edit.
fn finish(app: &mut App, ctx: &egui::Context) {
    let Some(Ended {
        unit,
        name,
        compared: Some((differences, take_second)),
        user,
    }) = end(app, ctx)
    else {
        return;
    };
    let Some(doc) = &mut app.doc else { return };
    let first = &doc.survey().units[unit];
    let resolved =
        verification::resolve(first, &differences, &take_second, user.trim(), &now_utc());
    let before = Box::new(first.clone());
    let result = doc.apply(
        Change::Unit {
            index: unit,
            before,
            after: Box::new(resolved),
        },
        "kontrollinmatning",
    );
    match result {
        Ok(()) => {
            app.info = Some(format!(
                "”{name}” är kontrollinmatad: {} celler skilde sig.",
                differences.len()
            ));
            app.review.invalidate();
        }
        Err(e) => app.error = Some(format!("Kontrollinmatningen kunde inte sparas: {e}")),
    }
}
