//! Report outputs on the generated national survey (43,500 groups):
//! `xlsx/43500_groups`, the workbook with every table (target < 2 s),
//! `html/43500_groups`, the report (target < 1 s),
//! `docx/43500_groups`, the report as a Word document (target < 3 s), and
//! `chart/*`, one chart of all 290 municipalities (target < 100 ms), and
//! `suppress/*`, small-number suppression of the summary table by unit:
//! national (4,350 units) with N = 3, 10 and 50 (target < 2 s each), and
//! 100,050 units with N = 10 and 50 (target < 30 s).
//!
//! Run: `cargo bench --bench reports` (only suppression:
//! `cargo bench --bench reports -- suppress`).

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
    group = c.benchmark_group("docx");
    group.sample_size(10);
    group.bench_function("43500_groups", |b| {
        b.iter(|| malgrupp::report::docx::report(black_box(&survey), &analysis).expect("docx"))
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
    suppress(c, &survey, &analysis.totals, "4350_units", &[3, 10, 50]);
    let big = generate("Syntetisk kartläggning", Size::MILLION, 1);
    let big_totals = malgrupp::model::aggregate::survey_totals(&big);
    suppress(c, &big, &big_totals, "100050_units", &[10, 50]);
}

/// `summary_table --by unit` and its suppression, for each N.
fn suppress(
    c: &mut Criterion,
    survey: &malgrupp::model::Survey,
    totals: &malgrupp::model::aggregate::SurveyTotals,
    name: &str,
    ns: &[u32],
) {
    use malgrupp::report::{By, summary_table, suppress};
    let mut group = c.benchmark_group("suppress");
    group.sample_size(10);
    let roles = suppress::Roles::summary(&survey.layout(), 3);
    for &n in ns {
        group.bench_function(format!("by_unit_n{n}/{name}"), |b| {
            b.iter(|| {
                let mut table = summary_table(black_box(survey), totals, By::Unit);
                let _ = suppress::suppress(&mut table, &roles, n);
                table
            })
        });
    }
    group.finish();
}

criterion_group!(reports, benches);
criterion_main!(reports);
