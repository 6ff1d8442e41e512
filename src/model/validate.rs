//! The rules a survey's text and numbers obey however they come in: the
//! survey document, a filled-in response form, a generated survey. One set
//! of rules, so that whatever one way accepts every other way accepts too
//! (a survey read from a form can always be exported and imported again).
//!
//! Pure: no I/O. The value rules give the reason in Swedish; the whole-survey
//! rules also give the place, as a path into the document
//! (`units[2].groups[0].label`).

use super::{Frame, Survey, Unit};

/// The longest label (names, group labels, category and table labels).
pub const LABEL_MAX: usize = 1_000;
/// The longest free text (open answers, notes).
pub const TEXT_MAX: usize = 100_000;
/// The most entries in a frame list (municipalities, bands …), a table's
/// rows or columns, or a group's extra tables.
pub const LIST_MAX: usize = 1_000;
/// The largest key figure. Above 2^53 a spreadsheet cannot hold a whole
/// number exactly; a round limit below that is easy to say.
pub const KEY_FIGURE_MAX: u64 = 1_000_000_000_000_000;

/// A rule broken at a place in the survey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Where, as a path into the document (`units[2].name`).
    pub at: String,
    /// Why, in Swedish.
    pub message: String,
}

/// Characters that show nothing: a label made only of these looks empty.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
        )
}

/// The first control character (NUL, ESC …) in `s` that `allowed` does not
/// let through, as a message.
fn control(s: &str, allowed: &[char]) -> Result<(), String> {
    match s
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !allowed.contains(c))
    {
        None => Ok(()),
        Some((i, c @ ('\n' | '\r'))) => Err(format!(
            "innehåller en radbrytning (U+{:04X}) som tecken {} av {}; skriv namnet på en rad",
            u32::from(c),
            i + 1,
            s.chars().count()
        )),
        Some((i, c)) => Err(format!(
            "innehåller ett styrtecken (U+{:04X}) som tecken {} av {}; sådana tecken syns inte och kan inte skrivas in, ta bort det",
            u32::from(c),
            i + 1,
            s.chars().count()
        )),
    }
}

/// At most `max` characters.
fn length(s: &str, max: usize) -> Result<(), String> {
    // Byte length bounds character count from above: skip counting short text.
    if s.len() > max {
        let n = s.chars().count();
        if n > max {
            return Err(format!("texten är för lång ({n} tecken, högst {max})"));
        }
    }
    Ok(())
}

/// A name or label: something visible, at most [`LABEL_MAX`] characters,
/// one line without control characters.
pub fn label(s: &str) -> Result<(), String> {
    length(s, LABEL_MAX)?;
    if s.chars().all(invisible) {
        return Err(if s.is_empty() {
            "får inte vara tom".to_owned()
        } else {
            "får inte vara tom (texten har bara blanksteg eller osynliga tecken)".to_owned()
        });
    }
    control(s, &[])
}

/// A short text that may be empty (the frame's region and period).
pub fn short_text(s: &str) -> Result<(), String> {
    length(s, LABEL_MAX)?;
    control(s, &[])
}

/// Free text (open answers, notes): at most [`TEXT_MAX`] characters; line
/// breaks and tabs are fine, other control characters are not.
pub fn text(s: &str) -> Result<(), String> {
    length(s, TEXT_MAX)?;
    control(s, &['\n', '\r', '\t'])
}

/// A list of at most [`LIST_MAX`] entries.
pub fn list_len(len: usize) -> Result<(), String> {
    if len > LIST_MAX {
        return Err(format!("för många ({len}, högst {LIST_MAX})"));
    }
    Ok(())
}

/// A key figure's value.
pub fn key_figure(value: u64) -> Result<(), String> {
    if value > KEY_FIGURE_MAX {
        return Err(format!(
            "talet {value} är för stort (högst {})",
            thousands(KEY_FIGURE_MAX)
        ));
    }
    Ok(())
}

/// Whether a number as written (`1e-400`) has a digit other than 0 before
/// its exponent but reads as 0: a count so written is not 0, and must not
/// be taken as 0. Surrounding whitespace is ignored.
pub fn underflows_to_zero(text: &str) -> bool {
    let text = text.trim();
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))
        && text.parse::<f64>().is_ok_and(|f| f == 0.0)
}

/// A number with spaces between thousands, as Swedish writes it.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

/// Text cut to 40 characters for a message.
pub fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut out: String = s.chars().take(40).collect();
        out.push('…');
        out
    } else {
        s.to_owned()
    }
}

/// Builds an [`Invalid`] at a path made only when something is wrong.
fn at(path: impl FnOnce() -> String) -> impl FnOnce(String) -> Invalid {
    move |message| Invalid {
        at: path(),
        message,
    }
}

/// A list of distinct labels at `path`.
fn labels(list: &[String], path: &dyn Fn() -> String) -> Result<(), Invalid> {
    list_len(list.len()).map_err(at(path))?;
    for (i, s) in list.iter().enumerate() {
        let item = || format!("{}[{i}]", path());
        label(s).map_err(at(item))?;
        if list[..i].contains(s) {
            return Err(Invalid {
                at: item(),
                message: format!("”{}” står två gånger", shorten(s)),
            });
        }
    }
    Ok(())
}

fn optional_text(s: &Option<String>, path: impl FnOnce() -> String) -> Result<(), Invalid> {
    match s {
        Some(s) => text(s).map_err(at(path)),
        None => Ok(()),
    }
}

/// The frame's rules; paths start at `survey`.
pub fn frame(f: &Frame) -> Result<(), Invalid> {
    label(&f.name).map_err(at(|| "survey.name".into()))?;
    short_text(&f.region).map_err(at(|| "survey.region".into()))?;
    short_text(&f.period).map_err(at(|| "survey.period".into()))?;
    for (key, list) in [
        ("municipalities", &f.municipalities),
        ("authorities", &f.authorities),
        ("sex", &f.sex),
        ("age_bands", &f.age_bands),
        ("duration_bands", &f.duration_bands),
    ] {
        labels(list, &|| format!("survey.{key}"))?;
    }
    list_len(f.themes.len()).map_err(at(|| "survey.themes".into()))?;
    for (i, t) in f.themes.iter().enumerate() {
        let path = || format!("survey.themes[{i}].name");
        label(&t.name).map_err(at(path))?;
        if f.themes[..i].iter().any(|o| o.name == t.name) {
            return Err(Invalid {
                at: path(),
                message: format!("temat ”{}” står två gånger", shorten(&t.name)),
            });
        }
        labels(&t.keywords, &|| format!("survey.themes[{i}].keywords"))?;
    }
    optional_text(&f.note, || "survey.note".into())?;
    super::coverage::check_planned(f).map_err(|(at, message)| Invalid { at, message })
}

/// A unit's rules; paths are relative to the unit (`groups[0].label`).
pub fn unit(u: &Unit) -> Result<(), Invalid> {
    if let super::Place::Area(area) = &u.place {
        label(area).map_err(at(|| "area".into()))?;
    }
    label(&u.name).map_err(at(|| "name".into()))?;
    optional_text(&u.collaboration_today, || "collaboration_today".into())?;
    optional_text(&u.preventive_measures, || "preventive_measures".into())?;
    optional_text(&u.note, || "note".into())?;
    let mut names = std::collections::HashSet::with_capacity(u.key_figures.len());
    for k in &u.key_figures {
        let path = || format!("key_figures.{}", k.name);
        label(&k.name).map_err(at(path))?;
        if !names.insert(k.name.as_str()) {
            return Err(Invalid {
                at: "key_figures".into(),
                message: format!("nyckeltalet ”{}” står två gånger", shorten(&k.name)),
            });
        }
        key_figure(k.value).map_err(at(path))?;
    }
    for (g, group) in u.groups.iter().enumerate() {
        let path = |rest: &str| format!("groups[{g}].{rest}");
        if group.rank == 0 {
            return Err(Invalid {
                at: path("rank"),
                message: "rangordningen måste vara ett heltal från 1, fick 0".into(),
            });
        }
        label(&group.label).map_err(at(|| path("label")))?;
        if let Some(note) = &group.note {
            text(note).map_err(at(|| path("note")))?;
        }
        list_len(group.extra.len()).map_err(at(|| path("extra_breakdowns")))?;
        for (t, table) in group.extra.iter().enumerate() {
            let table_path = |rest: &str| path(&format!("extra_breakdowns[{t}].{rest}"));
            label(&table.title).map_err(at(|| table_path("title")))?;
            labels(&table.rows, &|| table_path("rows"))?;
            labels(&table.columns, &|| table_path("columns"))?;
        }
    }
    Ok(())
}

/// The whole survey's rules, with paths from the document's root.
pub fn survey(s: &Survey) -> Result<(), Invalid> {
    if let Some(about) = &s.about {
        text(about).map_err(at(|| "about".into()))?;
    }
    frame(&s.frame)?;
    for (i, u) in s.units.iter().enumerate() {
        unit(u).map_err(|e| Invalid {
            at: format!("units[{i}].{}", e.at),
            message: e.message,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonzero_number_that_reads_as_zero_is_told_from_a_zero() {
        for under in ["1e-400", " 5E-999\n", "-0.1e-330", "0.000001e-340"] {
            assert!(underflows_to_zero(under), "{under:?}");
        }
        for not in [
            "0", "0.0", "-0", "0e-400", "0e5", "1", "1e-300", "12", "abc", "", "1e-400x",
        ] {
            assert!(!underflows_to_zero(not), "{not:?}");
        }
    }

    #[test]
    fn labels_must_show_something_and_hold_no_control_characters() {
        assert!(label("Hällefors").is_ok());
        assert!(label(" Hällefors ").is_ok());
        assert_eq!(label("").unwrap_err(), "får inte vara tom");
        for blank in [
            "   ",
            "\u{200B}",
            " \u{200B}\u{FEFF} ",
            "\u{00A0}",
            "\u{2060}",
        ] {
            assert!(label(blank).unwrap_err().contains("osynliga"), "{blank:?}");
        }
        let e = label("Häll\0efors").unwrap_err();
        assert!(e.contains("U+0000") && e.contains("tecken 5"), "{e}");
        assert!(label("a\u{1b}[31m").unwrap_err().contains("U+001B"));
        assert!(label("rad ett\nrad två").unwrap_err().contains("U+000A"));
        assert!(
            label(&"x".repeat(1001))
                .unwrap_err()
                .contains("1001 tecken")
        );
    }

    #[test]
    fn free_text_keeps_line_breaks_but_not_other_control_characters() {
        assert!(text("rad ett\r\nrad två\tmed tabb").is_ok());
        assert!(text("").is_ok());
        assert!(text("a\0b").unwrap_err().contains("U+0000"));
        assert!(short_text("").is_ok());
        assert!(short_text("2005\u{7}").is_err());
    }

    #[test]
    fn key_figures_have_a_plain_limit() {
        assert!(key_figure(KEY_FIGURE_MAX).is_ok());
        let e = key_figure(1 << 63).unwrap_err();
        assert!(e.contains("högst 1 000 000 000 000 000"), "{e}");
    }
}
