use std::time::{Duration, Instant};
fn main() {
    let db = std::env::args().nth(1).unwrap();
    let store =
        malgrupp::store::Store::open(std::path::Path::new(&db), malgrupp::store::Access::ReadOnly)
            .unwrap();
    let name = store.resolve_survey(None).unwrap();
    let s = store.load(&name).unwrap();
    let (mut c, mut t, mut an) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..50 {
        let t0 = Instant::now();
        let f = malgrupp::model::check::check_survey(&s);
        c = c.min(t0.elapsed());
        std::hint::black_box(&f);
        let t0 = Instant::now();
        let tt = malgrupp::model::aggregate::survey_totals(&s);
        std::hint::black_box(&tt);
        let t1 = Instant::now();
        let a = malgrupp::model::analyse(&s);
        an = an.min(t1.elapsed());
        std::hint::black_box(&a);
        t = t.min(t0.elapsed());
        std::hint::black_box(&tt);
    }
    println!(
        "analyse min {an:?} check min {c:?} totals min {t:?} finding size {}",
        std::mem::size_of::<malgrupp::model::check::Finding>()
    );
}
