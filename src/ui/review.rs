//! The review list: every finding of the survey, filtered by municipality,
//! authority, kind and status, sorted by any column. A click opens the unit
//! at the cell; a reviewer marks a finding as checked with a comment. Only
//! the rows in view are laid out.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::app::{App, View};
use super::colours;
use super::form::Target;
use crate::model::Survey;
use crate::model::check::{Finding, Subject};

/// The columns, for sorting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    /// Survey order (unit by unit, group by group).
    Order,
    /// Municipality or area.
    Place,
    /// Authority.
    Authority,
    /// Kind of finding.
    Kind,
    /// Review status.
    Status,
}

/// Which findings to list by review status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// All findings.
    All,
    /// Not reviewed.
    Open,
    /// Reviewed.
    Reviewed,
}

/// What the review list keeps between frames.
pub struct ReviewState {
    /// Only this municipality or area (by name).
    pub place: Option<String>,
    /// Only this authority (by position).
    pub authority: Option<usize>,
    /// Only this kind (its key).
    pub kind: Option<&'static str>,
    /// By review status.
    pub status: Status,
    /// Sort column and direction.
    pub sort: (SortBy, bool),
    /// Comment for the next mark, here and in the unit form.
    pub comment: String,
    /// Positions of the listed findings, for a revision and these filters.
    rows: Option<(u64, Vec<u32>)>,
}

impl Default for ReviewState {
    fn default() -> Self {
        ReviewState {
            place: None,
            authority: None,
            kind: None,
            status: Status::All,
            sort: (SortBy::Order, true),
            comment: String::new(),
            rows: None,
        }
    }
}

impl ReviewState {
    /// What decides the listed rows besides the survey.
    #[allow(clippy::type_complexity)]
    fn filters(
        &self,
    ) -> (
        Option<String>,
        Option<usize>,
        Option<&'static str>,
        Status,
        (SortBy, bool),
    ) {
        (
            self.place.clone(),
            self.authority,
            self.kind,
            self.status,
            self.sort,
        )
    }

    /// Forgets the listed rows (the survey or the filters changed).
    pub fn invalidate(&mut self) {
        self.rows = None;
    }
}

/// The kinds, with their names in the filter.
const KINDS: [(&str, &str); 7] = [
    ("missing_count", "saknar antal"),
    ("estimated", "uppskattat"),
    ("not_given", "ej angivet"),
    ("short", "kort"),
    ("over", "över"),
    ("totals_differ", "skiljer sig från summan"),
    ("duplicate", "dubblett"),
];

/// The findings listed under the current filters, sorted.
pub fn listed(state: &ReviewState, survey: &Survey, findings: &[Finding]) -> Vec<u32> {
    let mut rows: Vec<u32> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let unit = f.unit(survey);
            state
                .place
                .as_deref()
                .is_none_or(|p| survey.place_name(&unit.place) == p)
                && state.authority.is_none_or(|a| unit.authority == a)
                && state.kind.is_none_or(|k| f.kind.key() == k)
                && match state.status {
                    Status::All => true,
                    Status::Open => unit.review_of(f).is_none(),
                    Status::Reviewed => unit.review_of(f).is_some(),
                }
        })
        .map(|(i, _)| i as u32)
        .collect();
    let (by, ascending) = state.sort;
    let key = |i: &u32| {
        let f = &findings[*i as usize];
        let unit = f.unit(survey);
        match by {
            SortBy::Order => (String::new(), 0i64),
            SortBy::Place => (survey.place_name(&unit.place).to_lowercase(), 0),
            SortBy::Authority => (survey.frame.authorities[unit.authority].to_lowercase(), 0),
            SortBy::Kind => (f.kind.key().to_owned(), 0),
            SortBy::Status => (String::new(), i64::from(unit.review_of(f).is_some())),
        }
    };
    if by != SortBy::Order {
        // Stable: ties keep the survey's order.
        rows.sort_by_cached_key(key);
    }
    if !ascending {
        rows.reverse();
    }
    rows
}

/// The cell a finding is about, to focus when it is opened; `None` for a
/// finding about the whole unit.
pub fn target_of(survey: &Survey, f: &Finding) -> Option<Target> {
    let layout = survey.layout();
    Some(match (f.group, f.subject) {
        (Some(g), Subject::Count) => Target::Count(g as usize),
        (None, Subject::Count) => Target::TotalCount,
        (Some(g), Subject::Breakdown(d)) => Target::Cell(g as usize, layout.range(d).start),
        (None, Subject::Breakdown(d)) => Target::TotalCell(layout.range(d).start),
        (Some(g), Subject::Category(d, i)) => {
            Target::Cell(g as usize, layout.range(d).start + usize::from(i))
        }
        (None, Subject::Category(d, i)) => {
            Target::TotalCell(layout.range(d).start + usize::from(i))
        }
        (Some(g), Subject::Extra(t)) => Target::Extra(g as usize, usize::from(t), 0),
        (None, Subject::Extra(_)) => Target::TotalCount,
        // The rank has no cell of its own: the group's count is beside it.
        (Some(g), Subject::Rank) => Target::Count(g as usize),
        (None, Subject::Rank) | (_, Subject::Unit) => return None,
    })
}

/// Where a finding is, for the list: the group, or the total row, or the
/// whole unit.
pub fn place_of(survey: &Survey, f: &Finding) -> String {
    match f.target_group(survey) {
        Some(g) => format!("{}. {}", g.rank, g.label),
        None if f.subject == Subject::Unit => "Enheten".to_owned(),
        None => "Totalraden".to_owned(),
    }
}

/// Draws the review list.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let survey = doc.survey();
    let findings = &doc.analysis().findings;
    let state = &mut app.review;
    let before = state.filters();

    ui.horizontal_wrapped(|ui| {
        labelled_combo(
            ui,
            "Kommun/område:",
            "filter kommun",
            state.place.clone().unwrap_or_else(|| "alla".to_owned()),
            |ui| {
                ui.selectable_value(&mut state.place, None, "alla");
                let mut names: Vec<&str> = survey
                    .frame
                    .municipalities
                    .iter()
                    .map(String::as_str)
                    .collect();
                for u in &survey.units {
                    if let crate::model::Place::Area(a) = &u.place
                        && !names.contains(&a.as_str())
                    {
                        names.push(a);
                    }
                }
                for n in names {
                    ui.selectable_value(&mut state.place, Some(n.to_owned()), n);
                }
            },
        );
        labelled_combo(
            ui,
            "Myndighet:",
            "filter myndighet",
            state
                .authority
                .map_or("alla", |a| survey.frame.authorities[a].as_str()),
            |ui| {
                ui.selectable_value(&mut state.authority, None, "alla");
                for (i, a) in survey.frame.authorities.iter().enumerate() {
                    ui.selectable_value(&mut state.authority, Some(i), a);
                }
            },
        );
        labelled_combo(
            ui,
            "Slag:",
            "filter slag",
            state
                .kind
                .and_then(|k| KINDS.iter().find(|(key, _)| *key == k))
                .map_or("alla", |(_, name)| name),
            |ui| {
                ui.selectable_value(&mut state.kind, None, "alla");
                for (key, name) in KINDS {
                    ui.selectable_value(&mut state.kind, Some(key), name);
                }
            },
        );
        labelled_combo(
            ui,
            "Status:",
            "filter status",
            match state.status {
                Status::All => "alla",
                Status::Open => "öppna",
                Status::Reviewed => "granskade",
            },
            |ui| {
                ui.selectable_value(&mut state.status, Status::All, "alla");
                ui.selectable_value(&mut state.status, Status::Open, "öppna");
                ui.selectable_value(&mut state.status, Status::Reviewed, "granskade");
            },
        );
    });
    comment_field(ui, &mut state.comment);

    if state.filters() != before {
        state.rows = None;
    }
    let revision = doc.revision();
    if state.rows.as_ref().is_none_or(|(r, _)| *r != revision) {
        state.rows = Some((revision, listed(state, survey, findings)));
    }
    let rows = &state.rows.as_ref().expect("computed").1;
    ui.label(format!("{} fynd visas av {}", rows.len(), findings.len()));

    let dark = ui.visuals().dark_mode;
    let mut open: Option<Finding> = None;
    let mut mark: Option<(Finding, bool)> = None;
    let mut sort_click: Option<SortBy> = None;
    let sort = state.sort;
    let head = |ui: &mut egui::Ui, text: &str, by: SortBy, click: &mut Option<SortBy>| {
        let arrow = match sort {
            (s, true) if s == by => " ↑",
            (s, false) if s == by => " ↓",
            _ => "",
        };
        if ui
            .add(egui::Button::new(RichText::new(format!("{text}{arrow}")).strong()).frame(false))
            .on_hover_text("Sortera")
            .clicked()
        {
            *click = Some(by);
        }
    };
    let row_height = ui.spacing().interact_size.y + 2.0;
    // Plain labels: selectable text costs an interaction per cell.
    ui.style_mut().interaction.selectable_labels = false;
    // Columns share the width there is (down to 1024 pixel screens with
    // the unit list shown); long text is cut with the whole of it on hover.
    // Below the columns' least widths the list scrolls sideways, with a
    // scroll bar that is always shown.
    let widths = column_widths(ui.available_width());
    ui.style_mut().spacing.scroll.floating = false;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    egui::ScrollArea::horizontal()
        .id_salt("granskning sidled")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
        .show(ui, |ui| {
            let mut builder = TableBuilder::new(ui).id_salt("granskning").striped(true);
            for (i, w) in widths.iter().enumerate() {
                let column = Column::exact(*w).clip(true);
                builder = builder.column(if i == widths.len() - 1 {
                    column.clip(false)
                } else {
                    column
                });
            }
            builder
                .header(22.0, |mut h| {
                    h.col(|ui| head(ui, "Kommun/område", SortBy::Place, &mut sort_click));
                    h.col(|ui| head(ui, "Myndighet", SortBy::Authority, &mut sort_click));
                    h.col(|ui| head(ui, "Enhet", SortBy::Order, &mut sort_click));
                    h.col(|ui| {
                        ui.strong("Målgrupp");
                    });
                    h.col(|ui| head(ui, "Fynd", SortBy::Kind, &mut sort_click));
                    h.col(|ui| head(ui, "Granskning", SortBy::Status, &mut sort_click));
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut row| {
                        let f = findings[rows[row.index()] as usize];
                        let unit = f.unit(survey);
                        let review = unit.review_of(&f);
                        row.col(|ui| {
                            cut(ui, survey.place_name(&unit.place));
                        });
                        row.col(|ui| {
                            cut(ui, &survey.frame.authorities[unit.authority]);
                        });
                        row.col(|ui| {
                            if ui
                                .add(egui::Link::new(&unit.name))
                                .on_hover_text(format!("{}: öppna enheten vid cellen", unit.name))
                                .clicked()
                            {
                                open = Some(f);
                            }
                        });
                        row.col(|ui| {
                            cut(ui, &place_of(survey, &f));
                        });
                        row.col(|ui| {
                            let colour = if review.is_some() {
                                colours::reviewed(dark)
                            } else {
                                colours::of(f.kind, dark)
                            };
                            let message = f.message(survey);
                            if ui
                                .add(egui::Link::new(RichText::new(&message).color(colour)))
                                .on_hover_text(message)
                                .clicked()
                            {
                                open = Some(f);
                            }
                        });
                        row.col(|ui| match review {
                            Some(r) => {
                                if ui
                                    .small_button("Ångra")
                                    .on_hover_text("Ta bort granskningen")
                                    .clicked()
                                {
                                    mark = Some((f, false));
                                }
                                let comment = format!("✔ {}", r.comment);
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(&comment).color(colours::reviewed(dark)),
                                    )
                                    .truncate(),
                                )
                                .on_hover_text(comment);
                            }
                            None => {
                                if ui
                            .small_button("Granskat")
                            .on_hover_text(
                                "Markera som kontrollerat med enheten, med kommentaren ovan",
                            )
                            .clicked()
                        {
                            mark = Some((f, true));
                        }
                            }
                        });
                    });
                });
        });

    if let Some(by) = sort_click {
        app.review.sort = if app.review.sort.0 == by {
            (by, !app.review.sort.1)
        } else {
            (by, true)
        };
        app.review.rows = None;
    }
    if let Some(f) = open {
        let target = target_of(app.doc.as_ref().expect("open").survey(), &f);
        app.selected = Some(f.unit as usize);
        app.view = View::Form;
        app.form.focus_target = target;
    }
    if let Some((f, on)) = mark {
        let comment = app.review.comment.trim().to_owned();
        set_review(app, f, on.then_some(comment));
    }
}

/// One line of text, cut to the column with the whole of it on hover.
fn cut(ui: &mut egui::Ui, text: &str) {
    ui.add(egui::Label::new(text).truncate())
        .on_hover_text(text);
}

/// The list's least widths: place, authority, unit, group, finding, review.
const LEAST: [f32; 6] = [80.0, 80.0, 110.0, 110.0, 130.0, 150.0];

/// Column widths for `available` pixels: the least widths, and what is left
/// shared out in proportion to how much each column's text needs.
pub fn column_widths(available: f32) -> [f32; 6] {
    const SHARE: [f32; 6] = [0.8, 1.0, 2.0, 2.0, 2.0, 1.2];
    // Room for the spacing between columns and the scroll bar.
    let spare = (available - 16.0 - 6.0 * 8.0 - LEAST.iter().sum::<f32>()).max(0.0);
    let total: f32 = SHARE.iter().sum();
    std::array::from_fn(|i| LEAST[i] + spare * SHARE[i] / total)
}

/// Marks (or unmarks) a finding as reviewed, saved as one undoable edit.
pub fn set_review(app: &mut App, f: Finding, comment: Option<String>) {
    let Some(doc) = &mut app.doc else { return };
    let u = f.unit as usize;
    let what = if comment.is_some() {
        "markera som granskat"
    } else {
        "ta bort granskning"
    };
    let result = doc.edit_unit(u, what).map(|unit| match comment {
        Some(c) => unit.set_review(&f, c),
        None => {
            unit.clear_review(&f);
        }
    });
    let result = result.and_then(|()| {
        doc.recompute();
        doc.commit()
    });
    app.report(result);
    app.review.invalidate();
}

/// Words for a kind key (for tests and filters).
pub fn kind_name(key: &str) -> Option<&'static str> {
    KINDS.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
}

/// A filter: its label and a drop-down tied to it for screen readers.
fn labelled_combo(
    ui: &mut egui::Ui,
    label: &str,
    id: &str,
    selected: impl Into<egui::WidgetText>,
    add: impl FnOnce(&mut egui::Ui),
) {
    let label = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .show_ui(ui, add)
        .response
        .labelled_by(label.id);
}

/// The comment that goes with the next review mark (shared by this list and
/// the unit form).
pub fn comment_field(ui: &mut egui::Ui, comment: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label("Kommentar vid granskning:");
        ui.add(
            egui::TextEdit::singleline(comment)
                .hint_text("bekräftat med enheten 12/3")
                .desired_width(320.0),
        )
        .labelled_by(label.id);
    });
}
