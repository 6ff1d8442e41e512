//! The groups grid's column headers: laid out to their narrow cells
//! (hyphenated between syllables where a word is wider than its cell), and
//! drawn again at the top of the form when the groups scroll them away.

/// A column header as drawn: where, and what, so it can be drawn again at
/// the top of the form when the groups have scrolled it away.
#[derive(Clone, Debug)]
pub struct Head {
    rect: egui::Rect,
    text: String,
    strong: bool,
    wrap: f32,
}

fn head_galley(ui: &egui::Ui, text: &str, strong: bool, wrap: f32) -> std::sync::Arc<egui::Galley> {
    let colour = if strong {
        ui.visuals().strong_text_color()
    } else {
        ui.visuals().text_color()
    };
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.fonts_mut(|f| f.layout(text.to_owned(), font, colour, wrap))
}

/// A header in a cell `width` wide, at the body text's size, wrapped
/// between words and, where a word is wider than the cell, hyphenated
/// between its syllables ("Kvin-nor") rather than cut anywhere.
pub(super) fn head(
    ui: &mut egui::Ui,
    text: &str,
    width: f32,
    heads: &mut Vec<Head>,
) -> egui::Response {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let lines = hyphenate(text, width, |s| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(s.to_owned(), font.clone(), egui::Color32::PLACEHOLDER)
                .size()
                .x
        })
    });
    let galley = head_galley(ui, &lines, true, f32::INFINITY);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(width, galley.size().y), egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Label, true, text));
    head_at(ui, rect, lines, true, f32::INFINITY, heads);
    response
}

/// Paints a header at `rect` (it may run over to the right) and keeps it.
pub(super) fn head_at(
    ui: &egui::Ui,
    rect: egui::Rect,
    text: String,
    strong: bool,
    wrap: f32,
    heads: &mut Vec<Head>,
) {
    let galley = head_galley(ui, &text, strong, wrap);
    ui.painter()
        .galley(rect.left_top(), galley, ui.visuals().text_color());
    heads.push(Head {
        rect,
        text,
        strong,
        wrap,
    });
}

/// The height of the band of headers that stays at the top of the form.
pub(super) fn band_height(heads: &[Head]) -> Option<f32> {
    let top = heads.iter().map(|h| h.rect.top()).reduce(f32::min)?;
    Some(heads.iter().map(|h| h.rect.bottom()).fold(top, f32::max) - top + 4.0)
}

/// Where the band of headers held at the top of `view` ends, when the form
/// has scrolled the headers out of it.
pub(super) fn held_band_bottom(heads: &[Head], view: egui::Rect) -> Option<f32> {
    let top = heads.iter().map(|h| h.rect.top()).reduce(f32::min)?;
    let bottom = heads.iter().map(|h| h.rect.bottom()).fold(top, f32::max);
    (top < view.top()).then(|| view.top() + bottom - top + 4.0)
}

/// Draws the headers kept in `heads` again at the top of `view` when the
/// form has scrolled them out of it, over a band of the panel's colour,
/// while the grid (ending at `grid_bottom`) is still in view under them.
/// Returns the band, when drawn.
pub(super) fn sticky_heads(
    ui: &egui::Ui,
    heads: &[Head],
    grid_bottom: f32,
    view: egui::Rect,
) -> Option<egui::Rect> {
    let top = heads.iter().map(|h| h.rect.top()).reduce(f32::min)?;
    let bottom = heads.iter().map(|h| h.rect.bottom()).fold(top, f32::max);
    if top >= view.top() || grid_bottom <= view.top() + bottom - top {
        return None;
    }
    let shift = view.top() - top;
    let layer = egui::LayerId::new(
        egui::Order::Middle,
        egui::Id::unique("fasta kolumnrubriker"),
    );
    let painter = ui.ctx().layer_painter(layer).with_clip_rect(view);
    let band =
        egui::Rect::from_x_y_ranges(view.x_range(), view.top()..=view.top() + bottom - top + 4.0);
    painter.rect_filled(band, 0.0, ui.visuals().panel_fill);
    painter.hline(
        band.x_range(),
        band.bottom(),
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    for h in heads {
        let galley = head_galley(ui, &h.text, h.strong, h.wrap);
        painter.galley(
            h.rect.left_top() + egui::vec2(0.0, shift),
            galley,
            ui.visuals().text_color(),
        );
    }
    Some(band)
}

/// Whether `c` is a vowel in Swedish.
fn vowel(c: char) -> bool {
    "aeiouyåäöéAEIOUYÅÄÖÉ".contains(c)
}

/// Where `word` may be hyphenated, as char positions: before a consonant
/// followed by a vowel, with a vowel before it ("Kvin-nor", "Lands-ting",
/// "Försäk-rings-kas-san"), keeping two letters on each side; and after a
/// hyphen already in the word ("mån-1").
fn break_points(word: &[char]) -> Vec<usize> {
    (1..word.len())
        .filter(|&i| {
            let c = word[i];
            let syllable = i >= 2
                && i + 2 <= word.len()
                && c.is_alphabetic()
                && !vowel(c)
                && vowel(word[i + 1])
                && word[..i].iter().any(|&v| vowel(v))
                && word[i - 1].is_alphabetic();
            syllable || word[i - 1] == '-'
        })
        .collect()
}

/// `text` broken into lines of at most `width` (as `measure` gives a
/// line's width): between words where they fit, else within a word at a
/// syllable with a hyphen. A piece wider than the cell is kept only when
/// no break makes it fit (then the narrowest).
pub(super) fn hyphenate(text: &str, width: f32, measure: impl Fn(&str) -> f32) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let joined = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if measure(&joined) <= width {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        let mut rest: Vec<char> = word.chars().collect();
        loop {
            let whole: String = rest.iter().collect();
            if measure(&whole) <= width {
                current = whole;
                break;
            }
            let piece = |i: usize| {
                let head: String = rest[..i].iter().collect();
                if head.ends_with('-') {
                    head
                } else {
                    format!("{head}-")
                }
            };
            let points = break_points(&rest);
            let Some(&at) = points
                .iter()
                .rev()
                .find(|&&i| measure(&piece(i)) <= width)
                .or(points.first())
            else {
                current = whole;
                break;
            };
            lines.push(piece(at));
            rest.drain(..at);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::hyphenate;

    /// Seven points a character, about the body font's width.
    fn seven(text: &str) -> f32 {
        7.0 * text.chars().count() as f32
    }

    #[test]
    fn headers_wrap_between_words_and_hyphenate_between_syllables() {
        let at = |text: &str, width: f32| hyphenate(text, width, seven);
        assert_eq!(at("Män", 34.0), "Män");
        assert_eq!(at("upp till 6 mån", 35.0), "upp\ntill\n6 mån");
        assert_eq!(at("upp till 6 mån", 34.0), "upp\ntill\n6\nmån");
        assert_eq!(at("Kvinnor", 34.0), "Kvin-\nnor");
        assert_eq!(at("Kommun", 34.0), "Kom-\nmun");
        assert_eq!(at("Landsting", 42.0), "Lands-\nting");
        assert_eq!(at("Försäkringskassan", 42.0), "För-\nsäk-\nrings-\nkassan");
        assert_eq!(
            at("Försäkringskassan", 35.0),
            "För-\nsäk-\nrings-\nkas-\nsan"
        );
        assert_eq!(at("Arbetsförmedlingen", 56.0), "Arbets-\nförmed-\nlingen");
        assert_eq!(at("7 mån-1 år", 34.0), "7\nmån-\n1 år");
        // No syllable to break at: the word is kept whole.
        assert_eq!(at("Xyz", 7.0), "Xyz");
        assert_eq!(at("", 34.0), "");
    }
}
