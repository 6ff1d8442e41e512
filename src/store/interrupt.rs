//! Ctrl-C and SIGTERM on the command line. While nothing is being written
//! the program simply ends; while a write is under way (a transaction, or an
//! export's temporary file) the write is stopped where it is and undone:
//! SQLite's running statement is interrupted, the transaction rolls back,
//! the temporary file is removed, and the command ends with
//! [`Error::Interrupted`](crate::Error::Interrupted).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set once a signal has arrived.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set once a write of this program has been completed (committed, or an
/// output renamed into place): a later signal must not say that nothing
/// was changed.
static SAVED: AtomicBool = AtomicBool::new(false);

/// The writes under way, with the SQLite connections to interrupt. The
/// handler takes this lock too, so a write cannot begin between its
/// decision to end the program and the end.
static WRITES: Mutex<Writes> = Mutex::new(Writes {
    count: 0,
    next: 0,
    handles: Vec::new(),
});

struct Writes {
    count: usize,
    next: usize,
    handles: Vec<(usize, rusqlite::InterruptHandle)>,
}

fn writes() -> std::sync::MutexGuard<'static, Writes> {
    WRITES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Exit code of a command ended by a signal (128 + SIGINT, as shells do).
pub const EXIT_CODE: u8 = 130;

/// Installs the handler for Ctrl-C, SIGTERM and SIGHUP (once; later calls
/// do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let writes = writes();
        INTERRUPTED.store(true, Ordering::SeqCst);
        if writes.count == 0 {
            eprintln!("malgrupp: {}", between_writes());
            std::process::exit(EXIT_CODE.into());
        }
        for (_, handle) in &writes.handles {
            handle.interrupt();
        }
    });
}

/// What a signal that arrives while nothing is being written says.
fn between_writes() -> &'static str {
    if SAVED.load(Ordering::SeqCst) {
        "avbrutet; det som redan hade skrivits är sparat"
    } else {
        "avbrutet; ingenting har ändrats"
    }
}

/// Whether a signal has asked the program to stop.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// `Err(Interrupted)` once a signal has arrived: called between the steps
/// of a long write, which SQLite's own interrupt may fall between.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// A write under way, for as long as it lives.
pub struct Writing {
    key: usize,
}

impl Writing {
    /// Marks a write as begun; `handle` is the connection to interrupt, if
    /// any.
    pub fn begin(handle: Option<rusqlite::InterruptHandle>) -> Writing {
        let mut writes = writes();
        writes.count += 1;
        writes.next += 1;
        let key = writes.next;
        if let Some(handle) = handle {
            writes.handles.push((key, handle));
        }
        Writing { key }
    }

    /// Marks the write as completed (committed or in place).
    pub fn done(&self) {
        SAVED.store(true, Ordering::SeqCst);
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        let mut writes = writes();
        writes.count -= 1;
        let key = self.key;
        writes.handles.retain(|(k, _)| *k != key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_after_a_completed_write_does_not_say_nothing_changed() {
        {
            let writing = Writing::begin(None);
            writing.done();
        }
        assert_eq!(
            between_writes(),
            "avbrutet; det som redan hade skrivits är sparat"
        );
    }
}
