//! What the program knows about files on disk, beyond SQL: which files are
//! databases of ours (so that no export ever writes over one), and the
//! temporary files it writes beside a target before renaming them into
//! place, with the clean-up of those a killed writer left behind.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::schema;

/// How a file is told apart from every other: device and inode where there
/// are such, otherwise its canonical path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileId {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(not(unix))]
    path: PathBuf,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            Some(FileId {
                dev_ino: (m.dev(), m.ino()),
            })
        }
        #[cfg(not(unix))]
        {
            Some(FileId {
                path: std::fs::canonicalize(path).ok()?,
            })
        }
    }
}

/// Every database file this process has opened. An export must never
/// replace one of them, whatever path (or link) it is named by.
static OPENED: Mutex<Vec<FileId>> = Mutex::new(Vec::new());

/// Notes that `path` is a database file open in this process.
pub(crate) fn remember_opened(path: &Path) {
    if let Some(id) = FileId::of(path) {
        let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
        if !opened.contains(&id) {
            opened.push(id);
        }
    }
}

/// Whether `path` names a database file opened by this process (the same
/// file, also through another path, a hard link or a symbolic link). A
/// file that is no SQLite database is not one: a database opened earlier
/// and deleted since may have left its number (inode) to a new file.
pub fn is_opened_database(path: &Path) -> bool {
    FileId::of(path).is_some_and(|id| {
        OPENED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&id)
    }) && header(path).is_some_and(|h| h.starts_with(b"SQLite format 3\0"))
}

/// The first 72 bytes of a regular file (an SQLite header's part we read).
fn header(path: &Path) -> Option<[u8; 72]> {
    use std::io::Read;
    // Only a regular file is opened: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut header = [0u8; 72];
    file.take(72).read_exact(&mut header).ok()?;
    Some(header)
}

/// Whether the file at `path` is an SQLite database stamped with our
/// `application_id` (the 4 bytes at offset 68 of the header).
pub fn is_our_database(path: &Path) -> bool {
    header(path).is_some_and(|h| {
        h.starts_with(b"SQLite format 3\0") && h[68..72] == schema::APPLICATION_ID.to_be_bytes()
    })
}

/// The start of every temporary file name of ours: `.malgrupp-PID-`.
const TEMP_PREFIX: &str = ".malgrupp-";

/// A builder for a temporary file of ours in a target's folder, named
/// `.malgrupp-PID-XXXXXX.tmp` so that a later run can tell whether the
/// process that wrote it is still alive.
pub fn temp_builder<'a>(prefix: &'a mut String) -> tempfile::Builder<'a, 'static> {
    *prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix.as_str()).suffix(".tmp");
    builder
}

/// Removes temporary files of ours in `dir` that a writer which no longer
/// runs left behind (killed, or the power went). Only our own names, only
/// regular files, only of dead writers and untouched for an hour: a
/// temporary file whose writer is alive, or cannot be told, or which was
/// written to in the last hour (perhaps by another machine), stays. Best
/// effort: nothing here is an error.
pub fn clean_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        // A database being created is written as `….tmp` with SQLite's
        // journal `….tmp-journal` beside it.
        if !(rest.ends_with(".tmp") || rest.ends_with(".tmp-journal")) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let writer = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let stale = match writer {
            // A process id is only good on the machine that wrote the
            // file: in a shared or network folder, another machine's export
            // in progress has a pid that is dead here. So its file must also
            // have been untouched for an hour.
            Some(pid) => !process_alive(pid, &meta) && older_than(&meta, 3600),
            // Older versions named them without the writer: only what has
            // not been touched for a day can be no one's work in progress.
            None => older_than(&meta, 24 * 3600),
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn older_than(meta: &std::fs::Metadata, seconds: u64) -> bool {
    meta.modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age.as_secs() > seconds)
}

/// Whether the process that wrote a temporary file may still be running.
#[cfg(unix)]
fn process_alive(pid: u32, _meta: &std::fs::Metadata) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only asks whether the process exists.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Elsewhere a process id cannot be asked cheaply: a day-old temporary file
/// is taken to be abandoned.
#[cfg(not(unix))]
fn process_alive(pid: u32, meta: &std::fs::Metadata) -> bool {
    pid == std::process::id() || !older_than(meta, 24 * 3600)
}

/// The folder of `path` (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file's number outlives the database: a new file that got it
    /// (here: the same file, its bytes replaced in place) is no database.
    #[test]
    fn a_file_that_is_no_longer_a_database_is_not_the_opened_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.sqlite");
        drop(crate::store::Store::open(&db, crate::store::Access::Create).unwrap());
        assert!(is_opened_database(&db));
        std::fs::write(&db, b"en bild, inte en databas").unwrap();
        assert!(!is_opened_database(&db));
    }
}
