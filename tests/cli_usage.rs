//! Every command's usage line (`malgrupp KOMMANDO --help`) names every one of
//! its options and every value they take, so a user reading it misses nothing.

mod common;

use clap::CommandFactory;
use common::malgrupp;
use malgrupp::cli::Cli;

/// The "Användning:" line of `malgrupp <sub> --help`, from the real binary.
fn usage_line(sub: &str) -> String {
    let out = malgrupp().args([sub, "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{sub} --help");
    let help = String::from_utf8(out.stdout).unwrap();
    help.lines()
        .find_map(|l| l.strip_prefix("Användning: "))
        .unwrap_or_else(|| panic!("no usage line in {sub} --help:\n{help}"))
        .to_string()
}

#[test]
fn every_usage_line_names_every_option_and_value() {
    let cli = Cli::command();
    let mut checked = 0;
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let usage = usage_line(name);
        assert!(
            usage.starts_with(&format!("malgrupp {name}")),
            "{name}: {usage}"
        );
        for arg in sub.get_arguments() {
            if arg.is_hide_set() || arg.get_id() == "help" || arg.get_id() == "version" {
                continue;
            }
            if arg.is_global_set() && arg.get_id() == "user" {
                // Only the commands that write need a name for the history.
                continue;
            }
            let Some(long) = arg.get_long() else { continue };
            let flag = format!("--{long}");
            assert!(usage.contains(&flag), "{name}: usage omits {flag}: {usage}");
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            if arg.get_action().takes_values() && !values.is_empty() {
                let listed = usage
                    .split_whitespace()
                    .skip_while(|w| !w.trim_start_matches('[').starts_with(&flag))
                    .nth(1)
                    .unwrap_or_default()
                    .trim_end_matches(']')
                    .to_string();
                let listed: Vec<&str> = listed.split('|').collect();
                let mut want = values.clone();
                want.sort();
                let mut got: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
                got.sort();
                assert_eq!(got, want, "{name} {flag}: {usage}");
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} options checked");
}

#[test]
fn commands_that_write_name_user_in_their_usage() {
    for sub in ["import", "import-form", "merge"] {
        let usage = usage_line(sub);
        assert!(usage.contains("[--user NAMN]"), "{sub}: {usage}");
    }
}

#[test]
fn check_and_status_refuse_csv_before_opening_anything() {
    for sub in ["check", "status"] {
        let out = malgrupp()
            .args([sub, "--format", "csv", "--db", "/nonexistent/none.sqlite"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{sub}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("ogiltigt värde ”csv” för --format"),
            "{sub}: {err}"
        );
        assert!(err.contains("text") && err.contains("json"), "{sub}: {err}");
    }
}

#[test]
fn export_help_names_every_kind_of_file_it_writes() {
    let out = malgrupp().args(["export", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let about = help.lines().next().unwrap();
    for kind in ["JSON", "CSV", "Markdown", "xlsx", "HTML", "Word"] {
        assert!(about.contains(kind), "{kind} not in: {about}");
    }
}
