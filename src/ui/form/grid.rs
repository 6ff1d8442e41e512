//! The grid of ranked target groups: header rows, one row per group, the
//! sum row and the unit's own printed total row.

use egui::{Id, RichText};

use super::fields::{line, number, select_all};
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
            // Two header rows: the dimension over its first column, then
            // each category.
            for _ in 0..4 {
                ui.label("");
            }
            let mut last = None;
            for (d, _) in &heads {
                if last != Some(*d) {
                    ui.label(RichText::new(d.name_sv()).small().strong());
                    last = Some(*d);
                } else {
                    ui.label("");
                }
            }
            ui.end_row();
            for h in ["Rang", "Målgrupp", "Antal", "Uppsk."] {
                ui.strong(h);
            }
            for (_, l) in &heads {
                ui.label(RichText::new(l).small());
            }
            ui.strong("Notering");
            ui.strong("Kontroll");
            ui.end_row();

            for (g, group) in unit.groups.iter().enumerate() {
                let rank = group.rank;
                ui.label(rank.to_string());
                let r = line(
                    ui,
                    st,
                    unit,
                    Id::unique(("etikett", u, g)),
                    &group.label,
                    &format!("Rang {rank}, Målgrupp"),
                    220.0,
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
                let mut est = group.estimated;
                if ui
                    .checkbox(&mut est, "")
                    .accessible_name(format!("Rang {rank}, Uppskattat"))
                    .changed()
                {
                    edits.push(Edit::Estimated(g, est));
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
                    160.0,
                    TextField::GroupNote(g),
                    edits,
                );
                ui.horizontal(|ui| {
                    let mine: Vec<&Finding> = findings
                        .iter()
                        .filter(|f| f.group == Some(g as u32))
                        .collect();
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
                    if ui
                        .add_enabled(g > 0, egui::Button::new("↑").small())
                        .on_hover_text("Flytta upp")
                        .clicked()
                    {
                        edits.push(Edit::MoveGroup(g, g - 1));
                    }
                    if ui
                        .add_enabled(g + 1 < n_groups, egui::Button::new("↓").small())
                        .on_hover_text("Flytta ned")
                        .clicked()
                    {
                        edits.push(Edit::MoveGroup(g, g + 1));
                    }
                    if ui
                        .small_button("+ Tabell")
                        .on_hover_text("Lägg till en egen tabell i enhetens uppställning")
                        .clicked()
                    {
                        edits.push(Edit::AddTable(g));
                    }
                    if ui
                        .small_button("Ta bort")
                        .on_hover_text("Ta bort målgruppen (kan ångras)")
                        .clicked()
                    {
                        edits.push(Edit::RemoveGroup(g));
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
                    if ui.small_button("Ta bort totalraden").clicked() {
                        edits.push(Edit::RemoveTotalRow);
                    }
                    ui.end_row();
                }
                None => {
                    ui.label("");
                    if ui
                        .small_button("+ Enhetens totalrad")
                        .on_hover_text("Om enheten skrev en egen summarad")
                        .clicked()
                    {
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
