//! The unit form, laid out like the paper form: who answered, the open
//! answers, key figures, then the ranked target groups as a grid with a sum
//! row and the unit's own printed total row, each cell coloured and worded
//! by its finding as it is typed.
//!
//! Typing changes the unit in memory at once; the edit is saved when the
//! field is left, or a moment after the last keystroke (see
//! [`super::document`]). A number cell takes digits,
//! nothing (blank, not 0) or an estimate ("ca 300"); anything else is
//! refused with a message and, when the cell is left, put back as it was.

use std::collections::HashSet;

use egui::{Id, RichText};

use super::app::App;
use super::colours;
use super::document::Document;
use crate::model::check::{Finding, Kind, Subject};
use crate::model::edit::{self, UnitText as TextField};
use crate::model::entry::{self, Entry};
use crate::model::{Cell, Dimension, ExtraTable, KeyFigure, Layout, Place, Row, TargetGroup, Unit};

/// A number cell of the unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A group's count.
    Count(usize),
    /// A group's breakdown cell (position in the layout).
    Cell(usize, usize),
    /// The printed total row's count.
    TotalCount,
    /// The printed total row's cell.
    TotalCell(usize),
    /// A key figure's value.
    Key(usize),
    /// A cell of a group's extra table: group, table, cell.
    Extra(usize, usize, usize),
}

/// The number cell being typed in.
#[derive(Clone, Debug)]
struct Typing {
    id: Id,
    unit: usize,
    target: Target,
    text: String,
    /// The cell and estimate flag before typing, put back if the text is
    /// refused.
    original: (Cell, bool),
}

/// Refused text in a text field.
#[derive(Clone, Debug)]
struct TextRefused {
    id: Id,
    /// The unit and field, and their text when the field was entered, put
    /// back when the field is left.
    unit: usize,
    field: TextField,
    original: String,
    text: String,
}

/// What the form keeps between frames.
#[derive(Default)]
pub struct FormState {
    typing: Option<Typing>,
    /// Cells typed in and left this frame, to be checked by
    /// [`restore_refused`].
    left: Vec<Typing>,
    /// A refused entry: the cell or text field and why.
    pub refused: Option<(Id, String)>,
    /// Text typed into a text field that the rules refuse, shown in the
    /// field until it is corrected or left; never saved.
    text_refused: Option<TextRefused>,
    /// The text field last entered and its text then.
    text_entered: Option<(Id, String)>,
    /// The unit being drawn.
    drawing: usize,
    /// Single-line fields drawn last frame: Enter moves on from them.
    enter_fields: HashSet<Id>,
    drawn_fields: HashSet<Id>,
    /// Give the label of this group the focus (after adding it).
    pub focus_group_label: Option<usize>,
    /// Give the unit's name the focus (after adding the unit).
    pub focus_unit_name: bool,
    /// Give this cell the focus (a finding opened from the review list).
    pub focus_target: Option<Target>,
}

impl FormState {
    /// Whether the cell being typed in holds refused text, which is not
    /// saved until it is corrected (and is put back when left).
    pub fn typing_refused(&self) -> bool {
        self.text_refused.is_some()
            || self.typing.as_ref().is_some_and(|t| {
                entry::parse(&t.text).is_err()
                    || self.refused.as_ref().is_some_and(|(id, _)| *id == t.id)
            })
    }

    /// Drops the cell being typed in (after undo, the model changed under it).
    pub fn forget_typing(&mut self, ctx: &egui::Context) {
        if let Some(t) = self.typing.take() {
            ctx.memory_mut(|m| m.surrender_focus(t.id));
        }
        self.text_refused = None;
        self.refused = None;
    }
}

/// Enter in a single-line field of the form moves on like Tab: the key is
/// taken before the field sees it, and the focus moves to the next field.
pub fn enter_moves_on(ctx: &egui::Context, state: &FormState) {
    let Some(focused) = ctx.memory(|m| m.focused()) else {
        return;
    };
    if !state.enter_fields.contains(&focused) {
        return;
    }
    let shift = ctx.input(|i| i.modifiers.shift);
    let pressed = ctx.input_mut(|i| {
        i.consume_key(egui::Modifiers::NONE, egui::Key::Enter)
            || i.consume_key(egui::Modifiers::SHIFT, egui::Key::Enter)
    });
    if pressed {
        ctx.memory_mut(|m| {
            m.move_focus(if shift {
                egui::FocusDirection::Previous
            } else {
                egui::FocusDirection::Next
            })
        });
    }
}

/// Restores a refused cell when its field is left; called by the app when
/// the focus moves (`focused`, `None` when the edit ends anyway), before
/// the edit is saved.
pub fn restore_refused(app: &mut App, focused: Option<Id>) {
    // Refused text was never put into the unit; what was typed before it
    // is taken back too, as for a number cell.
    if let Some(t) = app.form.text_refused.take_if(|t| Some(t.id) != focused) {
        if app.form.refused.as_ref().is_some_and(|(id, _)| *id == t.id) {
            app.form.refused = None;
        }
        if let Some(doc) = &mut app.doc
            && t.unit < doc.survey().units.len()
            && let Ok(unit) = doc.edit_unit(t.unit, "ändring")
        {
            // As it was, even if older rules let it in: not new input.
            edit::put_back_text(unit, t.field, t.original);
            doc.recompute();
        }
    }
    let mut left = std::mem::take(&mut app.form.left);
    if let Some(t) = app.form.typing.take_if(|t| Some(t.id) != focused) {
        left.push(t);
    }
    for t in left {
        if entry::parse(&t.text).is_ok() {
            continue;
        }
        if let Some(doc) = &mut app.doc
            && let Ok(unit) = doc.edit_unit(t.unit, "ändring")
        {
            set_target(unit, t.target, t.original.0, Some(t.original.1));
            doc.recompute();
        }
    }
}

/// Edits collected while drawing, made after.
enum Edit {
    Text(TextField, String),
    Authority(usize),
    Place(Place),
    Number(Target, Entry),
    Estimated(usize, bool),
    AddKey,
    RemoveKey(usize),
    AddGroup,
    RemoveGroup(usize),
    MoveGroup(usize, usize),
    AddTotalRow,
    RemoveTotalRow,
    AddTable(usize),
    RemoveTable(usize, usize),
    TableShape(usize, usize, Shape),
    Review(Finding, String),
    Unreview(Finding),
}

/// A change to an extra table's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    AddRow,
    AddColumn,
    RemoveRow,
    RemoveColumn,
}

/// Adds an empty target group at the end of unit `u` and saves it.
pub fn add_group(doc: &mut Document, u: usize) -> crate::Result<()> {
    let layout = doc.survey().layout();
    let unit = doc.edit_unit(u, "ny målgrupp")?;
    unit.insert_group(unit.groups.len(), blank_group(&layout));
    doc.recompute();
    doc.commit()
}

/// A new, empty target group.
fn blank_group(layout: &Layout) -> TargetGroup {
    TargetGroup {
        id: crate::model::identity::Id::random(),
        rank: 0,
        label: edit::NEW_GROUP_LABEL.to_owned(),
        estimated: false,
        row: Row::blank(layout),
        extra: Default::default(),
        note: None,
    }
}

/// Sets a number cell of a unit; `estimated` sets a group's flag too.
fn set_target(unit: &mut Unit, target: Target, cell: Cell, estimated: Option<bool>) {
    match target {
        Target::Count(g) => {
            unit.groups[g].row.count = cell;
            if let Some(e) = estimated {
                unit.groups[g].estimated = e;
            }
        }
        Target::Cell(g, i) => {
            unit.groups[g].row.cells[i] = cell;
            if estimated == Some(true) {
                unit.groups[g].estimated = true;
            }
        }
        Target::TotalCount => {
            if let Some(r) = &mut unit.reported_totals {
                r.count = cell;
            }
        }
        Target::TotalCell(i) => {
            if let Some(r) = &mut unit.reported_totals {
                r.cells[i] = cell;
            }
        }
        Target::Key(k) => unit.key_figures[k].value = u64::from(cell.get().unwrap_or(0)),
        Target::Extra(g, t, c) => unit.groups[g].extra[t].cells[c] = cell,
    }
}

fn get_target(unit: &Unit, target: Target) -> (Cell, bool) {
    match target {
        Target::Count(g) => (unit.groups[g].row.count, unit.groups[g].estimated),
        Target::Cell(g, i) => (unit.groups[g].row.cells[i], unit.groups[g].estimated),
        Target::TotalCount => (
            unit.reported_totals
                .as_ref()
                .map_or(Cell::BLANK, |r| r.count),
            false,
        ),
        Target::TotalCell(i) => (
            unit.reported_totals
                .as_ref()
                .map_or(Cell::BLANK, |r| r.cells[i]),
            false,
        ),
        Target::Key(k) => (
            Cell::try_new(unit.key_figures[k].value).unwrap_or(Cell::BLANK),
            false,
        ),
        Target::Extra(g, t, c) => (unit.groups[g].extra[t].cells[c], false),
    }
}

/// Draws the form of the selected unit.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let (Some(doc), Some(u)) = (&app.doc, app.selected) else {
        ui.label("Välj en enhet i listan till vänster, eller lägg till en med Enhet → Ny enhet.");
        return;
    };
    if u >= doc.survey().units.len() {
        app.selected = None;
        return;
    }
    let mut edits: Vec<Edit> = Vec::new();
    let read_only = doc.is_read_only();
    std::mem::swap(&mut app.form.enter_fields, &mut app.form.drawn_fields);
    app.form.drawn_fields.clear();
    egui::ScrollArea::both()
        .id_salt("form")
        .auto_shrink(false)
        .show(ui, |ui| {
            ui.add_enabled_ui(!read_only, |ui| {
                draw(
                    ui,
                    doc,
                    u,
                    &mut app.form,
                    &mut app.review.comment,
                    &mut edits,
                );
            });
        });
    std::mem::swap(&mut app.form.enter_fields, &mut app.form.drawn_fields);
    if !edits.is_empty() {
        apply(app, u, edits);
    }
}

/// Makes the edits of one frame. Typing stays pending (saved when the field
/// is left); anything else is saved at once as its own undoable edit.
fn apply(app: &mut App, u: usize, edits: Vec<Edit>) {
    let Some(doc) = &mut app.doc else { return };
    let layout = doc.survey().layout();
    let mut structural = false;
    let mut result = Ok(());
    for edit in edits {
        let what = describe(&edit);
        let unit = match doc.edit_unit(u, &what) {
            Ok(unit) => unit,
            Err(e) => {
                result = Err(e);
                break;
            }
        };
        let typed = matches!(edit, Edit::Text(..) | Edit::Number(..));
        match edit {
            // Checked when typed; a refusal here changes nothing.
            Edit::Text(field, text) => {
                if let Err(reason) = edit::set_text(unit, field, text) {
                    result = Err(crate::Error::at("enheten", reason));
                }
            }
            Edit::Authority(a) => unit.authority = a,
            Edit::Place(p) => unit.place = p,
            Edit::Number(target, e) => {
                set_target(unit, target, e.cell, e.estimated.then_some(true))
            }
            Edit::Estimated(g, e) => unit.groups[g].estimated = e,
            Edit::AddKey => unit.key_figures.push(KeyFigure {
                name: edit::new_key_name(unit),
                value: 0,
            }),
            Edit::RemoveKey(k) => {
                unit.key_figures.remove(k);
            }
            Edit::AddGroup => unit.insert_group(unit.groups.len(), blank_group(&layout)),
            Edit::RemoveGroup(g) => {
                unit.remove_group(g);
            }
            Edit::MoveGroup(from, to) => unit.move_group(from, to),
            Edit::AddTotalRow => unit.reported_totals = Some(Row::blank(&layout)),
            Edit::RemoveTotalRow => unit.reported_totals = None,
            Edit::AddTable(g) => unit.groups[g].extra.push(ExtraTable {
                title: "Egen tabell".to_owned(),
                rows: vec!["Rad 1".to_owned()],
                columns: vec!["Kolumn 1".to_owned()],
                cells: vec![Cell::BLANK],
            }),
            Edit::RemoveTable(g, t) => {
                unit.groups[g].extra.remove(t);
            }
            Edit::TableShape(g, t, shape) => reshape(&mut unit.groups[g].extra[t], shape),
            Edit::Review(f, comment) => unit.set_review(&f, comment),
            Edit::Unreview(f) => {
                unit.clear_review(&f);
            }
        }
        structural |= !typed;
    }
    doc.recompute();
    if structural && result.is_ok() {
        app.form.typing = None;
        result = doc.commit();
    }
    app.report(result);
    app.review.invalidate();
}

fn describe(edit: &Edit) -> String {
    match edit {
        Edit::Text(..) | Edit::Number(..) => "ändring".to_owned(),
        Edit::Authority(_) => "byt myndighet".to_owned(),
        Edit::Place(_) => "byt kommun".to_owned(),
        Edit::Estimated(..) => "uppskattat".to_owned(),
        Edit::AddKey => "nytt nyckeltal".to_owned(),
        Edit::RemoveKey(_) => "ta bort nyckeltal".to_owned(),
        Edit::AddGroup => "ny målgrupp".to_owned(),
        Edit::RemoveGroup(g) => format!("ta bort målgrupp {}", g + 1),
        Edit::MoveGroup(..) => "flytta målgrupp".to_owned(),
        Edit::AddTotalRow => "ny totalrad".to_owned(),
        Edit::RemoveTotalRow => "ta bort totalraden".to_owned(),
        Edit::AddTable(_) => "ny egen tabell".to_owned(),
        Edit::RemoveTable(..) => "ta bort egen tabell".to_owned(),
        Edit::TableShape(..) => "ändra egen tabell".to_owned(),
        Edit::Review(..) => "markera som granskat".to_owned(),
        Edit::Unreview(_) => "ta bort granskning".to_owned(),
    }
}

/// "Rad 3", or the first "Rad n" from there that `names` does not hold.
fn unused(names: &[String], word: &str, from: usize) -> String {
    (from..)
        .map(|n| format!("{word} {n}"))
        .find(|name| !names.contains(name))
        .unwrap_or_default()
}

fn reshape(t: &mut ExtraTable, shape: Shape) {
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

/// A single-line text field bound to a unit's text; Enter moves on.
#[allow(clippy::too_many_arguments)]
fn line(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    width: f32,
    field: TextField,
    edits: &mut Vec<Edit>,
) -> egui::Response {
    st.drawn_fields.insert(id);
    text_field(ui, st, unit, id, text, name, Some(width), field, edits)
}

/// A multi-line text field bound to a unit's text.
#[allow(clippy::too_many_arguments)]
fn area(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    field: TextField,
    edits: &mut Vec<Edit>,
) {
    text_field(ui, st, unit, id, text, name, None, field, edits);
}

/// A text field (one line of `width`, or several lines) checked as it is
/// typed by the rules every way in obeys ([`edit::check_text`]): refused
/// text stays in the field with the reason under it and is not saved; when
/// the field is left it shows the saved text again, as a refused number
/// cell is put back.
#[allow(clippy::too_many_arguments)]
fn text_field(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit: &Unit,
    id: Id,
    text: &str,
    name: &str,
    width: Option<f32>,
    field: TextField,
    edits: &mut Vec<Edit>,
) -> egui::Response {
    let refused_here = st.text_refused.as_ref().filter(|r| r.id == id);
    let mut buf = refused_here.map_or_else(|| text.to_owned(), |r| r.text.clone());
    let reason = refused_here
        .and(st.refused.as_ref())
        .filter(|(r, _)| *r == id)
        .map(|(_, m)| m.clone());
    let show = |ui: &mut egui::Ui, buf: &mut String| {
        let edit = match width {
            // min_size: in a grid the available width is last frame's
            // column width, which would otherwise keep the field as narrow
            // as its header.
            Some(w) => egui::TextEdit::singleline(buf)
                .desired_width(w)
                .min_size(egui::vec2(w, 0.0)),
            None => egui::TextEdit::multiline(buf)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        };
        edit.id(id).show(ui).response.response.accessible_name(name)
    };
    let response = match &reason {
        Some(reason) => {
            let dark = ui.visuals().dark_mode;
            ui.vertical(|ui| {
                let r = show(ui, &mut buf);
                ui.label(
                    RichText::new(format!("Inte sparat – {reason}"))
                        .color(colours::of(Kind::Over(0), dark)),
                );
                r
            })
            .inner
        }
        None => show(ui, &mut buf),
    };
    if response.gained_focus() {
        st.text_entered = Some((id, text.to_owned()));
    }
    if response.changed() {
        match edit::check_text(unit, field, &buf) {
            Ok(()) => {
                if st.text_refused.as_ref().is_some_and(|r| r.id == id) {
                    st.text_refused = None;
                    st.refused = None;
                }
                edits.push(Edit::Text(field, buf));
            }
            Err(message) => {
                st.refused = Some((id, format!("{name}: {message}")));
                let original = match (&st.text_refused, &st.text_entered) {
                    (Some(r), _) if r.id == id => r.original.clone(),
                    (_, Some((entered, t))) if *entered == id => t.clone(),
                    _ => text.to_owned(),
                };
                st.text_refused = Some(TextRefused {
                    id,
                    unit: st.drawing,
                    field,
                    original,
                    text: buf,
                });
            }
        }
    }
    response
}

/// Selects all of a text field's text, so the first key typed replaces it
/// (a new group's or unit's name given the focus).
fn select_all(ctx: &egui::Context, id: Id, text: &str) {
    use egui::text::{CCursor, CCursorRange};
    let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(
        CCursor::new(0),
        CCursor::new(text.chars().count()),
    )));
    state.store(ctx, id);
}

/// A number cell: shows the value, takes typing, refuses what is not a
/// whole number ≥ 0.
#[allow(clippy::too_many_arguments)]
fn number(
    ui: &mut egui::Ui,
    st: &mut FormState,
    unit_index: usize,
    unit: &Unit,
    target: Target,
    name: &str,
    finding: Option<(Kind, bool)>,
    edits: &mut Vec<Edit>,
) {
    let id = Id::unique(("tal", unit_index, target));
    let (value, estimated) = get_target(unit, target);
    let typing_text = st
        .typing
        .as_ref()
        .filter(|t| t.id == id)
        .map(|t| t.text.clone());
    let typing_here = typing_text.is_some();
    let mut text = typing_text.unwrap_or_else(|| entry::show(value));
    let dark = ui.visuals().dark_mode;
    let refused = st.refused.as_ref().is_some_and(|(r, _)| *r == id);
    let background = if refused {
        Some(colours::cell(Kind::Over(0), dark))
    } else {
        finding.map(|(k, reviewed)| {
            if reviewed {
                colours::reviewed(dark).gamma_multiply(0.2)
            } else {
                colours::cell(k, dark)
            }
        })
    };
    let mut edit = egui::TextEdit::singleline(&mut text)
        .id(id)
        .desired_width(44.0)
        .min_size(egui::vec2(44.0, 0.0))
        .align(egui::Align2::RIGHT_CENTER);
    if let Some(bg) = background {
        edit = edit.background_color(bg);
    }
    let response = edit.show(ui).response.response.accessible_name(name);
    st.drawn_fields.insert(id);
    if st.focus_target == Some(target) {
        st.focus_target = None;
        response.request_focus();
        response.scroll_to_me(Some(egui::Align::Center));
    }
    if response.gained_focus() || (response.has_focus() && !typing_here) {
        if let Some(old) = st.typing.take() {
            st.left.push(old);
        }
        st.typing = Some(Typing {
            id,
            unit: unit_index,
            target,
            text: text.clone(),
            original: (value, estimated),
        });
    }
    if response.changed() {
        if let Some(t) = &mut st.typing
            && t.id == id
        {
            t.text = text.clone();
        }
        let group_row = matches!(target, Target::Count(_) | Target::Cell(..));
        match entry::parse(&text) {
            Ok(e) if e.estimated && !group_row => {
                st.refused = Some((
                    id,
                    format!(
                        "{name}: ”{}”: uppskattningar (ca) anges bara i en målgrupps rad",
                        text.trim()
                    ),
                ));
            }
            Ok(e) => {
                if refused {
                    st.refused = None;
                }
                edits.push(Edit::Number(target, e));
            }
            Err(message) => st.refused = Some((id, format!("{name}: {message}"))),
        }
    }
    if let Some((kind, reviewed)) = finding {
        let words = if reviewed {
            format!("{kind} (granskat)")
        } else {
            kind.to_string()
        };
        response.on_hover_text(words);
    } else if refused && let Some((_, m)) = &st.refused {
        response.on_hover_text(m.clone());
    }
}

/// The findings of unit `u` (findings are in unit order).
pub fn unit_findings(doc: &Document, u: usize) -> &[Finding] {
    let all = &doc.analysis().findings;
    let start = all.partition_point(|f| (f.unit as usize) < u);
    let end = all.partition_point(|f| (f.unit as usize) <= u);
    &all[start..end]
}

/// The finding that colours a cell, if any.
fn cell_finding(
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

fn column_heads(survey: &crate::model::Survey) -> Vec<(Dimension, String)> {
    Dimension::ALL
        .into_iter()
        .flat_map(|d| survey.frame.labels(d).iter().map(move |l| (d, l.clone())))
        .collect()
}

fn draw(
    ui: &mut egui::Ui,
    doc: &Document,
    u: usize,
    st: &mut FormState,
    comment: &mut String,
    edits: &mut Vec<Edit>,
) {
    let survey = doc.survey();
    let unit = &survey.units[u];
    let layout = survey.layout();
    let findings = unit_findings(doc, u);
    let dark = ui.visuals().dark_mode;
    st.drawing = u;

    ui.heading(if unit.name.is_empty() {
        "(namnlös enhet)"
    } else {
        &unit.name
    });
    egui::Grid::new(("enhet", u))
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Enhetens namn");
            let r = line(
                ui,
                st,
                unit,
                Id::unique(("namn", u)),
                &unit.name,
                "Enhetens namn",
                360.0,
                TextField::Name,
                edits,
            )
            .labelled_by(label.id);
            if std::mem::take(&mut st.focus_unit_name) {
                r.request_focus();
                select_all(ui.ctx(), r.id, &unit.name);
            }
            ui.end_row();

            let label = ui.label("Myndighet");
            let mut authority = unit.authority;
            egui::ComboBox::from_id_salt(("myndighet", u))
                .selected_text(&survey.frame.authorities[unit.authority])
                .width(240.0)
                .show_ui(ui, |ui| {
                    for (i, a) in survey.frame.authorities.iter().enumerate() {
                        ui.selectable_value(&mut authority, i, a);
                    }
                })
                .response
                .labelled_by(label.id);
            if authority != unit.authority {
                edits.push(Edit::Authority(authority));
            }
            ui.end_row();

            let label = ui.label("Kommun eller område");
            ui.horizontal(|ui| {
                let current = match &unit.place {
                    Place::Municipality(m) => survey.frame.municipalities[*m].clone(),
                    Place::Area(_) => "Regionövergripande område".to_owned(),
                };
                egui::ComboBox::from_id_salt(("plats", u))
                    .selected_text(current)
                    .width(240.0)
                    .show_ui(ui, |ui| {
                        for (i, m) in survey.frame.municipalities.iter().enumerate() {
                            if ui
                                .selectable_label(unit.place == Place::Municipality(i), m)
                                .clicked()
                            {
                                edits.push(Edit::Place(Place::Municipality(i)));
                            }
                        }
                        if ui
                            .selectable_label(
                                matches!(unit.place, Place::Area(_)),
                                "Regionövergripande område",
                            )
                            .clicked()
                            && !matches!(unit.place, Place::Area(_))
                        {
                            let name = &survey.frame.region;
                            let name = if crate::model::validate::label(name).is_ok() {
                                name.clone()
                            } else {
                                "Hela området".to_owned()
                            };
                            edits.push(Edit::Place(Place::Area(name)));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if let Place::Area(a) = &unit.place {
                    line(
                        ui,
                        st,
                        unit,
                        Id::unique(("område", u)),
                        a,
                        "Områdets namn",
                        240.0,
                        TextField::Area,
                        edits,
                    );
                }
            });
            ui.end_row();
        });

    ui.add_space(8.0);
    ui.strong("Hur fungerar samverkan i dag?");
    area(
        ui,
        st,
        unit,
        Id::unique(("samverkan", u)),
        unit.collaboration_today.as_deref().unwrap_or(""),
        "Hur fungerar samverkan i dag?",
        TextField::Collaboration,
        edits,
    );
    ui.strong("Önskade förebyggande insatser");
    area(
        ui,
        st,
        unit,
        Id::unique(("insatser", u)),
        unit.preventive_measures.as_deref().unwrap_or(""),
        "Önskade förebyggande insatser",
        TextField::Preventive,
        edits,
    );
    ui.strong("Notering om enheten");
    area(
        ui,
        st,
        unit,
        Id::unique(("notering", u)),
        unit.note.as_deref().unwrap_or(""),
        "Notering om enheten",
        TextField::Note,
        edits,
    );

    ui.add_space(8.0);
    ui.strong("Nyckeltal");
    egui::Grid::new(("nyckeltal", u))
        .num_columns(3)
        .show(ui, |ui| {
            for (k, key) in unit.key_figures.iter().enumerate() {
                line(
                    ui,
                    st,
                    unit,
                    Id::unique(("nyckelnamn", u, k)),
                    &key.name,
                    &format!("Nyckeltal {} namn", k + 1),
                    260.0,
                    TextField::KeyName(k),
                    edits,
                );
                number(
                    ui,
                    st,
                    u,
                    unit,
                    Target::Key(k),
                    &format!("Nyckeltal {} värde", k + 1),
                    None,
                    edits,
                );
                if ui
                    .small_button("Ta bort")
                    .on_hover_text("Ta bort nyckeltalet")
                    .clicked()
                {
                    edits.push(Edit::RemoveKey(k));
                }
                ui.end_row();
            }
        });
    if ui.button("+ Nyckeltal").clicked() {
        edits.push(Edit::AddKey);
    }

    ui.add_space(12.0);
    ui.strong("Målgrupper i rangordning");
    groups_grid(
        ui,
        survey,
        u,
        unit,
        &layout,
        findings,
        &doc.analysis().totals.units[u],
        st,
        edits,
        dark,
    );

    // A refused text field says why under itself.
    if let Some((_, message)) = st.refused.as_ref().filter(|_| st.text_refused.is_none()) {
        ui.label(
            RichText::new(format!("Inte sparat – {message}"))
                .color(colours::of(Kind::Over(0), dark)),
        );
    }

    ui.add_space(8.0);
    extra_tables(ui, u, unit, st, edits);

    ui.add_space(12.0);
    findings_list(ui, survey, unit, findings, comment, edits, dark);
}

#[allow(clippy::too_many_arguments)]
fn groups_grid(
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

fn extra_tables(
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
                if ui.small_button("Ta bort tabellen").clicked() {
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
                    if ui.small_button(text).clicked() {
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

#[allow(clippy::too_many_arguments)]
fn findings_list(
    ui: &mut egui::Ui,
    survey: &crate::model::Survey,
    unit: &Unit,
    findings: &[Finding],
    comment: &mut String,
    edits: &mut Vec<Edit>,
    dark: bool,
) {
    ui.strong(format!("Fynd i enheten ({})", findings.len()));
    if findings.is_empty() {
        ui.label("Inga fynd: alla uppdelningar stämmer.");
        return;
    }
    super::review::comment_field(ui, comment);
    egui::Grid::new("enhetens fynd")
        .striped(true)
        .show(ui, |ui| {
            for f in findings {
                let where_ = match f.group {
                    Some(g) => format!("Rang {}", unit.groups[g as usize].rank),
                    None if f.subject == Subject::Unit => "Enheten".to_owned(),
                    None => "Totalraden".to_owned(),
                };
                ui.label(where_);
                let review = unit.review_of(f);
                let colour = if review.is_some() {
                    colours::reviewed(dark)
                } else {
                    colours::of(f.kind, dark)
                };
                ui.label(RichText::new(f.message(survey)).color(colour));
                match review {
                    Some(r) => {
                        ui.label(
                            RichText::new(format!("✔ granskat: {}", r.comment))
                                .color(colours::reviewed(dark)),
                        );
                        if ui.small_button("Ångra granskning").clicked() {
                            edits.push(Edit::Unreview(*f));
                        }
                    }
                    None => {
                        ui.label("");
                        if ui.small_button("Markera som granskat").clicked() {
                            edits.push(Edit::Review(*f, comment.trim().to_owned()));
                        }
                    }
                }
                ui.end_row();
            }
        });
}
