//! Outputs never destroy data: `export`, `form` and `chart` refuse to write
//! over a database (the open one by any path or link, or any other of ours),
//! a folder, a FIFO, a device, a read-only file or one the user may not
//! write, and say why; they write through a symbolic link to its target;
//! and they clean up the temporary files a killed writer left behind.

#![cfg(unix)]

mod common;

use std::path::Path;

use common::{export_cmd, imported, malgrupp, run, sample};

/// Every command that writes a file, aimed at `out`.
fn writers(out: &str) -> Vec<Vec<String>> {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        strings(&["export", "--out", out]),
        strings(&["export", "--out", out, "--format", "csv"]),
        strings(&["export", "--out", out, "--format", "xlsx"]),
        strings(&[
            "form",
            "--unit",
            "Socialförvaltningen Hällefors",
            "--out",
            out,
        ]),
    ]
}

/// The files in `dir` whose name starts with a dot (our temporaries).
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect()
}

fn assert_refused(db: &Path, out: &str, reason: &str) {
    let dir = db.parent().unwrap();
    let target = dir.join(out);
    // Only a regular file is read: opening a FIFO would wait for a writer.
    let read = |p: &Path| {
        std::fs::metadata(p)
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read(p).unwrap())
    };
    let before = read(&target);
    let database = std::fs::read(db).unwrap();
    for args in writers(out) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = run(db, &args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{out} skrivs inte: {reason}; ingenting har skrivits"
            )),
            "{args:?}: «{reason}» not in «{stderr}»"
        );
    }
    assert_eq!(read(&target), before, "{out} was changed");
    assert_eq!(
        std::fs::read(db).unwrap(),
        database,
        "the database was changed"
    );
    assert!(hidden(dir).is_empty(), "left behind: {:?}", hidden(dir));
}

fn unit_name(db: &Path) -> String {
    let (s, _) = common::json_of(db, &["summary", "--by", "unit"]);
    s["rows"][0]["unit"].as_str().unwrap().to_owned()
}

#[test]
fn the_open_database_is_never_an_output_by_any_path_or_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    assert_eq!(unit_name(&db), "Socialförvaltningen Hällefors");
    let open = "det är databasen som kartläggningen läses från, och den skulle skrivas över; välj ett annat filnamn";
    assert_refused(&db, "test.sqlite", open);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    assert_refused(&db, "sub/../test.sqlite", open);
    std::os::unix::fs::symlink("test.sqlite", dir.path().join("länk.json")).unwrap();
    assert_refused(&db, "länk.json", open);
    std::fs::hard_link(&db, dir.path().join("hård.json")).unwrap();
    assert_refused(&db, "hård.json", open);
    // A chart too, named as an image.
    std::os::unix::fs::symlink("test.sqlite", dir.path().join("bild.png")).unwrap();
    let (code, stderr) = run(&db, &["chart", "--kind", "sex", "--out", "bild.png"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(open), "{stderr}");
    let (s, code) = common::json_of(&db, &["summary"]);
    assert_eq!((code, &s["rows"][0]["count"]), (0, &serde_json::json!(166)));
}

#[test]
fn another_database_of_ours_and_a_journal_are_never_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let other = dir.path().join("annan.sqlite");
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--db"])
        .arg(&other)
        .assert()
        .success();
    assert_refused(
        &db,
        "annan.sqlite",
        "det är en databas från Målgruppskartläggning, och den skulle skrivas över; välj ett annat filnamn",
    );
    assert_refused(
        &db,
        "test.sqlite-journal",
        "det är journalfilen till en databas från Målgruppskartläggning; välj ett annat filnamn",
    );
    assert!(!dir.path().join("test.sqlite-journal").exists());
}

#[test]
fn folders_fifos_devices_and_read_only_files_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    std::fs::create_dir(dir.path().join("mapp.json")).unwrap();
    assert_refused(&db, "mapp.json", "det är en mapp; ange en fil i mappen");

    let fifo = dir.path().join("rör.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    assert_refused(
        &db,
        "rör.json",
        "det är ingen vanlig fil utan en namngiven rörledning (FIFO); ange en vanlig fil",
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );

    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.json")).unwrap();
    assert_refused(
        &db,
        "null.json",
        "det är ingen vanlig fil utan en enhet; ange en vanlig fil",
    );

    let locked = dir.path().join("låst.json");
    std::fs::write(&locked, "viktigt").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_refused(
        &db,
        "låst.json",
        "filen är skrivskyddad; ta bort skrivskyddet eller välj ett annat filnamn",
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "viktigt");
}

use std::os::unix::fs::{FileTypeExt, PermissionsExt};

/// The message for a file this user may not write, whatever its write bits.
const NOT_YOURS: &str = "du saknar skrivrätt till filen; be den som äger filen om skrivrätt eller välj ett annat filnamn";

#[test]
fn a_file_this_user_may_not_write_is_refused_whatever_its_write_bits_say() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        // Readable by its owner only, writable by everyone else: the write
        // bits are set, but the owner may not write it.
        let target = dir.path().join("bara-läsa.json");
        std::fs::write(&target, "viktigt").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o466)).unwrap();
        assert!(!std::fs::metadata(&target).unwrap().permissions().readonly());
        assert_refused(&db, "bara-läsa.json", NOT_YOURS);
        return;
    }
    // Root may write anything: run the real binary as `nobody` on a file
    // root owns (0644) in a folder anyone may write to, where a rename
    // would replace it.
    let nobody = |program: &str| {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", program]);
        cmd
    };
    let who = nobody("id")
        .arg("-u")
        .output()
        .expect("setpriv (util-linux) is needed to test this as root");
    assert_eq!(String::from_utf8_lossy(&who.stdout).trim(), "65534");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let target = dir.path().join("någon-annans.json");
    std::fs::write(&target, "viktigt").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in writers("någon-annans.json") {
        let out = nobody(env!("CARGO_BIN_EXE_malgrupp"))
            .args(&args)
            .arg("--db")
            .arg(&db)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "någon-annans.json skrivs inte: {NOT_YOURS}; ingenting har skrivits"
            )),
            "{args:?}: {stderr}"
        );
        let meta = std::fs::metadata(&target).unwrap();
        assert_eq!((meta.uid(), meta.mode() & 0o777), (0, 0o644), "{args:?}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "viktigt");
        assert!(hidden(dir.path()).is_empty(), "{:?}", hidden(dir.path()));
    }
}

#[test]
fn a_symbolic_link_is_written_through_to_its_target_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let folder = dir.path().join("delat");
    std::fs::create_dir(&folder).unwrap();
    let target = folder.join("summor.csv");
    std::fs::write(&target, "gammalt").unwrap();
    let link = dir.path().join("summor.csv");
    std::os::unix::fs::symlink("delat/summor.csv", &link).unwrap();
    export_cmd(&db, &link, &[]).assert().success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains("Hällefors"), "{written}");

    // A link to a file not there yet: the file is made where it points.
    let dangling = dir.path().join("ny.md");
    std::os::unix::fs::symlink(folder.join("ny.md"), &dangling).unwrap();
    export_cmd(&db, &dangling, &[]).assert().success();
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(folder.join("ny.md"))
            .unwrap()
            .contains("Hällefors")
    );
    assert!(hidden(&folder).is_empty() && hidden(dir.path()).is_empty());
}

#[test]
fn temporaries_left_by_dead_writers_are_removed_on_the_next_write_and_no_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // A process that has ended: its pid names a dead writer.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let alive = std::process::id();
    const HOUR: u64 = 3600;
    // A file last written `age` seconds ago (None: just now).
    let file = |name: &str, age: Option<u64>| {
        let path = dir.path().join(name);
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(1 << 20).unwrap();
        if let Some(age) = age {
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
            f.set_modified(then).unwrap();
        }
        name.to_owned()
    };
    let removed = [
        file(&format!(".malgrupp-{dead}-a1B2c3.tmp"), Some(2 * HOUR)),
        file(
            &format!(".malgrupp-{dead}-d4E5f6.tmp-journal"),
            Some(2 * HOUR),
        ),
        // Named by an older version, without the writer, untouched for days.
        file(".malgrupp-Xy12Zq.tmp", Some(48 * HOUR)),
    ];
    let kept = [
        file(&format!(".malgrupp-{alive}-g7H8i9.tmp"), Some(48 * HOUR)),
        // A pid dead here may be another machine's export in progress in a
        // shared folder: written to in the last hour, its file stays.
        file(&format!(".malgrupp-{dead}-j1K2l3.tmp"), None),
        file(
            &format!(".malgrupp-{dead}-m4N5o6.tmp-journal"),
            Some(HOUR / 2),
        ),
        file(".malgrupp-Ab34Cd.tmp", Some(2 * HOUR)),
        file(
            &format!(".malgrupp-{dead}-anteckningar.txt"),
            Some(48 * HOUR),
        ),
        file(".annat-program.tmp", Some(48 * HOUR)),
    ];
    export_cmd(&db, &dir.path().join("ut.json"), &[])
        .assert()
        .success();
    let mut left = hidden(dir.path());
    left.sort();
    let mut expected = kept.to_vec();
    expected.sort();
    assert_eq!(left, expected, "removed should have been {removed:?}");
}
