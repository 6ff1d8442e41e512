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

mod extra;
mod fields;
mod findings;
mod grid;
mod heads;
mod keys;
mod new_row;
mod reopened;
mod row_end;

use extra::{Shape, extra_tables, reshape};
use fields::{area, line, number, select_all};
use findings::findings_list;
use grid::groups_grid;
pub use keys::tab_moves_on;

use super::app::App;
use super::colours;
use super::document::Document;
use crate::model::check::{Finding, Kind};
use crate::model::edit::{self, UnitText as TextField};
use crate::model::entry::{self, Entry};
use crate::model::{Cell, ExtraTable, KeyFigure, Layout, Place, Row, TargetGroup, Unit};

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
    /// The unit shown last frame: another one starts at its top.
    shown: Option<usize>,
    /// What is typed in the empty row under the last group (a group is
    /// made as soon as it is a valid name).
    new_row: String,
    /// Where the group grid ends this frame: below it, the headers no
    /// longer stay at the top.
    grid_bottom: f32,
    /// The group grid's column headers as drawn this frame.
    heads: Vec<heads::Head>,
    /// The band of headers held at the top of the form, when drawn.
    held_band: Option<egui::Rect>,
    /// A cell's history asked for with a right-click: unit, cell.
    pub history_request: Option<(usize, Target)>,
}

impl FormState {
    /// The band of column headers held at the top of the form while the
    /// groups scroll under it, when it is drawn (screen points).
    pub fn held_headers(&self) -> Option<egui::Rect> {
        self.held_band
    }

    /// Whether the cell being typed in holds refused text, which is not
    /// saved until it is corrected (and is put back when left).
    pub fn typing_refused(&self) -> bool {
        self.text_refused.is_some()
            || self.typing.as_ref().is_some_and(|t| {
                entry::parse(&t.text).is_err()
                    || self.refused.as_ref().is_some_and(|(id, _)| *id == t.id)
            })
    }

    /// The number cell with the focus: its unit and cell.
    pub fn focused_cell(&self) -> Option<(usize, Target)> {
        self.typing.as_ref().map(|t| (t.unit, t.target))
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
    /// Text that is not a number is being typed: the cell holds what it
    /// held before typing began, so sums and findings never see "12" of
    /// "12a".
    Revert(Target, (Cell, bool)),
    Estimated(usize, bool),
    AddKey,
    RemoveKey(usize),
    AddGroup,
    /// A group named by typing in the empty row under the last group.
    AddNamedGroup(String),
    RemoveGroup(usize),
    MoveGroup(usize, usize),
    AddTotalRow,
    RemoveTotalRow,
    AddTable(usize),
    RemoveTable(usize, usize),
    TableShape(usize, usize, Shape),
    Review(Finding, String),
    Unreview(Finding),
    /// Put a theme on a group, or take it off.
    Theme(usize, u16),
}

/// Adds an empty target group at the end of unit `u` and saves it.
pub fn add_group(doc: &mut Document, u: usize) -> crate::Result<()> {
    let layout = doc.survey().layout();
    let unit = doc.edit_unit(u, "ny målgrupp")?;
    unit.insert_group(unit.groups.len(), blank_group(&layout));
    doc.recompute();
    doc.commit()
}

/// Adds the unit's printed total row (blank) if it has none, and saves it;
/// a row already there is kept as it is.
pub fn add_total_row(doc: &mut Document, u: usize) -> crate::Result<()> {
    if doc
        .survey()
        .units
        .get(u)
        .is_none_or(|unit| unit.reported_totals.is_some())
    {
        return Ok(());
    }
    let layout = doc.survey().layout();
    let unit = doc.edit_unit(u, "ny totalrad")?;
    unit.reported_totals = Some(Row::blank(&layout));
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
        themes: Default::default(),
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
    // Scroll bars drawn whenever there is more to see, not only under the
    // pointer: at 1024 pixels the grid scrolls sideways, and that must be
    // seen. Thin bars at the content's edge, with their own room kept free
    // so that they never cover a cell's number; always shown, so that their
    // room never comes and goes (the form's width changing under the typist
    // as findings make it longer lost the cell being typed in).
    let bars = &mut ui.style_mut().spacing.scroll;
    bars.floating = true;
    bars.floating_width = bars.floating_width.max(6.0);
    bars.floating_allocated_width =
        bars.floating_width + bars.bar_inner_margin + bars.bar_outer_margin;
    bars.dormant_handle_opacity = 1.0;
    bars.dormant_background_opacity = 0.4;
    let mut scroll = egui::ScrollArea::both()
        .id_salt("form")
        .auto_shrink(false)
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible);
    if app.form.shown != Some(u) {
        // Another unit starts at its top, its name in view.
        app.form.shown = Some(u);
        scroll = scroll
            .vertical_scroll_offset(0.0)
            .horizontal_scroll_offset(0.0);
    }
    app.form.heads.clear();
    let output = scroll.show(ui, |ui| {
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
    app.form.held_band =
        heads::sticky_heads(ui, &app.form.heads, app.form.grid_bottom, output.inner_rect);
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
    // Only typing changes a mark's finding without the user marking it.
    let typing_only = edits
        .iter()
        .all(|e| matches!(e, Edit::Number(..) | Edit::Revert(..)));
    let reviewed_before = reopened::reviewed(doc.survey(), unit_findings(doc, u));
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
        let typed = matches!(edit, Edit::Text(..) | Edit::Number(..) | Edit::Revert(..));
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
            Edit::Revert(target, (cell, estimated)) => {
                set_target(unit, target, cell, Some(estimated))
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
            Edit::AddNamedGroup(label) => unit.insert_group(
                unit.groups.len(),
                TargetGroup {
                    label,
                    ..blank_group(&layout)
                },
            ),
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
            Edit::Theme(g, t) => crate::model::themes::toggle(&mut unit.groups[g], t),
        }
        structural |= !typed;
    }
    doc.recompute();
    if typing_only {
        let now = unit_findings(doc, u);
        let after = reopened::reviewed(doc.survey(), now);
        if let Some(news) = reopened::announcement(doc.survey(), &reviewed_before, &after, now) {
            app.info = Some(news);
        }
    }
    let Some(doc) = &mut app.doc else { return };
    if structural && result.is_ok() {
        app.form.typing = None;
        result = doc.commit();
    }
    app.report(result);
    app.review.invalidate();
}

fn describe(edit: &Edit) -> String {
    match edit {
        Edit::Text(..) | Edit::Number(..) | Edit::Revert(..) => "ändring".to_owned(),
        Edit::Authority(_) => "byt myndighet".to_owned(),
        Edit::Place(_) => "byt kommun".to_owned(),
        Edit::Estimated(..) => "uppskattat".to_owned(),
        Edit::AddKey => "nytt nyckeltal".to_owned(),
        Edit::RemoveKey(_) => "ta bort nyckeltal".to_owned(),
        Edit::AddGroup | Edit::AddNamedGroup(_) => "ny målgrupp".to_owned(),
        Edit::RemoveGroup(g) => format!("ta bort målgrupp {}", g + 1),
        Edit::MoveGroup(..) => "flytta målgrupp".to_owned(),
        Edit::AddTotalRow => "ny totalrad".to_owned(),
        Edit::RemoveTotalRow => "ta bort totalraden".to_owned(),
        Edit::AddTable(_) => "ny egen tabell".to_owned(),
        Edit::RemoveTable(..) => "ta bort egen tabell".to_owned(),
        Edit::TableShape(..) => "ändra egen tabell".to_owned(),
        Edit::Review(..) => "markera som granskat".to_owned(),
        Edit::Unreview(_) => "ta bort granskning".to_owned(),
        Edit::Theme(g, _) => format!("tema för målgrupp {}", g + 1),
    }
}

/// The findings of unit `u` (findings are in unit order).
pub fn unit_findings(doc: &Document, u: usize) -> &[Finding] {
    let all = &doc.analysis().findings;
    let start = all.partition_point(|f| (f.unit as usize) < u);
    let end = all.partition_point(|f| (f.unit as usize) <= u);
    &all[start..end]
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
                    .add(
                        egui::Button::new("Ta bort")
                            .small()
                            .sense(egui::Sense::CLICK),
                    )
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
