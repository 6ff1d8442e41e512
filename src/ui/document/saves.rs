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
        // Steps made by this save or a later one of the unit go; a step
        // made earlier and amended by them goes back to what the earlier
        // saves wrote, or goes too if that is how it was before.
        let mut amended = false;
        self.undo.retain_mut(|step| {
            let Some((first, last)) = of_this(step) else {
                return true;
            };
            if first >= failed.id {
                return false;
            }
            if last < failed.id {
                return true;
            }
            amended = true;
            step.saves = Some((first, first));
            match &mut step.change {
                Change::Unit { before, after, .. } => {
                    *after = on_disk.clone();
                    before != after
                }
                _ => true,
            }
        });
        // The edit was typed back to how it was and its step taken away,
        // but what it wrote before that is on disk: the step comes back.
        let dropped = failed.dropped.or_else(|| {
            self.sent
                .iter_mut()
                .filter(|s| s.index == index)
                .find_map(|s| s.dropped.take())
        });
        if !amended
            && let Some(mut step) = dropped
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::tests::{on_disk, sample_doc};
    use crate::model::Cell;

    /// Makes the writer's `n`th job from now on fail (1 is the next one).
    fn fail_job(doc: &super::Document, n: usize) {
        let count = Arc::new(AtomicUsize::new(0));
        doc.before_each_save(Some(Arc::new(move || {
            if count.fetch_add(1, Ordering::SeqCst) + 1 == n {
                panic!("test: the disk fails");
            }
        })));
    }

    fn set_count(doc: &mut super::Document, unit: usize, group: usize, n: u32) {
        doc.edit_unit(unit, "antal").unwrap().groups[group]
            .row
            .count = Cell::new(n);
        doc.recompute();
    }

    #[test]
    fn a_failed_save_takes_back_its_unit_and_the_saves_built_on_it_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        fail_job(&doc, 1);
        set_count(&mut doc, 0, 0, 5);
        doc.commit().unwrap();
        set_count(&mut doc, 0, 1, 6);
        doc.commit().unwrap();
        set_count(&mut doc, 1, 0, 7);
        doc.commit().unwrap();
        // Shown at once, as three undo steps.
        assert_eq!(doc.survey().units[0].groups[1].row.count, Cell::new(6));
        assert_eq!(doc.undo.len(), 3);
        doc.flush();
        let failures = doc.take_failures();
        assert_eq!(failures.len(), 1);
        assert_eq!((failures[0].index, failures[0].later), (0, 1));
        assert_eq!(failures[0].unit, original.units[0].name);
        // Unit 0 as it was, unit 1's edit (independent) saved.
        assert_eq!(doc.survey().units[0], original.units[0]);
        assert_eq!(doc.survey().units[1].groups[0].row.count, Cell::new(7));
        let saved = on_disk(&mut doc);
        assert_eq!(saved, *doc.survey());
        assert_eq!(doc.undo.len(), 1);
        assert_eq!(doc.analysis(), &crate::model::analyse(&saved));
        // The unit saves again afterwards.
        set_count(&mut doc, 0, 0, 8);
        doc.commit().unwrap();
        assert_eq!(on_disk(&mut doc).units[0].groups[0].row.count, Cell::new(8));
        doc.undo().unwrap();
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
    }

    #[test]
    fn a_failed_amending_save_leaves_the_step_as_the_file_has_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        set_count(&mut doc, 0, 0, 5);
        doc.save_pending().unwrap();
        doc.flush();
        fail_job(&doc, 1);
        set_count(&mut doc, 0, 0, 55);
        doc.save_pending().unwrap();
        set_count(&mut doc, 0, 0, 555);
        doc.commit().unwrap();
        doc.flush();
        assert_eq!(doc.take_failures()[0].later, 1);
        let saved = on_disk(&mut doc);
        assert_eq!(saved.units[0].groups[0].row.count, Cell::new(5));
        assert_eq!(saved, *doc.survey());
        assert!(!doc.has_pending());
        // One step, from before the edit to what the file holds.
        assert_eq!(doc.undo.len(), 1);
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(doc.undo_name(), None);
    }

    #[test]
    fn a_failed_save_of_an_edit_typed_back_brings_its_step_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        set_count(&mut doc, 0, 0, 5);
        doc.save_pending().unwrap();
        doc.flush();
        // Typed back to how it was and left: the step goes, and the save
        // writing it back fails.
        fail_job(&doc, 1);
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count =
            original.units[0].groups[0].row.count;
        doc.recompute();
        doc.commit().unwrap();
        assert_eq!(doc.undo_name(), None);
        doc.flush();
        assert_eq!(doc.take_failures().len(), 1);
        let saved = on_disk(&mut doc);
        assert_eq!(saved.units[0].groups[0].row.count, Cell::new(5));
        assert_eq!(saved, *doc.survey());
        assert_eq!(doc.undo_name(), Some("antal"));
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
    }
}
