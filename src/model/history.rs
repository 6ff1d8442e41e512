//! The change history as plain data: what one change to one field is, how
//! it was made, and the field-level differences between two versions of a
//! unit, a frame or a whole survey. The store writes these down; the app
//! and the command line show them.
//!
//! Fields are named by the survey's own words, so a history stays readable
//! after the frame changes: `count`, `sex:Kvinnor`, `age:18-24`,
//! `also_at:Arbetsförmedlingen`, `label`, `note`, `rank`, `estimated`,
//! `extra:<title>`, `review:<subject>`, `themes` for a group; `name`, `place`,
//! `authority`, `collaboration_today`, `preventive_measures`, `note`,
//! `key:<name>`, `total:count`, `total:sex:Kvinnor`, `unit` (the unit added
//! or deleted), `position` for a unit; `group` for a group added or
//! deleted; `frame:<part>` for the frame.

use std::collections::BTreeMap;

use super::check::Subject;
use super::{Cell, Dimension, Frame, Layout, Place, Row, Survey, TargetGroup, Theme, Unit};

/// How a change was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum How {
    /// Typed in the app (or the command line changed one unit).
    Edit,
    /// A unit added.
    Add,
    /// A unit deleted.
    Delete,
    /// A unit moved in the list.
    Move,
    /// Taken back with Ångra.
    Undo,
    /// Done again with Gör om.
    Redo,
    /// A survey document imported.
    Import,
    /// A filled-in response form read in.
    ImportForm,
    /// Another file merged in.
    Merge,
    /// A review mark set or cleared.
    Review,
    /// The frame changed.
    Frame,
}

impl How {
    /// Every way, in the order above.
    pub const ALL: [How; 11] = [
        How::Edit,
        How::Add,
        How::Delete,
        How::Move,
        How::Undo,
        How::Redo,
        How::Import,
        How::ImportForm,
        How::Merge,
        How::Review,
        How::Frame,
    ];

    /// The key kept in the file and written by `malgrupp log`.
    pub fn key(self) -> &'static str {
        match self {
            How::Edit => "edit",
            How::Add => "add",
            How::Delete => "delete",
            How::Move => "move",
            How::Undo => "undo",
            How::Redo => "redo",
            How::Import => "import",
            How::ImportForm => "import-form",
            How::Merge => "merge",
            How::Review => "review",
            How::Frame => "frame",
        }
    }

    /// The way with this key.
    pub fn parse(key: &str) -> Option<How> {
        How::ALL.into_iter().find(|h| h.key() == key)
    }

    /// In Swedish, for people.
    pub fn name_sv(self) -> &'static str {
        match self {
            How::Edit => "ändring",
            How::Add => "ny enhet",
            How::Delete => "borttagen enhet",
            How::Move => "flyttad",
            How::Undo => "ångrad",
            How::Redo => "gjord igen",
            How::Import => "import",
            How::ImportForm => "inläst formulär",
            How::Merge => "sammanslagning",
            How::Review => "granskning",
            How::Frame => "ändrad ram",
        }
    }
}

/// One field changed: where, what, from what to what (`None` is blank).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The unit's name (after the change; before it for a deletion);
    /// `None` for the frame.
    pub unit: Option<String>,
    /// The group's rank as it was, `None` for unit-level fields.
    pub rank: Option<u32>,
    /// The group's label as it was, `None` for unit-level fields.
    pub label: Option<String>,
    /// The field (see the module's documentation).
    pub field: String,
    /// The value before; `None` when blank.
    pub old: Option<String>,
    /// The value after; `None` when blank.
    pub new: Option<String>,
}

/// The person making changes when nothing else is said: the login name
/// (`USERNAME` on Windows, `USER` elsewhere), else "okänd".
pub fn default_user() -> String {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|n| n.trim().to_owned())
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| "okänd".to_owned())
}

/// Whether `name` may stand as the person making changes, or why not.
pub fn check_user(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("namnet får inte vara tomt".to_owned());
    }
    if name.chars().count() > 200 {
        return Err("namnet får vara högst 200 tecken".to_owned());
    }
    if name.chars().any(char::is_control) {
        return Err("namnet får inte innehålla styrtecken".to_owned());
    }
    Ok(())
}

type Fields = Vec<(String, Option<String>)>;

fn cell(c: Cell) -> Option<String> {
    c.get().map(|v| v.to_string())
}

fn text(t: Option<&str>) -> Option<String> {
    t.filter(|t| !t.is_empty()).map(str::to_owned)
}

/// A group's themes as the history writes them (field `themes`): their
/// names in the frame's order, joined with ", "; `None` when it has none.
pub fn themes_value(themes: &[Theme], positions: &[u16]) -> Option<String> {
    let names: Vec<&str> = positions
        .iter()
        .filter_map(|t| themes.get(usize::from(*t)))
        .map(|t| t.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The frame's themes as the history writes them (field `frame:themes`):
/// "Namn: nyckelord, nyckelord; Namn" (the frame dialog's lines).
fn frame_themes_value(themes: &[Theme]) -> Option<String> {
    let lines = crate::model::themes::to_lines(themes).replace('\n', "; ");
    text(Some(&lines))
}

/// A row's cells by field name: `count`, `sex:Kvinnor` … (with `prefix`).
fn row_fields(frame: &Frame, layout: &Layout, row: &Row, prefix: &str, out: &mut Fields) {
    out.push((format!("{prefix}count"), cell(row.count)));
    for d in Dimension::ALL {
        for (label, c) in frame.labels(d).iter().zip(row.part(layout, d)) {
            out.push((format!("{prefix}{}:{label}", d.key()), cell(*c)));
        }
    }
}

/// The field a review mark's subject names.
fn subject_field(frame: &Frame, group: Option<&TargetGroup>, subject: Subject) -> String {
    match subject {
        Subject::Count => "count".to_owned(),
        Subject::Rank => "rank".to_owned(),
        Subject::Unit => "unit".to_owned(),
        Subject::Breakdown(d) => d.key().to_owned(),
        Subject::Category(d, i) => match frame.labels(d).get(usize::from(i)) {
            Some(label) => format!("{}:{label}", d.key()),
            None => format!("{}:{i}", d.key()),
        },
        Subject::Extra(t) => match group.and_then(|g| g.extra.get(usize::from(t))) {
            Some(table) => format!("extra:{}", table.title),
            None => format!("extra:{t}"),
        },
    }
}

/// The review marks on one group (or the total row, `group` None) as fields.
fn review_fields(frame: &Frame, unit: &Unit, group: Option<usize>, out: &mut Fields) {
    let g = group.and_then(|g| unit.groups.get(g));
    let mut marks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in unit
        .reviews
        .iter()
        .filter(|r| r.group.map(|g| g as usize) == group)
    {
        let value = if r.comment.is_empty() {
            r.kind.to_string()
        } else {
            format!("{}: {}", r.kind, r.comment)
        };
        marks
            .entry(format!("review:{}", subject_field(frame, g, r.subject)))
            .or_default()
            .push(value);
    }
    out.extend(marks.into_iter().map(|(f, v)| (f, Some(v.join("; ")))));
}

fn group_fields(frame: &Frame, layout: &Layout, unit: &Unit, g: usize) -> Fields {
    let group = &unit.groups[g];
    let mut out = vec![
        ("label".to_owned(), Some(group.label.clone())),
        ("rank".to_owned(), Some(group.rank.to_string())),
        (
            "estimated".to_owned(),
            group.estimated.then(|| "ja".to_owned()),
        ),
    ];
    row_fields(frame, layout, &group.row, "", &mut out);
    out.push(("note".to_owned(), text(group.note.as_deref())));
    out.push((
        "themes".to_owned(),
        themes_value(&frame.themes, &group.themes),
    ));
    for t in &group.extra {
        let cells: Vec<String> = t
            .cells
            .iter()
            .map(|c| c.get().map_or_else(|| "–".to_owned(), |v| v.to_string()))
            .collect();
        let value = format!(
            "rader: {}; kolumner: {}; celler: {}",
            t.rows.join(", "),
            t.columns.join(", "),
            cells.join(" ")
        );
        out.push((format!("extra:{}", t.title), Some(value)));
    }
    review_fields(frame, unit, Some(g), &mut out);
    out
}

fn unit_fields(frame: &Frame, layout: &Layout, unit: &Unit) -> Fields {
    let place = match &unit.place {
        Place::Municipality(m) => frame.municipalities.get(*m).cloned(),
        Place::Area(a) => Some(a.clone()),
    };
    let mut out = vec![
        ("name".to_owned(), Some(unit.name.clone())),
        ("place".to_owned(), place),
        (
            "authority".to_owned(),
            frame.authorities.get(unit.authority).cloned(),
        ),
        (
            "collaboration_today".to_owned(),
            text(unit.collaboration_today.as_deref()),
        ),
        (
            "preventive_measures".to_owned(),
            text(unit.preventive_measures.as_deref()),
        ),
        ("note".to_owned(), text(unit.note.as_deref())),
    ];
    for k in &unit.key_figures {
        out.push((format!("key:{}", k.name), Some(k.value.to_string())));
    }
    match &unit.reported_totals {
        Some(row) => row_fields(frame, layout, row, "total:", &mut out),
        None => out.push(("total:count".to_owned(), None)),
    }
    review_fields(frame, unit, None, &mut out);
    out
}

/// Field-by-field differences of two sets of fields; a field missing on
/// one side is blank there. In the order of `after`, then `before`.
fn diff_fields(
    before: &Fields,
    after: &Fields,
    mut push: impl FnMut(&str, Option<String>, Option<String>),
) {
    let old: BTreeMap<&str, &Option<String>> =
        before.iter().map(|(f, v)| (f.as_str(), v)).collect();
    let new: BTreeMap<&str, &Option<String>> = after.iter().map(|(f, v)| (f.as_str(), v)).collect();
    for (f, v) in after {
        let was = old.get(f.as_str()).copied().cloned().flatten();
        if was != *v {
            push(f, was, v.clone());
        }
    }
    for (f, v) in before {
        if !new.contains_key(f.as_str()) && v.is_some() {
            push(f, v.clone(), None);
        }
    }
}

/// Pairs each group after with the group it was before: the same label
/// and rank, else the same label, else the same position. Unpaired groups
/// were added (after) or deleted (before).
fn pair_groups(before: &[TargetGroup], after: &[TargetGroup]) -> Vec<Option<usize>> {
    let mut taken = vec![false; before.len()];
    let mut pairs: Vec<Option<usize>> = vec![None; after.len()];
    let rules: [&dyn Fn(usize, usize) -> bool; 3] = [
        &|i, j| before[i].label == after[j].label && before[i].rank == after[j].rank,
        &|i, j| before[i].label == after[j].label,
        &|i, j| i == j,
    ];
    for rule in rules {
        for (j, pair) in pairs.iter_mut().enumerate() {
            if pair.is_some() {
                continue;
            }
            if let Some(i) = (0..before.len()).find(|&i| !taken[i] && rule(i, j)) {
                taken[i] = true;
                *pair = Some(i);
            }
        }
    }
    pairs
}

/// The field-level differences between two versions of a unit; `None`
/// before for a unit added, after for a unit deleted. Everything about a
/// unit added or deleted is listed, so the history of each cell starts
/// (or ends) with it.
pub fn diff_units(frame: &Frame, before: Option<&Unit>, after: Option<&Unit>) -> Vec<FieldChange> {
    diff_units_across(frame, before, frame, after)
}

/// Like [`diff_units`], each side's fields named in its own frame (a
/// survey replaced with a changed frame). Fields are named by labels, so
/// comparing by name gives the right answer for renamed bands.
fn diff_units_across(
    old_frame: &Frame,
    before: Option<&Unit>,
    new_frame: &Frame,
    after: Option<&Unit>,
) -> Vec<FieldChange> {
    let (old_layout, new_layout) = (old_frame.layout(), new_frame.layout());
    let mut out = Vec::new();
    let Some(name) = after.or(before).map(|u| u.name.clone()) else {
        return out;
    };
    let mut push = |g: Option<&TargetGroup>, field: &str, old, new| {
        out.push(FieldChange {
            unit: Some(name.clone()),
            rank: g.map(|g| g.rank),
            label: g.map(|g| g.label.clone()),
            field: field.to_owned(),
            old,
            new,
        })
    };
    if before.is_none() != after.is_none() {
        push(
            None,
            "unit",
            before.map(|u| u.name.clone()),
            after.map(|u| u.name.clone()),
        );
    }
    let old_fields = before.map(|u| unit_fields(old_frame, &old_layout, u));
    let new_fields = after.map(|u| unit_fields(new_frame, &new_layout, u));
    diff_fields(
        &old_fields.unwrap_or_default(),
        &new_fields.unwrap_or_default(),
        |f, o, n| push(None, f, o, n),
    );
    let no_groups: &[TargetGroup] = &[];
    let old_groups = before.map_or(no_groups, |u| &u.groups);
    let new_groups = after.map_or(no_groups, |u| &u.groups);
    let pairs = pair_groups(old_groups, new_groups);
    let mut paired = vec![false; old_groups.len()];
    if let Some(after) = after {
        for (j, pair) in pairs.iter().enumerate() {
            let g = &new_groups[j];
            let old = match (pair, before) {
                (Some(i), Some(u)) => {
                    paired[*i] = true;
                    group_fields(old_frame, &old_layout, u, *i)
                }
                _ => {
                    push(Some(g), "group", None, Some(g.label.clone()));
                    Fields::new()
                }
            };
            let new = group_fields(new_frame, &new_layout, after, j);
            diff_fields(&old, &new, |f, o, n| push(Some(g), f, o, n));
        }
    }
    if let Some(before) = before {
        for (i, g) in old_groups.iter().enumerate().filter(|(i, _)| !paired[*i]) {
            push(Some(g), "group", Some(g.label.clone()), None);
            let old = group_fields(old_frame, &old_layout, before, i);
            diff_fields(&old, &Fields::new(), |f, o, n| push(Some(g), f, o, n));
        }
    }
    out
}

/// The differences between two frames, one field per part that changed
/// (`frame:name`, `frame:municipalities` …; lists as "a; b; c").
pub fn diff_frames(before: &Frame, after: &Frame) -> Vec<FieldChange> {
    let fields = |f: &Frame| -> Fields {
        vec![
            ("frame:name".to_owned(), Some(f.name.clone())),
            ("frame:region".to_owned(), text(Some(&f.region))),
            ("frame:period".to_owned(), text(Some(&f.period))),
            ("frame:note".to_owned(), text(f.note.as_deref())),
            (
                "frame:municipalities".to_owned(),
                text(Some(&f.municipalities.join("; "))),
            ),
            (
                "frame:authorities".to_owned(),
                text(Some(&f.authorities.join("; "))),
            ),
            ("frame:sex".to_owned(), text(Some(&f.sex.join("; ")))),
            ("frame:age".to_owned(), text(Some(&f.age_bands.join("; ")))),
            (
                "frame:duration".to_owned(),
                text(Some(&f.duration_bands.join("; "))),
            ),
            ("frame:themes".to_owned(), frame_themes_value(&f.themes)),
        ]
    };
    let mut out = Vec::new();
    diff_fields(&fields(before), &fields(after), |f, old, new| {
        out.push(FieldChange {
            unit: None,
            rank: None,
            label: None,
            field: f.to_owned(),
            old,
            new,
        })
    });
    out
}

/// The differences between a survey as it was and the one replacing it
/// (`import --replace`): the frame, then units paired by name, place and
/// authority (else by name alone), then units that are gone.
pub fn diff_surveys(before: &Survey, after: &Survey) -> Vec<FieldChange> {
    let mut out = diff_frames(&before.frame, &after.frame);
    let key = |s: &Survey, u: &Unit| {
        (
            u.name.clone(),
            s.place_name(&u.place).to_owned(),
            s.frame.authorities.get(u.authority).cloned(),
        )
    };
    let mut by_key: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, u) in before.units.iter().enumerate() {
        by_key.entry(key(before, u)).or_default().push(i);
        by_name.entry(u.name.as_str()).or_default().push(i);
    }
    let mut taken = vec![false; before.units.len()];
    let take = |list: Option<&Vec<usize>>, taken: &mut Vec<bool>| {
        let i = list?.iter().copied().find(|&i| !taken[i])?;
        taken[i] = true;
        Some(i)
    };
    let mut pairs = Vec::with_capacity(after.units.len());
    for u in &after.units {
        pairs.push(take(by_key.get(&key(after, u)), &mut taken));
    }
    for (j, u) in after.units.iter().enumerate() {
        if pairs[j].is_none() {
            pairs[j] = take(by_name.get(u.name.as_str()), &mut taken);
        }
    }
    for (u, pair) in after.units.iter().zip(&pairs) {
        let old = pair.map(|i| &before.units[i]);
        if before.frame == after.frame && old == Some(u) {
            continue;
        }
        out.extend(diff_units_across(&before.frame, old, &after.frame, Some(u)));
    }
    for (u, _) in before.units.iter().zip(&taken).filter(|(_, t)| !**t) {
        out.extend(diff_units(&before.frame, Some(u), None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Row;

    fn frame() -> Frame {
        crate::generate::frame_2005("T", vec!["Nora".into()])
    }

    fn group(frame: &Frame, rank: u32, label: &str, count: Option<u32>) -> TargetGroup {
        TargetGroup {
            id: crate::model::identity::Id::random(),
            rank,
            label: label.into(),
            estimated: false,
            row: Row {
                count: Cell::from_option(count),
                cells: frame.layout().blank(),
            },
            extra: Default::default(),
            note: None,
            themes: Default::default(),
        }
    }

    fn unit(groups: Vec<TargetGroup>) -> Unit {
        Unit {
            groups,
            ..Unit::empty("Enheten".into(), 0, Place::Municipality(0))
        }
    }

    type Short = (Option<u32>, String, Option<String>, Option<String>);

    fn short(changes: &[FieldChange]) -> Vec<Short> {
        changes
            .iter()
            .map(|c| (c.rank, c.field.clone(), c.old.clone(), c.new.clone()))
            .collect()
    }

    #[test]
    fn a_group_inserted_in_the_middle_changes_only_itself_and_the_ranks_after() {
        let f = frame();
        let before = unit(vec![group(&f, 1, "A", Some(5)), group(&f, 2, "B", Some(7))]);
        let mut after = before.clone();
        after.insert_group(1, group(&f, 0, "Ny", Some(3)));
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            short(&diff_units(&f, Some(&before), Some(&after))),
            vec![
                (Some(2), "group".into(), None, s("Ny")),
                (Some(2), "label".into(), None, s("Ny")),
                (Some(2), "rank".into(), None, s("2")),
                (Some(2), "count".into(), None, s("3")),
                (Some(3), "rank".into(), s("2"), s("3")),
            ]
        );
        assert!(diff_units(&f, Some(&after), Some(&after)).is_empty());
    }

    #[test]
    fn a_relabelled_group_and_unit_fields_are_named_as_the_frame_names_them() {
        let f = frame();
        let before = unit(vec![group(&f, 1, "A", None)]);
        let mut after = before.clone();
        after.groups[0].label = "A2".into();
        let layout = f.layout();
        after.groups[0].row.cells[layout.range(Dimension::AlsoAt).start] = Cell::new(4);
        after.note = Some("ringt 3/4".into());
        let changes = diff_units(&f, Some(&before), Some(&after));
        let fields: Vec<(Option<&str>, &str)> = changes
            .iter()
            .map(|c| (c.label.as_deref(), c.field.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (None, "note"),
                (Some("A2"), "label"),
                (Some("A2"), "also_at:Kommun"),
            ]
        );
        let deleted = diff_units(&f, Some(&after), None);
        assert_eq!(deleted[0].field, "unit");
        assert!(deleted.iter().all(|c| c.new.is_none()));
    }
}
