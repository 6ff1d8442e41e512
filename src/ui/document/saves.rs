//! The saves of typed edits: sent to the writer, answered on a later frame,
//! and a failed one put back with the later saves of its unit.

use std::time::{Duration, Instant};

use super::{Change, Document, Step};
use crate::error::Error;
use crate::model::Unit;
use crate::store::Store;
use crate::store::writer::Outcome;

/// A save of a typed edit sent to the writer and not answered yet.
#[derive(Debug)]
pub(super) struct Sent {
    id: u64,
    pub(super) index: usize,
    /// The unit as the file holds it if this save fails (every earlier
    /// save of the unit was then written, or this one would be skipped).
    on_disk: Box<Unit>,
    /// The undo step taken away when this save wrote an edit typed back
    /// to how it was; it comes back if the save fails.
    pub(super) dropped: Option<Step>,
}

/// A save that failed, and what was put back because of it.
#[derive(Debug)]
pub struct SaveFailure {
    /// The unit's position.
    pub index: usize,
    /// Its name (as the file holds it).
    pub unit: String,
    /// Later edits of the same unit, waiting to be saved, taken back with it.
    pub later: usize,
    /// Why.
    pub error: Error,
}

impl Document {
    /// Sends unit `index` to the writer, after the saves sent before.
    pub(super) fn send_unit(
        &mut self,
        index: usize,
        unit: &Unit,
        restore: bool,
        on_disk: Box<Unit>,
    ) -> u64 {
        let name = self.survey.frame.name.clone();
        let layout = self.survey.layout();
        let unit = unit.clone();
        let id = self.writer.send(
            self.last_sent.get(&index).copied(),
            Box::new(move |store: &mut Store| {
                if restore {
                    store.restore_unit(&name, &layout, index, &unit)
                } else {
                    store.save_unit(&name, &layout, index, &unit)
                }
            }),
        );
        self.last_sent.insert(index, id);
        self.sent.push_back(Sent {
            id,
            index,
            on_disk,
            dropped: None,
        });
        id
    }

    /// Takes in the answers of the writer that have come, without waiting.
    pub fn poll(&mut self) {
        while let Some(answer) = self.writer.receive(Duration::ZERO) {
            self.answered(answer);
        }
    }

    /// Waits until every save sent is written or refused.
    pub fn flush(&mut self) {
        for answer in self.writer.answers_until(None) {
            self.answered(answer);
        }
    }

    /// Waits until every save sent is written or refused, or until
    /// `deadline`; whether all are.
    pub fn flush_until(&mut self, deadline: Instant) -> bool {
        for answer in self.writer.answers_until(Some(deadline)) {
            self.answered(answer);
        }
        self.sent.is_empty()
    }

    /// The saves that failed since last asked, each already put back.
    pub fn take_failures(&mut self) -> Vec<SaveFailure> {
        std::mem::take(&mut self.failures)
    }

    fn answered(&mut self, (id, outcome): (u64, Outcome)) {
        let Some(sent) = self
            .sent
            .iter()
            .position(|s| s.id == id)
            .and_then(|at| self.sent.remove(at))
        else {
            return;
        };
        match outcome {
            // A skipped save was taken back with the failed one before it.
            Outcome::Done | Outcome::Skipped => {
                if self.last_sent.get(&sent.index) == Some(&id) {
                    self.last_sent.remove(&sent.index);
                }
            }
            Outcome::Failed(error) => self.put_back(sent, error),
        }
    }

    /// A save failed: its unit goes back to how the file has it. The later
    /// saves of the unit sent before this was known build on it and are
    /// skipped by the writer: their edits are taken back too, and so are
    /// the undo steps of all of them.
    fn put_back(&mut self, failed: Sent, error: Error) {
        let index = failed.index;
        let later = self.sent.iter().filter(|s| s.index == index).count();
        self.last_sent.remove(&index);
        if self.pending.as_ref().is_some_and(|p| p.index == index) {
            self.pending = None;
        }
        let on_disk = failed.on_disk;
        let of_this = |step: &Step| match step {
            Step {
                change: Change::Unit { index: i, .. },
                saves: Some(saves),
                ..
            } if *i == index => Some(*saves),
            _ => None,
        };
        // Steps made by this save or a later one of the unit.
        self.undo
            .retain(|step| of_this(step).is_none_or(|(first, _)| first < failed.id));
        // A step made earlier and amended by this save: back to what the
        // earlier saves wrote, or gone if that is how it was before.
        let mut amended = false;
        for step in &mut self.undo {
            if of_this(step).is_some_and(|(_, last)| last >= failed.id)
                && let Change::Unit { after, .. } = &mut step.change
            {
                *after = on_disk.clone();
                amended = true;
            }
        }
        self.undo.retain(|step| {
            !matches!(&step.change, Change::Unit { index: i, before, after } if *i == index && before == after)
        });
        if !amended
            && let Some(mut step) = failed.dropped
            && let Change::Unit { before, after, .. } = &mut step.change
            && **before != *on_disk
        {
            *after = on_disk.clone();
            self.undo.push(step);
        }
        if let Some(unit) = self.survey.units.get_mut(index) {
            *unit = *on_disk;
        }
        self.recompute();
        self.failures.push(SaveFailure {
            index,
            unit: self
                .survey
                .units
                .get(index)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            later,
            error,
        });
    }
}
