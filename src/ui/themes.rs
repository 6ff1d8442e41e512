//! Themes in the app: the theme cell of the groups grid (a menu of the
//! frame's themes, with suggestions from their keywords that are applied
//! only when clicked), and the view of all groups of the survey by theme,
//! to tag many at once. Every change goes through the document's undo.

use std::collections::BTreeSet;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::app::App;
use super::document::{Change, ThemeEdit};
use crate::model::themes::{self, DOUBLE_COUNT_NOTE, UNTAGGED_SV};
use crate::model::{TargetGroup, Theme};

/// The theme cell of a group in the grid: a button naming its themes that
/// opens a menu with a checkbox per theme, then a button per suggested
/// theme. Returns the theme to put on or take off, if one was clicked.
pub fn group_themes_ui(
    ui: &mut egui::Ui,
    themes: &[Theme],
    group: &TargetGroup,
    rank: u32,
) -> Option<u16> {
    let mut toggled = None;
    ui.horizontal(|ui| {
        let names = themes::names(themes, group);
        let hover = if themes.is_empty() {
            "Ramen har inga teman än: lägg till dem under Arkiv → Ändra ramen".to_owned()
        } else if names.is_empty() {
            "Inget tema: klicka för att välja".to_owned()
        } else {
            format!("{names}: klicka för att ändra")
        };
        let text = if names.is_empty() {
            "–".to_owned()
        } else {
            names
        };
        let suggested = themes::suggestions(themes, group);
        // In a narrow cell the names and the suggestions share the width,
        // each cut with the whole name on hover.
        let share = if suggested.is_empty() {
            ui.available_width()
        } else {
            (ui.available_width() / 2.0).max(20.0)
        };
        let button = ui
            .allocate_ui(egui::vec2(share, ui.spacing().interact_size.y), |ui| {
                ui.add(egui::Button::new(RichText::new(text).small()).truncate())
            })
            .inner
            .on_hover_text(hover)
            .accessible_name(format!("Rang {rank}, Tema"));
        egui::Popup::menu(&button)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                if themes.is_empty() {
                    ui.label("Inga teman i ramen (Arkiv → Ändra ramen).");
                }
                for (t, theme) in themes.iter().enumerate() {
                    let t = t as u16;
                    let mut on = group.themes.contains(&t);
                    if ui.checkbox(&mut on, &theme.name).changed() {
                        toggled = Some(t);
                    }
                }
            });
        for t in suggested {
            let Some(theme) = themes.get(usize::from(t)) else {
                continue;
            };
            if ui
                .add(
                    egui::Button::new(
                        RichText::new(format!("+ {}?", theme.name))
                            .small()
                            .italics(),
                    )
                    .truncate(),
                )
                .on_hover_text(format!(
                    "Förslag från temats nyckelord: {}. Klicka för att sätta temat.",
                    theme.name
                ))
                .accessible_name(format!("Rang {rank}, föreslaget tema {}", theme.name))
                .clicked()
            {
                toggled = Some(t);
            }
        }
    });
    toggled
}

/// Which groups the view lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Show {
    /// Every group.
    #[default]
    All,
    /// Groups without a theme.
    Untagged,
    /// Groups with this theme.
    Theme(u16),
    /// Groups the keywords of this theme suggest, without it.
    Suggested(u16),
}

/// The groups listed (unit, group) for a revision, choice and search.
type Listed = (u64, Show, String, Vec<(usize, usize)>);

/// What the view keeps between frames.
#[derive(Default)]
pub struct ThemesState {
    /// Which groups are listed.
    pub show: Show,
    /// The theme the buttons set or take off.
    pub theme: Option<u16>,
    /// Only groups whose label holds this text.
    pub search: String,
    /// Marked groups: (unit, group), for the survey's revision
    /// `marked_at` (any change of the survey clears them: positions may
    /// have moved).
    pub marked: BTreeSet<(usize, usize)>,
    marked_at: u64,
    /// The listed groups, for a revision, choice and search.
    cache: Option<Listed>,
}

/// A button's wish, done after the frame.
enum Action {
    Set(bool),
    MarkShown,
    UnmarkAll,
}

fn show_name(themes: &[Theme], show: Show) -> String {
    let name = |t: u16| themes.get(usize::from(t)).map_or("", |t| t.name.as_str());
    match show {
        Show::All => "Alla målgrupper".to_owned(),
        Show::Untagged => UNTAGGED_SV.to_owned(),
        Show::Theme(t) => format!("Tema: {}", name(t)),
        Show::Suggested(t) => format!("Förslag: {}", name(t)),
    }
}

/// Draws the view of all groups by theme.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let survey = doc.survey();
    let frame_themes = &survey.frame.themes;
    let st = &mut app.themes;
    if st.marked_at != doc.revision() {
        st.marked.clear();
        st.marked_at = doc.revision();
    }
    if st
        .theme
        .is_some_and(|t| usize::from(t) >= frame_themes.len())
    {
        st.theme = None;
    }
    if st.theme.is_none() && !frame_themes.is_empty() {
        st.theme = Some(0);
    }
    ui.label(
        "Sätt teman (gemensamma målgrupper) på många målgrupper på en gång: välj vilka som visas, markera dem och sätt eller ta bort temat. Förslagen kommer från temats nyckelord och sätts bara när du själv väljer det. Allt går att ångra (Ctrl+Z).",
    );
    if frame_themes.is_empty() {
        ui.label(
            RichText::new("Ramen har inga teman än. Lägg till dem under Arkiv → Ändra ramen (ett per rad, nyckelord efter kolon).")
                .strong(),
        );
    }
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Visa målgrupper");
        egui::ComboBox::from_id_salt("visa teman")
            .selected_text(show_name(frame_themes, st.show))
            .show_ui(ui, |ui| {
                let mut choices = vec![Show::All, Show::Untagged];
                for t in 0..frame_themes.len() as u16 {
                    choices.push(Show::Theme(t));
                }
                for t in 0..frame_themes.len() as u16 {
                    choices.push(Show::Suggested(t));
                }
                for c in choices {
                    ui.selectable_value(&mut st.show, c, show_name(frame_themes, c));
                }
            })
            .response
            .labelled_by(l.id);
        let l = ui.label("Sök i målgrupp");
        ui.add(egui::TextEdit::singleline(&mut st.search).desired_width(160.0))
            .labelled_by(l.id);
        let l = ui.label("Tema att sätta");
        egui::ComboBox::from_id_salt("tema att sätta")
            .selected_text(
                st.theme
                    .and_then(|t| frame_themes.get(usize::from(t)))
                    .map_or("–", |t| t.name.as_str()),
            )
            .show_ui(ui, |ui| {
                for (t, theme) in frame_themes.iter().enumerate() {
                    ui.selectable_value(&mut st.theme, Some(t as u16), &theme.name);
                }
            })
            .response
            .labelled_by(l.id);
    });
    let key = (doc.revision(), st.show, st.search.clone());
    if st
        .cache
        .as_ref()
        .is_none_or(|(r, s, q, _)| (*r, *s, q) != (key.0, key.1, &key.2))
    {
        let needle = st.search.trim().to_lowercase();
        let mut rows = Vec::new();
        for (u, unit) in survey.units.iter().enumerate() {
            for (g, group) in unit.groups.iter().enumerate() {
                let shown = match st.show {
                    Show::All => true,
                    Show::Untagged => group.themes.is_empty(),
                    Show::Theme(t) => group.themes.contains(&t),
                    Show::Suggested(t) => themes::suggestions(frame_themes, group).contains(&t),
                };
                if shown && (needle.is_empty() || group.label.to_lowercase().contains(&needle)) {
                    rows.push((u, g));
                }
            }
        }
        st.cache = Some((key.0, key.1, key.2, rows));
    }
    let rows = st.cache.as_ref().map(|c| c.3.as_slice()).unwrap_or(&[]);
    let marked = st.marked.len();
    let theme_name = st
        .theme
        .and_then(|t| frame_themes.get(usize::from(t)))
        .map(|t| t.name.clone());
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "{} målgrupper visas, {marked} markerade.",
            rows.len()
        ));
        if ui.button("Markera alla som visas").clicked() {
            action = Some(Action::MarkShown);
        }
        if ui
            .add_enabled(marked > 0, egui::Button::new("Avmarkera alla"))
            .clicked()
        {
            action = Some(Action::UnmarkAll);
        }
        let ready = marked > 0 && theme_name.is_some() && !doc.is_read_only();
        if ui
            .add_enabled(ready, egui::Button::new("Sätt temat på markerade"))
            .clicked()
        {
            action = Some(Action::Set(true));
        }
        if ui
            .add_enabled(ready, egui::Button::new("Ta bort temat från markerade"))
            .clicked()
        {
            action = Some(Action::Set(false));
        }
    });
    // At the body's size: a note read before trusting the totals.
    ui.label(DOUBLE_COUNT_NOTE);
    ui.separator();

    let mut flip: Option<(usize, usize)> = None;
    let row_height = ui.spacing().interact_size.y;
    // The text columns share the width left by the narrow ones, so the
    // table fits the window (1024 px wide too); a label cut short shows its
    // whole text on hover.
    let gap = ui.spacing().item_spacing.x;
    let text_width = (ui.available_width() - 28.0 - 44.0 - 60.0 - 8.0 * gap).max(400.0);
    let share = |part: f32| (text_width * part).floor();
    ui.scope(|ui| {
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("teman")
            .striped(true)
            .column(Column::exact(28.0))
            .column(Column::exact(share(0.13)).clip(true))
            .column(Column::exact(share(0.15)).clip(true))
            .column(Column::exact(share(0.2)).clip(true))
            .column(Column::exact(44.0))
            .column(Column::exact(share(0.3)).clip(true))
            .column(Column::exact(60.0))
            .column(Column::remainder().clip(true))
            .header(22.0, |mut h| {
                for name in [
                    "",
                    "Kommun/område",
                    "Myndighet",
                    "Enhet",
                    "Rang",
                    "Målgrupp",
                    "Antal",
                    "Teman",
                ] {
                    h.col(|ui| {
                        ui.add(egui::Label::new(RichText::new(name).strong()).truncate());
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let (u, g) = rows[row.index()];
                    let unit = &survey.units[u];
                    let group = &unit.groups[g];
                    row.col(|ui| {
                        let mut on = st.marked.contains(&(u, g));
                        if ui
                            .checkbox(&mut on, "")
                            .accessible_name(format!(
                                "Markera {}, rang {}: {}",
                                unit.name, group.rank, group.label
                            ))
                            .changed()
                        {
                            flip = Some((u, g));
                        }
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(survey.place_name(&unit.place)).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(&survey.frame.authorities[unit.authority]).truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&unit.name).truncate());
                    });
                    row.col(|ui| {
                        ui.label(group.rank.to_string());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&group.label).truncate());
                    });
                    row.col(|ui| {
                        let count = group.row.count.get().map_or(String::new(), |n| {
                            if group.estimated {
                                format!("ca {n}")
                            } else {
                                n.to_string()
                            }
                        });
                        ui.label(count);
                    });
                    row.col(|ui| {
                        let names = themes::names(frame_themes, group);
                        let hints: Vec<&str> = themes::suggestions(frame_themes, group)
                            .into_iter()
                            .filter_map(|t| frame_themes.get(usize::from(t)))
                            .map(|t| t.name.as_str())
                            .collect();
                        // One line: the rows have one height.
                        ui.horizontal(|ui| {
                            ui.label(names);
                            if !hints.is_empty() {
                                ui.label(
                                    RichText::new(format!("förslag: {}", hints.join(", ")))
                                        .small()
                                        .italics(),
                                );
                            }
                        });
                    });
                });
            });
    });
    if let Some(key) = flip
        && !st.marked.remove(&key)
    {
        st.marked.insert(key);
    }
    let shown: Vec<(usize, usize)> = rows.to_vec();
    match action {
        None => {}
        Some(Action::MarkShown) => st.marked.extend(shown),
        Some(Action::UnmarkAll) => st.marked.clear(),
        Some(Action::Set(on)) => {
            let (Some(t), Some(name)) = (st.theme, theme_name) else {
                return;
            };
            let edits = tag_edits(survey, &st.marked, t, on);
            if edits.is_empty() {
                app.info = Some(if on {
                    format!("Alla markerade målgrupper har redan temat ”{name}”.")
                } else {
                    format!("Ingen av de markerade målgrupperna har temat ”{name}”.")
                });
                return;
            }
            let what = if on {
                format!("sätt temat ”{name}” på {} målgrupper", edits.len())
            } else {
                format!("ta bort temat ”{name}” från {} målgrupper", edits.len())
            };
            let n = edits.len();
            app.finish_edit();
            let Some(doc) = &mut app.doc else { return };
            let result = doc.apply(Change::Themes(edits), &what);
            if result.is_ok() {
                app.info = Some(format!(
                    "{} ”{name}” {} {n} målgrupper (ångra med Ctrl+Z).",
                    if on { "Satte temat" } else { "Tog bort temat" },
                    if on { "på" } else { "från" }
                ));
                app.themes.marked.clear();
            }
            app.report(result);
        }
    }
}

/// The edits that put theme `t` on (or take it off) the marked groups that
/// do not have it (or do); groups no longer there are skipped.
pub fn tag_edits(
    survey: &crate::model::Survey,
    marked: &BTreeSet<(usize, usize)>,
    t: u16,
    on: bool,
) -> Vec<ThemeEdit> {
    marked
        .iter()
        .filter_map(|&(u, g)| {
            let group = survey.units.get(u)?.groups.get(g)?;
            if group.themes.contains(&t) == on {
                return None;
            }
            let mut after = group.clone();
            themes::toggle(&mut after, t);
            Some(ThemeEdit {
                unit: u,
                group: g,
                before: group.themes.clone(),
                after: after.themes,
            })
        })
        .collect()
}
