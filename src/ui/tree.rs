//! The side panel: municipalities (and region-wide areas) with their units,
//! each unit with its number of open findings. Only the rows in view are
//! laid out, so a national survey's 4,000 units cost no more than ten.

use std::collections::HashSet;

use egui::RichText;

use super::app::{App, View};
use super::command::Command;
use super::dialogs::Dialog;
use crate::model::Place;

/// One line of the tree.
#[derive(Clone, Debug)]
enum Line {
    /// A municipality or area: its name, units and open findings.
    Place {
        name: String,
        units: usize,
        open: usize,
    },
    /// A unit by position.
    Unit(usize),
}

/// Each place's name, units and open findings.
type Places = Vec<(String, Vec<usize>, usize)>;

/// What the tree keeps between frames.
#[derive(Default)]
pub struct TreeState {
    /// Places shown closed.
    closed: HashSet<String>,
    /// Places opened by the user (when the survey starts closed).
    opened: HashSet<String>,
    /// Places and their units, per revision of the survey.
    cache: Option<(u64, Places, Vec<usize>)>,
}

/// Open findings of each unit (those not marked as reviewed).
pub fn open_findings_per_unit(app: &App) -> Vec<usize> {
    let Some(doc) = &app.doc else {
        return Vec::new();
    };
    let survey = doc.survey();
    let mut open = vec![0; survey.units.len()];
    for f in &doc.analysis().findings {
        let unit = &survey.units[f.unit as usize];
        if unit.reviews.is_empty() || unit.review_of(f).is_none() {
            open[f.unit as usize] += 1;
        }
    }
    open
}

/// Draws the tree.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let survey = doc.survey();
    let revision = doc.revision();
    if app
        .tree
        .cache
        .as_ref()
        .is_none_or(|(r, _, _)| *r != revision)
    {
        let open = open_findings_per_unit(app);
        let survey = app.doc.as_ref().expect("open").survey();
        let mut places: Vec<(String, Vec<usize>, usize)> = survey
            .frame
            .municipalities
            .iter()
            .map(|m| (m.clone(), Vec::new(), 0))
            .collect();
        for (i, unit) in survey.units.iter().enumerate() {
            let slot = match &unit.place {
                Place::Municipality(m) => *m,
                Place::Area(a) => match places.iter().position(|(n, _, _)| n == a) {
                    Some(p) if p >= survey.frame.municipalities.len() => p,
                    _ => {
                        places.push((a.clone(), Vec::new(), 0));
                        places.len() - 1
                    }
                },
            };
            places[slot].1.push(i);
            places[slot].2 += open[i];
        }
        app.tree.cache = Some((revision, places, open));
    }
    let doc = app.doc.as_ref().expect("open");
    let (_, places, open) = app.tree.cache.as_ref().expect("cached");
    let start_closed = places.len() > 12;
    let selected_place = app
        .selected
        .and_then(|s| survey.units.get(s))
        .map(|u| survey.place_name(&u.place).to_owned());
    let is_open = |name: &String| {
        if start_closed {
            app.tree.opened.contains(name) || selected_place.as_ref() == Some(name)
        } else {
            !app.tree.closed.contains(name)
        }
    };
    let mut lines = Vec::with_capacity(places.len() + survey.units.len());
    for (name, units, n_open) in places {
        lines.push(Line::Place {
            name: name.clone(),
            units: units.len(),
            open: *n_open,
        });
        if is_open(name) {
            lines.extend(units.iter().map(|&u| Line::Unit(u)));
        }
    }

    let mut fold = false;
    ui.horizontal(|ui| {
        fold = ui
            .small_button("«")
            .on_hover_text("Dölj enhetslistan (Ctrl+L)")
            .clicked();
        ui.strong(&survey.frame.name);
    });
    ui.label(format!("{} · {}", survey.frame.region, survey.frame.period));
    let add = ui
        .add_enabled(!doc.is_read_only(), egui::Button::new("+ Ny enhet"))
        .on_hover_text("Ctrl+Skift+N")
        .clicked();
    ui.separator();

    let mut toggle: Option<String> = None;
    let mut select: Option<usize> = None;
    let mut command: Option<(Command, usize)> = None;
    let row_height = ui.spacing().interact_size.y + 2.0;
    let selected = app.selected;
    egui::ScrollArea::vertical().auto_shrink(false).show_rows(
        ui,
        row_height,
        lines.len(),
        |ui, range| {
            // One line per row: virtual scrolling needs a fixed height.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for line in &lines[range] {
                match line {
                    Line::Place { name, units, open } => {
                        let arrow = if is_open(name) { "–" } else { "+" };
                        let text = if *open > 0 {
                            format!("{arrow} {name} ({units} enh., {open} fynd)")
                        } else {
                            format!("{arrow} {name} ({units} enh.)")
                        };
                        if ui
                            .add(egui::Button::new(RichText::new(text).strong()).frame(false))
                            .clicked()
                        {
                            toggle = Some(name.clone());
                        }
                    }
                    Line::Unit(u) => {
                        let unit = &survey.units[*u];
                        let authority = &survey.frame.authorities[unit.authority];
                        let n = open[*u];
                        let mut text = if n > 0 {
                            format!("    {} · {} · {n} fynd", unit.name, authority)
                        } else {
                            format!("    {} · {}", unit.name, authority)
                        };
                        // Double entry: verified, or changed since.
                        if unit.verification.is_some() {
                            text.push_str(if unit.is_verified() {
                                " · ✔✔ kontrollinmatad"
                            } else {
                                " · ändrad efter kontroll"
                            });
                        }
                        let response = ui.selectable_label(selected == Some(*u), text);
                        if response.clicked() {
                            select = Some(*u);
                        }
                        response.context_menu(|ui| {
                            for c in [
                                Command::MoveUnitUp,
                                Command::MoveUnitDown,
                                Command::DeleteUnit,
                            ] {
                                if ui.button(c.label()).clicked() {
                                    command = Some((c, *u));
                                    ui.close();
                                }
                            }
                        });
                    }
                }
            }
        },
    );

    if add {
        app.run(ui.ctx(), Command::AddUnit);
    }
    if fold {
        app.run(ui.ctx(), Command::ToggleTree);
    }
    if let Some(name) = toggle {
        let set = if start_closed {
            &mut app.tree.opened
        } else {
            &mut app.tree.closed
        };
        if !set.remove(&name) {
            set.insert(name);
        }
    }
    if let Some(u) = select {
        app.finish_edit();
        app.selected = Some(u);
        app.view = View::Form;
    }
    if let Some((c, u)) = command {
        app.finish_edit();
        app.selected = Some(u);
        if c == Command::DeleteUnit {
            app.dialog = Some(Dialog::ConfirmDelete(u));
        } else {
            app.run(ui.ctx(), c);
        }
    }
}
