//! The grid of ranked target groups: header rows, one row per group, the
//! sum row and the unit's own printed total row.

use egui::{Id, RichText};

use super::fields::{CELL_WIDTH, line, number, select_all};
use super::heads::{head, head_at};
use super::{Edit, FormState, Target, TextField};
use crate::model::check::{Finding, Kind, Subject};
use crate::model::{Dimension, Layout, Unit};

/// The finding that colours a cell, if any.
pub(super) fn cell_finding(
    findings: &[Finding],
    unit: &Unit,
    group: Option<usize>,
    layout: &Layout,
    target_index: Option<usize>,
    count_cell: bool,
) -> Option<(Kind, bool)> {
    let dim_of = |i: usize| {
        Dimension::ALL
            .into_iter()
            .find(|d| layout.range(*d).contains(&i))
            .expect("cell in layout")
    };
    findings
        .iter()
        .filter(|f| f.group.map(|g| g as usize) == group)
        .find(|f| match (f.subject, target_index) {
            (Subject::Count, None) => count_cell,
            (Subject::Breakdown(d), Some(i)) => dim_of(i) == d,
            (Subject::Category(d, c), Some(i)) => layout.range(d).start + usize::from(c) == i,
            _ => false,
        })
        .map(|f| (f.kind, unit.review_of(f).is_some()))
}

pub(super) fn column_heads(survey: &crate::model::Survey) -> Vec<(Dimension, String)> {
    Dimension::ALL
        .into_iter()
        .flat_map(|d| survey.frame.labels(d).iter().map(move |l| (d, l.clone())))
        .collect()
}

/// The width of the rank column ("Rang" at the body text's size).
const RANK_WIDTH: f32 = 30.0;
/// The width of a group's label field (a longer label is cut, and shown
/// whole on hover).
pub(super) const LABEL_WIDTH: f32 = 140.0;
/// The width of the estimate box.
const ESTIMATE_WIDTH: f32 = 24.0;
/// The width of a group's note field.
const NOTE_WIDTH: f32 = 80.0;
/// The width of the theme cell: its names, and suggestions, cut to it.
const THEME_WIDTH: f32 = 56.0;

/// Clips the row about to be drawn away when it starts under the band of
/// headers held at the top of `view`: no half row peeks out below the
/// headers, and no hidden cell takes a click.
fn clip_row(ui: &mut egui::Ui, heads: &[super::heads::Head], view: egui::Rect) {
    let top = ui.available_rect_before_wrap().top();
    let under = super::heads::held_band_bottom(heads, view).is_some_and(|b| top < b);
    ui.set_clip_rect(if under {
        egui::Rect::from_min_max(view.min, view.min)
    } else {
        view
    });
}

#[allow(clippy::too_many_arguments)]
pub(super) fn groups_grid(
    ui: &mut egui::Ui,
    survey: &crate::model::Survey,
    u: usize,
    unit: &Unit,
    layout: &Layout,
    findings: &[Finding],
    sums: &crate::model::aggregate::Totals,
    st: &mut FormState,
    edits: &mut Vec<Edit>,
    dark: bool,
) {
    let heads = column_heads(survey);
    let n_groups = unit.groups.len();
    // The form's view: rows under the headers held at its top are clipped.
    let view = ui.clip_rect();
    let grid = egui::Grid::new(("målgrupper", u))
        .striped(true)
        // Rang, Målgrupp, Antal, ca, the cells, Notering, Tema, Kontroll:
        // the last column takes the width that is left.
        .num_columns(heads.len() + 7)
        // Not egui's 40 points: a column is as wide as its cells.
        .min_col_width(ESTIMATE_WIDTH)
        .spacing([4.0, 4.0])
        .show(ui, |ui| {
            // Two header rows: the dimension over its first column (the
            // band's name runs over the columns after it), then each
            // category, wrapped to the cell's width. Both are remembered
            // so that they stay in view while the groups scroll.
            st.heads.clear();
            for _ in 0..4 {
                ui.label("");
            }
            let mut last = None;
            for (d, _) in &heads {
                let text = (last != Some(*d)).then(|| d.name_sv().to_owned());
                last = Some(*d);
                let (rect, _) = ui.allocate_exact_size(
                    egui::vec2(CELL_WIDTH, ui.spacing().interact_size.y),
                    egui::Sense::hover(),
                );
                if let Some(text) = text {
                    head_at(ui, rect, text, true, f32::INFINITY, &mut st.heads);
                }
            }
            ui.end_row();
            for (h, width) in [
                ("Rang", RANK_WIDTH),
                ("Målgrupp", LABEL_WIDTH),
                ("Antal", CELL_WIDTH),
            ] {
                head(ui, h, width, &mut st.heads);
            }
            head(ui, "ca", ESTIMATE_WIDTH, &mut st.heads)
                .on_hover_text("Uppskattat antal (”ca 300”)");
            for (_, l) in &heads {
                head(ui, l, CELL_WIDTH, &mut st.heads);
            }
            head(ui, "Notering", NOTE_WIDTH, &mut st.heads);
            head(ui, "Tema", THEME_WIDTH, &mut st.heads);
            head(
                ui,
                "Kontroll",
                super::row_end::CHECK_MIN_WIDTH,
                &mut st.heads,
            );
            ui.end_row();

            for (g, group) in unit.groups.iter().enumerate() {
                clip_row(ui, &st.heads, view);
                let rank = group.rank;
                ui.label(rank.to_string());
                let r = line(
                    ui,
                    st,
                    unit,
                    super::keys::label_id(u, g),
                    &group.label,
                    &format!("Rang {rank}, Målgrupp"),
                    LABEL_WIDTH,
                    TextField::Label(g),
                    edits,
                );
                if st.focus_group_label == Some(g) {
                    st.focus_group_label = None;
                    r.request_focus();
                    select_all(ui.ctx(), r.id, &group.label);
                }
                label_cut_hover(ui, r, &group.label);
                let count_finding = cell_finding(findings, unit, Some(g), layout, None, true);
                number(
                    ui,
                    st,
                    u,
                    unit,
                    Target::Count(g),
                    &format!("Rang {rank}, Antal"),
                    count_finding,
                    edits,
                );
                // Not a Tab stop: typing "ca 300" sets it already.
                if ui
                    .add(
                        egui::Button::new(if group.estimated { "ca" } else { "" })
                            .selected(group.estimated)
                            .min_size(egui::vec2(ESTIMATE_WIDTH, 0.0))
                            .sense(egui::Sense::CLICK),
                    )
                    .on_hover_text("Uppskattat antal (sätts också genom att skriva ”ca 300”)")
                    .accessible_name(format!("Rang {rank}, Uppskattat"))
                    .clicked()
                {
                    edits.push(Edit::Estimated(g, !group.estimated));
                }
                for (i, (d, l)) in heads.iter().enumerate() {
                    let f = cell_finding(findings, unit, Some(g), layout, Some(i), false);
                    number(
                        ui,
                        st,
                        u,
                        unit,
                        Target::Cell(g, i),
                        &format!("Rang {rank}, {} {l}", d.name_sv()),
                        f,
                        edits,
                    );
                }
                line(
                    ui,
                    st,
                    unit,
                    Id::unique(("gruppnot", u, g)),
                    group.note.as_deref().unwrap_or(""),
                    &format!("Rang {rank}, Notering"),
                    NOTE_WIDTH,
                    TextField::GroupNote(g),
                    edits,
                );
                let theme = fixed_width(ui, THEME_WIDTH, |ui| {
                    crate::ui::themes::group_themes_ui(ui, &survey.frame.themes, group, rank)
                });
                if let Some(t) = theme {
                    edits.push(Edit::Theme(g, t));
                }
                super::row_end::row_end_ui(ui, survey, unit, g, findings, dark, edits);
                ui.end_row();
            }

            // Where Ctrl+G's new group would go: Tab from the last number
            // lands here when there is no total row, and a name typed here
            // makes the group.
            clip_row(ui, &st.heads, view);
            ui.label("");
            super::new_row::new_row_ui(ui, st, u, unit, LABEL_WIDTH, edits);
            ui.end_row();

            // The sums of the groups, as the model computed them.
            clip_row(ui, &st.heads, view);
            ui.label("");
            ui.strong("Summa");
            ui.label(RichText::new(sums.count.to_string()).strong());
            ui.label("");
            for v in &sums.cells {
                ui.label(v.to_string());
            }
            ui.end_row();

            clip_row(ui, &st.heads, view);
            match &unit.reported_totals {
                Some(_) => {
                    ui.label("");
                    ui.strong("Enhetens totalrad");
                    let f = cell_finding(findings, unit, None, layout, None, true);
                    number(
                        ui,
                        st,
                        u,
                        unit,
                        Target::TotalCount,
                        "Totalrad, Antal",
                        f,
                        edits,
                    );
                    ui.label("");
                    for (i, (d, l)) in heads.iter().enumerate() {
                        let f = cell_finding(findings, unit, None, layout, Some(i), false);
                        number(
                            ui,
                            st,
                            u,
                            unit,
                            Target::TotalCell(i),
                            &format!("Totalrad, {} {l}", d.name_sv()),
                            f,
                            edits,
                        );
                    }
                    // In the Kontroll column, a menu as on the group rows:
                    // the narrow note and theme columns stay narrow.
                    ui.label("");
                    ui.label("");
                    super::row_end::total_row_menu_ui(ui, edits);
                    ui.end_row();
                }
                None => {
                    ui.label("");
                    if ui
                        .small_button("+ Enhetens totalrad (Ctrl+T)")
                        .on_hover_text("Om enheten skrev en egen summarad")
                        .clicked()
                    {
                        st.focus_target = Some(Target::TotalCount);
                        edits.push(Edit::AddTotalRow);
                    }
                    ui.end_row();
                }
            }
        });
    ui.set_clip_rect(view);
    st.grid_bottom = grid.response.rect.bottom();
    if ui.button("+ Målgrupp (Ctrl+G)").clicked() {
        st.new_row.clear();
        st.focus_group_label = Some(n_groups);
        edits.push(Edit::AddGroup);
    }
}

/// Shows a label cut by its field whole on hover.
fn label_cut_hover(ui: &egui::Ui, field: egui::Response, label: &str) {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let width = ui.fonts_mut(|f| {
        f.layout_no_wrap(label.to_owned(), font, egui::Color32::PLACEHOLDER)
            .size()
            .x
    });
    if width > LABEL_WIDTH - 2.0 * ui.spacing().button_padding.x {
        field.on_hover_text(label);
    }
}

/// Draws `add` in a cell exactly `width` wide, cut to it, so that what it
/// holds never widens its grid column.
fn fixed_width<R>(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            ui.set_clip_rect(ui.max_rect().intersect(ui.clip_rect()));
            add(ui)
        },
    )
    .inner
}
