//! The command line itself: Swedish help and Swedish usage errors, exit codes.

mod common;

use common::malgrupp;

fn stderr_of(args: &[&str]) -> (i32, String) {
    let out = malgrupp().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn usage_errors_are_swedish_printed_once_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["summary", "--by", "kommun"],
            "malgrupp: ogiltigt värde ”kommun” för --by <SÄTT>; möjliga värden: municipality, authority, unit, theme (se malgrupp --help)\n",
        ),
        (
            &["check", "--fromat", "json"],
            "malgrupp: okänt argument ”--fromat”; menade du --format? (se malgrupp --help)\n",
        ),
        (
            &["chek"],
            "malgrupp: okänt kommando ”chek”; menade du check? (se malgrupp --help)\n",
        ),
        (
            &["export"],
            "malgrupp: det här måste anges: --out <FIL> (se malgrupp --help)\n",
        ),
        (
            &["generate", "--out", "x.json", "--units", "många"],
            "malgrupp: ogiltigt värde ”många” för --units <N> (se malgrupp --help)\n",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(stderr_of(args), (2, expected.to_string()), "{args:?}");
    }
}

#[test]
fn help_is_swedish_and_exits_0() {
    let out = malgrupp().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Användning: malgrupp",
        "Kommandon:",
        "  check",
        "Lista alla fynd",
        "Flaggor:",
        "Slutkoder: 0 klart, 1 check hittade fynd eller merge konflikter (inget ändrat), 2 fel.",
    ] {
        assert!(help.contains(expected), "«{expected}» not in:\n{help}");
    }
    let out = malgrupp().args(["generate", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for english in ["[default", "Possible values", "[OPTIONS]", "Usage"] {
        assert!(!help.contains(english), "«{english}» in:\n{help}");
    }
    for expected in ["Antal kommuner (standard: 290)", "--units <N>"] {
        assert!(help.contains(expected), "«{expected}» not in:\n{help}");
    }
}

#[test]
fn without_a_screen_the_app_says_so_in_swedish() {
    let out = malgrupp()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "malgrupp: fönstret kan inte öppnas: ingen skärm (DISPLAY och WAYLAND_DISPLAY saknas); kommandona utan fönster visas med malgrupp --help\n"
    );
}
