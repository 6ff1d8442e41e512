//! Report outputs on the generated national survey (43,500 groups):
//! `xlsx/43500_groups`, the workbook with every table (target < 2 s),
//! `html/43500_groups`, the report (target < 2 s), and
//! `chart/*`, one chart of all 290 municipalities (target < 100 ms).
//!
//! Run: `cargo bench --bench reports`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use malgrupp::generate::{Size, generate};
use malgrupp::model::analyse;

fn benches(c: &mut Criterion) {
    let survey = generate("Syntetisk nationell kartläggning", Size::NATIONAL, 1);
    let analysis = analyse(&survey);
    let mut group = c.benchmark_group("xlsx");
    group.sample_size(10);
    group.bench_function("43500_groups", |b| {
        b.iter(|| {
            malgrupp::export::xlsx::workbook(
                black_box(&survey),
                &analysis.totals,
                &analysis.findings,
            )
            .expect("workbook")
        })
    });
    group.finish();
    group = c.benchmark_group("html");
    group.sample_size(10);
    group.bench_function("43500_groups", |b| {
        b.iter(|| malgrupp::report::html::report(black_box(&survey), &analysis).expect("report"))
    });
    group.finish();
    let mut group = c.benchmark_group("chart");
    for (name, format) in [
        ("png", malgrupp::report::chart::ImageFormat::Png),
        ("svg", malgrupp::report::chart::ImageFormat::Svg),
    ] {
        group.bench_function(format!("age_per_municipality_{name}/43500_groups"), |b| {
            b.iter(|| {
                malgrupp::report::chart::render(
                    &survey,
                    &analysis.totals,
                    malgrupp::report::chart::ChartKind::Age,
                    format,
                    (1200, 700),
                )
                .expect("chart")
            })
        });
    }
    group.finish();
}

criterion_group!(reports, benches);
criterion_main!(reports);
