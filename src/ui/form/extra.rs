//! A group's extra tables (the unit's own layout beside the frame's).

use egui::Id;

use super::fields::{line, number};
use super::{Edit, FormState, Target, TextField};
use crate::model::entry;
use crate::model::{Cell, ExtraTable, Unit};

/// A change to an extra table's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    AddRow,
    AddColumn,
    RemoveRow,
    RemoveColumn,
}

/// "Rad 3", or the first "Rad n" from there that `names` does not hold.
fn unused(names: &[String], word: &str, from: usize) -> String {
    (from..)
        .map(|n| format!("{word} {n}"))
        .find(|name| !names.contains(name))
        .unwrap_or_default()
}

pub(super) fn reshape(t: &mut ExtraTable, shape: Shape) {
    let (rows, cols) = (t.rows.len(), t.columns.len());
    let cell = |r: usize, c: usize, t: &ExtraTable| t.cells[r * cols + c];
    let (new_rows, new_cols) = match shape {
        Shape::AddRow => (rows + 1, cols),
        Shape::AddColumn => (rows, cols + 1),
        Shape::RemoveRow if rows > 1 => (rows - 1, cols),
        Shape::RemoveColumn if cols > 1 => (rows, cols - 1),
        _ => return,
    };
    let mut cells = Vec::with_capacity(new_rows * new_cols);
    for r in 0..new_rows {
        for c in 0..new_cols {
            cells.push(if r < rows && c < cols {
                cell(r, c, t)
            } else {
                Cell::BLANK
            });
        }
    }
    t.cells = cells;
    match shape {
        // A name no other row (column) has: the rules want them distinct.
        Shape::AddRow => t.rows.push(unused(&t.rows, "Rad", new_rows)),
        Shape::AddColumn => t.columns.push(unused(&t.columns, "Kolumn", new_cols)),
        Shape::RemoveRow => {
            t.rows.pop();
        }
        Shape::RemoveColumn => {
            t.columns.pop();
        }
    }
}

pub(super) fn extra_tables(
    ui: &mut egui::Ui,
    u: usize,
    unit: &Unit,
    st: &mut FormState,
    edits: &mut Vec<Edit>,
) {
    for (g, group) in unit.groups.iter().enumerate() {
        for (t, table) in group.extra.iter().enumerate() {
            ui.separator();
            ui.horizontal(|ui| {
                ui.label(format!("Egen tabell till rang {}:", group.rank));
                line(
                    ui,
                    st,
                    unit,
                    Id::unique(("tabelltitel", u, g, t)),
                    &table.title,
                    &format!("Rang {} tabell {} rubrik", group.rank, t + 1),
                    300.0,
                    TextField::TableTitle(g, t),
                    edits,
                );
                // Deleting is clicked, never reached by Tab and Enter.
                if ui
                    .add(
                        egui::Button::new("Ta bort tabellen")
                            .small()
                            .sense(egui::Sense::CLICK),
                    )
                    .clicked()
                {
                    edits.push(Edit::RemoveTable(g, t));
                }
            });
            egui::Grid::new(("tabell", u, g, t)).show(ui, |ui| {
                ui.label("");
                for (c, col) in table.columns.iter().enumerate() {
                    line(
                        ui,
                        st,
                        unit,
                        Id::unique(("tabellkolumn", u, g, t, c)),
                        col,
                        &format!("Rang {} tabell {} kolumn {}", group.rank, t + 1, c + 1),
                        90.0,
                        TextField::TableColumn(g, t, c),
                        edits,
                    );
                }
                ui.end_row();
                for (r, row) in table.rows.iter().enumerate() {
                    line(
                        ui,
                        st,
                        unit,
                        Id::unique(("tabellrad", u, g, t, r)),
                        row,
                        &format!("Rang {} tabell {} rad {}", group.rank, t + 1, r + 1),
                        140.0,
                        TextField::TableRow(g, t, r),
                        edits,
                    );
                    for c in 0..table.columns.len() {
                        let name = format!(
                            "Rang {} tabell {}, {} {}",
                            group.rank,
                            t + 1,
                            row,
                            table.columns[c]
                        );
                        number(
                            ui,
                            st,
                            u,
                            unit,
                            Target::Extra(g, t, r * table.columns.len() + c),
                            &name,
                            None,
                            edits,
                        );
                    }
                    ui.end_row();
                }
            });
            ui.horizontal(|ui| {
                for (text, shape) in [
                    ("+ Rad", Shape::AddRow),
                    ("+ Kolumn", Shape::AddColumn),
                    ("− Rad", Shape::RemoveRow),
                    ("− Kolumn", Shape::RemoveColumn),
                ] {
                    if ui
                        .add(egui::Button::new(text).small().sense(egui::Sense::CLICK))
                        .clicked()
                    {
                        edits.push(Edit::TableShape(g, t, shape));
                    }
                }
                let sum = crate::model::filled_sum(&table.cells);
                ui.label(format!(
                    "Summa {} av antal {}",
                    sum.map_or("–".to_owned(), |s| s.to_string()),
                    entry::show(group.row.count)
                ));
            });
        }
    }
}
