//! Small-number suppression for published summary tables.
//!
//! Counts of people from 1 to N−1 are hidden (primary suppression). Then
//! more cells are hidden (secondary suppression) until a reader who knows
//! how the table adds up cannot narrow any small count down to fewer than N
//! possible values: the protection interval of disclosure control. Every
//! hidden cell is shown with one mark, [`MARK`], whatever it holds, and
//! [`note`] explains it under the table.
//!
//! The relations a reader can use are the table's own: in each row the sex
//! categories plus "Kön: saknas" minus "Kön: för många" make "Personer",
//! likewise age and duration; each column adds up to the "Totalt" row;
//! every count is a whole number, not negative; "Varav uppskattat",
//! "Aktuell hos …" and the "saknas" columns are at most their row's
//! "Personer".
//!
//! How protection is proved: a *move* changes hidden cells by +t or −t so
//! that every relation still holds —
//! - a rectangle within sex, age or duration: +t and −t in two cells of one
//!   row (+t and +t when one of them is "för många", which counts against
//!   "Personer"), the opposite in the same columns of another row;
//! - a row pair: "Personer" and one cell each of sex, age and duration +t
//!   ("för många" −t) in one row, the same cells the other way in another
//!   row (with "Varav uppskattat" or "Aktuell hos" along where their bound
//!   would stop it);
//! - a column pair: "Varav uppskattat" or "Aktuell hos" +t in one row, −t in
//!   another.
//!
//! With the "Totalt" row as the other row the signs are equal instead of
//! opposite, since a total moves with its parts. Every table along a move,
//! from the true one as far as no count goes negative or over its
//! "Personer", agrees with everything published, so a small count v that a
//! move can raise by `up` and another can lower by `down` is, for the
//! reader, any of the `up + down + 1` values from v − down to v + up (the
//! tables between are mixtures of the two, and the set of consistent
//! tables is convex). Each small count gets the cheapest move (fewest
//! newly hidden cells, totals and "Personer" dear) among a bounded set of
//! partner rows — neighbours, rows already hidden in the column, the
//! largest rows and the "Totalt" row, of which the last always suffices —
//! until `up + down ≥ N − 1`. The work per small count is bounded, so the
//! whole is linear in the size of the table.
//!
//! What this does not protect against: differences between exports with
//! different rows (`--by`) or between editions, and the units' own numbers
//! in the HTML report and the survey document, which are not suppressed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use smallvec::SmallVec;

use super::{Field, Table};
use crate::model::{Dimension, Layout};

/// How every hidden cell is shown, as statistics offices do.
pub const MARK: &str = "..";

/// The explanation printed under a table suppressed with `n`.
pub fn note(n: u32) -> String {
    format!(
        "Anm.: {MARK} = uppgiften visas inte. Antal personer från 1 till {} är dolda, och \
         därtill så många andra celler att ingen dold uppgift kan räknas fram ur tabellens \
         rader och summor och inget litet antal kan ringas in till färre än {n} möjliga \
         värden. En dold cell kan alltså innehålla vilket tal som helst, även 0 eller ett \
         stort tal.",
        n.saturating_sub(1)
    )
}

/// Where the people counts of a summary table are.
#[derive(Clone, Debug)]
pub struct Roles {
    /// "Personer".
    pub people: usize,
    /// Every column that counts people (suppressed when small).
    pub counts: Vec<usize>,
    /// For sex, age and duration: the category columns, the "saknas"
    /// column and the "för många" column. Categories plus missing minus
    /// over add up to "Personer".
    pub blocks: [(Vec<usize>, usize, usize); 3],
}

impl Roles {
    /// The roles in [`super::summary_table`] and
    /// [`super::place_authority_table`]: `first` is the column of
    /// "Målgrupper" (after the name columns).
    pub fn summary(layout: &Layout, first: usize) -> Roles {
        let people = first + 2;
        let cells = first + 4;
        // Per breakdown "saknas" then "för många" (see `total_headings`).
        let apart = cells + layout.len();
        let blocks = Dimension::PARTS.map(|d| {
            let range = layout.range(d);
            (
                (cells + range.start..cells + range.end).collect(),
                apart + 2 * d.index(),
                apart + 2 * d.index() + 1,
            )
        });
        let counts = (people..apart + 6).collect();
        Roles {
            people,
            counts,
            blocks,
        }
    }
}

/// How far a suppression has come, and a way to stop it: shared between
/// the work and whoever shows it (a terminal line, the app's dialog).
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Nothing done, not cancelled.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Asks the work to stop at its next check (a few milliseconds).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Small counts handled so far, and in all.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Why a suppression gave no table to publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// Cancelled through its [`Progress`].
    Cancelled,
    /// The small count at this cell (row, column) could not be protected:
    /// every move that would widen its interval needs a cell that cannot be
    /// hidden (one that is not a count: negative, or text). The table must
    /// not be published.
    Unprotected(Pos),
}

/// A cell of the table: (row, column).
pub type Pos = (usize, usize);

/// What a column of the grid is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// "Personer".
    People,
    /// A column of sex, age or duration (categories, "saknas", "för
    /// många").
    Part(usize),
    /// "Varav uppskattat", "Aktuell hos …": only a column relation.
    Lone,
}

/// A move: cells (as grid indices) and the sign they change with.
type Move = SmallVec<[(u32, i8); 24]>;

const NOT_NUMBER: i64 = i64::MIN;
/// The cost of newly hiding one ordinary cell; values break ties.
const CELL: u64 = 1_000_000;
/// How many rows already hidden in a column are tried as partners.
const RECENT: usize = 16;
/// Neighbouring rows tried as partners, on each side.
const NEAR: usize = 3;
/// The largest rows tried as partners.
const BIG: usize = 4;

/// The count columns of a table as a dense grid, the last row the total.
struct Grid {
    /// Columns.
    k: usize,
    /// Index of the total row (the last).
    total: usize,
    /// The table column of each grid column; grid column 0 is "Personer".
    col: Vec<usize>,
    kind: Vec<Kind>,
    /// Grid columns of sex, age and duration.
    blocks: [Vec<usize>; 3],
    /// Per grid column, its sign in its row's relation with "Personer":
    /// −1 for "för många", +1 for every other part (unused otherwise).
    sign: Vec<i8>,
    /// Grid columns with only a column relation and a bound by "Personer".
    lone: Vec<usize>,
    /// Grid columns bounded by their row's "Personer": the lone ones and
    /// the "saknas" ones.
    bounded: Vec<usize>,
    val: Vec<i64>,
    hidden: Vec<bool>,
    /// Rows hidden in each column, in the order they were hidden.
    hidden_rows: Vec<Vec<u32>>,
    /// How far each cell is known to move up and down.
    up: Vec<i64>,
    down: Vec<i64>,
    /// The largest rows by "Personer".
    big: Vec<usize>,
}

impl Grid {
    fn new(table: &Table, roles: &Roles) -> Grid {
        let mut col = vec![roles.people];
        let mut kind = vec![Kind::People];
        let mut sign = vec![1];
        let mut blocks: [Vec<usize>; 3] = Default::default();
        let mut bounded = Vec::new();
        for (b, (cats, missing, over)) in roles.blocks.iter().enumerate() {
            let parts = cats
                .iter()
                .map(|&c| (c, 1))
                .chain([(*missing, 1), (*over, -1)]);
            for (c, s) in parts {
                if !col.contains(&c) {
                    if c == *missing {
                        bounded.push(col.len());
                    }
                    blocks[b].push(col.len());
                    col.push(c);
                    kind.push(Kind::Part(b));
                    sign.push(s);
                }
            }
        }
        let mut lone = Vec::new();
        for &c in &roles.counts {
            if !col.contains(&c) {
                lone.push(col.len());
                bounded.push(col.len());
                col.push(c);
                kind.push(Kind::Lone);
                sign.push(1);
            }
        }
        let k = col.len();
        let rows = table.rows.len();
        let mut val = Vec::with_capacity(rows * k);
        for row in &table.rows {
            val.extend(col.iter().map(|&c| match row.get(c) {
                Some(Field::Number(n)) => *n,
                // A sum that no unit gave: none of these people, as far as
                // the table's relations go (and a reader may assume).
                Some(Field::Blank) => 0,
                _ => NOT_NUMBER,
            }));
        }
        let total = rows.saturating_sub(1);
        let mut big: Vec<usize> = (0..total).collect();
        big.sort_by_key(|&r| std::cmp::Reverse(val[r * k]));
        big.truncate(BIG);
        Grid {
            k,
            total,
            col,
            kind,
            blocks,
            sign,
            lone,
            bounded,
            hidden: vec![false; val.len()],
            hidden_rows: vec![Vec::new(); k],
            up: vec![0; val.len()],
            down: vec![0; val.len()],
            val,
            big,
        }
    }

    fn cell(&self, r: usize, j: usize) -> u32 {
        (r * self.k + j) as u32
    }

    fn hide(&mut self, c: usize) {
        if !self.hidden[c] {
            self.hidden[c] = true;
            self.hidden_rows[c % self.k].push((c / self.k) as u32);
        }
    }

    /// How far `m` can go (in direction `dir`) from the true table before a
    /// count would become negative or exceed its row's "Personer".
    fn slack(&self, m: &[(u32, i8)], dir: i8) -> i64 {
        let mut lim = i64::MAX;
        for &(c, s) in m {
            if s * dir < 0 {
                lim = lim.min(self.val[c as usize]);
            }
        }
        let mut seen: SmallVec<[usize; 4]> = SmallVec::new();
        for &(c, _) in m {
            let r = c as usize / self.k;
            if seen.contains(&r) {
                continue;
            }
            seen.push(r);
            let base = r * self.k;
            let delta = |jj: usize| {
                m.iter()
                    .find(|(cc, _)| *cc as usize == base + jj)
                    .map_or(0, |(_, s)| i64::from(*s * dir))
            };
            let dp = delta(0);
            let p = self.val[base];
            for &l in &self.bounded {
                let x = self.val[base + l];
                // The bound is one the reader would assume only where it
                // holds (it does in every summary table).
                if p == NOT_NUMBER || x == NOT_NUMBER || x > p {
                    continue;
                }
                let d = delta(l) - dp;
                if d > 0 {
                    lim = lim.min((p - x) / d);
                }
            }
        }
        lim.max(0)
    }

    /// The cost of hiding what `m` needs that is not hidden yet.
    fn cost(&self, m: &[(u32, i8)]) -> u64 {
        let mut cost = 0u64;
        for &(c, _) in m {
            let c = c as usize;
            if self.hidden[c] {
                continue;
            }
            let v = self.val[c];
            // What is not a count (text, a negative number) is never
            // hidden: a reader assumes hidden counts are ≥ 0.
            if v < 0 {
                return u64::MAX;
            }
            let (r, j) = (c / self.k, c % self.k);
            let weight = match (r == self.total, j == 0) {
                (true, true) => 400,
                (true, false) => 60,
                (false, true) => 4,
                (false, false) => 1,
            };
            cost += weight * CELL + v.min(CELL as i64 - 1) as u64;
        }
        cost
    }

    /// Hides the cells of `m` and records how far it moves each of them.
    fn apply(&mut self, m: &[(u32, i8)]) {
        for &(c, _) in m {
            self.hide(c as usize);
        }
        let plus = self.slack(m, 1);
        let minus = self.slack(m, -1);
        for &(c, s) in m {
            let (u, d) = if s > 0 { (plus, minus) } else { (minus, plus) };
            let c = c as usize;
            self.up[c] = self.up[c].max(u);
            self.down[c] = self.down[c].max(d);
        }
    }

    /// +1 when one of the rows is the total (a total moves with its parts),
    /// else −1.
    fn partner_sign(&self, r: usize, r2: usize) -> i8 {
        if r == self.total || r2 == self.total {
            1
        } else {
            -1
        }
    }

    fn rectangle(&self, r: usize, j: usize, c2: usize, r2: usize) -> Move {
        let s = self.partner_sign(r, r2);
        // The row's relation holds when the two cells' signed changes
        // cancel: opposite for two parts of one sign, equal otherwise.
        let t = -self.sign[j] * self.sign[c2];
        let mut m = Move::new();
        m.extend([
            (self.cell(r, j), 1),
            (self.cell(r, c2), t),
            (self.cell(r2, j), s),
            (self.cell(r2, c2), t * s),
        ]);
        m
    }

    fn column_pair(&self, r: usize, j: usize, r2: usize) -> Move {
        let s = self.partner_sign(r, r2);
        let mut m = Move::new();
        m.extend([(self.cell(r, j), 1), (self.cell(r2, j), s)]);
        m
    }

    /// "Personer" and one column of each of sex, age and duration (`j` if
    /// it is one), from row `r` to row `r2`, aiming to move `want`. A part
    /// moves with "Personer", a "för många" against it.
    fn row_pair(&self, r: usize, j: usize, r2: usize, want: i64) -> Option<Move> {
        let s = self.partner_sign(r, r2);
        let mut cols: SmallVec<[usize; 12]> = SmallVec::new();
        cols.push(0);
        for block in &self.blocks {
            if block.is_empty() {
                continue;
            }
            if block.contains(&j) {
                cols.push(j);
                continue;
            }
            let at = |rr: usize, c: usize| self.val[rr * self.k + c];
            let best = block
                .iter()
                .copied()
                .filter(|&c| at(r, c) >= 0 && at(r2, c) >= 0)
                .min_by_key(|&c| {
                    // Going up, a cell that goes down must hold `want`.
                    let sc = self.sign[c];
                    let short = (sc < 0 && at(r, c) < want) || (s * sc < 0 && at(r2, c) < want);
                    let new = usize::from(!self.hidden[r * self.k + c])
                        + usize::from(!self.hidden[r2 * self.k + c]);
                    (short, new, std::cmp::Reverse(at(r, c)))
                })?;
            cols.push(best);
        }
        for &l in &self.lone {
            let p2 = self.val[r2 * self.k];
            let x2 = self.val[r2 * self.k + l];
            // Where the other row's "Personer" goes down, a bounded column
            // close to it must go down too.
            let squeezed = s < 0 && x2 >= 0 && x2 <= p2 && p2 - x2 < want;
            if l == j || squeezed {
                cols.push(l);
            }
        }
        let mut m = Move::new();
        for &c in &cols {
            m.push((self.cell(r, c), self.sign[c]));
        }
        for &c in &cols {
            m.push((self.cell(r2, c), s * self.sign[c]));
        }
        Some(m)
    }

    /// Rows to try as the other row of a move for a cell of row `r`.
    fn partners(&self, r: usize, cols: &[usize], out: &mut Vec<usize>) {
        out.clear();
        if r == self.total {
            out.extend(0..self.total);
            return;
        }
        out.push(self.total);
        out.extend((r.saturating_sub(NEAR)..(r + NEAR + 1).min(self.total)).filter(|&x| x != r));
        for &c in cols {
            let list = &self.hidden_rows[c];
            out.extend(
                list[list.len().saturating_sub(RECENT)..]
                    .iter()
                    .map(|&x| x as usize),
            );
        }
        out.extend(self.big.iter().copied());
        out.sort_unstable();
        out.dedup();
        out.retain(|&x| x != r);
    }

    /// Hides what protects the small count at grid cell `p`; false if
    /// nothing can.
    fn protect(&mut self, p: usize, n1: i64, buf: &mut Vec<usize>) -> bool {
        let (r, j) = (p / self.k, p % self.k);
        let (up0, down0) = (self.up[p], self.down[p]);
        let mut best: Option<(u64, Move)> = None;
        let consider = |g: &Grid, m: Move, best: &mut Option<(u64, Move)>| {
            let cost = g.cost(&m);
            if cost == u64::MAX || best.as_ref().is_some_and(|(b, _)| *b <= cost) {
                return;
            }
            let up = g.slack(&m, 1).max(up0);
            let down = g.slack(&m, -1).max(down0);
            if up.saturating_add(down) >= n1 {
                *best = Some((cost, m));
            }
        };
        match self.kind[j] {
            Kind::Part(b) => {
                let block = self.blocks[b].clone();
                self.partners(r, &block, buf);
                for &c2 in &block {
                    if c2 == j {
                        continue;
                    }
                    for &r2 in buf.iter() {
                        consider(self, self.rectangle(r, j, c2, r2), &mut best);
                    }
                }
            }
            Kind::Lone => {
                self.partners(r, &[j], buf);
                for &r2 in buf.iter() {
                    consider(self, self.column_pair(r, j, r2), &mut best);
                }
            }
            Kind::People => self.partners(r, &[0], buf),
        }
        // A row pair hides at least four cells; try it when nothing cheaper
        // was found.
        if best.as_ref().is_none_or(|(c, _)| *c >= 2 * CELL) {
            for &r2 in buf.iter() {
                if let Some(m) = self.row_pair(r, j, r2, n1) {
                    consider(self, m, &mut best);
                }
            }
        }
        if best.is_none() {
            // The total row always suffices; every row, as a last resort.
            for r2 in (0..=self.total).filter(|&x| x != r) {
                if let Some(m) = self.row_pair(r, j, r2, n1) {
                    consider(self, m, &mut best);
                }
            }
        }
        match best {
            Some((_, m)) => {
                self.apply(&m);
                true
            }
            None => false,
        }
    }
}

/// The cells to hide: primary (1 to `n`−1 people) and enough secondary
/// cells that every primary one could, for a reader of the table, be any
/// of at least `n` values. Stops early when `progress` is cancelled, and
/// with [`Stopped::Unprotected`] when a small count cannot be protected.
pub fn cells_to_hide_with(
    table: &Table,
    roles: &Roles,
    n: u32,
    progress: &Progress,
) -> Result<Vec<Pos>, Stopped> {
    if n < 2 || table.rows.is_empty() {
        return Ok(Vec::new());
    }
    let g = run(table, roles, n, progress)?;
    Ok((0..g.val.len())
        .filter(|&c| g.hidden[c])
        .map(|c| (c / g.k, g.col[c % g.k]))
        .collect())
}

/// The suppression itself: the grid with what is hidden and how far each
/// cell is known to move.
fn run(table: &Table, roles: &Roles, n: u32, progress: &Progress) -> Result<Grid, Stopped> {
    let mut g = Grid::new(table, roles);
    let n = i64::from(n);
    let primaries: Vec<usize> = (0..g.val.len())
        .filter(|&c| (1..n).contains(&g.val[c]))
        .collect();
    for &p in &primaries {
        g.hide(p);
    }
    if table.rows.len() < 2 {
        // No column relations: hiding the whole row leaves "Personer" free.
        if !primaries.is_empty() {
            for c in 0..g.val.len() {
                if g.val[c] >= 0 {
                    g.hide(c);
                }
            }
        }
    } else {
        progress.total.store(primaries.len(), Ordering::Relaxed);
        let mut buf = Vec::new();
        for (i, &p) in primaries.iter().enumerate() {
            if i % 64 == 0 {
                progress.done.store(i, Ordering::Relaxed);
                if progress.is_cancelled() {
                    return Err(Stopped::Cancelled);
                }
            }
            if g.up[p].saturating_add(g.down[p]) < n - 1 && !g.protect(p, n - 1, &mut buf) {
                return Err(Stopped::Unprotected((p / g.k, g.col[p % g.k])));
            }
        }
        progress.done.store(primaries.len(), Ordering::Relaxed);
    }
    Ok(g)
}

/// [`cells_to_hide_with`] without progress.
pub fn cells_to_hide(table: &Table, roles: &Roles, n: u32) -> Result<Vec<Pos>, Stopped> {
    cells_to_hide_with(table, roles, n, &Progress::new())
}

/// Hides small numbers in a summary table in place, each hidden cell shown
/// as [`MARK`]; returns how many were hidden. On an error the table is
/// left as it was.
pub fn suppress_with(
    table: &mut Table,
    roles: &Roles,
    n: u32,
    progress: &Progress,
) -> Result<usize, Stopped> {
    let hidden = cells_to_hide_with(table, roles, n, progress)?;
    for &(r, c) in &hidden {
        table.rows[r][c] = Field::Text(MARK.to_owned());
    }
    Ok(hidden.len())
}

/// [`suppress_with`] without progress.
pub fn suppress(table: &mut Table, roles: &Roles, n: u32) -> Result<usize, Stopped> {
    suppress_with(table, roles, n, &Progress::new())
}

#[cfg(test)]
mod tests;
