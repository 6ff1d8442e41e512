//! The app in egui_kittest, and the survey it writes, for the UI tests.

use std::path::Path;

use egui::{Event, Key, Modifiers, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::model::Dimension;
use malgrupp::model::Survey;
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;
use malgrupp::ui::app::Settings;

/// The real app on `db`; frames follow each other while saves are out, so
/// that `run` returns once every edit is written.
fn app(cc: &mut eframe::CreationContext<'_>, db: std::path::PathBuf) -> App {
    let mut app = App::with_settings(&cc.egui_ctx, Settings::default(), Some(db));
    app.repaint_while_saving = std::time::Duration::ZERO;
    app
}

/// The real app on `db`, in a large window. Saves are written beside
/// the window, which draws frames until they are: `run` may take a few.
pub fn harness(db: &Path) -> Harness<'static, App> {
    let db = db.to_owned();
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_max_steps(1000)
        .build_eframe(move |cc| app(cc, db))
}

/// [`harness`] in a window of `size` (laptop screens, wide grids).
pub fn harness_sized(db: &Path, size: egui::Vec2) -> Harness<'static, App> {
    let db = db.to_owned();
    Harness::builder()
        .with_size(size)
        .with_max_steps(1000)
        .build_eframe(move |cc| app(cc, db))
}

/// [`harness`] for typing: a frame's held-back keys are played one frame
/// after another, so a run may take many frames.
pub fn typing_harness(db: &Path) -> Harness<'static, App> {
    let db = db.to_owned();
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_max_steps(1000)
        .build_eframe(move |cc| app(cc, db))
}

/// The survey as another program reading the file sees it; `None` while
/// the file is busy.
pub fn try_on_disk(db: &Path) -> Option<Survey> {
    let store = Store::open(db, Access::ReadOnly).ok()?;
    let name = store.resolve_survey(None).ok()?;
    store.load(&name).ok()
}

/// The survey as another program reading the file sees it.
pub fn on_disk(db: &Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

/// The survey the app shows.
pub fn shown(h: &Harness<'_, App>) -> Survey {
    h.state().doc.as_ref().unwrap().survey().clone()
}

// Keyboard and layout helpers of the laptop tests (app_laptop, app_grid).

pub fn key(h: &mut Harness<'_, App>, k: Key) {
    h.key_press(k);
    h.run();
}

pub fn mods(h: &mut Harness<'_, App>, m: Modifiers, k: Key) {
    h.key_press_modifiers(m, k);
    h.run();
}

pub fn type_(h: &mut Harness<'_, App>, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

/// Whether `r` lies inside the window of `size`, right of `left`.
pub fn inside(r: Rect, (w, hgt): (f32, f32), left: f32) -> bool {
    r.min.x >= left - 0.5 && r.max.x <= w + 0.5 && r.min.y >= -0.5 && r.max.y <= hgt + 0.5
}

/// The left edge of the views (right of the unit list, or of the button
/// that shows it again).
pub fn views_left(h: &Harness<'_, App>) -> f32 {
    let first = h
        .query_by_label("» Enheter")
        .unwrap_or_else(|| h.get_by_label("Svarsformulär"));
    first.rect().left() - 8.0
}

/// The accessible names of a group's number cells, left to right.
pub fn row_names(survey: &Survey, rank: &str) -> Vec<String> {
    let mut names = vec![format!("{rank}, Antal")];
    for d in Dimension::ALL {
        for l in survey.frame.labels(d) {
            names.push(format!("{rank}, {} {l}", d.name_sv()));
        }
    }
    names
}
