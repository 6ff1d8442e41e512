//! Charts of the survey's totals (plotters), as PNG or SVG. The font comes
//! with the binary (DejaVu Sans, `assets/`), so å ä ö render on any machine;
//! bars are grey with black outlines so the charts read in black-and-white
//! print.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::model::aggregate::SurveyTotals;
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
    title: String,
    axis: Vec<String>,
    /// (series name, one value per axis label)
    series: Vec<(String, Vec<f64>)>,
    unit: &'static str,
}

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
            Bars {
                title: format!("Personer per kommun och {}", d.name_sv()),
                axis: places
                    .iter()
                    .map(|p| survey.place_name(&p.place).to_owned())
                    .collect(),
                series: survey
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
                    .collect(),
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
                title: "De största målgrupperna".into(),
                axis: groups
                    .iter()
                    .map(|(_, u, g)| {
                        let mut label = format!("{} ({})", g.label, survey.place_name(&u.place));
                        if label.chars().count() > 48 {
                            label = label.chars().take(47).chain(['…']).collect();
                        }
                        label
                    })
                    .collect(),
                series: vec![(
                    "Antal".into(),
                    groups.iter().map(|(c, ..)| f64::from(*c)).collect(),
                )],
                unit: "personer",
            }
        }
        ChartKind::AlsoAt => {
            let people = totals.all.count.max(1) as f64;
            Bars {
                title: "Andel som också är aktuella hos myndigheten".into(),
                axis: survey.frame.authorities.clone(),
                series: vec![(
                    "Andel".into(),
                    totals
                        .all
                        .part(&layout, Dimension::AlsoAt)
                        .iter()
                        .map(|v| *v as f64 * 100.0 / people)
                        .collect(),
                )],
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
                unit: THEMES_UNIT,
            }
        }
    }
}

/// The axis words of the theme chart: what is counted, and that a group
/// with two themes counts in both.
const THEMES_UNIT: &str = "personer (en målgrupp med flera teman räknas under vart och ett)";

/// Draws the chart, bars horizontal (labels readable however many).
fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, bars: &Bars) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(err)?;
    let rows = bars.axis.len().max(1);
    let per_row = bars.series.len().max(1);
    let max = bars
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let longest = bars
        .axis
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4);
    let mut chart = ChartBuilder::on(&root)
        .caption(&bars.title, ("sans-serif", 28))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size((longest as u32 * 9).clamp(60, 420))
        .build_cartesian_2d(0.0..max * 1.08, 0.0..rows as f64)
        .map_err(err)?;
    let labels = bars.axis.clone();
    let label_of = move |y: &f64| {
        let i = (rows as f64 - y - 0.5).round();
        if (y.fract() - 0.5).abs() < 1e-9 && i >= 0.0 {
            labels.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
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
        .y_label_formatter(&label_of)
        .x_label_formatter(&number)
        .x_desc(bars.unit)
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(err)?;
    let band = 0.8 / per_row as f64;
    for (s, (name, values)) in bars.series.iter().enumerate() {
        let fill = GREYS[s % GREYS.len()];
        let rects = values.iter().enumerate().map(move |(i, v)| {
            // The first label at the top.
            let top = rows as f64 - i as f64 - 0.1 - band * s as f64;
            Rectangle::new([(0.0, top - band), (*v, top)], fill.filled())
        });
        chart
            .draw_series(rects)
            .map_err(err)?
            .label(name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], fill.filled()));
        let outlines = values.iter().enumerate().map(move |(i, v)| {
            let top = rows as f64 - i as f64 - 0.1 - band * s as f64;
            Rectangle::new([(0.0, top - band), (*v, top)], BLACK.stroke_width(1))
        });
        chart.draw_series(outlines).map_err(err)?;
    }
    if bars.series.len() > 1 {
        chart
            .configure_series_labels()
            .background_style(WHITE)
            .border_style(BLACK)
            .label_font(("sans-serif", 15))
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(err)?;
    }
    root.present().map_err(err)
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
    draw(
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
            draw(
                SVGBackend::with_string(&mut svg, size).into_drawing_area(),
                &bars,
            )?;
            Ok(svg.into_bytes())
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
