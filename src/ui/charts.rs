//! The charts view: the same charts as `malgrupp chart` and the HTML
//! report, drawn by plotters from the survey's totals, shown as an image
//! and saved as PNG or SVG.

use super::app::App;
use crate::report::chart::{self, ChartKind, ImageFormat};

/// What the charts view keeps between frames.
pub struct ChartsState {
    /// The chart shown.
    pub kind: ChartKind,
    /// The drawn chart: for which revision, kind and size.
    texture: Option<(u64, ChartKind, [usize; 2], egui::TextureHandle)>,
}

impl Default for ChartsState {
    fn default() -> Self {
        ChartsState {
            kind: ChartKind::Sex,
            texture: None,
        }
    }
}

/// Draws the charts view.
pub fn show(ui: &mut egui::Ui, app: &mut App) {
    let Some(doc) = &app.doc else { return };
    let mut save = None;
    ui.horizontal(|ui| {
        let label = ui.label("Diagram:");
        egui::ComboBox::from_id_salt("diagram")
            .selected_text(app.charts.kind.name_sv())
            .width(320.0)
            .show_ui(ui, |ui| {
                for kind in ChartKind::ALL {
                    ui.selectable_value(&mut app.charts.kind, kind, kind.name_sv());
                }
            })
            .response
            .labelled_by(label.id);
        for (text, format) in [
            ("Spara som PNG…", ImageFormat::Png),
            ("Spara som SVG…", ImageFormat::Svg),
        ] {
            if ui.button(text).clicked() {
                save = Some(format);
            }
        }
    });
    if app.charts.kind == ChartKind::Themes {
        ui.label(if doc.survey().frame.themes.is_empty() {
            "Ramen har inga teman än: alla målgrupper står under ”(utan tema)”. Lägg till teman under Arkiv → Ändra ramen och sätt dem i vyn Teman."
        } else {
            crate::model::themes::DOUBLE_COUNT_NOTE
        });
    }
    let width = ui.available_width().clamp(400.0, 1600.0);
    let size = [width as usize, (width * 0.6) as usize];
    let key = (doc.revision(), app.charts.kind, size);
    if app
        .charts
        .texture
        .as_ref()
        .is_none_or(|(r, k, s, _)| (*r, *k, *s) != key)
    {
        match chart::render_rgb(
            doc.survey(),
            &doc.analysis().totals,
            app.charts.kind,
            (size[0] as u32, size[1] as u32),
        ) {
            Ok(rgb) => {
                let image = egui::ColorImage::from_rgb(size, &rgb);
                let texture = ui
                    .ctx()
                    .load_texture("diagram", image, egui::TextureOptions::LINEAR);
                app.charts.texture = Some((key.0, key.1, key.2, texture));
            }
            Err(e) => {
                app.error = Some(e.to_string());
                app.charts.texture = None;
            }
        }
    }
    if let Some((_, _, size, texture)) = &app.charts.texture {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.add(
                egui::Image::new((texture.id(), egui::vec2(size[0] as f32, size[1] as f32)))
                    .alt_text(app.charts.kind.name_sv()),
            );
        });
    }
    if let Some(format) = save {
        save_chart(app, format);
    }
}

fn save_chart(app: &mut App, format: ImageFormat) {
    let kind = app.charts.kind;
    let ext = match format {
        ImageFormat::Png => "png",
        ImageFormat::Svg => "svg",
    };
    let name = format!("{}.{ext}", kind.name_sv());
    let purpose = super::path_entry::PathPurpose::SaveChart(kind, format);
    if let Some(path) = super::path_entry::choose(app, purpose, &name) {
        save_chart_to(app, kind, format, &path);
    }
}

/// Writes the chart of `kind` to `path` (the checks every output goes
/// through first: no database or folder is written over).
pub fn save_chart_to(app: &mut App, kind: ChartKind, format: ImageFormat, path: &std::path::Path) {
    let Some(doc) = &app.doc else { return };
    let result = chart::render(
        doc.survey(),
        &doc.analysis().totals,
        kind,
        format,
        (1200, 720),
    )
    .map_err(|e| crate::Error::at(path.display().to_string(), e.to_string()))
    .and_then(|bytes| crate::export::write_atomic(path, |w| w.write_all(&bytes)));
    match result {
        Ok(()) => app.info = Some(format!("Sparade diagrammet i {}.", path.display())),
        Err(e) => app.error = Some(e.to_string()),
    }
}
