//! Double entry (kontrollinmatning): a unit's numbers typed a second time
//! from the paper, compared cell by cell with the first entry, each
//! difference resolved by picking the right value, and the unit marked
//! verified.
//!
//! Only the numbers are typed again (counts, breakdown cells, the printed
//! total row, key figures, extra tables): the names and labels identify the
//! rows on the paper and are kept.
//!
//! A later edit of a verified unit keeps the verification but marks it
//! "ändrad efter kontroll": the verification holds a digest of the numbers
//! as verified, and [`Verification::holds_for`] compares it with the unit
//! as it is now (undoing the edit makes the unit verified again).

use super::{Cell, Dimension, Layout, Row, Survey, Unit};

/// Who verified a unit by double entry, when, and how many cells differed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// The person who did the second entry and resolved the differences.
    pub user: String,
    /// When, in UTC (`2026-11-27T14:05:05Z`).
    pub time: String,
    /// How many cells differed between the two entries.
    pub differed: u32,
    /// [`digest`] of the unit's numbers as verified.
    pub digest: u64,
}

impl Verification {
    /// Whether the unit still holds the numbers that were verified (not
    /// changed after the check).
    pub fn holds_for(&self, unit: &Unit) -> bool {
        self.digest == digest(unit)
    }
}

impl Unit {
    /// Whether the unit is double-entered and unchanged since.
    pub fn is_verified(&self) -> bool {
        self.verification
            .as_ref()
            .is_some_and(|v| v.holds_for(self))
    }

    /// Whether the unit was double-entered and changed afterwards.
    pub fn changed_after_verification(&self) -> bool {
        self.verification
            .as_ref()
            .is_some_and(|v| !v.holds_for(self))
    }
}

/// A 64-bit FNV-1a digest of a unit's numbers and the labels that place
/// them: the same on every machine and every run (std's hasher is not).
pub fn digest(unit: &Unit) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let cell = |h: &mut Fnv, c: Cell| h.u64(c.get().map_or(u64::MAX, u64::from));
    let row = |h: &mut Fnv, r: &Row| {
        cell(h, r.count);
        h.u64(r.cells.len() as u64);
        for c in &r.cells {
            cell(h, *c);
        }
    };
    h.u64(unit.key_figures.len() as u64);
    for k in &unit.key_figures {
        h.str(&k.name);
        h.u64(k.value);
    }
    match &unit.reported_totals {
        Some(r) => {
            h.u64(1);
            row(&mut h, r);
        }
        None => h.u64(0),
    }
    h.u64(unit.groups.len() as u64);
    for g in &unit.groups {
        h.u64(u64::from(g.rank));
        h.str(&g.label);
        h.u64(u64::from(g.estimated));
        row(&mut h, &g.row);
        h.u64(g.extra.len() as u64);
        for t in &g.extra {
            h.str(&t.title);
            h.u64(t.rows.len() as u64);
            h.u64(t.columns.len() as u64);
            for c in &t.cells {
                cell(&mut h, *c);
            }
        }
    }
    h.0
}

struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }
}

/// The unit as the second person starts it: the same names, groups,
/// labels and table shapes, every number blank (key figures 0, since they
/// cannot be blank), no review marks and no verification.
pub fn blank_copy(unit: &Unit, layout: &Layout) -> Unit {
    let mut copy = unit.clone();
    for k in &mut copy.key_figures {
        k.value = 0;
    }
    if let Some(r) = &mut copy.reported_totals {
        *r = Row::blank(layout);
    }
    for g in &mut copy.groups {
        g.row = Row::blank(layout);
        g.estimated = false;
        for t in &mut g.extra {
            t.cells.iter_mut().for_each(|c| *c = Cell::BLANK);
        }
    }
    copy.reviews.clear();
    copy.verification = None;
    copy
}

/// Where a number sits in a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spot {
    /// A group's count.
    Count(usize),
    /// Whether a group's count is an estimate (0/1).
    Estimated(usize),
    /// A group's breakdown cell (position in the layout).
    Cell(usize, usize),
    /// The printed total row's count.
    TotalCount,
    /// The printed total row's cell.
    TotalCell(usize),
    /// A key figure's value.
    Key(usize),
    /// A cell of a group's extra table: group, table, cell.
    Extra(usize, usize, usize),
}

/// A cell where the two entries differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// Where.
    pub spot: Spot,
    /// The place in words ("målgrupp 2 ”Unga vuxna”, kön: Kvinnor").
    pub place: String,
    /// The first entry's value (`None` blank).
    pub first: Option<u64>,
    /// The second entry's value.
    pub second: Option<u64>,
}

/// Why two entries cannot be compared cell by cell.
pub fn shape_mismatch(first: &Unit, second: &Unit) -> Option<String> {
    if first.groups.len() != second.groups.len() {
        return Some(format!(
            "kontrollinmatningen har {} målgrupper, den första inmatningen {}; lägg till eller ta bort målgrupper så att de stämmer",
            second.groups.len(),
            first.groups.len()
        ));
    }
    if first.key_figures.len() != second.key_figures.len() {
        return Some("nyckeltalen är inte lika många i de två inmatningarna".to_owned());
    }
    if first.reported_totals.is_some() != second.reported_totals.is_some() {
        return Some("bara den ena inmatningen har en totalrad".to_owned());
    }
    for (g, (a, b)) in first.groups.iter().zip(&second.groups).enumerate() {
        if a.extra.len() != b.extra.len()
            || a.extra
                .iter()
                .zip(&b.extra)
                .any(|(x, y)| x.cells.len() != y.cells.len())
        {
            return Some(format!(
                "målgrupp {} har egna tabeller av olika form i de två inmatningarna",
                g + 1
            ));
        }
    }
    None
}

fn cell_of(unit: &Unit, spot: Spot) -> Option<u64> {
    let c = |c: Cell| c.get().map(u64::from);
    match spot {
        Spot::Count(g) => c(unit.groups[g].row.count),
        Spot::Estimated(g) => Some(u64::from(unit.groups[g].estimated)),
        Spot::Cell(g, i) => c(unit.groups[g].row.cells[i]),
        Spot::TotalCount => unit.reported_totals.as_ref().and_then(|r| c(r.count)),
        Spot::TotalCell(i) => unit.reported_totals.as_ref().and_then(|r| c(r.cells[i])),
        Spot::Key(k) => Some(unit.key_figures[k].value),
        Spot::Extra(g, t, i) => c(unit.groups[g].extra[t].cells[i]),
    }
}

/// Sets a number; `false` when it does not fit the cell.
fn set_cell(unit: &mut Unit, spot: Spot, value: Option<u64>) -> bool {
    let cell = match value {
        None => Cell::BLANK,
        Some(v) => match Cell::try_new(v) {
            Some(c) => c,
            None => return false,
        },
    };
    match spot {
        Spot::Count(g) => unit.groups[g].row.count = cell,
        Spot::Estimated(g) => unit.groups[g].estimated = value == Some(1),
        Spot::Cell(g, i) => unit.groups[g].row.cells[i] = cell,
        Spot::TotalCount => {
            if let Some(r) = &mut unit.reported_totals {
                r.count = cell;
            }
        }
        Spot::TotalCell(i) => {
            if let Some(r) = &mut unit.reported_totals {
                r.cells[i] = cell;
            }
        }
        Spot::Key(k) => unit.key_figures[k].value = value.unwrap_or(0),
        Spot::Extra(g, t, i) => unit.groups[g].extra[t].cells[i] = cell,
    }
    true
}

/// Every number cell of a unit, in form order, with its place in words.
fn spots(survey: &Survey, unit: &Unit) -> Vec<(Spot, String)> {
    let layout = survey.layout();
    let heads: Vec<String> = Dimension::ALL
        .into_iter()
        .flat_map(|d| {
            survey
                .frame
                .labels(d)
                .iter()
                .map(move |l| format!("{}: {l}", d.name_sv()))
        })
        .collect();
    let mut out = Vec::new();
    for (k, key) in unit.key_figures.iter().enumerate() {
        out.push((Spot::Key(k), format!("nyckeltal ”{}”", key.name)));
    }
    for (g, group) in unit.groups.iter().enumerate() {
        let name = format!("målgrupp {} ”{}”", g + 1, group.label);
        out.push((Spot::Count(g), format!("{name}, antal")));
        out.push((
            Spot::Estimated(g),
            format!("{name}, uppskattat (0 = nej, 1 = ja)"),
        ));
        for (i, head) in heads.iter().enumerate().take(layout.len()) {
            out.push((Spot::Cell(g, i), format!("{name}, {head}")));
        }
        for (t, table) in group.extra.iter().enumerate() {
            let n = table.columns.len().max(1);
            for i in 0..table.cells.len() {
                let (r, c) = (i / n, i % n);
                out.push((
                    Spot::Extra(g, t, i),
                    format!(
                        "{name}, tabell ”{}”, {} × {}",
                        table.title,
                        table.rows.get(r).map_or("?", String::as_str),
                        table.columns.get(c).map_or("?", String::as_str)
                    ),
                ));
            }
        }
    }
    if unit.reported_totals.is_some() {
        out.push((Spot::TotalCount, "totalraden, antal".to_owned()));
        for (i, head) in heads.iter().enumerate().take(layout.len()) {
            out.push((Spot::TotalCell(i), format!("totalraden, {head}")));
        }
    }
    out
}

/// Every cell where `second` differs from `first`, in form order; the
/// reason in Swedish when they cannot be compared.
pub fn compare(survey: &Survey, first: &Unit, second: &Unit) -> Result<Vec<Difference>, String> {
    if let Some(why) = shape_mismatch(first, second) {
        return Err(why);
    }
    Ok(spots(survey, first)
        .into_iter()
        .filter_map(|(spot, place)| {
            let (a, b) = (cell_of(first, spot), cell_of(second, spot));
            (a != b).then_some(Difference {
                spot,
                place,
                first: a,
                second: b,
            })
        })
        .collect())
}

/// The first entry with each difference resolved (`true`: the second
/// entry's value), marked verified by `user` at `time`.
pub fn resolve(
    first: &Unit,
    differences: &[Difference],
    take_second: &[bool],
    user: &str,
    time: &str,
) -> Unit {
    let mut unit = first.clone();
    for (d, second) in differences.iter().zip(take_second) {
        if *second {
            set_cell(&mut unit, d.spot, d.second);
        }
    }
    unit.verification = Some(Verification {
        user: user.to_owned(),
        time: time.to_owned(),
        differed: differences.len() as u32,
        digest: digest(&unit),
    });
    unit
}

/// A number in a difference, for people ("tomt" for blank).
pub fn value_sv(v: Option<u64>) -> String {
    v.map_or_else(|| "tomt".to_owned(), |v| v.to_string())
}

/// `secs` since 1970 as UTC `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_795_787_105), "2026-11-27T13:45:05Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}
