//! Interrupted writes: kill -9, Ctrl-C and SIGTERM during an import, a full
//! disk, and two writers at once. Afterwards every command works and the
//! file holds the old survey or the new one, never a mix.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{generated, imported, malgrupp, sample};

/// The real binary, as a plain process (to be killed or signalled).
fn spawn(args: &[&std::ffi::OsStr]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("malgrupp"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn import_replace(doc: &Path, db: &Path) -> Child {
    spawn(&[
        "import".as_ref(),
        doc.as_os_str(),
        "--replace".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
    ])
}

fn journal(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

/// Whether an interrupted write's journal is there to be rolled back
/// ("hot"). As SQLite decides it: a journal that is empty or starts with a
/// zero byte (its header cleared) is not, and a reader may leave it.
fn hot(db: &Path) -> bool {
    std::fs::read(journal(db)).is_ok_and(|bytes| bytes.first().is_some_and(|&b| b != 0))
}

/// Waits until `child` has begun writing (its journal is there) or has
/// ended; whether it is writing.
fn wait_for_write(child: &mut Child, db: &Path) -> bool {
    wait_for(child, || journal(db).exists())
}

/// Waits until `child`'s journal is hot: synced, so that the database file
/// itself is being written (until then a kill leaves nothing to undo).
fn wait_for_hot(child: &mut Child, db: &Path) -> bool {
    wait_for(child, || hot(db))
}

fn wait_for(child: &mut Child, ready: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if ready() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    panic!("the import neither wrote nor ended");
}

/// What a file says about its survey: the summary by unit and the
/// findings, as JSON, from the reading commands (which must succeed).
fn contents(db: &Path) -> (serde_json::Value, serde_json::Value) {
    let (summary, code) = common::json_of(db, &["summary", "--by", "unit"]);
    assert_eq!(code, 0, "summary failed: {summary}");
    let (findings, code) = common::json_of(db, &["check"]);
    assert!(code == 0 || code == 1, "check failed: {findings}");
    (summary, findings)
}

fn signal(child: &Child, signal: i32) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

/// Two generated surveys of the same name and size, different numbers.
/// Each unit gets a long note: the file (5 MB) outgrows SQLite's page
/// cache, so the database file itself is written during the import, not
/// only at its commit, and a kill has a wide window to cut a write off in.
fn two_surveys(dir: &Path) -> (PathBuf, PathBuf) {
    let size = ["--municipalities", "40", "--units", "10", "--groups", "10"];
    let padded = |file: &str, seed: &str| {
        let path = generated(dir, file, &[&size[..], &["--seed", seed]].concat());
        let mut doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for (i, unit) in doc["units"].as_array_mut().unwrap().iter_mut().enumerate() {
            unit["note"] = format!("Anteckning {i}. ").repeat(600).into();
        }
        std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
        path
    };
    (padded("a.json", "1"), padded("b.json", "2"))
}

#[test]
fn kill_9_during_import_leaves_the_old_or_the_new_survey_and_every_command_works() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_surveys(dir.path());
    let reference = |doc: &Path, name: &str| {
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        contents(&imported(&sub, doc))
    };
    let (of_a, of_b) = (reference(&a, "ref-a"), reference(&b, "ref-b"));
    assert_ne!(of_a, of_b);

    let db = imported(dir.path(), &a);
    let mut now = &of_a;
    let mut hot_journals = 0;
    // Whether a kill cuts a write off is a matter of timing: at least six
    // kills, and more (up to twenty) until one has.
    let mut i = 0u64;
    while i < 6 || (hot_journals == 0 && i < 20) {
        let (doc, new) = if now == &of_a {
            (&b, &of_b)
        } else {
            (&a, &of_a)
        };
        let mut child = import_replace(doc, &db);
        // Killed at varying points: while reading the document or filling
        // the journal, and while the database file itself is written.
        match i % 3 {
            0 => std::thread::sleep(Duration::from_millis(i * 30)),
            _ => {
                if wait_for_hot(&mut child, &db) {
                    std::thread::sleep(Duration::from_millis(i % 4 * 15));
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if hot(&db) {
            hot_journals += 1;
        }
        let after = contents(&db);
        assert!(
            &after == now || &after == new,
            "iteration {i}: neither the old nor the new survey"
        );
        assert!(!hot(&db), "the journal was not rolled back");
        now = if &after == new { new } else { now };
        i += 1;
    }
    eprintln!("{hot_journals} of {i} kills cut a write of the database file off");
    // The loop must have met what it is about: a write cut off midway.
    assert!(
        hot_journals >= 1,
        "no kill hit a write of the database file"
    );
}

/// How many times a signal is sent before a test gives up hitting a write.
const ATTEMPTS: usize = 10;

/// Whether a signalled command had ended its write before the signal
/// arrived: it finished (0), or the signal found no write under way. Such a
/// run tells nothing about an interrupted write.
fn missed(code: Option<i32>, stderr: &str) -> bool {
    code == Some(0) && !stderr.contains("avbrutet")
        || code == Some(130) && stderr == "malgrupp: avbrutet; ingenting har ändrats\n"
}

#[test]
fn ctrl_c_and_sigterm_during_import_roll_back_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_surveys(dir.path());
    let db = imported(dir.path(), &a);
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // On a busy machine the import may end between seeing its journal
        // and the signal: such runs are skipped, but one must be hit.
        let mut hits = 0;
        for _ in 0..ATTEMPTS {
            let before = std::fs::read(&db).unwrap();
            let mut child = import_replace(&b, &db);
            if !wait_for_write(&mut child, &db) {
                child.wait().unwrap();
                continue;
            }
            signal(&child, sig);
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8(out.stderr).unwrap();
            if missed(out.status.code(), &stderr) {
                continue;
            }
            hits += 1;
            assert_eq!(out.status.code(), Some(130), "signal {sig}: {stderr}");
            assert!(
                stderr.contains("avbrutet (Ctrl-C eller avslutningssignal); det som hann skrivas är ångrat och ingenting har ändrats"),
                "{stderr}"
            );
            assert!(!journal(&db).exists(), "the write was not rolled back");
            assert_eq!(std::fs::read(&db).unwrap(), before, "signal {sig}");
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with('.'))
                .collect();
            assert!(left.is_empty(), "left behind: {left:?}");
            break;
        }
        assert!(
            hits > 0,
            "signal {sig}: in {ATTEMPTS} runs the import always ended first"
        );
    }
}

/// A full disk, as a file-size limit on the importing process: a write
/// beyond it fails (EFBIG) as on a full disk. The file must stay byte for
/// byte what it was.
#[test]
fn a_full_disk_during_import_leaves_the_file_byte_identical() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let (_, b) = two_surveys(dir.path());
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    // Room for the journal of the old pages, not for the new survey.
    let limit = 2 * before.len() as libc::rlim_t;
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("malgrupp"));
    cmd.arg("import")
        .arg(&b)
        .arg("--replace")
        .arg("--db")
        .arg(&db);
    // SAFETY: setrlimit is async-signal-safe; nothing else runs here.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("kunde inte skrivas klart: disken är full, filen får inte bli större eller disken gick inte att skriva till. Ingenting har ändrats"),
        "{stderr}"
    );
    assert!(
        !journal(&db).exists(),
        "the failed write was not rolled back"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let (s, code) = common::json_of(&db, &["summary"]);
    assert_eq!(code, 0);
    assert_eq!(s["rows"][0]["count"], 166);
}

#[test]
fn two_imports_at_once_one_is_refused_and_the_file_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_surveys(dir.path());
    let db = imported(dir.path(), &a);
    let mut refused = 0;
    for _ in 0..5 {
        let mut first = import_replace(&b, &db);
        if !wait_for_write(&mut first, &db) {
            continue;
        }
        // The second writer: a small document, so it reaches the file
        // while the first is still writing.
        let second = malgrupp()
            .args(["import", sample().to_str().unwrap(), "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let first = first.wait_with_output().unwrap();
        assert!(first.status.success(), "{first:?}");
        let stderr = String::from_utf8(second.stderr).unwrap();
        match second.status.code() {
            Some(2) => {
                assert_eq!(
                    stderr,
                    format!(
                        "malgrupp: databasen {} används av ett annat program (till exempel ett annat fönster av Målgruppskartläggning); försök igen när det är stängt\n",
                        db.display()
                    )
                );
                refused += 1;
            }
            // The first had finished after all: both are in the file.
            Some(0) => {
                malgrupp()
                    .args([
                        "summary",
                        "--survey",
                        "Kartläggning av målgrupper, Norra länsdelen",
                    ])
                    .arg("--db")
                    .arg(&db)
                    .assert()
                    .success()
                    .stdout(predicates::str::contains("Hällefors"));
            }
            other => panic!("second writer ended with {other:?}: {stderr}"),
        }
        let (summary, code) = common::json_of(
            &db,
            &["summary", "--survey", "Syntetisk nationell kartläggning"],
        );
        assert_eq!(code, 0, "{summary}");
        if refused > 0 {
            break;
        }
    }
    assert!(refused > 0, "the second writer always came too late");
}

#[test]
fn ctrl_c_during_an_export_removes_its_temporary_file_and_keeps_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = two_surveys(dir.path());
    let db = imported(dir.path(), &a);
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).unwrap();
    let target = out.join("kartläggning.json");
    let temporary = |dir: &Path| {
        std::fs::read_dir(dir).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".malgrupp-")
        })
    };
    // On a busy machine the export may end between its temporary file
    // showing and the signal: such runs are skipped, but one must be hit.
    let mut hits = 0;
    for _ in 0..ATTEMPTS {
        std::fs::write(&target, "förra exporten").unwrap();
        let mut child = spawn(&[
            "export".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
            "--out".as_ref(),
            target.as_os_str(),
        ]);
        if !wait_for(&mut child, || temporary(&out)) {
            child.wait().unwrap();
            continue;
        }
        signal(&child, libc::SIGINT);
        let status = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(status.stderr).unwrap();
        if missed(status.status.code(), &stderr) {
            continue;
        }
        hits += 1;
        assert_eq!(status.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("avbrutet"), "{stderr}");
        assert!(!temporary(&out), "a temporary file was left");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "förra exporten");
        break;
    }
    assert!(hits > 0, "in {ATTEMPTS} runs the export always ended first");
}
