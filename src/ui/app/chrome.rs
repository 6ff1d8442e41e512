//! The window's frame around the views: menus, status bar, messages and
//! the welcome page.

use egui::RichText;

use super::App;
use crate::ui::command::{Command, MENUS};

/// The start screen's button that opens the example in its default place.
pub const EXAMPLE_HERE: &str = "Öppna exempel (Norra länsdelen 2005)";
/// The start screen's button that asks where the example goes.
pub const EXAMPLE_ELSEWHERE: &str = "Öppna exempel på annan plats…";

impl App {
    /// Whether a command can run now.
    pub fn enabled(&self, command: Command) -> bool {
        if self.double_entry.is_some() && !crate::ui::double_entry::allowed(command) {
            return false;
        }
        let writable = self.doc.as_ref().is_some_and(|d| !d.is_read_only());
        match command {
            Command::NewSurvey | Command::ImportDocument => self
                .doc
                .as_ref()
                .map(|d| !d.is_read_only())
                .or(self.store.as_ref().map(|s| !s.is_read_only()))
                .unwrap_or(false),
            Command::OpenDatabase
            | Command::OpenExample
            | Command::Quit
            | Command::ToggleTheme
            | Command::Settings
            | Command::ShowGuide
            | Command::ShowAbout => true,
            Command::MergeFile => writable,
            Command::History | Command::UnitHistory => {
                self.doc.is_some() && self.selected.is_some()
            }
            Command::ToggleTree => self.doc.is_some(),
            Command::TotalRow => writable && self.selected.is_some(),
            Command::ExportDocument | Command::ExportReport => self.doc.is_some(),
            Command::ShowForm
            | Command::ShowReview
            | Command::ShowTotals
            | Command::ShowCharts
            | Command::ShowOverview
            | Command::ShowThemes => self.doc.is_some(),
            Command::Reload => self.doc.as_ref().is_some_and(|d| d.is_read_only()),
            Command::DoubleEntry => writable && self.selected.is_some(),
            Command::Undo => self
                .doc
                .as_ref()
                .is_some_and(|d| d.undo_name().is_some() || d.has_pending()),
            Command::Redo => self.doc.as_ref().is_some_and(|d| d.redo_name().is_some()),
            Command::AddUnit | Command::EditFrame => writable,
            Command::DeleteUnit
            | Command::MoveUnitUp
            | Command::MoveUnitDown
            | Command::AddGroup
            | Command::ReadForm => writable && self.selected.is_some(),
            Command::WriteForm | Command::WriteFilledForm => {
                self.doc.is_some() && self.selected.is_some()
            }
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (title, commands) in MENUS {
                ui.menu_button(*title, |ui| {
                    for &command in *commands {
                        let enabled = self.enabled(command);
                        let mut label = command.label().to_owned();
                        if let Some(doc) = &self.doc {
                            let name = match command {
                                Command::Undo => doc.undo_name(),
                                Command::Redo => doc.redo_name(),
                                _ => None,
                            };
                            if let Some(name) = name {
                                label = format!("{label}: {name}");
                            }
                        }
                        let mut button = egui::Button::new(label);
                        if let Some(s) = command.shortcut_text() {
                            button = button.shortcut_text(s);
                        }
                        if ui.add_enabled(enabled, button).clicked() {
                            ui.close();
                            self.run(ui.ctx(), command);
                        }
                    }
                    if *title == "Arkiv" {
                        ui.separator();
                        self.file_submenus(ui);
                    }
                });
            }
        });
    }

    fn file_submenus(&mut self, ui: &mut egui::Ui) {
        let surveys = self.survey_names();
        ui.menu_button("Byt kartläggning", |ui| {
            for name in surveys {
                let current =
                    self.settings.survey.as_deref() == Some(name.as_str()) && self.doc.is_some();
                if ui.selectable_label(current, &name).clicked() {
                    ui.close();
                    self.switch_survey(&name);
                }
            }
        });
        ui.menu_button("Senaste filer", |ui| {
            let recent = self.settings.recent.clone();
            if recent.is_empty() {
                ui.label("Inga ännu");
            }
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    ui.close();
                    self.open_database(&path);
                }
            }
        });
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let mut reload = false;
        ui.horizontal(|ui| {
            let Some(doc) = &self.doc else {
                ui.label(match self.db_path() {
                    Some(p) => format!("{} · ingen kartläggning öppen", p.display()),
                    None => "Ingen databas öppen".to_owned(),
                });
                return;
            };
            let survey = doc.survey();
            let findings = &doc.analysis().findings;
            // Counted once per change of the survey, not every frame.
            let revision = doc.revision();
            let reviewed = match self.reviewed_count {
                Some((r, n)) if r == revision => n,
                _ => {
                    let n = findings
                        .iter()
                        .filter(|f| f.unit(survey).review_of(f).is_some())
                        .count();
                    self.reviewed_count = Some((revision, n));
                    n
                }
            };
            ui.label(format!(
                "Fynd: {} öppna, {} granskade",
                findings.len() - reviewed,
                reviewed
            ))
            .on_hover_text("Granskade fynd är kontrollerade med enheten.");
            ui.separator();
            if doc.is_read_only() {
                ui.label(RichText::new("Endast läsning").strong());
                if ui
                    .small_button(Command::Reload.label())
                    .on_hover_text("Läs in det som sparats i filen sedan den öppnades (F5)")
                    .clicked()
                {
                    reload = true;
                }
            } else if let Some(saving) = self.saving_status() {
                ui.label(saving);
            } else if doc.has_pending() && self.form.typing_refused() {
                ui.label("Ändras … (inte sparat förrän fältet är rättat)");
            } else if doc.has_pending() {
                ui.label("Ändras … (sparas inom en sekund)");
            } else {
                ui.label("Allt sparat");
            }
            ui.separator();
            ui.label(format!(
                "{} enheter, {} målgrupper",
                survey.units.len(),
                survey.group_count()
            ));
            ui.separator();
            if self.double_entry.is_some() {
                // The scratch copy's file would only puzzle.
                ui.label("Kontrollinmatning: sparas i databasen när skillnaderna är valda");
            } else {
                ui.label(doc.path().display().to_string());
            }
        });
        if reload {
            self.reload();
        }
    }

    pub(super) fn messages(&mut self, ui: &mut egui::Ui) {
        let dark = ui.visuals().dark_mode;
        if let Some(path) = self.busy_offer.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "Öppna {} endast för läsning i stället? Läs om (F5) visar sedan \
                     det som har sparats i det andra fönstret.",
                    path.display()
                ));
                if ui.button("Öppna för läsning").clicked() {
                    self.open_for_reading(&path);
                }
                if ui.small_button("Avbryt").clicked() {
                    self.busy_offer = None;
                }
            });
        }
        if let Some(e) = self.error.clone() {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(format!("Fel: {e}")).color(crate::ui::colours::of(
                        crate::model::check::Kind::Over(0),
                        dark,
                    )),
                );
                if ui.small_button("Stäng").clicked() {
                    self.error = None;
                }
            });
        }
        if let Some(i) = self.info.clone() {
            ui.horizontal(|ui| {
                ui.label(i);
                if ui.small_button("OK").clicked() {
                    self.info = None;
                }
            });
        }
    }

    pub(super) fn welcome(&mut self, ui: &mut egui::Ui) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("Målgruppskartläggning");
            ui.add_space(12.0);
            match self.db_path() {
                Some(p) => {
                    ui.label(format!(
                        "Databasen {} har ingen kartläggning ännu.",
                        p.display()
                    ));
                }
                None => {
                    ui.label("Ingen databas är öppen.");
                }
            }
            ui.add_space(12.0);
            // One click on a first start: the example in its default place
            // (said where afterwards); the menu's entry asks where.
            if ui.button(EXAMPLE_HERE).clicked() {
                self.finish_edit();
                self.open_example();
            }
            if ui.button(EXAMPLE_ELSEWHERE).clicked() {
                self.run(ui.ctx(), Command::OpenExample);
            }
            for command in [
                Command::NewSurvey,
                Command::ImportDocument,
                Command::OpenDatabase,
            ] {
                if ui
                    .add_enabled(self.enabled(command), egui::Button::new(command.label()))
                    .clicked()
                {
                    self.run(ui.ctx(), command);
                }
            }
        });
    }
}
