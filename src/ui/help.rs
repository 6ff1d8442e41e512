//! Hjälp → Handledning (F1) and Hjälp → Om: the Swedish guide, the version
//! and the licences, all carried in the binary so that no file or browser
//! is needed.

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

/// The guide, the same text as docs/handledning.md.
pub const GUIDE: &str = include_str!("../../docs/handledning.md");

/// The libraries built into the program and their licences
/// (docs/licenser.md, made by scripts/licences).
pub const LIBRARIES: &str = include_str!("../../docs/licenser.md");

/// The DejaVu Sans licence (the font of the charts).
pub const FONT_LICENCE: &str = include_str!("../../assets/DejaVuSans-LICENSE.txt");

/// The program's own licence.
pub const LICENCE: &str = "MIT OR Apache-2.0";

/// The guide's pictures, by the path the guide names them with; shown
/// through egui's `bytes://` loader.
const IMAGES: &[(&str, &[u8])] = &[
    (
        "handledning/start.png",
        include_bytes!("../../docs/handledning/start.png"),
    ),
    (
        "handledning/formular.png",
        include_bytes!("../../docs/handledning/formular.png"),
    ),
    (
        "handledning/granskning.png",
        include_bytes!("../../docs/handledning/granskning.png"),
    ),
    (
        "handledning/summor.png",
        include_bytes!("../../docs/handledning/summor.png"),
    ),
];

/// The title of the guide's window.
pub const GUIDE_TITLE: &str = "Handledning";

/// The title of the about window.
pub const ABOUT_TITLE: &str = "Om Målgruppskartläggning";

/// Which help window is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpPage {
    /// The guide.
    Guide,
    /// Version and licences.
    About,
}

/// The help windows' state.
#[derive(Default)]
pub struct HelpState {
    /// The window open, if any.
    pub open: Option<HelpPage>,
    /// The rendered guide's cache (images, links).
    cache: CommonMarkCache,
    /// The pictures are handed to egui's loaders once.
    images_loaded: bool,
}

impl HelpState {
    /// Opens `page` (the guide's pictures are made known to egui first).
    pub fn open(&mut self, ctx: &egui::Context, page: HelpPage) {
        if page == HelpPage::Guide && !self.images_loaded {
            egui_extras::install_image_loaders(ctx);
            for (path, bytes) in IMAGES {
                ctx.include_bytes(format!("bytes://{path}"), *bytes);
            }
            self.images_loaded = true;
        }
        self.open = Some(page);
    }
}

/// Esc closes an open help window (consumed, so nothing else takes it).
pub fn escape(ctx: &egui::Context, help: &mut HelpState) {
    if help.open.is_some()
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
    {
        help.open = None;
    }
}

/// The open help window, if any.
pub fn show(ctx: &egui::Context, help: &mut HelpState) {
    let Some(page) = help.open else {
        return;
    };
    let mut open = true;
    let max = ctx.content_rect().size() - egui::vec2(40.0, 60.0);
    match page {
        HelpPage::Guide => {
            egui::Window::new(GUIDE_TITLE)
                .open(&mut open)
                .default_pos([40.0, 40.0])
                .default_size([760.0_f32.min(max.x), 620.0_f32.min(max.y)])
                .max_size(max)
                .vscroll(true)
                .show(ctx, |ui| guide_ui(ui, &mut help.cache));
        }
        HelpPage::About => {
            egui::Window::new(ABOUT_TITLE)
                .open(&mut open)
                .default_pos([40.0, 40.0])
                .default_size([560.0_f32.min(max.x), 520.0_f32.min(max.y)])
                .max_size(max)
                .vscroll(true)
                .show(ctx, |ui| about_ui(ui, &mut help.cache));
        }
    }
    if !open {
        help.open = None;
    }
}

/// The guide, with its pictures scaled to the window's width.
fn guide_ui(ui: &mut egui::Ui, cache: &mut CommonMarkCache) {
    ui.label(egui::RichText::new("Stäng med Esc.").weak());
    CommonMarkViewer::new()
        .default_implicit_uri_scheme("bytes://")
        .max_image_width(Some(ui.available_width().max(200.0) as usize))
        .show(ui, cache, GUIDE);
}

/// Version, the program's licence, the font's and the libraries'.
fn about_ui(ui: &mut egui::Ui, cache: &mut CommonMarkCache) {
    ui.heading(super::TITLE);
    ui.label(version_text());
    ui.label(format!(
        "Licens: {LICENCE} (MIT eller Apache 2.0, välj den som passar; texterna finns i LICENSE-MIT och LICENSE-APACHE)."
    ));
    ui.label(
        "Diagrammens typsnitt DejaVu Sans har Bitstream Vera-licensen (fri att använda och sprida).",
    );
    ui.label(egui::RichText::new("Stäng med Esc.").weak());
    ui.separator();
    egui::CollapsingHeader::new("Typsnittets licens (DejaVu Sans)")
        .id_salt("font-licence")
        .show(ui, |ui| {
            ui.label(egui::RichText::new(FONT_LICENCE).monospace().small());
        });
    egui::CollapsingHeader::new("Bibliotekens licenser")
        .id_salt("libraries")
        .default_open(true)
        .show(ui, |ui| {
            CommonMarkViewer::new().show(ui, cache, LIBRARIES);
        });
}

/// "Version 0.1.0" (the crate's version).
pub fn version_text() -> String {
    format!("Version {}", env!("CARGO_PKG_VERSION"))
}
