use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let db = std::env::args().nth(2).unwrap();
    let t = Instant::now();
    let bytes = std::fs::read(&path).unwrap();
    println!("read {:?}", t.elapsed());
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    println!("value parse {:?}", t.elapsed());
    drop(v);
    let t = Instant::now();
    let s = malgrupp::import::json::parse(&bytes).unwrap();
    println!("parse+validate {:?}", t.elapsed());
    let _ = std::fs::remove_file(&db);
    let t = Instant::now();
    let mut store =
        malgrupp::store::Store::open(std::path::Path::new(&db), malgrupp::store::Access::Create)
            .unwrap();
    store.import(&s, false).unwrap();
    println!("insert {:?}", t.elapsed());
    let t = Instant::now();
    let name = store.resolve_survey(None).unwrap();
    let s2 = store.load(&name).unwrap();
    println!("load {:?}", t.elapsed());
    let t = Instant::now();
    let f = malgrupp::model::check::check_survey(&s2);
    let tt = malgrupp::model::aggregate::survey_totals(&s2);
    println!(
        "check+totals {:?} {} {}",
        t.elapsed(),
        f.len(),
        tt.all.count
    );
}
