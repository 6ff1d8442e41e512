//! Two versions of a unit side by side, field by field (a merge conflict):
//! the same lines for the app's conflict view and the command line.

use super::{Dimension, Frame, Row, TargetGroup, Unit};

/// One field of a unit in two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The field, in Swedish ("Målgrupp 2: antal").
    pub field: String,
    /// Its value in this file ("–" for blank, "(saknas)" when not there).
    pub mine: String,
    /// Its value in the other file.
    pub theirs: String,
}

impl Line {
    /// Whether the two versions differ here.
    pub fn differs(&self) -> bool {
        self.mine != self.theirs
    }
}

/// How one of a unit's own fields is read.
type UnitField<'a> = dyn Fn(&Unit) -> String + 'a;

const ABSENT: &str = "(saknas)";
const BLANK: &str = "–";

fn text(t: Option<&str>) -> String {
    t.map_or_else(|| BLANK.to_owned(), str::to_owned)
}

fn cell(c: super::Cell) -> String {
    c.get().map_or_else(|| BLANK.to_owned(), |v| v.to_string())
}

/// Every field of either version, in form order; a unit deleted on one
/// side (`None`) shows as "(saknas)" there. Groups are matched by their
/// id, so a renamed or moved group is compared with itself.
pub fn side_by_side(frame: &Frame, mine: Option<&Unit>, theirs: Option<&Unit>) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut push = |field: String, a: Option<String>, b: Option<String>| {
        lines.push(Line {
            field,
            mine: a.unwrap_or_else(|| ABSENT.to_owned()),
            theirs: b.unwrap_or_else(|| ABSENT.to_owned()),
        })
    };
    let place = |u: &Unit| match &u.place {
        super::Place::Municipality(m) => frame.municipalities.get(*m).cloned().unwrap_or_default(),
        super::Place::Area(a) => a.clone(),
    };
    let unit_fields: [(&str, &UnitField); 6] = [
        ("Namn", &|u| u.name.clone()),
        ("Kommun eller område", &place),
        ("Myndighet", &|u| {
            frame
                .authorities
                .get(u.authority)
                .cloned()
                .unwrap_or_default()
        }),
        ("Samverkan i dag", &|u| {
            text(u.collaboration_today.as_deref())
        }),
        ("Förebyggande insatser", &|u| {
            text(u.preventive_measures.as_deref())
        }),
        ("Anteckning", &|u| text(u.note.as_deref())),
    ];
    for (field, get) in unit_fields {
        push(field.to_owned(), mine.map(get), theirs.map(get));
    }
    let mut key_names: Vec<&str> = Vec::new();
    for u in mine.iter().chain(theirs.iter()) {
        for k in &u.key_figures {
            if !key_names.contains(&k.name.as_str()) {
                key_names.push(&k.name);
            }
        }
    }
    for name in key_names {
        let get = |u: &Unit| {
            u.key_figures
                .iter()
                .find(|k| k.name == name)
                .map_or_else(|| BLANK.to_owned(), |k| k.value.to_string())
        };
        push(
            format!("Nyckeltal ”{name}”"),
            mine.map(get),
            theirs.map(get),
        );
    }

    // Groups: ours in order, then theirs that we lack.
    let mut ids: Vec<u128> = Vec::new();
    for u in mine.iter().chain(theirs.iter()) {
        for g in &u.groups {
            if !ids.contains(&g.id.get()) {
                ids.push(g.id.get());
            }
        }
    }
    let find = |u: Option<&Unit>, id: u128| -> Option<Option<TargetGroup>> {
        u.map(|u| u.groups.iter().find(|g| g.id.get() == id).cloned())
    };
    for (n, id) in ids.into_iter().enumerate() {
        let (a, b) = (find(mine, id), find(theirs, id));
        let head = format!("Målgrupp {}", n + 1);
        let field = |a: &Option<Option<TargetGroup>>, f: &dyn Fn(&TargetGroup) -> String| {
            a.as_ref()
                .map(|g| g.as_ref().map_or_else(|| ABSENT.to_owned(), f))
        };
        push(
            format!("{head}: benämning"),
            field(&a, &|g| g.label.clone()),
            field(&b, &|g| g.label.clone()),
        );
        push(
            format!("{head}: rang"),
            field(&a, &|g| g.rank.to_string()),
            field(&b, &|g| g.rank.to_string()),
        );
        let est = |g: &TargetGroup| if g.estimated { "ja" } else { "nej" }.to_owned();
        push(
            format!("{head}: uppskattat"),
            field(&a, &est),
            field(&b, &est),
        );
        row_lines(frame, &head, &a, &b, &mut push);
        let note = |g: &TargetGroup| text(g.note.as_deref());
        push(
            format!("{head}: anteckning"),
            field(&a, &note),
            field(&b, &note),
        );
        let extra = |g: &TargetGroup| {
            if g.extra.is_empty() {
                BLANK.to_owned()
            } else {
                g.extra
                    .iter()
                    .map(|t| format!("{} {:?}", t.title, t.cells))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        };
        push(
            format!("{head}: egna tabeller"),
            field(&a, &extra),
            field(&b, &extra),
        );
    }
    let totals = |u: Option<&Unit>| u.map(|u| u.reported_totals.clone());
    let (ta, tb) = (totals(mine), totals(theirs));
    if ta.iter().chain(tb.iter()).any(Option::is_some) {
        let wrap = |t: &Option<Option<Row>>| {
            t.as_ref().map(|r| {
                r.as_ref().map(|r| TargetGroup {
                    id: super::identity::Id::from_u128(0),
                    rank: 0,
                    label: String::new(),
                    estimated: false,
                    row: r.clone(),
                    extra: Default::default(),
                    note: None,
                    themes: Default::default(),
                })
            })
        };
        row_lines(frame, "Totalrad", &wrap(&ta), &wrap(&tb), &mut push);
    }
    let reviews = |u: &Unit| {
        u.reviews
            .iter()
            .map(|r| {
                if r.comment.is_empty() {
                    r.kind.key().to_owned()
                } else {
                    format!("{} ({})", r.kind.key(), r.comment)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    push(
        "Granskningsmarkeringar".to_owned(),
        mine.map(reviews),
        theirs.map(reviews),
    );
    lines
}

/// The count and every breakdown cell of a row, as lines.
fn row_lines(
    frame: &Frame,
    head: &str,
    a: &Option<Option<TargetGroup>>,
    b: &Option<Option<TargetGroup>>,
    push: &mut impl FnMut(String, Option<String>, Option<String>),
) {
    let layout = frame.layout();
    let value = |g: &Option<Option<TargetGroup>>, f: &dyn Fn(&Row) -> String| {
        g.as_ref()
            .map(|g| g.as_ref().map_or_else(|| ABSENT.to_owned(), |g| f(&g.row)))
    };
    push(
        format!("{head}: antal"),
        value(a, &|r| cell(r.count)),
        value(b, &|r| cell(r.count)),
    );
    for d in Dimension::ALL {
        for (i, label) in frame.labels(d).iter().enumerate() {
            let get = |r: &Row| {
                r.part(&layout, d)
                    .get(i)
                    .map_or_else(|| BLANK.to_owned(), |c| cell(*c))
            };
            push(
                format!("{head}: {} {label}", d.name_sv()),
                value(a, &get),
                value(b, &get),
            );
        }
    }
}
