use std::time::Instant;
fn main() {
    let db = std::env::args().nth(1).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    for _ in 0..2 {
        for (name, sql) in [
            (
                "join-ordered",
                "SELECT g.id, g.unit_id, g.rank, g.label, g.count, g.estimated, g.note, g.sex, g.age, g.duration, g.also_at FROM unit u JOIN target_group g ON g.unit_id = u.id WHERE u.survey_id = 1 ORDER BY u.position, g.position",
            ),
            (
                "scan",
                "SELECT g.id, g.unit_id, g.rank, g.label, g.count, g.estimated, g.note, g.sex, g.age, g.duration, g.also_at FROM target_group g WHERE +g.unit_id IN (SELECT id FROM unit WHERE survey_id = 1)",
            ),
            (
                "scan-nofilter",
                "SELECT g.id, g.unit_id, g.rank, g.label, g.count, g.estimated, g.note, g.sex, g.age, g.duration, g.also_at FROM target_group g",
            ),
        ] {
            let t = Instant::now();
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            let mut k = 0u64;
            while let Some(r) = rows.next().unwrap() {
                for i in 0..n {
                    let _ = r.get_ref_unwrap(i);
                }
                k += 1;
            }
            println!("{name}: {k} rows {:?}", t.elapsed());
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            println!("   {plan:?}");
        }
    }
}
