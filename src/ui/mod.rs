//! The desktop app (eframe/egui). All egui code lives in this module; the
//! rules for saving and undoing are in [`document`], without egui.

pub mod app;
pub mod charts;
pub mod command;
pub mod dialogs;
pub mod document;
pub mod double_entry;
pub mod example;
pub mod export_job;
pub mod form;
pub mod help;
pub mod history;
pub mod icon;
pub mod merge;
pub mod new_unit;
pub mod overview;
pub mod path_entry;
pub mod review;
pub mod theme;
pub mod themes;
pub mod totals;
pub mod tree;
pub mod type_ahead;

use std::path::PathBuf;

pub use app::App;

/// The window title.
pub const TITLE: &str = "Målgruppskartläggning";

/// Opens the window on `db` (or the file used last, or the default file)
/// and runs until it is closed.
pub fn run(db: Option<PathBuf>) -> anyhow::Result<()> {
    // Only X11 and Wayland need a display named in the environment; on
    // Windows and macOS these variables are never set.
    if cfg!(all(unix, not(target_os = "macos")))
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        anyhow::bail!(
            "fönstret kan inte öppnas: ingen skärm (DISPLAY och WAYLAND_DISPLAY saknas); kommandona utan fönster visas med malgrupp --help"
        );
    }
    let mut viewport = egui::ViewportBuilder::default();
    if let Some(icon) = icon::window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title(TITLE)
            .with_app_id("malgrupp")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([640.0, 400.0]),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        TITLE,
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, db)))),
    )
    .map_err(|e| {
        anyhow::anyhow!(
            "fönstret kunde inte öppnas ({e}); utan grafisk skärm går kommandona att använda, se malgrupp --help"
        )
    })
}

/// Colours of findings, readable on light and dark backgrounds.
pub mod colours {
    use egui::Color32;

    use crate::model::check::Kind;

    /// The colour of a finding's words.
    pub fn of(kind: Kind, dark: bool) -> Color32 {
        match (kind, dark) {
            (Kind::Over(_) | Kind::TotalsDiffer(_), false) => Color32::from_rgb(180, 20, 20),
            (Kind::Over(_) | Kind::TotalsDiffer(_), true) => Color32::from_rgb(255, 120, 110),
            (Kind::Short(_) | Kind::MissingCount, false) => Color32::from_rgb(150, 90, 0),
            (Kind::Short(_) | Kind::MissingCount, true) => Color32::from_rgb(250, 190, 80),
            (Kind::NotGiven | Kind::Estimated, false) => Color32::from_rgb(70, 90, 160),
            (Kind::NotGiven | Kind::Estimated, true) => Color32::from_rgb(140, 170, 255),
            (Kind::Duplicate(_), false) => Color32::from_rgb(120, 60, 150),
            (Kind::Duplicate(_), true) => Color32::from_rgb(200, 150, 240),
        }
    }

    /// The background of a cell a finding is about.
    pub fn cell(kind: Kind, dark: bool) -> Color32 {
        of(kind, dark).gamma_multiply(0.25)
    }

    /// Reviewed findings: quiet green.
    pub fn reviewed(dark: bool) -> Color32 {
        if dark {
            Color32::from_rgb(120, 200, 130)
        } else {
            Color32::from_rgb(30, 120, 50)
        }
    }
}
