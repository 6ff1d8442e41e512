//! The writer's lock: a separate file beside the database (`FIL.sqlite.lock`)
//! held with an exclusive `try_lock` while the database is open for writing.
//!
//! The lock is not taken on the database file itself: on Windows a file lock
//! is mandatory and would block SQLite's own reads and writes through its
//! other handle (every write then failed with "används av ett annat
//! program"). SQLite never opens the lock file, so both platforms honour it
//! without getting in SQLite's way, and readers (a read-only second window)
//! take no lock at all. The file is removed again when the lock is released;
//! one left behind by a killed program is harmless (the system releases its
//! lock) and is reused.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An exclusive lock on a database file, released (and its lock file
/// removed) when dropped.
pub struct WriterLock {
    file: Option<File>,
    /// Removed on release (Unix; Windows removes it itself).
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
}

/// The lock file of the database at `db`: its name with `.lock` appended.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl WriterLock {
    /// Takes the lock of the database at `db`, or says it is in use.
    pub fn acquire(db: &Path) -> Result<WriterLock> {
        let path = lock_path(db);
        // Another program may remove the lock file between our opening and
        // locking it (it released the lock); then the lock we got is on a
        // file no one else will find, and we try again.
        for _ in 0..8 {
            let file = open(&path).map_err(|source| Error::File {
                action: "låsa",
                path: db.to_owned(),
                source,
            })?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Busy {
                        path: db.to_owned(),
                    });
                }
                Err(TryLockError::Error(source)) => {
                    return Err(Error::File {
                        action: "låsa",
                        path: db.to_owned(),
                        source,
                    });
                }
            }
            if still_at(&file, &path) {
                return Ok(WriterLock {
                    file: Some(file),
                    path,
                });
            }
        }
        Err(Error::Busy {
            path: db.to_owned(),
        })
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Removed while still held, so that no one locks it in between.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        // On Windows the system removes it when the last handle closes.
        drop(self.file.take());
    }
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

#[cfg(windows)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_FLAG_DELETE_ON_CLOSE: u32 = 0x0400_0000;
    const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(FILE_FLAG_DELETE_ON_CLOSE)
        .attributes(FILE_ATTRIBUTE_HIDDEN)
        .open(path)
}

#[cfg(not(any(unix, windows)))]
fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Whether `file` is still the file at `path` (not removed or replaced
/// since we opened it).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(ours), Ok(there)) => ours.dev() == there.dev() && ours.ino() == there.ino(),
        _ => false,
    }
}

/// On Windows a file open with delete-on-close cannot be opened again once
/// it is being removed, so the file we locked is the one at `path`.
#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_and_the_lock_file_goes_with_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k å.sqlite");
        std::fs::write(&db, b"").unwrap();
        let first = WriterLock::acquire(&db).unwrap();
        assert!(lock_path(&db).exists());
        assert!(matches!(WriterLock::acquire(&db), Err(Error::Busy { .. })));
        // The database file itself is not locked: SQLite (and anyone) can
        // read and write it.
        std::fs::write(&db, b"x").unwrap();
        assert_eq!(std::fs::read(&db).unwrap(), b"x");
        drop(first);
        assert!(!lock_path(&db).exists());
        let again = WriterLock::acquire(&db).unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_killed_program_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite");
        std::fs::write(lock_path(&db), b"").unwrap();
        let lock = WriterLock::acquire(&db).unwrap();
        drop(lock);
        assert!(!lock_path(&db).exists());
    }

    #[test]
    fn an_open_store_leaves_the_database_file_unlocked_for_sqlite_and_readers() {
        use crate::store::{Access, Store};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data.sqlite");
        let writer = Store::open(&db, Access::Create).unwrap();
        // Windows makes a lock on the database file itself mandatory, which
        // blocks SQLite's own handle: the file must stay unlocked.
        let other = File::open(&db).unwrap();
        other
            .try_lock()
            .expect("the database file itself is not locked");
        other.unlock().unwrap();
        assert!(lock_path(&db).exists());
        assert!(matches!(
            Store::open(&db, Access::ReadWrite),
            Err(Error::Busy { .. })
        ));
        let reader = Store::open(&db, Access::ReadOnly).expect("readers take no lock");
        drop(reader);
        drop(writer);
        assert!(!lock_path(&db).exists());
        drop(Store::open(&db, Access::ReadWrite).unwrap());
    }
}
