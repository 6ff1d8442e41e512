//! The grid of ranked target groups: header rows, one row per group, the
//! sum row and the unit's own printed total row.

use egui::{Id, RichText};

use super::fields::{CELL_WIDTH, line, number, select_all};
use super::{Edit, FormState, Target, TextField};
use crate::model::check::{Finding, Kind, Subject};
use crate::model::{Dimension, Layout, Unit};
use crate::ui::colours;

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

/// The width of a group's label field.
const LABEL_WIDTH: f32 = 180.0;
/// The width of a group's note field.
const NOTE_WIDTH: f32 = 120.0;

/// A column header as drawn: where, and what, so it can be drawn again at
/// the top of the form when the groups have scrolled it away.
#[derive(Clone, Debug)]
pub struct Head {
    rect: egui::Rect,
    text: String,
    strong: bool,
    wrap: f32,
}

fn head_galley(ui: &egui::Ui, text: &str, strong: bool, wrap: f32) -> std::sync::Arc<egui::Galley> {
    let colour = if strong {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| f.layout(text.to_owned(), font, colour, wrap))
}

/// A header in a cell `width` wide, wrapped, at the body text's size.
fn head(ui: &mut egui::Ui, text: &str, width: f32, heads: &mut Vec<Head>) {
    let galley = head_galley(ui, text, true, width);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, galley.size().y), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, text));
    head_at(ui, rect, text.to_owned(), true, width, heads);
}

/// Paints a header at `rect` (it may run over to the right) and keeps it.
fn head_at(
    ui: &egui::Ui,
    rect: egui::Rect,
    text: String,
    strong: bool,
    wrap: f32,
    heads: &mut Vec<Head>,
) {
    let galley = head_galley(ui, &text, strong, wrap);
    ui.painter()
        .galley(rect.left_top(), galley, ui.visuals().text_color());
    heads.push(Head {
        rect,
        text,
        strong,
        wrap,
    });
}

/// Draws the headers kept in `heads` again at the top of `view` when the
/// form has scrolled them out of it, over a band of the panel's colour.
pub(super) fn sticky_heads(ui: &egui::Ui, heads: &[Head], view: egui::Rect) {
    let Some(top) = heads.iter().map(|h| h.rect.top()).reduce(f32::min) else {
        return;
    };
    let bottom = heads.iter().map(|h| h.rect.bottom()).fold(top, f32::max);
    if top >= view.top() {
        return;
    }
    let shift = view.top() - top;
    let layer = egui::LayerId::new(
        egui::Order::Middle,
        egui::Id::unique("fasta kolumnrubriker"),
    );
    let painter = ui.ctx().layer_painter(layer).with_clip_rect(view);
    let band =
        egui::Rect::from_x_y_ranges(view.x_range(), view.top()..=view.top() + bottom - top + 4.0);
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill);
    painter.hline(
        band.x_range(),
        band.bottom(),
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    for h in heads {
        let galley = head_galley(ui, &h.text, h.strong, h.wrap);
        painter.galley(
            h.rect.left_top() + egui::vec2(0.0, shift),
            galley,
            ui.visuals().text_color(),
        );
    }
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
    egui::Grid::new(("målgrupper", u))
        .striped(true)
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
                ("Rang", 36.0),
                ("Målgrupp", LABEL_WIDTH),
                ("Antal", CELL_WIDTH),
                ("Uppsk.", 30.0),
            ] {
                head(ui, h, width, &mut st.heads);
            }
            for (_, l) in &heads {
                head(ui, l, CELL_WIDTH, &mut st.heads);
            }
            head(ui, "Notering", NOTE_WIDTH, &mut st.heads);
            head(ui, "Tema", 60.0, &mut st.heads);
            head(ui, "Kontroll", 80.0, &mut st.heads);
            ui.end_row();

            for (g, group) in unit.groups.iter().enumerate() {
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
                            .min_size(egui::vec2(26.0, 0.0))
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
                if let Some(t) =
                    crate::ui::themes::group_themes_ui(ui, &survey.frame.themes, group, rank)
                {
                    edits.push(Edit::Theme(g, t));
                }
                ui.horizontal(|ui| {
                    let mine: Vec<&Finding> = findings
                        .iter()
                        .filter(|f| f.group == Some(g as u32))
                        .collect();
                    if ui
                        .add_enabled(
                            g > 0,
                            egui::Button::new("↑").small().sense(egui::Sense::CLICK),
                        )
                        .on_hover_text("Flytta upp")
                        .clicked()
                    {
                        edits.push(Edit::MoveGroup(g, g - 1));
                    }
                    if ui
                        .add_enabled(
                            g + 1 < n_groups,
                            egui::Button::new("↓").small().sense(egui::Sense::CLICK),
                        )
                        .on_hover_text("Flytta ned")
                        .clicked()
                    {
                        edits.push(Edit::MoveGroup(g, g + 1));
                    }
                    if ui
                        .add(
                            egui::Button::new("+ Tabell")
                                .small()
                                .sense(egui::Sense::CLICK),
                        )
                        .on_hover_text("Lägg till en egen tabell i enhetens uppställning")
                        .clicked()
                    {
                        edits.push(Edit::AddTable(g));
                    }
                    if ui
                        .add(
                            egui::Button::new("Ta bort")
                                .small()
                                .sense(egui::Sense::CLICK),
                        )
                        .on_hover_text("Ta bort målgruppen (kan ångras)")
                        .clicked()
                    {
                        edits.push(Edit::RemoveGroup(g));
                    }
                    // The row's findings after its buttons: the buttons stay in
                    // one place and the words run on to the right.
                    for f in &mine {
                        let reviewed = unit.review_of(f).is_some();
                        let colour = if reviewed {
                            colours::reviewed(dark)
                        } else {
                            colours::of(f.kind, dark)
                        };
                        let mark = if reviewed { "✔ " } else { "" };
                        ui.label(
                            RichText::new(format!("{mark}{}", f.message(survey))).color(colour),
                        );
                    }
                });
                ui.end_row();
            }

            // The sums of the groups, as the model computed them.
            ui.label("");
            ui.strong("Summa");
            ui.label(RichText::new(sums.count.to_string()).strong());
            ui.label("");
            for v in &sums.cells {
                ui.label(v.to_string());
            }
            ui.end_row();

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
                    if ui
                        .add(
                            egui::Button::new("Ta bort totalraden")
                                .small()
                                .sense(egui::Sense::CLICK),
                        )
                        .clicked()
                    {
                        edits.push(Edit::RemoveTotalRow);
                    }
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
    if ui.button("+ Målgrupp (Ctrl+G)").clicked() {
        st.focus_group_label = Some(n_groups);
        edits.push(Edit::AddGroup);
    }
}
