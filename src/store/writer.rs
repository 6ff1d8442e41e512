//! A thread of its own that writes to the database, so that a slow save
//! (fsync on a network folder can take 100 ms or more) never holds up the
//! window: typing goes on while the file is written.
//!
//! Writes are jobs run one after another in the order sent, each in its
//! own transaction (the [`Store`] methods they call). A job may name an
//! earlier job it builds on (the previous save of the same unit): when that
//! one failed or was skipped, this one is skipped too, since what it would
//! write includes a change that is not on disk.

use std::collections::{HashSet, VecDeque};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

use super::Store;

/// A write to run on the writer's thread.
pub type Job = Box<dyn FnOnce(&mut Store) -> Result<()> + Send>;

/// A function called without arguments, from the writer's thread.
pub type Hook = Arc<dyn Fn() + Send + Sync>;

/// How a job ended.
#[derive(Debug)]
pub enum Outcome {
    /// Written.
    Done,
    /// Refused or failed; nothing of it is written.
    Failed(Error),
    /// Not run: the job it builds on was not written.
    Skipped,
}

struct Queued {
    id: u64,
    after: Option<u64>,
    job: Job,
}

/// Hooks the window sets: told when a job has ended (to draw a new frame),
/// and, for tests, called before each job with the store locked.
#[derive(Default)]
struct Hooks {
    ended: Option<Hook>,
    before_job: Option<Hook>,
}

/// Runs jobs in order, skipping those built on one that was not written.
#[derive(Default)]
struct Runner {
    not_written: HashSet<u64>,
}

impl Runner {
    fn run(&mut self, store: &Mutex<Store>, hooks: &Mutex<Hooks>, queued: Queued) -> Outcome {
        let outcome = if queued.after.is_some_and(|a| self.not_written.contains(&a)) {
            Outcome::Skipped
        } else {
            let mut store = locked(store);
            let before = locked(hooks).before_job.clone();
            let job = queued.job;
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if let Some(before) = before {
                    before();
                }
                job(&mut store)
            }));
            match ran {
                Ok(Ok(())) => Outcome::Done,
                Ok(Err(e)) => Outcome::Failed(e),
                Err(_) => Outcome::Failed(Error::at(
                    "sparningen",
                    "ett internt fel avbröt skrivningen; ingenting av den skrevs",
                )),
            }
        };
        if !matches!(outcome, Outcome::Done) {
            self.not_written.insert(queued.id);
        }
        outcome
    }
}

/// The thread: its queue of jobs, dropped to end it, and its handle,
/// joined when dropped, so that every queued job is written first.
struct Thread {
    jobs: Option<Sender<Queued>>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for Thread {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// The writer thread and the store it writes to.
pub struct Writer {
    store: Arc<Mutex<Store>>,
    hooks: Arc<Mutex<Hooks>>,
    thread: Thread,
    results: Receiver<(u64, Outcome)>,
    /// Without a thread (none could be started) jobs run when sent; their
    /// answers wait here.
    inline: Option<(Runner, VecDeque<(u64, Outcome)>)>,
    next: u64,
    /// Jobs sent and not answered, oldest first.
    unanswered: VecDeque<u64>,
}

/// The answer for a job the thread can no longer give (it has ended).
fn lost(id: u64) -> (u64, Outcome) {
    let reason = "skrivtråden har stannat; ändringen skrevs inte";
    (id, Outcome::Failed(Error::at("databasen", reason)))
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Writer {
    /// Starts a writer thread for `store`.
    pub fn new(store: Store) -> Writer {
        let store = Arc::new(Mutex::new(store));
        let hooks = Arc::new(Mutex::new(Hooks::default()));
        let (jobs, queue) = mpsc::channel::<Queued>();
        let (done, results) = mpsc::channel();
        let (shared, thread_hooks) = (Arc::clone(&store), Arc::clone(&hooks));
        let spawned = std::thread::Builder::new()
            .name("malgrupp-writer".into())
            .spawn(move || {
                let mut runner = Runner::default();
                for queued in queue {
                    let id = queued.id;
                    let outcome = runner.run(&shared, &thread_hooks, queued);
                    // The document may be gone (closing): the write is done
                    // all the same.
                    let _ = done.send((id, outcome));
                    let ended = locked(&thread_hooks).ended.clone();
                    if let Some(ended) = ended {
                        ended();
                    }
                }
            });
        let (thread, inline) = match spawned {
            Ok(handle) => (
                Thread {
                    jobs: Some(jobs),
                    handle: Some(handle),
                },
                None,
            ),
            Err(_) => (
                Thread {
                    jobs: None,
                    handle: None,
                },
                Some((Runner::default(), VecDeque::new())),
            ),
        };
        Writer {
            store,
            hooks,
            thread,
            results,
            inline,
            next: 1,
            unanswered: VecDeque::new(),
        }
    }

    /// Queues `job` after every job sent before it; its id. `after`: the
    /// job it builds on (skipped if that one was not written).
    pub fn send(&mut self, after: Option<u64>, job: Job) -> u64 {
        let id = self.next;
        self.next += 1;
        self.unanswered.push_back(id);
        let queued = Queued { id, after, job };
        match (&mut self.inline, &self.thread.jobs) {
            (Some((runner, answers)), _) => {
                let outcome = runner.run(&self.store, &self.hooks, queued);
                answers.push_back((id, outcome));
            }
            (None, Some(jobs)) => {
                if let Err(mpsc::SendError(queued)) = jobs.send(queued) {
                    // The thread has ended (it never does while the writer
                    // lives): run the job here rather than lose it.
                    let mut runner = Runner::default();
                    let outcome = runner.run(&self.store, &self.hooks, queued);
                    self.inline = Some((runner, VecDeque::from([(id, outcome)])));
                }
            }
            (None, None) => {}
        }
        id
    }

    /// The next answer, if one comes within `wait`.
    pub fn receive(&mut self, wait: Duration) -> Option<(u64, Outcome)> {
        let oldest = *self.unanswered.front()?;
        let answer = match &mut self.inline {
            Some((_, answers)) if !answers.is_empty() => answers.pop_front(),
            _ if wait.is_zero() => match self.results.try_recv() {
                Ok(answer) => Some(answer),
                Err(mpsc::TryRecvError::Empty) => None,
                Err(mpsc::TryRecvError::Disconnected) => Some(lost(oldest)),
            },
            _ => match self.results.recv_timeout(wait) {
                Ok(answer) => Some(answer),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => Some(lost(oldest)),
            },
        };
        if let Some((id, _)) = &answer {
            self.unanswered.retain(|u| u != id);
        }
        answer
    }

    /// The answers that come before `deadline` (all of them: `None`), in
    /// the order the jobs were sent.
    pub fn answers_until(&mut self, deadline: Option<Instant>) -> Vec<(u64, Outcome)> {
        let mut answers = Vec::new();
        while !self.unanswered.is_empty() {
            let wait = match deadline {
                Some(d) => d.saturating_duration_since(Instant::now()),
                None => Duration::from_secs(60),
            };
            match self.receive(wait) {
                Some(answer) => answers.push(answer),
                None if deadline.is_some() => break,
                None => {}
            }
        }
        answers
    }

    /// How many jobs have been sent since the writer started: changes
    /// whenever a write is sent.
    pub fn sent(&self) -> u64 {
        self.next - 1
    }

    /// Jobs sent and not yet answered.
    pub fn in_flight(&self) -> usize {
        self.unanswered.len()
    }

    /// The store, for a write or a read on the caller's thread. Waits while
    /// a job runs: take in every answer first, so that nothing waits.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        locked(&self.store)
    }

    /// Calls `ended` on the writer's thread whenever a job has ended (for
    /// the window: draw a frame, which takes the answer in).
    pub fn on_ended(&self, ended: Hook) {
        locked(&self.hooks).ended = Some(ended);
    }

    /// For tests: calls `hook` before each job, on the writer's thread with
    /// the store locked (a slow disk, or a save held until the test lets go).
    #[doc(hidden)]
    pub fn before_each_job(&self, hook: Option<Hook>) {
        locked(&self.hooks).before_job = hook;
    }

    /// Ends the thread once the jobs queued are written, and gives the
    /// store back.
    pub fn into_store(self) -> Result<Store> {
        let Writer { store, thread, .. } = self;
        drop(thread);
        Arc::try_unwrap(store)
            .map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
            .map_err(|_| Error::at("databasen", "skrivtråden släppte inte filen"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Access;

    #[test]
    fn jobs_run_in_order_and_one_built_on_a_job_not_written_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let mut writer = Writer::new(Store::open(&path, Access::Create).unwrap());
        let ran = Arc::new(Mutex::new(Vec::new()));
        let job = |n: u32, ok: bool| -> Job {
            let ran = Arc::clone(&ran);
            Box::new(move |_: &mut Store| {
                ran.lock().unwrap().push(n);
                if ok {
                    Ok(())
                } else {
                    Err(Error::at("test", "nej"))
                }
            })
        };
        let a = writer.send(None, job(1, true));
        let b = writer.send(None, job(2, false));
        let c = writer.send(Some(b), job(3, true));
        let d = writer.send(Some(c), job(4, true));
        let e = writer.send(Some(a), job(5, true));
        let f = writer.send(None, Box::new(|_: &mut Store| panic!("test: a bug")));
        assert_eq!(writer.in_flight(), 6);
        let answers = writer.answers_until(None);
        let ids: Vec<u64> = answers.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [a, b, c, d, e, f]);
        let kinds: Vec<&str> = answers
            .iter()
            .map(|(_, o)| match o {
                Outcome::Done => "done",
                Outcome::Failed(_) => "failed",
                Outcome::Skipped => "skipped",
            })
            .collect();
        assert_eq!(
            kinds,
            ["done", "failed", "skipped", "skipped", "done", "failed"]
        );
        assert_eq!(*ran.lock().unwrap(), [1, 2, 5]);
        assert_eq!(writer.in_flight(), 0);
        // The store comes back, its lock with it: the file opens again.
        drop(writer.into_store().unwrap());
        Store::open(&path, Access::ReadWrite).unwrap();
    }
}
