//! Charts of the survey's totals (plotters), as PNG or SVG. The font comes
//! with the binary (DejaVu Sans, `assets/`), so å ä ö render on any machine;
//! bars are grey with black outlines so the charts read in black-and-white
//! print.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::aggregate::SurveyTotals;
use crate::model::notes::{people, sv_number};
use crate::model::{Dimension, Survey};

/// The font every chart uses: DejaVu Sans, embedded: no system font needed (the app uses it for symbols too).
pub const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Grey fills from dark to light: distinct in print without colour.
const GREYS: [RGBColor; 6] = [
    RGBColor(40, 40, 40),
    RGBColor(110, 110, 110),
    RGBColor(170, 170, 170),
    RGBColor(215, 215, 215),
    RGBColor(245, 245, 245),
    RGBColor(80, 80, 80),
];

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartKind {
    /// People per municipality and sex.
    Sex,
    /// People per municipality and age band.
    Age,
    /// People per municipality and duration band.
    Duration,
    /// The largest target groups of the survey.
    LargestGroups,
    /// The share of people also current at each authority.
    AlsoAt,
    /// People per theme and authority (a group with two themes counts in
    /// both).
    Themes,
}

impl ChartKind {
    /// Every chart, in menu order.
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Sex,
        ChartKind::Age,
        ChartKind::Duration,
        ChartKind::LargestGroups,
        ChartKind::AlsoAt,
        ChartKind::Themes,
    ];

    /// Its name in the app.
    pub fn name_sv(self) -> &'static str {
        match self {
            ChartKind::Sex => "Personer per kommun och kön",
            ChartKind::Age => "Personer per kommun och ålder",
            ChartKind::Duration => "Personer per kommun och tid som aktuell",
            ChartKind::LargestGroups => "De största målgrupperna",
            ChartKind::AlsoAt => "Andel aktuella hos andra myndigheter",
            ChartKind::Themes => "Personer per tema och myndighet",
        }
    }
}

/// PNG or SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// A bitmap.
    Png,
    /// A vector drawing.
    Svg,
}

/// What can go wrong drawing a chart.
#[derive(Debug, thiserror::Error)]
#[error("diagrammet kunde inte ritas: {0}")]
pub struct ChartError(String);

/// A failure of the drawing library, with its own words in parentheses.
fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError(format!("fel i ritbiblioteket ({e})"))
}

/// A failure to encode the PNG image, with the encoder's words in
/// parentheses.
fn png_err(e: impl std::fmt::Display) -> ChartError {
    ChartError(format!("PNG-bilden kunde inte kodas ({e})"))
}

/// Registers the embedded font once.
fn font() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| register_font("sans-serif", FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ChartError(
            "det inbyggda typsnittet gick inte att läsa".into(),
        ))
    }
}

/// Bars to draw: category labels on the axis, and one or more series.
struct Bars {
    /// The title with n: "Personer per kommun och ålder (n = ca 375 personer)".
    title: String,
    axis: Vec<String>,
    /// (series name, one value per axis label)
    series: Vec<(String, Vec<f64>)>,
    /// Per axis label: whether its numbers include estimates (their value
    /// labels read "ca").
    estimated: Vec<bool>,
    unit: &'static str,
}

/// The name of the series that shows the people missing from a breakdown.
const NOT_GIVEN: &str = "Ej angivet";

fn bars(survey: &Survey, totals: &SurveyTotals, kind: ChartKind) -> Bars {
    let layout = survey.layout();
    match kind {
        ChartKind::Sex | ChartKind::Age | ChartKind::Duration => {
            let d = match kind {
                ChartKind::Sex => Dimension::Sex,
                ChartKind::Age => Dimension::Age,
                _ => Dimension::Duration,
            };
            let places: Vec<_> = totals
                .places
                .iter()
                .filter(|p| p.totals.count > 0)
                .collect();
            let mut series: Vec<(String, Vec<f64>)> = survey
                .frame
                .labels(d)
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let values = places
                        .iter()
                        .map(|p| p.totals.part(&layout, d)[i] as f64)
                        .collect();
                    (label.clone(), values)
                })
                .collect();
            // The people the breakdown misses, as a bar of their own.
            if places.iter().any(|p| p.totals.missing(d) > 0) {
                series.push((
                    NOT_GIVEN.to_owned(),
                    places.iter().map(|p| p.totals.missing(d) as f64).collect(),
                ));
            }
            Bars {
                title: format!(
                    "Personer per kommun och {} (n = {} personer)",
                    d.name_sv(),
                    people(totals.all.count, totals.all.estimated)
                ),
                axis: places
                    .iter()
                    .map(|p| survey.place_name(&p.place).to_owned())
                    .collect(),
                series,
                estimated: places.iter().map(|p| p.totals.is_estimate()).collect(),
                unit: "personer",
            }
        }
        ChartKind::LargestGroups => {
            let mut groups: Vec<_> = survey
                .units
                .iter()
                .flat_map(|u| u.groups.iter().map(move |g| (u, g)))
                .filter_map(|(u, g)| g.row.count.get().map(|c| (c, u, g)))
                .collect();
            groups.sort_by_key(|g| std::cmp::Reverse(g.0));
            groups.truncate(12);
            Bars {
                title: format!(
                    "De största målgrupperna (n = {} av {} målgrupper med antal)",
                    groups.len(),
                    sv_number(totals.all.groups - totals.all.groups_without_count)
                ),
                axis: groups
                    .iter()
                    .map(|(_, u, g)| format!("{} ({})", g.label, survey.place_name(&u.place)))
                    .collect(),
                series: vec![(
                    "Antal".into(),
                    groups.iter().map(|(c, ..)| f64::from(*c)).collect(),
                )],
                estimated: groups.iter().map(|(_, _, g)| g.estimated).collect(),
                unit: "personer",
            }
        }
        ChartKind::AlsoAt => {
            // Shares of those the question was answered for, not of all.
            let answered = totals.all.also_at_answered;
            Bars {
                title: format!(
                    "Andel som också är aktuella hos myndigheten (n = {} personer där frågan besvarades)",
                    sv_number(answered)
                ),
                axis: survey.frame.authorities.clone(),
                series: vec![(
                    "Andel".into(),
                    totals
                        .all
                        .part(&layout, Dimension::AlsoAt)
                        .iter()
                        .map(|v| *v as f64 * 100.0 / answered.max(1) as f64)
                        .collect(),
                )],
                estimated: vec![false; survey.frame.authorities.len()],
                unit: "procent",
            }
        }
        ChartKind::Themes => {
            let rows: Vec<_> = crate::model::themes::totals(survey)
                .into_iter()
                .filter(|r| r.totals.groups > 0)
                .collect();
            Bars {
                title: "Personer per tema och myndighet".into(),
                axis: rows
                    .iter()
                    .map(|r| {
                        let name = r.name(survey);
                        if name.chars().count() > 48 {
                            name.chars().take(47).chain(['…']).collect()
                        } else {
                            name.to_owned()
                        }
                    })
                    .collect(),
                series: survey
                    .frame
                    .authorities
                    .iter()
                    .enumerate()
                    .map(|(a, name)| {
                        let values = rows
                            .iter()
                            .map(|r| r.people_by_authority.get(a).copied().unwrap_or(0) as f64)
                            .collect();
                        (name.clone(), values)
                    })
                    .collect(),
                estimated: rows.iter().map(|r| r.totals.is_estimate()).collect(),
                unit: THEMES_UNIT,
            }
        }
    }
}

/// The axis words of the theme chart: what is counted, and that a group
/// with two themes counts in both.
const THEMES_UNIT: &str = "personer (en målgrupp med flera teman räknas under vart och ett)";

/// Words of `text` in lines of at most `width` characters (a longer word
/// gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Characters per line of an axis label.
const LABEL_WIDTH: usize = 40;
/// Text size in pixels (plotters draws about 0.8 of it): at least 8 pt
/// when a 1000-pixel chart is printed 18 cm wide.
const TEXT: u32 = 20;

/// Draws the chart, bars horizontal (labels readable however many), each
/// bar with its value, labels wrapped rather than cut.
fn draw<DB: DrawingBackend>(whole: DrawingArea<DB, Shift>, bars: &Bars) -> Result<Drawn, ChartError>
where
    DB::ErrorType: 'static,
{
    whole.fill(&WHITE).map_err(err)?;
    let mut drawn = Drawn::default();
    // The legend gets a strip of its own below the plot, so it never
    // covers a bar or a value label, whatever the chart.
    let legend = if bars.series.len() > 1 {
        Some(legend_layout(&whole, bars)?)
    } else {
        None
    };
    let (_, height) = whole.dim_in_pixel();
    let strip = legend.as_ref().map_or(0, |l| l.height);
    let (root, below) = whole.split_vertically(height.saturating_sub(strip));
    let rows = bars.axis.len().max(1);
    let per_row = bars.series.len().max(1);
    let max = bars
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let wrapped: Vec<Vec<String>> = bars.axis.iter().map(|l| wrap(l, LABEL_WIDTH)).collect();
    let longest = wrapped
        .iter()
        .flatten()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4);
    let mut chart = ChartBuilder::on(&root)
        .caption(&bars.title, ("sans-serif", TEXT + 4))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size((longest as u32 * 10 + 16).clamp(60, 440))
        // Room right of the longest bar for its value.
        .build_cartesian_2d(0.0..max * 1.18, 0.0..rows as f64)
        .map_err(err)?;
    let percent = bars.unit == "procent";
    let number = move |x: &f64| {
        if percent {
            format!("{x:.0} %")
        } else {
            format!("{x:.0}")
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(rows * 2 + 1)
        .y_label_formatter(&|_| String::new())
        .x_label_formatter(&number)
        .x_desc(bars.unit)
        .label_style(("sans-serif", TEXT))
        .draw()
        .map_err(err)?;
    // The axis labels, wrapped, centred on their row, right-aligned.
    let label_style =
        TextStyle::from(("sans-serif", TEXT).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
    let line_height = (TEXT as i32 * 9) / 10;
    for (i, lines) in wrapped.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(0.0, rows as f64 - i as f64 - 0.5));
        let first = y - line_height * (lines.len() as i32 - 1) / 2;
        for (k, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.as_str(),
                (x - 8, first + line_height * k as i32),
                label_style.clone(),
            ))
            .map_err(err)?;
        }
    }
    let band = 0.8 / per_row as f64;
    let value_style =
        TextStyle::from(("sans-serif", TEXT).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (s, (name, values)) in bars.series.iter().enumerate() {
        let fill = GREYS[s % GREYS.len()];
        let top_of = move |i: usize| rows as f64 - i as f64 - 0.1 - band * s as f64;
        let rects = values.iter().enumerate().map(move |(i, v)| {
            Rectangle::new([(0.0, top_of(i) - band), (*v, top_of(i))], fill.filled())
        });
        chart.draw_series(rects).map_err(err)?;
        for (i, v) in values.iter().enumerate() {
            let (x0, y0) = chart.backend_coord(&(0.0, top_of(i)));
            let (x1, y1) = chart.backend_coord(&(*v, top_of(i) - band));
            drawn.marks.push(Px::new(x0, y0, x1, y1));
        }
        let outlines = values.iter().enumerate().map(move |(i, v)| {
            Rectangle::new(
                [(0.0, top_of(i) - band), (*v, top_of(i))],
                BLACK.stroke_width(1),
            )
        });
        chart.draw_series(outlines).map_err(err)?;
        // Each bar's value at its end; "ca" where estimates are included.
        for (i, v) in values.iter().enumerate() {
            if *v <= 0.0 && name != NOT_GIVEN {
                continue;
            }
            let ca = if bars.estimated.get(i).copied().unwrap_or(false) && !percent {
                "ca "
            } else {
                ""
            };
            let (x, y) = chart.backend_coord(&(*v, top_of(i) - band / 2.0));
            let text = format!("{ca}{}", number(v));
            let (w, h) = root.estimate_text_size(&text, &value_style).map_err(err)?;
            let (w, h) = (w as i32, h as i32);
            drawn
                .marks
                .push(Px::new(x + 4, y - h / 2, x + 4 + w, y + h / 2));
            root.draw(&Text::new(text, (x + 4, y), value_style.clone()))
                .map_err(err)?;
        }
    }
    if let Some(legend) = legend {
        let (_, top) = below.get_base_pixel();
        drawn.legend = Some(draw_legend(&below, &legend, bars, top)?);
    }
    whole.present().map_err(err)?;
    Ok(drawn)
}

/// A rectangle in pixels of the whole image: left, top, right, bottom.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Px {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Px {
    fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Px {
        Px {
            left: x0.min(x1),
            top: y0.min(y1),
            right: x0.max(x1),
            bottom: y0.max(y1),
        }
    }

    /// Whether the two share any pixel.
    pub fn overlaps(&self, other: &Px) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// Where a chart put its marks: every bar and value label, and the legend.
#[derive(Debug, Default)]
pub struct Drawn {
    /// Each bar and each value label.
    pub marks: Vec<Px>,
    /// The legend's box, when the chart has more than one series.
    pub legend: Option<Px>,
}

/// The legend laid out: its rows of series (index, text width) and height.
struct Legend {
    rows: Vec<Vec<(usize, u32)>>,
    width: u32,
    height: u32,
}

/// Swatch size, gap after it, space between items, padding in the box.
const SWATCH: u32 = 14;
const GAP: u32 = 6;
const SPACE: u32 = 24;
const PAD: u32 = 8;
/// Height of one legend row.
const LEGEND_ROW: u32 = TEXT + 8;

/// The legend's rows: series side by side, a new row when the width is
/// used up.
fn legend_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &Bars,
) -> Result<Legend, ChartError>
where
    DB::ErrorType: 'static,
{
    let style = TextStyle::from(("sans-serif", TEXT).into_font());
    let (width, _) = area.dim_in_pixel();
    let room = width.saturating_sub(2 * 16 + 2 * PAD).max(1);
    let mut rows: Vec<Vec<(usize, u32)>> = vec![Vec::new()];
    let mut used = 0;
    let mut widest = 0;
    for (s, (name, _)) in bars.series.iter().enumerate() {
        let (w, _) = area.estimate_text_size(name, &style).map_err(err)?;
        let item = SWATCH + GAP + w;
        let row_empty = rows.last().is_none_or(|r| r.is_empty());
        if !row_empty && used + SPACE + item > room {
            rows.push(Vec::new());
            used = 0;
        }
        used += if used == 0 { item } else { SPACE + item };
        widest = widest.max(used);
        if let Some(row) = rows.last_mut() {
            row.push((s, w));
        }
    }
    let height = rows.len() as u32 * LEGEND_ROW + 2 * PAD + 8;
    Ok(Legend {
        width: widest + 2 * PAD,
        height,
        rows,
    })
}

/// Draws the legend centred in its strip; returns its box in pixels of
/// the whole image (`top` is where the strip starts).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    bars: &Bars,
    top: i32,
) -> Result<Px, ChartError>
where
    DB::ErrorType: 'static,
{
    let (width, _) = area.dim_in_pixel();
    let left = (width.saturating_sub(legend.width) / 2) as i32;
    let right = left + legend.width as i32;
    let bottom = (legend.height - 8) as i32;
    area.draw(&Rectangle::new(
        [(left, 0), (right, bottom)],
        WHITE.filled(),
    ))
    .map_err(err)?;
    area.draw(&Rectangle::new(
        [(left, 0), (right, bottom)],
        BLACK.stroke_width(1),
    ))
    .map_err(err)?;
    let style =
        TextStyle::from(("sans-serif", TEXT).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in legend.rows.iter().enumerate() {
        let y = (PAD + LEGEND_ROW * r as u32 + LEGEND_ROW / 2) as i32;
        let mut x = left + PAD as i32;
        for (s, w) in row {
            let fill = GREYS[s % GREYS.len()];
            let swatch = [(x, y - 7), (x + SWATCH as i32, y + 7)];
            area.draw(&Rectangle::new(swatch, fill.filled()))
                .map_err(err)?;
            area.draw(&Rectangle::new(swatch, BLACK.stroke_width(1)))
                .map_err(err)?;
            let name = bars.series.get(*s).map_or("", |(n, _)| n.as_str());
            area.draw(&Text::new(
                name,
                (x + (SWATCH + GAP) as i32, y + 2),
                style.clone(),
            ))
            .map_err(err)?;
            x += (SWATCH + GAP + w + SPACE) as i32;
        }
    }
    Ok(Px::new(left, top, right, top + bottom))
}

/// The chart as RGB pixels, row by row (the app shows these).
pub fn render_rgb(
    survey: &Survey,
    totals: &SurveyTotals,
    kind: ChartKind,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    font()?;
    rgb_of(&bars(survey, totals, kind), size)
}

fn rgb_of(bars: &Bars, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
    let _drawn = draw(
        BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area(),
        bars,
    )?;
    Ok(rgb)
}

/// The chart as PNG or SVG bytes, `size` in pixels.
pub fn render(
    survey: &Survey,
    totals: &SurveyTotals,
    kind: ChartKind,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    font()?;
    let bars = bars(survey, totals, kind);
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            let _drawn = draw(
                SVGBackend::with_string(&mut svg, size).into_drawing_area(),
                &bars,
            )?;
            // Name the font the chart was measured with, so a viewer that
            // has it draws the text as laid out.
            Ok(svg
                .replace(
                    "font-family=\"sans-serif\"",
                    "font-family=\"DejaVu Sans, sans-serif\"",
                )
                .into_bytes())
        }
        ImageFormat::Png => {
            let rgb = rgb_of(&bars, size)?;
            let mut out = Vec::new();
            let mut encoder = png::Encoder::new(&mut out, size.0, size.1);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(png_err)?;
            writer.write_image_data(&rgb).map_err(png_err)?;
            writer.finish().map_err(png_err)?;
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where each chart of the sample puts its marks at `size`.
    fn drawn(kind: ChartKind, size: (u32, u32)) -> Drawn {
        font().unwrap();
        let survey = crate::sample::survey().unwrap();
        let totals = crate::model::aggregate::survey_totals(&survey);
        let mut rgb = vec![0u8; size.0 as usize * size.1 as usize * 3];
        draw(
            BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area(),
            &bars(&survey, &totals, kind),
        )
        .unwrap()
    }

    #[test]
    fn the_legend_never_covers_a_bar_or_a_value_label() {
        // The app's chart at 1024 and 1366 pixels wide windows (width × 0.6),
        // and the size of a saved chart.
        for size in [(700, 420), (1040, 624), (1200, 720)] {
            for kind in ChartKind::ALL {
                let drawn = drawn(kind, size);
                assert!(!drawn.marks.is_empty(), "{kind:?} at {size:?} drew no bars");
                let Some(legend) = drawn.legend else {
                    continue;
                };
                assert!(
                    legend.bottom <= size.1 as i32 && legend.left >= 0,
                    "{kind:?} at {size:?}: the legend {legend:?} leaves the image"
                );
                for mark in &drawn.marks {
                    assert!(
                        !legend.overlaps(mark),
                        "{kind:?} at {size:?}: the legend {legend:?} covers {mark:?}"
                    );
                }
            }
        }
        // The sex chart has its legend (Män / Kvinnor / Ej angivet).
        assert!(drawn(ChartKind::Sex, (700, 420)).legend.is_some());
    }
}
