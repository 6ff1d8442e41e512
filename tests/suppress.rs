//! `export --suppress N` against an attacker who knows how the summary
//! table adds up (each row's sex, age and duration parts plus "Ej angivet"
//! make "Personer"; each column adds up to "Totalt") and solves for the
//! hidden cells exactly, in rational arithmetic. The attacker must recover
//! nothing from a suppressed export, and must recover cells when only the
//! small numbers themselves are hidden (else the attacker proves nothing).

mod common;

use common::{export, imported, sample};

/// An exact fraction.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Q(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

impl Q {
    fn new(n: i128, d: i128) -> Q {
        let g = gcd(n, d) * d.signum();
        Q(n / g, d / g)
    }
    fn is_zero(self) -> bool {
        self.0 == 0
    }
    fn sub(self, o: Q) -> Q {
        Q::new(self.0 * o.1 - o.0 * self.1, self.1 * o.1)
    }
    fn mul(self, o: Q) -> Q {
        Q::new(self.0 * o.0, self.1 * o.1)
    }
    fn div(self, o: Q) -> Q {
        Q::new(self.0 * o.1, self.1 * o.0)
    }
}

/// The published table: header and cells, `None` where hidden.
struct Published {
    header: Vec<String>,
    rows: Vec<Vec<Option<i64>>>,
}

fn read(csv_bytes: &[u8], hidden_mark: &str) -> Published {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|f| {
                    if f == hidden_mark {
                        None
                    } else {
                        f.parse().ok().or(Some(i64::MIN))
                    }
                })
                .collect()
        })
        .collect();
    Published { header, rows }
}

/// The relations the attacker knows, as (row, column, coefficient) lists.
fn relations(
    p: &Published,
    sex: &[&str],
    age: &[&str],
    duration: &[&str],
) -> Vec<Vec<(usize, usize, i128)>> {
    let col = |name: &str| {
        p.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let people = col("Personer");
    let mut eqs = Vec::new();
    let blocks = [
        (sex, "Ej angivet kön"),
        (age, "Ej angivet ålder"),
        (duration, "Ej angivet tid som aktuell"),
    ];
    for r in 0..p.rows.len() {
        for (cats, ej) in &blocks {
            let mut eq: Vec<(usize, usize, i128)> = cats.iter().map(|c| (r, col(c), 1)).collect();
            eq.push((r, col(ej), 1));
            eq.push((r, people, -1));
            eqs.push(eq);
        }
    }
    let last = p.rows.len() - 1;
    for c in people..p.header.len() {
        let mut eq: Vec<(usize, usize, i128)> = (0..last).map(|r| (r, c, 1)).collect();
        eq.push((last, c, -1));
        eqs.push(eq);
    }
    eqs
}

/// Every hidden cell the attacker pins down, with its value.
fn attack(p: &Published, eqs: &[Vec<(usize, usize, i128)>]) -> Vec<((usize, usize), i64)> {
    let mut unknowns: Vec<(usize, usize)> = Vec::new();
    for (r, row) in p.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_none() {
                unknowns.push((r, c));
            }
        }
    }
    let n = unknowns.len();
    // Augmented rows: coefficients of the unknowns, then the right side.
    let mut m: Vec<Vec<Q>> = eqs
        .iter()
        .map(|eq| {
            let mut row = vec![Q(0, 1); n + 1];
            let mut rhs = 0i128;
            for &(r, c, k) in eq {
                match p.rows[r][c] {
                    None => {
                        let i = unknowns.iter().position(|u| *u == (r, c)).unwrap();
                        row[i] = Q::new(row[i].0 + k * row[i].1, row[i].1);
                    }
                    Some(v) => rhs -= k * v as i128,
                }
            }
            row[n] = Q::new(rhs, 1);
            row
        })
        .collect();
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..n {
        let Some(p_row) = (r..m.len()).find(|&k| !m[k][c].is_zero()) else {
            continue;
        };
        m.swap(r, p_row);
        let pivot = m[r][c];
        m[r] = m[r].iter().map(|v| v.div(pivot)).collect();
        for k in 0..m.len() {
            if k != r && !m[k][c].is_zero() {
                let f = m[k][c];
                let base = m[r].clone();
                m[k] = m[k]
                    .iter()
                    .zip(&base)
                    .map(|(v, b)| v.sub(f.mul(*b)))
                    .collect();
            }
        }
        pivots.push((r, c));
        r += 1;
    }
    pivots
        .into_iter()
        .filter(|&(row, col)| (0..n).all(|j| j == col || m[row][j].is_zero()))
        .map(|(row, col)| {
            let v = m[row][n];
            assert_eq!(v.1, 1, "a cell solved to a fraction");
            (unknowns[col], v.0 as i64)
        })
        .collect()
}

fn frame() -> (Vec<String>, Vec<String>, Vec<String>) {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    let list = |k: &str| {
        doc["survey"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    (list("sex"), list("age_bands"), list("duration_bands"))
}

fn check(by: &str, n: u32) {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    check_db(&db, dir.path(), by, n);
}

fn check_db(db: &std::path::Path, dir: &std::path::Path, by: &str, n: u32) {
    let db = db.to_owned();
    let out = dir.join("t.csv");
    let truth = read(&export(&db, &out, &["--csv-comma", "--by", by]), "\u{0}");
    let n_arg = n.to_string();
    let published = read(
        &export(
            &db,
            &out,
            &["--csv-comma", "--by", by, "--suppress", &n_arg],
        ),
        &format!("<{n}"),
    );
    let (sex, age, duration) = frame();
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let eqs = relations(&truth, &strs(&sex), &strs(&age), &strs(&duration));
    let people = truth.header.iter().position(|h| h == "Personer").unwrap();

    // Every small count is hidden; every published cell is the truth.
    let mut primary = Published {
        header: truth.header.clone(),
        rows: truth.rows.clone(),
    };
    let mut small = 0;
    for (r, row) in truth.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let shown = published.rows[r][c];
            if c >= people && v.is_some_and(|v| (1..i64::from(n)).contains(&v)) {
                assert_eq!(shown, None, "{by}: small cell ({r}, {c}) = {v:?} is shown");
                primary.rows[r][c] = None;
                small += 1;
            } else if shown.is_some() {
                assert_eq!(shown, *v, "{by}: cell ({r}, {c}) changed");
            }
        }
    }
    assert!(
        small > 0,
        "{by}: nothing small to hide; the test proves nothing"
    );

    // Hiding only the small numbers gives cells away; suppression does not.
    let leaked = attack(&primary, &eqs);
    assert!(
        !leaked.is_empty(),
        "{by}: the attacker found nothing even in the primary pattern"
    );
    for ((r, c), v) in &leaked {
        assert_eq!(truth.rows[*r][*c], Some(*v), "the attacker is wrong");
    }
    let recovered = attack(&published, &eqs);
    assert!(
        recovered.is_empty(),
        "{by}: recomputed from the published table: {recovered:?}"
    );
}

#[test]
fn no_hidden_cell_of_the_municipality_table_can_be_recomputed() {
    check("municipality", 10);
}

#[test]
fn no_hidden_cell_of_the_unit_table_can_be_recomputed() {
    check("unit", 5);
}

#[test]
fn no_hidden_cell_of_a_generated_eight_municipality_survey_can_be_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::generated(
        dir.path(),
        "g.json",
        &["--municipalities", "8", "--units", "15"],
    );
    let db = imported(dir.path(), &doc);
    // (Its municipality totals are all in the thousands: nothing small.)
    check_db(&db, dir.path(), "unit", 5);
}

#[test]
fn suppression_is_refused_where_it_cannot_apply() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    common::export_cmd(&db, &dir.path().join("r.html"), &["--suppress", "5"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "små tal döljs bara i summatabellerna",
        ));
    assert!(!dir.path().join("r.html").exists());
    common::export_cmd(&db, &dir.path().join("r.csv"), &["--suppress", "1"])
        .assert()
        .code(2);
}
