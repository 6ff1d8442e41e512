//! Small-number suppression for published summary tables.
//!
//! Counts of people from 1 to N−1 are replaced by "<N" (primary
//! suppression). Then more cells are hidden (secondary suppression) until no
//! hidden cell can be recomputed exactly from what is published: each row's
//! sex, age and duration parts with their "Ej angivet" add up to the row's
//! "Personer", and each column adds up to the "Totalt" row. A hidden cell can
//! be recomputed exactly iff its unit vector lies in the row space of these
//! equations restricted to the hidden cells (the published cells move to the
//! right-hand side); that is tested by Gaussian elimination.
//!
//! What this does not protect against: bounds (a hidden cell between 0 and
//! 4 is still known to be small; two hidden cells adding up to 3 tell that
//! both are at most 3), differences between exports with different rows
//! (`--by`) or between editions, and the units' own numbers in the HTML
//! report and the survey document, which are not suppressed.

use super::{Field, Table};
use crate::model::{Dimension, Layout};

/// Where the people counts of a summary table are.
#[derive(Clone, Debug)]
pub struct Roles {
    /// "Personer".
    pub people: usize,
    /// Every column that counts people (suppressed when small).
    pub counts: Vec<usize>,
    /// For sex, age and duration: the category columns and the "Ej angivet"
    /// column. Categories plus not given add up to "Personer".
    pub blocks: [(Vec<usize>, usize); 3],
}

impl Roles {
    /// The roles in [`super::summary_table`] and
    /// [`super::place_authority_table`]: `first` is the column of
    /// "Målgrupper" (after the name columns).
    pub fn summary(layout: &Layout, first: usize) -> Roles {
        let people = first + 2;
        let cells = first + 4;
        let not_given = cells + layout.len();
        let blocks = Dimension::PARTS.map(|d| {
            let range = layout.range(d);
            (
                (cells + range.start..cells + range.end).collect(),
                not_given + d.index(),
            )
        });
        let counts = (people..not_given + 3).collect();
        Roles {
            people,
            counts,
            blocks,
        }
    }
}

/// A cell of the table.
type Pos = (usize, usize);

/// The equations of a table: each as the cells it adds (+1) and subtracts
/// (−1). The last row is the total row.
fn equations(table: &Table, roles: &Roles) -> Vec<Vec<(Pos, f64)>> {
    let rows = table.rows.len();
    let mut eqs = Vec::new();
    for r in 0..rows {
        for (cats, ej) in &roles.blocks {
            let mut eq: Vec<(Pos, f64)> = cats.iter().map(|&c| ((r, c), 1.0)).collect();
            eq.push(((r, *ej), 1.0));
            eq.push(((r, roles.people), -1.0));
            eqs.push(eq);
        }
    }
    if rows >= 2 {
        for &c in &roles.counts {
            let mut eq: Vec<(Pos, f64)> = (0..rows - 1).map(|r| ((r, c), 1.0)).collect();
            eq.push(((rows - 1, c), -1.0));
            eqs.push(eq);
        }
    }
    eqs
}

/// The hidden cells that can be recomputed exactly from the published ones.
pub fn recomputable(table: &Table, roles: &Roles, hidden: &[Pos]) -> Vec<Pos> {
    let index = |p: &Pos| hidden.iter().position(|h| h == p);
    // The equations restricted to the hidden cells.
    let mut m: Vec<Vec<f64>> = equations(table, roles)
        .into_iter()
        .filter_map(|eq| {
            let mut row = vec![0.0; hidden.len()];
            let mut any = false;
            for (p, coef) in eq {
                if let Some(i) = index(&p) {
                    row[i] += coef;
                    any = true;
                }
            }
            any.then_some(row)
        })
        .collect();
    // Reduced row echelon form.
    let cols = hidden.len();
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(best) = (r..m.len()).max_by(|a, b| m[*a][c].abs().total_cmp(&m[*b][c].abs()))
        else {
            break;
        };
        if m[best][c].abs() < 1e-9 {
            continue;
        }
        m.swap(r, best);
        let p = m[r][c];
        for v in &mut m[r] {
            *v /= p;
        }
        for k in 0..m.len() {
            if k != r && m[k][c].abs() > 1e-12 {
                let f = m[k][c];
                let pivot_row = m[r].clone();
                for (v, pv) in m[k].iter_mut().zip(&pivot_row) {
                    *v -= f * pv;
                }
            }
        }
        pivots.push((r, c));
        r += 1;
        if r == m.len() {
            break;
        }
    }
    // A hidden cell is determined iff its pivot row has no other entry.
    pivots
        .into_iter()
        .filter(|&(row, col)| {
            m[row]
                .iter()
                .enumerate()
                .all(|(j, v)| j == col || v.abs() < 1e-9)
        })
        .map(|(_, col)| hidden[col])
        .collect()
}

fn value(table: &Table, p: Pos) -> Option<i64> {
    match table.rows[p.0][p.1] {
        Field::Number(n) => Some(n),
        _ => None,
    }
}

/// The cells to hide: primary (1 to `n`−1 people) and enough secondary
/// cells that none is recomputable.
pub fn cells_to_hide(table: &Table, roles: &Roles, n: u32) -> Vec<Pos> {
    let n = i64::from(n);
    let mut hidden: Vec<Pos> = Vec::new();
    for r in 0..table.rows.len() {
        for &c in &roles.counts {
            if value(table, (r, c)).is_some_and(|v| (1..n).contains(&v)) {
                hidden.push((r, c));
            }
        }
    }
    // Secondary suppression, one cell at a time: next to a cell that can
    // still be recomputed, hide the published cell of one of its equations
    // that opens the fewest new equations (those with nothing hidden yet),
    // then the smallest non-zero (a hidden zero is easily guessed). One
    // elimination per hidden cell; tables of a few
    // hundred cells (a coordination association's municipalities and
    // units) take milliseconds, a national table by unit much longer.
    let eqs = equations(table, roles);
    // A zero in a row without people is no cover: an attacker knows no
    // part of an empty row can be more than 0.
    let published = |p: &Pos, hidden: &[Pos]| {
        !hidden.contains(p)
            && value(table, *p)
                .is_some_and(|v| v != 0 || value(table, (p.0, roles.people)) != Some(0))
    };
    let key = |p: &Pos, hidden: &[Pos]| {
        let opens = eqs
            .iter()
            .filter(|eq| {
                eq.iter().any(|(q, _)| q == p) && !eq.iter().any(|(q, _)| hidden.contains(q))
            })
            .count();
        let v = value(table, *p).unwrap_or(0);
        (opens, v == 0, v.unsigned_abs(), *p)
    };
    loop {
        // First the cheap, certain cases: an equation with exactly one
        // hidden cell gives it away. Most secondary cells come from here.
        while let Some(eq) = eqs
            .iter()
            .find(|eq| eq.iter().filter(|(p, _)| hidden.contains(p)).count() == 1)
        {
            let pick = eq
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| published(p, &hidden))
                .min_by_key(|p| key(p, &hidden));
            match pick {
                Some(p) => hidden.push(p),
                None => break,
            }
        }
        let exposed = recomputable(table, roles, &hidden);
        if exposed.is_empty() {
            return hidden;
        }
        let near = |cells: &[Pos]| -> Vec<Pos> {
            let mut c: Vec<Pos> = eqs
                .iter()
                .filter(|eq| eq.iter().any(|(p, _)| cells.contains(p)))
                .flat_map(|eq| eq.iter().map(|(p, _)| *p))
                .filter(|p| published(p, &hidden))
                .collect();
            c.sort();
            c.dedup();
            c
        };
        let mut candidates = near(&exposed[..1]);
        if candidates.is_empty() {
            candidates = near(&exposed);
        }
        if candidates.is_empty() {
            candidates = near(&hidden);
        }
        let best = candidates.into_iter().min_by_key(|p| key(p, &hidden));
        match best {
            Some(p) => hidden.push(p),
            // Every cell that shares an equation with a hidden one is
            // hidden: what is left is forced by relations among hidden
            // cells alone, which only happens where a row's parts do not
            // add up (groups without a count have parts), and then the
            // relation the attacker would use is false.
            None => return hidden,
        }
    }
}

/// Hides small numbers in a summary table in place.
pub fn suppress(table: &mut Table, roles: &Roles, n: u32) {
    if n < 2 {
        return;
    }
    let hidden = cells_to_hide(table, roles, n);
    for (r, c) in hidden {
        table.rows[r][c] = Field::Text(format!("<{n}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table with one block: columns people, a, b, not given, as the
    /// summary would have them after four name/group columns.
    fn table(rows: &[[i64; 3]]) -> (Table, Roles) {
        let layout = Layout::new([2, 0, 0, 0]);
        let roles = Roles::summary(&layout, 1);
        let mut out: Vec<Vec<Field>> = Vec::new();
        let mut total = [0i64; 3];
        for (i, r) in rows.iter().enumerate() {
            let people = r[0] + r[1] + r[2];
            out.push(row(&format!("R{i}"), people, *r));
            for k in 0..3 {
                total[k] += r[k];
            }
        }
        let people = total.iter().sum();
        out.push(row("Totalt", people, total));
        (
            Table {
                header: Vec::new(),
                rows: out,
            },
            roles,
        )
    }

    fn row(name: &str, people: i64, r: [i64; 3]) -> Vec<Field> {
        vec![
            Field::Text(name.into()),
            Field::Number(1),
            Field::Number(0),
            Field::Number(people),
            Field::Number(0),
            Field::Number(r[0]),
            Field::Number(r[1]),
            Field::Number(r[2]),
            Field::Number(0),
            Field::Number(0),
        ]
    }

    #[test]
    fn a_lone_small_cell_is_recomputable_and_gets_company() {
        let (t, roles) = table(&[[10, 2, 0], [20, 30, 0], [15, 15, 0]]);
        let primary = vec![(0, 6)];
        assert_eq!(recomputable(&t, &roles, &primary), primary);
        let hidden = cells_to_hide(&t, &roles, 3);
        assert!(hidden.contains(&(0, 6)));
        assert!(hidden.len() >= 4, "{hidden:?}");
        assert!(recomputable(&t, &roles, &hidden).is_empty());
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let (mut t, roles) = table(&[[10, 20, 0], [20, 30, 0]]);
        let before = t.rows.clone();
        suppress(&mut t, &roles, 5);
        assert_eq!(t.rows, before);
    }
}
