//! What a merge found, as text for the command line: the conflicts by
//! municipality, authority and unit, and what was merged.

use crate::model::compare::side_by_side;
use crate::model::merge::{Conflict, Plan};
use crate::model::{Place, Survey, Unit};

/// The unit of a conflict, ours when we still have it.
pub fn conflict_unit<'a>(mine: &'a Survey, theirs: &'a Survey, c: &Conflict) -> &'a Unit {
    match (c.mine, c.theirs) {
        (Some(m), _) => &mine.units[m],
        (None, Some(t)) => &theirs.units[t],
        (None, None) => unreachable!("a conflict has a unit on one side at least"),
    }
}

/// What happened to the unit on each side, in Swedish.
pub fn conflict_kind(c: &Conflict) -> &'static str {
    match (c.mine, c.theirs) {
        (Some(_), Some(_)) => "ändrad i båda filerna",
        (None, _) => "borttagen här, ändrad i den andra filen",
        (_, None) => "ändrad här, borttagen i den andra filen",
    }
}

/// The conflicts in the order of municipality (the frame's, areas last),
/// authority and unit name: indices into `plan.conflicts`.
pub fn conflict_order(mine: &Survey, theirs: &Survey, plan: &Plan) -> Vec<usize> {
    let mut order: Vec<usize> = (0..plan.conflicts.len()).collect();
    order.sort_by_cached_key(|&i| {
        let u = conflict_unit(mine, theirs, &plan.conflicts[i]);
        let place = match &u.place {
            Place::Municipality(m) => (0, *m, String::new()),
            Place::Area(a) => (1, 0, a.clone()),
        };
        (place, u.authority, u.name.clone())
    });
    order
}

/// The conflicts, one line each: "Kommun / Myndighet / Enhet: what, and
/// which fields differ".
pub fn conflicts(mine: &Survey, theirs: &Survey, plan: &Plan) -> String {
    let mut out = format!(
        "{} {} på båda håll sedan filerna senast delade dem:\n",
        plan.conflicts.len(),
        if plan.conflicts.len() == 1 {
            "enhet är ändrad"
        } else {
            "enheter är ändrade"
        }
    );
    for i in conflict_order(mine, theirs, plan) {
        let c = &plan.conflicts[i];
        let u = conflict_unit(mine, theirs, c);
        out.push_str(&format!(
            "  {} / {} / {}: {}",
            mine.place_name(&u.place),
            mine.frame
                .authorities
                .get(u.authority)
                .map_or("", String::as_str),
            u.name,
            conflict_kind(c)
        ));
        if let (Some(m), Some(t)) = (c.mine, c.theirs) {
            let differ: Vec<String> =
                side_by_side(&mine.frame, Some(&mine.units[m]), Some(&theirs.units[t]))
                    .into_iter()
                    .filter(|l| l.differs())
                    .map(|l| format!("{} ({} här, {} där)", l.field, l.mine, l.theirs))
                    .collect();
            let shown = differ
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            out.push_str(&format!(" – {shown}"));
            if differ.len() > 5 {
                out.push_str(&format!(" och {} fält till", differ.len() - 5));
            }
        }
        out.push('\n');
    }
    out
}

/// What a merge writes besides units: the revisions and deletions learned
/// from the other file, in Swedish ("2 enheters historik (revisioner) lades
/// till"), or `None` when it learns nothing. Such a merge changes no unit
/// but does write, so it must not be called "nothing new".
pub fn learned(plan: &Plan) -> Option<String> {
    let mut parts = Vec::new();
    match plan.learn.len() {
        0 => {}
        1 => parts.push("1 enhets historik (revisioner) lades till".to_owned()),
        n => parts.push(format!("{n} enheters historik (revisioner) lades till")),
    }
    match plan.learn_deleted.len() {
        0 => {}
        1 => parts
            .push("1 enhet som tagits bort i den andra filen antecknades som borttagen".to_owned()),
        n => parts.push(format!(
            "{n} enheter som tagits bort i den andra filen antecknades som borttagna"
        )),
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
