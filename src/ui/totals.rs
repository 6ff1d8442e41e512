//! The totals view: per municipality, per authority, municipality ×
//! authority and per unit, with the people missing from and over each
//! breakdown apart, from the same
//! tables as `malgrupp summary` and the exports. Sortable by any column,
//! the header stays in place, only the rows in view are laid out.

use std::ops::Add;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::app::App;
use crate::report::{self, By, Field, Table};

/// Which table is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// Per municipality and area.
    Municipality,
    /// Per authority.
    Authority,
    /// Municipality × authority.
    PlaceAuthority,
    /// Per unit.
    Unit,
    /// Per theme (a group with two themes counts in both).
    Theme,
}

impl Which {
    const ALL: [(Which, &'static str); 5] = [
        (Which::Municipality, "Per kommun"),
        (Which::Authority, "Per myndighet"),
        (Which::PlaceAuthority, "Kommun × myndighet"),
        (Which::Unit, "Per enhet"),
        (Which::Theme, "Per tema"),
    ];
}

/// A table made for a revision, choice and sort, with its row order.
type Cached = (u64, Which, (Option<usize>, bool), Table, Vec<usize>);

/// What the totals view keeps between frames.
pub struct TotalsState {
    /// The table shown.
    pub which: Which,
    /// Sort column (`None`: the survey's order) and direction.
    pub sort: (Option<usize>, bool),
    /// The table and its row order, for a revision and choice.
    cache: Option<Cached>,
}

impl Default for TotalsState {
    fn default() -> Self {
        TotalsState {
            which: Which::Municipality,
            sort: (None, true),
            cache: None,
        }
    }
}

/// The table for a choice, as the reports make it.
pub fn table(app: &App, which: Which) -> Option<Table> {
    let doc = app.doc.as_ref()?;
    let (survey, totals) = (doc.survey(), &doc.analysis().totals);
    Some(match which {
        Which::Municipality => report::summary_table(survey, totals, By::Municipality),
        Which::Authority => report::summary_table(survey, totals, By::Authority),
        Which::PlaceAuthority => report::place_authority_table(survey, totals),
        Which::Unit => report::summary_table(survey, totals, By::Unit),
        Which::Theme => report::summary_table(survey, totals, By::Theme),
    })
}

fn order(table: &Table, sort: (Option<usize>, bool)) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..table.rows.len()).collect();
    if let (Some(c), _) = sort {
        rows.sort_by(|a, b| compare(&table.rows[*a][c], &table.rows[*b][c]));
    }
    if !sort.1 {
        rows.reverse();
    }
    rows
}

fn compare(a: &Field, b: &Field) -> std::cmp::Ordering {
    match (a, b) {
        (Field::Number(x), Field::Number(y)) => x.cmp(y),
        (Field::Text(x), Field::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Field::Blank, Field::Blank) => std::cmp::Ordering::Equal,
        (Field::Blank, _) => std::cmp::Ordering::Less,
        (_, Field::Blank) => std::cmp::Ordering::Greater,
        (Field::Number(_), Field::Text(_)) => std::cmp::Ordering::Less,
        (Field::Text(_), Field::Number(_)) => std::cmp::Ordering::Greater,
    }
}

/// Draws the totals view.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let revision = doc.revision();
    ui.horizontal(|ui| {
        for (which, name) in Which::ALL {
            if ui
                .selectable_label(app.totals.which == which, name)
                .clicked()
            {
                app.totals.which = which;
                app.totals.sort = (None, true);
            }
        }
    });
    let key = (app.totals.which, app.totals.sort);
    if app
        .totals
        .cache
        .as_ref()
        .is_none_or(|(r, w, s, _, _)| (*r, *w, *s) != (revision, key.0, key.1))
    {
        let t = table(app, key.0).expect("a survey is open");
        let rows = order(&t, key.1);
        app.totals.cache = Some((revision, key.0, key.1, t, rows));
    }
    if key.0 == Which::Theme {
        ui.label(crate::model::themes::DOUBLE_COUNT_NOTE);
    }
    let (_, _, _, t, rows) = app.totals.cache.as_ref().expect("cached");
    let mut clicked: Option<usize> = None;
    let sort = app.totals.sort;
    let row_height = ui.spacing().interact_size.y;
    // Headers wrap whole within their column, only between words: a
    // number column is as wide as its header's widest word needs, and the
    // header row is as high as the highest header.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let padding = 2.0 * ui.spacing().button_padding.x + 2.0;
    let measure = |text: &str| {
        let colour = ui.visuals().strong_text_color();
        ui.fonts_mut(|f| {
            f.layout_no_wrap(text.to_owned(), font.clone(), colour)
                .size()
                .x
        })
    };
    let widths: Vec<f32> = t
        .header
        .iter()
        .map(|name| whole_word_width(&format!("{name} ↑"), NUMBER_WIDTH, padding, measure))
        .collect();
    let header_height = t
        .header
        .iter()
        .zip(&widths)
        .map(|(name, width)| {
            let colour = ui.visuals().strong_text_color();
            let g = ui.fonts_mut(|f| {
                f.layout(format!("{name} ↑"), font.clone(), colour, width - padding)
            });
            g.size().y
        })
        .fold(row_height, f32::max)
        + 6.0;
    // The first column as drawn (its header and the rows in view), drawn
    // again at the left edge when the table is scrolled sideways.
    let mut frozen: Vec<(egui::Rect, String, bool)> = Vec::new();
    ui.style_mut().spacing.scroll.floating = false;
    let output = egui::ScrollArea::horizontal()
        .id_salt(("summor sidled", key.0 as u8))
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            // Plain labels: selectable text costs an interaction per cell.
            ui.style_mut().interaction.selectable_labels = false;
            let mut builder = TableBuilder::new(ui)
                .id_salt(("summor", key.0 as u8))
                .striped(true)
                .column(Column::auto().at_least(140.0));
            if key.0 == Which::Unit || key.0 == Which::PlaceAuthority {
                builder = builder.column(Column::auto().at_least(120.0));
            }
            let first_numbers = if key.0 == Which::Theme {
                // The theme's name; its units, authorities and municipalities
                // are numbers.
                1
            } else if key.0 == Which::Unit {
                3
            } else if key.0 == Which::PlaceAuthority {
                2
            } else {
                1
            };
            if key.0 == Which::Unit {
                builder = builder.column(Column::auto().at_least(160.0));
            }
            for width in widths.iter().skip(first_numbers) {
                builder = builder.column(Column::initial(*width).at_least(*width).clip(true));
            }
            builder
                .header(header_height, |mut h| {
                    for (c, name) in t.header.iter().enumerate() {
                        h.col(|ui| {
                            if c == 0 {
                                frozen.push((ui.max_rect(), name.clone(), true));
                            }
                            let arrow = match sort {
                                (Some(s), true) if s == c => " ↑",
                                (Some(s), false) if s == c => " ↓",
                                _ => "",
                            };
                            if ui
                                .add(
                                    egui::Button::new(
                                        RichText::new(format!("{name}{arrow}")).strong(),
                                    )
                                    .frame(false)
                                    .wrap(),
                                )
                                .on_hover_text("Sortera")
                                .clicked()
                            {
                                clicked = Some(c);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut row| {
                        let r = &t.rows[rows[row.index()]];
                        for (c, field) in r.iter().enumerate() {
                            row.col(|ui| {
                                if c == 0 {
                                    frozen.push((ui.max_rect(), field.text().into_owned(), false));
                                }
                                if let Field::Number(_) = field {
                                    number(ui, &field.text());
                                } else {
                                    ui.label(field.text());
                                }
                            });
                        }
                    });
                });
        });
    frozen_column(
        ui,
        &frozen,
        output.inner_rect,
        output.state.clamped_offset().x,
    );
    if output.content_size.x > output.inner_rect.width() + 1.0 {
        ui.label(
            RichText::new(
                "Fler kolumner till höger: rulla i sidled (Skift+hjul eller rullningslisten).",
            )
            .italics(),
        );
    }
    if let Some(c) = clicked {
        app.totals.sort = match app.totals.sort {
            (Some(s), asc) if s == c => (Some(c), !asc),
            _ => (Some(c), true),
        };
    }
}

/// The width a number column starts at; its header wraps within it.
const NUMBER_WIDTH: f32 = 76.0;

/// The width a column needs for `header` to wrap only between words: at
/// least `least`, and its widest word (as `measure` gives it) plus
/// `padding`, so a word wider than the column makes the column grow.
pub fn whole_word_width(
    header: &str,
    least: f32,
    padding: f32,
    measure: impl Fn(&str) -> f32,
) -> f32 {
    header
        .split_whitespace()
        .map(measure)
        .fold(0.0, f32::max)
        .ceil()
        .add(padding)
        .max(least)
}

/// Draws the first column again at the left edge of `view` when the table
/// is scrolled `offset` pixels sideways, so each row keeps its name.
fn frozen_column(
    ui: &egui::Ui,
    cells: &[(egui::Rect, String, bool)],
    view: egui::Rect,
    offset: f32,
) {
    if offset <= 0.0 {
        return;
    }
    let Some(width) = cells.iter().map(|(r, _, _)| r.width()).reduce(f32::max) else {
        return;
    };
    let layer = egui::LayerId::new(egui::Order::Middle, egui::Id::unique("summor fast kolumn"));
    let painter = ui.ctx().layer_painter(layer).with_clip_rect(view);
    let bottom = cells
        .iter()
        .map(|(r, _, _)| r.bottom())
        .fold(view.top(), f32::max)
        .min(view.bottom());
    let band = egui::Rect::from_min_max(
        view.left_top(),
        egui::pos2(view.left() + width + 4.0, bottom),
    );
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill);
    painter.vline(
        band.right(),
        band.y_range(),
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    // Rows scrolled up under the header stay hidden by it.
    let below = cells
        .iter()
        .filter(|(_, _, head)| *head)
        .map(|(r, _, _)| r.bottom())
        .fold(view.top(), f32::max);
    let rows = painter.with_clip_rect(view.intersect(egui::Rect::everything_below(below)));
    for (rect, text, strong) in cells {
        let painter = if *strong { &painter } else { &rows };
        let (colour, wrap) = if *strong {
            (ui.visuals().strong_text_color(), rect.width())
        } else {
            (ui.visuals().text_color(), f32::INFINITY)
        };
        let font = egui::TextStyle::Body.resolve(ui.style());
        let galley = ui.fonts_mut(|f| f.layout(text.clone(), font, colour, wrap));
        painter.galley(egui::pos2(view.left(), rect.top()), galley, colour);
    }
}

/// A number, right-aligned in its cell without a child `Ui` per cell (a
/// quarter of the frame), still a label for screen readers.
fn number(ui: &mut egui::Ui, text: &str) {
    let galley = ui.painter().layout_no_wrap(
        text.to_owned(),
        egui::TextStyle::Body.resolve(ui.style()),
        ui.visuals().text_color(),
    );
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), galley.size().y),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
    let pos = egui::pos2(rect.right() - galley.size().x, rect.top());
    ui.painter().galley(pos, galley, ui.visuals().text_color());
}

#[cfg(test)]
mod tests {
    use super::whole_word_width;

    /// Eight points a character, as a stand-in for a font.
    fn eight(word: &str) -> f32 {
        8.0 * word.chars().count() as f32
    }

    #[test]
    fn a_header_s_widest_word_sets_its_column_s_width() {
        // Short words: the least width.
        assert_eq!(
            whole_word_width("Ej angivet kön ↑", 76.0, 10.0, eight),
            76.0
        );
        // "Försäkringskassan" is 17 characters: the column grows to it.
        assert_eq!(
            whole_word_width("Aktuell hos Försäkringskassan ↑", 76.0, 10.0, eight),
            17.0 * 8.0 + 10.0
        );
        assert_eq!(whole_word_width("", 76.0, 10.0, eight), 76.0);
    }
}
