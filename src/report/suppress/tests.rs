use super::*;

/// A table with one block: columns people, a, b, missing, over, as the
/// summary would have them after the name column.
fn table(rows: &[[i64; 4]]) -> (Table, Roles) {
    let layout = Layout::new([2, 0, 0, 0]);
    let roles = Roles::summary(&layout, 1);
    let mut out: Vec<Vec<Field>> = Vec::new();
    let mut total = [0i64; 4];
    for (i, r) in rows.iter().enumerate() {
        out.push(row(&format!("R{i}"), people(r), *r));
        for k in 0..4 {
            total[k] += r[k];
        }
    }
    out.push(row("Totalt", people(&total), total));
    (
        Table {
            header: Vec::new(),
            rows: out,
        },
        roles,
    )
}

fn people(r: &[i64; 4]) -> i64 {
    r[0] + r[1] + r[2] - r[3]
}

fn row(name: &str, people: i64, r: [i64; 4]) -> Vec<Field> {
    let mut v = vec![
        Field::Text(name.into()),
        Field::Number(1),
        Field::Number(0),
        Field::Number(people),
        Field::Number(0),
    ];
    v.extend(r.map(Field::Number));
    // Age and duration: no categories, nothing missing or over.
    v.extend([0; 4].map(Field::Number));
    v
}

/// Whether every small count of the table can move by `n` − 1 in all.
fn protected(t: &Table, roles: &Roles, n: u32) -> bool {
    let g = run(t, roles, n, &Progress::new()).unwrap();
    (0..g.val.len())
        .filter(|&c| (1..i64::from(n)).contains(&g.val[c]))
        .all(|c| g.hidden[c] && g.up[c].saturating_add(g.down[c]) >= i64::from(n) - 1)
}

#[test]
fn a_lone_small_cell_gets_company_and_a_wide_interval() {
    let (t, roles) = table(&[[10, 2, 0, 0], [20, 30, 0, 0], [15, 15, 0, 0]]);
    let hidden = cells_to_hide(&t, &roles, 3).unwrap();
    assert!(hidden.contains(&(0, 6)));
    assert!(hidden.len() >= 4, "{hidden:?}");
    assert!(protected(&t, &roles, 3));
}

#[test]
fn a_small_row_is_protected_through_its_people() {
    // The first row has 4 people: every part of it is small, and no
    // rectangle inside it can move a cell by 4.
    let (t, roles) = table(&[[3, 1, 0, 0], [20, 30, 0, 0], [15, 15, 0, 0]]);
    let hidden = cells_to_hide(&t, &roles, 5).unwrap();
    for p in [(0, 5), (0, 6), (0, 3)] {
        assert!(hidden.contains(&p), "{p:?} in {hidden:?}");
    }
    assert!(protected(&t, &roles, 5));
}

#[test]
fn nothing_small_nothing_hidden() {
    let (mut t, roles) = table(&[[10, 20, 0, 0], [20, 30, 0, 0]]);
    let before = t.rows.clone();
    assert_eq!(suppress(&mut t, &roles, 5), Ok(0));
    assert_eq!(t.rows, before);
}

#[test]
fn cancelled_before_it_starts() {
    let (t, roles) = table(&[[10, 2, 0, 0], [20, 30, 0, 0], [15, 15, 0, 0]]);
    let progress = Progress::new();
    progress.cancel();
    assert_eq!(
        cells_to_hide_with(&t, &roles, 3, &progress),
        Err(Stopped::Cancelled)
    );
}

#[test]
fn missing_and_over_small_counts_are_hidden_and_protected() {
    // The first row is 2 short in one group and 3 over in another:
    // both are small counts of people, and both stay wide although
    // "för många" counts against "Personer".
    let (t, roles) = table(&[[5, 4, 2, 3], [20, 30, 0, 0], [15, 15, 6, 7]]);
    let hidden = cells_to_hide(&t, &roles, 5).unwrap();
    for p in [(0, 6), (0, 7), (0, 8)] {
        assert!(hidden.contains(&p), "{p:?} in {hidden:?}");
    }
    assert!(protected(&t, &roles, 5));
    // A small over-report alone gets company too.
    let (t, roles) = table(&[[10, 12, 0, 2], [20, 30, 0, 9], [15, 15, 0, 8]]);
    let hidden = cells_to_hide(&t, &roles, 3).unwrap();
    assert!(hidden.contains(&(0, 8)), "{hidden:?}");
    assert!(hidden.len() >= 4, "{hidden:?}");
    assert!(protected(&t, &roles, 3));
}

#[test]
fn a_move_keeps_every_row_adding_up() {
    // Whatever a suppression hides, moving along its moves keeps
    // categories + missing − over = people in each row: checked on the
    // grid's own moves for a row with an over-report.
    let (t, roles) = table(&[[5, 4, 2, 3], [20, 30, 0, 0], [15, 15, 6, 7]]);
    let g = Grid::new(&t, &roles);
    let (over, a) = (4, 1);
    for m in [g.rectangle(0, over, a, 1), g.rectangle(0, over, a, 3)] {
        for r in [0, 1, 3] {
            let sum: i64 = m
                .iter()
                .filter(|(c, _)| *c as usize / g.k == r)
                .map(|&(c, s)| {
                    let j = c as usize % g.k;
                    let coef = if j == 0 { -1 } else { i64::from(g.sign[j]) };
                    coef * i64::from(s)
                })
                .sum();
            assert_eq!(sum, 0, "row {r} of {m:?}");
        }
    }
    let m = g.row_pair(0, over, 1, 2).unwrap();
    for r in [0, 1] {
        for block in &g.blocks {
            let parts: i64 = m
                .iter()
                .filter(|(c, _)| *c as usize / g.k == r && block.contains(&(*c as usize % g.k)))
                .map(|&(c, s)| i64::from(g.sign[c as usize % g.k] * s))
                .sum();
            let people: i64 = m
                .iter()
                .filter(|(c, _)| *c as usize == r * g.k)
                .map(|&(_, s)| i64::from(s))
                .sum();
            assert!(block.is_empty() || parts == people, "{m:?}");
        }
    }
}

#[test]
fn a_small_count_that_cannot_be_protected_stops_the_table() {
    // The other row and the total have text where their parts would
    // be: every move that would widen the 1's interval needs one of
    // those, which a reader would never take for a hidden count.
    let text = |mut row: Vec<Field>| {
        for f in &mut row[5..9] {
            *f = Field::Text("x".into());
        }
        row
    };
    let mut t = Table {
        header: Vec::new(),
        rows: vec![
            row("R0", 10, [5, 4, 1, 0]),
            text(row("R1", 10, [0; 4])),
            text(row("Totalt", 20, [0; 4])),
        ],
    };
    let (_, roles) = table(&[]);
    let before = t.rows.clone();
    assert_eq!(
        suppress(&mut t, &roles, 3),
        Err(Stopped::Unprotected((0, 7)))
    );
    assert_eq!(
        t.rows, before,
        "nothing is hidden in a table not to publish"
    );
}
