//! Totals per theme on the generated national survey (43,500 groups) with
//! themes set: seven themes whose keywords match the generated labels, every
//! group tagged with the themes its label suggests (a fifth of the groups
//! get two, a tenth none).
//!
//! - `themes_totals/43500_groups`: `model::themes::totals` in memory;
//! - `summary_by_theme_process/43500_groups`: `malgrupp summary --by theme
//!   --format json` as a whole process (target < 100 ms).
//!
//! Run: `cargo bench --bench themes`.

use std::hint::black_box;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use malgrupp::generate::{Size, generate};
use malgrupp::model::{Survey, Theme, themes};
use malgrupp::store::{Access, Store};

const NAME: &str = "Syntetisk nationell kartläggning";

/// The national survey with themes set from their keywords.
pub fn national_with_themes() -> Survey {
    let mut survey = generate(NAME, Size::NATIONAL, 1);
    let theme = |name: &str, keywords: &[&str]| Theme {
        name: name.to_owned(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
    };
    survey.frame.themes = vec![
        theme("Arbetslösa unga", &["unga", "ungdom"]),
        theme("Sjukskrivna", &["sjukskriv", "värkpatient"]),
        theme(
            "Långt från arbetsmarknaden",
            &["arbetsmarknaden", "arbetslös"],
        ),
        theme("Invandrare och flyktingar", &["nyanlända", "svenskkunskap"]),
        theme("Missbruk", &["missbruk"]),
        theme("Äldre", &["äldre"]),
        theme("Psykisk ohälsa", &["psykisk", "neuropsykiatri"]),
    ];
    let frame_themes = survey.frame.themes.clone();
    for unit in &mut survey.units {
        for group in &mut unit.groups {
            for t in themes::suggestions(&frame_themes, group) {
                themes::toggle(group, t);
            }
        }
    }
    survey
}

fn benches(c: &mut Criterion) {
    let survey = national_with_themes();
    c.bench_function("themes_totals/43500_groups", |b| {
        b.iter(|| themes::totals(black_box(&survey)))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("national-themes.sqlite");
    let mut store = Store::open(&path, Access::Create).expect("create");
    store.import(&survey, false).expect("import");
    drop(store);
    let binary = env!("CARGO_BIN_EXE_malgrupp");
    c.bench_function("summary_by_theme_process/43500_groups", |b| {
        b.iter(|| {
            let status = Command::new(binary)
                .args(["summary", "--by", "theme", "--format", "json", "--db"])
                .arg(&path)
                .stdout(Stdio::null())
                .status()
                .expect("run malgrupp");
            assert!(status.success());
        })
    });
}

criterion_group!(themes_bench, benches);
criterion_main!(themes_bench);
