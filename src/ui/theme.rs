//! The app's light and dark looks: cells outlined so an empty one is seen
//! on a white page, and every text and outline against what lies under it
//! at WCAG AA contrast (4.5:1 for text, 3:1 for outlines), checked by the
//! tests below from the visuals themselves.

use egui::{Color32, Stroke, Theme, Visuals};

/// Sets the app's adjustments on both of the context's themes.
pub fn install(ctx: &egui::Context) {
    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |style| adjust(&mut style.visuals));
    }
}

/// The adjustments to egui's visuals of one theme.
pub fn adjust(v: &mut Visuals) {
    let (outline, text) = if v.dark_mode {
        (Color32::from_gray(130), Color32::from_gray(200))
    } else {
        (Color32::from_gray(118), Color32::from_gray(40))
    };
    // Text fields and buttons get a visible frame at rest.
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, outline);
    v.widgets.noninteractive.fg_stroke.color = text;
    v.widgets.inactive.fg_stroke.color = text;
    // The error colour is the "over" finding's, readable on the page.
    v.error_fg_color = crate::ui::colours::of(crate::model::check::Kind::Over(0), v.dark_mode);
    if !v.dark_mode {
        v.warn_fg_color = Color32::from_rgb(140, 80, 0);
    }
}

/// WCAG's relative luminance of an opaque colour.
pub fn luminance(c: Color32) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// WCAG's contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A translucent colour (premultiplied) painted over an opaque one.
pub fn over(top: Color32, under: Color32) -> Color32 {
    let a = f32::from(top.a()) / 255.0;
    let mix = |t: u8, u: u8| (f32::from(t) + f32::from(u) * (1.0 - a)).round().min(255.0) as u8;
    Color32::from_rgb(
        mix(top.r(), under.r()),
        mix(top.g(), under.g()),
        mix(top.b(), under.b()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::check::Kind;
    use crate::ui::colours;

    fn themed(dark: bool) -> Visuals {
        let mut v = if dark {
            Visuals::dark()
        } else {
            Visuals::light()
        };
        adjust(&mut v);
        v
    }

    const KINDS: [Kind; 5] = [
        Kind::Over(1),
        Kind::Short(1),
        Kind::NotGiven,
        Kind::Duplicate(0),
        Kind::MissingCount,
    ];

    #[test]
    fn text_and_outlines_read_at_wcag_aa_in_both_themes() {
        let mut failures = Vec::new();
        for dark in [false, true] {
            let v = themed(dark);
            let grounds = [
                ("panel", v.panel_fill),
                ("fält", v.text_edit_bg_color()),
                ("rand", over(v.faint_bg_color, v.panel_fill)),
            ];
            let mut check = |what: String, fg: Color32, bg: Color32, least: f64| {
                let c = contrast(fg, bg);
                if c < least {
                    failures.push(format!(
                        "{} {what}: {c:.2} < {least}",
                        if dark { "mörkt" } else { "ljust" }
                    ));
                }
            };
            for (ground, bg) in grounds {
                check(format!("text på {ground}"), v.text_color(), bg, 4.5);
                check(
                    format!("stark text på {ground}"),
                    v.strong_text_color(),
                    bg,
                    4.5,
                );
                check(format!("fel på {ground}"), v.error_fg_color, bg, 4.5);
                check(
                    format!("granskat på {ground}"),
                    colours::reviewed(dark),
                    bg,
                    4.5,
                );
                for kind in KINDS {
                    check(
                        format!("{kind} på {ground}"),
                        colours::of(kind, dark),
                        bg,
                        4.5,
                    );
                }
                // A cell's outline against the field and the page.
                check(
                    format!("cellkant mot {ground}"),
                    v.widgets.inactive.bg_stroke.color,
                    bg,
                    3.0,
                );
            }
            // The number in a cell coloured by its finding.
            for kind in KINDS {
                let cell = over(colours::cell(kind, dark), v.text_edit_bg_color());
                check(format!("tal i cell för {kind}"), v.text_color(), cell, 4.5);
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn contrast_is_measured_as_wcag_says() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::from_gray(118), Color32::WHITE) - 4.54).abs() < 0.02);
    }
}
