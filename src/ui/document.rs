//! The open survey with its database, and the edit history. No egui here:
//! the rules for saving and undoing are tested without a window.
//!
//! Every finished edit is one [`Change`], saved in its own transaction.
//! Typing changes the unit in memory at once (so findings follow each
//! keystroke); the edit is *finished*, saved and put on the undo list when
//! the cell is left ([`Document::commit`]). A cell still being typed is
//! saved a moment after the last keystroke ([`Document::save_pending`]) as
//! the same undo step, which later typing in that cell amends, so a crash
//! loses at most that moment.
//!
//! Saves of typed edits go to a writer thread ([`Writer`]) so that a slow
//! disk never holds up typing; their answers are taken in on a later frame
//! ([`Document::poll`]). A save that fails puts its unit back as the file
//! has it, with any later saves of that unit (built on it, so skipped by
//! the writer), and takes their undo steps away ([`SaveFailure`]). Other
//! changes (a new, deleted or moved unit, the frame, undo and redo) wait for
//! the queue first and are written before they are shown.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::history::How;
use crate::model::{Analysis, Frame, Survey, Unit, analyse};
use crate::store::writer::{Hook, Writer};
use crate::store::{Access, Store};

mod perform;
mod saves;

pub use saves::SaveFailure;
use saves::Sent;

/// One finished edit, enough to redo and undo it.
#[derive(Clone, Debug)]
pub enum Change {
    /// Anything inside one unit.
    Unit {
        /// Its position.
        index: usize,
        /// As it was.
        before: Box<Unit>,
        /// As it is now.
        after: Box<Unit>,
    },
    /// A unit added at `index`.
    Insert {
        /// Its position.
        index: usize,
        /// The unit.
        unit: Box<Unit>,
    },
    /// The unit at `index` deleted.
    Remove {
        /// Its position.
        index: usize,
        /// The unit, for undo.
        unit: Box<Unit>,
    },
    /// The survey's frame changed (names, lists, bands).
    Frame {
        /// As it was.
        before: Box<Frame>,
        /// As it is now.
        after: Box<Frame>,
    },
    /// The themes of many groups set at once (the view by theme).
    Themes(Vec<ThemeEdit>),
    /// A unit moved from one position to another.
    Move {
        /// Where it was.
        from: usize,
        /// Where it is.
        to: usize,
    },
    /// Another file merged in: every unit as it was and as it is, with
    /// their revisions and the deleted units.
    Merge {
        /// As it was.
        before: Box<Survey>,
        /// As it is now.
        after: Box<Survey>,
    },
}

/// One group's themes before and after a [`Change::Themes`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeEdit {
    /// The unit's position.
    pub unit: usize,
    /// The group's position in its unit.
    pub group: usize,
    /// Its themes as they were.
    pub before: thin_vec::ThinVec<u16>,
    /// Its themes as they are now.
    pub after: thin_vec::ThinVec<u16>,
}

impl Change {
    /// The change that takes this one back.
    fn inverse(&self) -> Change {
        match self {
            Change::Unit {
                index,
                before,
                after,
            } => Change::Unit {
                index: *index,
                before: after.clone(),
                after: before.clone(),
            },
            Change::Insert { index, unit } => Change::Remove {
                index: *index,
                unit: unit.clone(),
            },
            Change::Remove { index, unit } => Change::Insert {
                index: *index,
                unit: unit.clone(),
            },
            Change::Move { from, to } => Change::Move {
                from: *to,
                to: *from,
            },
            Change::Frame { before, after } => Change::Frame {
                before: after.clone(),
                after: before.clone(),
            },
            Change::Themes(edits) => Change::Themes(
                edits
                    .iter()
                    .map(|e| ThemeEdit {
                        before: e.after.clone(),
                        after: e.before.clone(),
                        ..e.clone()
                    })
                    .collect(),
            ),
            Change::Merge { before, after } => Change::Merge {
                before: after.clone(),
                after: before.clone(),
            },
        }
    }

    /// The unit to show after this change is made, if any.
    pub fn focus(&self) -> Option<usize> {
        match self {
            Change::Unit { index, .. } | Change::Insert { index, .. } => Some(*index),
            Change::Move { to, .. } => Some(*to),
            Change::Remove { .. }
            | Change::Frame { .. }
            | Change::Themes(_)
            | Change::Merge { .. } => None,
        }
    }
}

/// A revision number no document has had before.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Whether a unit written by [`Document::perform`] is new input, checked
/// against the rules, or put back exactly as it was by undo or redo, which
/// must never be refused (a file may hold units saved under older rules).
#[derive(Clone, Copy, Debug)]
enum Checked {
    New,
    Restore,
}

/// An entry of the undo or redo list: the change and its name in the menu.
#[derive(Clone, Debug)]
struct Step {
    change: Change,
    what: String,
    /// For a typed edit, the saves that wrote it: the first (which made
    /// the step) and the last (which last amended it).
    saves: Option<(u64, u64)>,
}

/// An edit being typed: the unit, how it was before, and whether it is
/// already saved (and on the undo list) while still being typed.
#[derive(Clone, Debug)]
struct Pending {
    index: usize,
    before: Box<Unit>,
    what: String,
    /// The unit as last sent to be saved by [`Document::save_pending`];
    /// its undo step is the last one and is amended by later saves of this
    /// edit.
    saved: Option<Box<Unit>>,
}

impl Pending {
    /// The unit as the file holds it once the saves sent are written.
    fn on_disk(&self) -> &Unit {
        self.saved.as_deref().unwrap_or(&self.before)
    }
}

/// The open survey.
pub struct Document {
    writer: Writer,
    path: PathBuf,
    read_only: bool,
    /// The surveys of the file (for the menu, without waiting for the writer).
    surveys: Vec<String>,
    survey: Survey,
    analysis: Analysis,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// A unit being typed into.
    pending: Option<Pending>,
    /// Unique to each state of the survey in memory, so views can keep
    /// what they computed from it until it changes.
    revision: u64,
    /// Saves sent and not answered, in the order sent.
    sent: VecDeque<Sent>,
    /// The last save sent of each unit: the next one builds on it.
    last_sent: HashMap<usize, u64>,
    /// Failed saves not yet shown.
    failures: Vec<SaveFailure>,
}

impl Document {
    /// Opens a database for the app: read and write when possible, read
    /// only on a read-only file or disk. Another window holding the file
    /// gets [`Error::Busy`].
    pub fn open_store(path: &Path) -> Result<Store> {
        match Store::open(path, Access::Create) {
            Err(Error::ReadOnly { .. }) => Store::open(path, Access::ReadOnly),
            Err(Error::File { .. }) if path.exists() => Store::open(path, Access::ReadOnly),
            other => other,
        }
    }

    /// Loads survey `name` of an open store.
    pub fn load(store: Store, name: &str) -> Result<Document> {
        let survey = store.load(name)?;
        let surveys = store.surveys()?;
        let analysis = analyse(&survey);
        Ok(Document {
            path: store.path().to_owned(),
            read_only: store.is_read_only(),
            writer: Writer::new(store),
            surveys,
            survey,
            analysis,
            undo: Vec::new(),
            redo: Vec::new(),
            pending: None,
            revision: next_revision(),
            sent: VecDeque::new(),
            last_sent: HashMap::new(),
            failures: Vec::new(),
        })
    }

    /// Gives the store back (to open another survey of the same file),
    /// once every edit is written. Take in [`Document::take_failures`]
    /// before: failures found here are lost with the document.
    pub fn into_store(mut self) -> Result<Store> {
        self.commit()?;
        self.flush();
        self.writer.into_store()
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The surveys of the file.
    pub fn surveys(&self) -> &[String] {
        &self.surveys
    }

    /// The store, once every edit sent is written (for reading it).
    pub fn store(&mut self) -> std::sync::MutexGuard<'_, Store> {
        self.flush();
        self.writer.store()
    }

    /// The store when the writer has nothing to write (every save sent is
    /// answered), so that reading it does not wait; `None` while saves are
    /// out (the window draws frames until they are answered).
    pub fn idle_store(&self) -> Option<std::sync::MutexGuard<'_, Store>> {
        (self.writer.in_flight() == 0).then(|| self.writer.store())
    }

    /// How many writes have been sent to the writer: with
    /// [`Document::revision`], whether the file may hold something new.
    pub fn writes_sent(&self) -> u64 {
        self.writer.sent()
    }

    /// Calls `hook` (from the writer's thread) when a save has ended, so
    /// that the window draws a frame and takes the answer in.
    pub fn on_saved(&self, hook: Hook) {
        self.writer.on_ended(hook);
    }

    /// For tests: calls `hook` before each save on the writer's thread
    /// (a slow disk, or a save held until the test lets it go).
    #[doc(hidden)]
    pub fn before_each_save(&self, hook: Option<Hook>) {
        self.writer.before_each_job(hook);
    }

    /// The survey as shown (including an edit being typed).
    pub fn survey(&self) -> &Survey {
        &self.survey
    }

    /// Findings and totals of the survey as shown.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Whether edits are refused (read-only file).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether something typed is not sent to be saved yet.
    pub fn has_pending(&self) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|p| self.survey.units.get(p.index) != Some(p.on_disk()))
    }

    /// How many saves are sent and not written (or refused) yet.
    pub fn saving(&self) -> usize {
        self.sent.len()
    }

    /// The unit at `index`, to be changed in memory now and saved by the
    /// next [`Document::commit`]. `what` names the edit in the undo menu.
    /// Call [`Document::recompute`] after changing it.
    pub fn edit_unit(&mut self, index: usize, what: &str) -> Result<&mut Unit> {
        if self.read_only {
            return Err(Error::ReadOnly {
                path: self.path.clone(),
            });
        }
        if self.pending.as_ref().is_some_and(|p| p.index != index) {
            self.commit()?;
        }
        if self.pending.is_none() {
            let before = Box::new(self.survey.units[index].clone());
            self.pending = Some(Pending {
                index,
                before,
                what: what.to_owned(),
                saved: None,
            });
        }
        Ok(&mut self.survey.units[index])
    }

    /// Findings and totals after an edit in memory.
    pub fn recompute(&mut self) {
        self.analysis.recompute(&self.survey);
        self.revision = next_revision();
    }

    /// Changes with every change of the survey in memory, and differs
    /// between documents, so a view's cache never outlives its survey.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Sends the unit being typed into to be saved, as one undoable edit,
    /// and ends the edit. A save that fails later is put back when its
    /// answer comes ([`Document::poll`]).
    pub fn commit(&mut self) -> Result<()> {
        let result = self.save_pending();
        if let Some(p) = self.pending.take()
            && p.saved.is_some()
            && self.survey.units[p.index] == *p.before
        {
            // Typed and then put back as it was: the step made while
            // typing would undo nothing. The file will hold `before`.
            let dropped = self.undo.pop();
            if let Some(sent) = self.sent.back_mut().filter(|s| s.index == p.index) {
                sent.dropped = dropped;
            }
        }
        result
    }

    /// Sends the unit being typed into to be saved without ending the
    /// edit: the first save puts the edit on the undo list, later ones
    /// amend that step, so a cell stays one undo step however often it is
    /// saved.
    pub fn save_pending(&mut self) -> Result<()> {
        let Some(p) = &self.pending else {
            return Ok(());
        };
        let index = p.index;
        if self.survey.units[index] == *p.on_disk() {
            return Ok(());
        }
        let unit = Box::new(self.survey.units[index].clone());
        // Typed and put back exactly as it was before: not new input, so
        // older data the rules now refuse is written back unchecked.
        let restore = *unit == *p.before;
        let on_disk = Box::new(p.on_disk().clone());
        let id = self.send_unit(index, &unit, restore, on_disk);
        let Some(p) = &mut self.pending else {
            return Ok(());
        };
        match (&p.saved, self.undo.last_mut()) {
            (
                Some(_),
                Some(Step {
                    change:
                        Change::Unit {
                            index: i,
                            after: step,
                            ..
                        },
                    saves: Some((_, last)),
                    ..
                }),
            ) if *i == index => {
                *step = unit.clone();
                *last = id;
            }
            _ => {
                self.undo.push(Step {
                    change: Change::Unit {
                        index,
                        before: p.before.clone(),
                        after: unit.clone(),
                    },
                    what: p.what.clone(),
                    saves: Some((id, id)),
                });
                self.redo.clear();
            }
        }
        p.saved = Some(unit);
        Ok(())
    }

    /// Takes back what is typed since it was last sent to be saved.
    pub fn discard(&mut self) {
        if let Some(p) = self.pending.take() {
            self.survey.units[p.index] = p.on_disk().clone();
            self.recompute();
        }
    }

    /// Makes a change (saved first, then shown), as one undoable edit,
    /// after every edit before it is written.
    pub fn apply(&mut self, change: Change, what: &str) -> Result<()> {
        self.apply_with(change, what, None)
    }

    /// Like [`Document::apply`], logged in the history as `how` (a form
    /// read in, a merge) instead of the write's own way.
    pub fn apply_as(&mut self, change: Change, what: &str, how: How) -> Result<()> {
        self.apply_with(change, what, Some(how))
    }

    fn apply_with(&mut self, change: Change, what: &str, how: Option<How>) -> Result<()> {
        if self.is_read_only() {
            return Err(Error::ReadOnly {
                path: self.path.clone(),
            });
        }
        self.commit()?;
        self.flush();
        if !self.failures.is_empty() {
            // The change was made from what is shown, and a failed save
            // has just changed that.
            return Err(Error::at(
                "ändringen",
                "den gjordes inte, eftersom en tidigare ändring inte kunde sparas; försök igen",
            ));
        }
        self.perform(&change, Checked::New, how)?;
        self.undo.push(Step {
            change,
            what: what.to_owned(),
            saves: None,
        });
        self.redo.clear();
        Ok(())
    }

    /// What Ctrl+Z would take back.
    pub fn undo_name(&self) -> Option<&str> {
        self.undo.last().map(|s| s.what.as_str())
    }

    /// What Ctrl+Y would do again.
    pub fn redo_name(&self) -> Option<&str> {
        self.redo.last().map(|s| s.what.as_str())
    }

    /// Takes back the last edit, once every edit before it is written; the
    /// unit to show, if any.
    pub fn undo(&mut self) -> Result<Option<usize>> {
        self.commit()?;
        self.flush();
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        let inverse = step.change.inverse();
        if let Err(e) = self.perform(&inverse, Checked::Restore, Some(How::Undo)) {
            self.undo.push(step);
            return Err(e);
        }
        self.redo.push(step);
        Ok(inverse.focus())
    }

    /// Does the last undone edit again, once every edit before it is
    /// written; the unit to show, if any.
    pub fn redo(&mut self) -> Result<Option<usize>> {
        self.commit()?;
        self.flush();
        let Some(step) = self.redo.pop() else {
            return Ok(None);
        };
        if let Err(e) = self.perform(&step.change, Checked::Restore, Some(How::Redo)) {
            self.redo.push(step);
            return Err(e);
        }
        let focus = step.change.focus();
        self.undo.push(step);
        Ok(focus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    pub(super) fn sample_doc(dir: &Path) -> Document {
        let survey = crate::import::json::read_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/norra-lansdelen-2005.json"),
        )
        .unwrap();
        let path = dir.join("t.sqlite");
        let mut store = Store::open(&path, Access::Create).unwrap();
        store.import(&survey, false).unwrap();
        Document::load(store, &survey.frame.name).unwrap()
    }

    pub(super) fn on_disk(doc: &mut Document) -> Survey {
        doc.flush();
        assert!(doc.take_failures().is_empty());
        let store = Store::open(doc.path(), Access::ReadOnly).unwrap();
        store.load(&doc.survey().frame.name).unwrap()
    }

    #[test]
    fn typed_edits_are_saved_on_commit_and_undone_and_redone() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count = Cell::new(99);
        doc.recompute();
        assert!(doc.has_pending());
        // Shown at once, saved only when finished.
        assert_eq!(doc.survey().units[0].groups[0].row.count, Cell::new(99));
        assert_eq!(on_disk(&mut doc), original);
        doc.commit().unwrap();
        assert!(!doc.has_pending());
        let saved = on_disk(&mut doc);
        assert_eq!(saved, *doc.survey());
        let edited = doc.survey().clone();
        assert_eq!(doc.undo_name(), Some("antal"));

        assert_eq!(doc.undo().unwrap(), Some(0));
        assert_eq!(*doc.survey(), original);
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(doc.redo().unwrap(), Some(0));
        assert_eq!(on_disk(&mut doc), edited);
        assert_eq!(doc.analysis(), &analyse(&edited));
    }

    #[test]
    fn a_cell_saved_while_typed_stays_one_undo_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count = Cell::new(5);
        doc.recompute();
        doc.save_pending().unwrap();
        assert!(!doc.has_pending());
        assert_eq!(on_disk(&mut doc).units[0].groups[0].row.count, Cell::new(5));
        // Typing on in the same cell amends the step.
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count = Cell::new(55);
        doc.recompute();
        assert!(doc.has_pending());
        doc.save_pending().unwrap();
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count = Cell::new(555);
        doc.recompute();
        doc.commit().unwrap();
        assert_eq!(
            on_disk(&mut doc).units[0].groups[0].row.count,
            Cell::new(555)
        );
        assert_eq!(doc.undo_name(), Some("antal"));
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(doc.undo_name(), None);
        doc.redo().unwrap();
        assert_eq!(
            on_disk(&mut doc).units[0].groups[0].row.count,
            Cell::new(555)
        );

        // Typed, saved, then put back as it was: no step that undoes nothing.
        doc.undo().unwrap();
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count = Cell::new(7);
        doc.save_pending().unwrap();
        doc.edit_unit(0, "antal").unwrap().groups[0].row.count =
            original.units[0].groups[0].row.count;
        doc.commit().unwrap();
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(doc.undo_name(), None);
    }

    #[test]
    fn a_deleted_unit_comes_back_with_undo() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let original = doc.survey().clone();
        let unit = Box::new(original.units[1].clone());
        doc.apply(Change::Remove { index: 1, unit }, "ta bort enhet")
            .unwrap();
        assert_eq!(doc.survey().units.len(), original.units.len() - 1);
        let saved = on_disk(&mut doc);
        assert_eq!(saved, *doc.survey());
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(*doc.survey(), original);
        doc.redo().unwrap();
        assert_eq!(doc.survey().units.len(), original.units.len() - 1);
        doc.apply(Change::Move { from: 0, to: 2 }, "flytta")
            .unwrap();
        doc.undo().unwrap();
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc), original);
        assert_eq!(doc.undo_name(), None);
    }

    #[test]
    fn frame_changes_keep_the_data_meaning_what_it_meant() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        let before = Box::new(doc.survey().frame.clone());
        let mut after = before.clone();
        after.name = "Ny titel".into();
        after.municipalities[1] = "Lindesbergs kommun".into();
        after.municipalities.push("Karlskoga".into());
        doc.apply(
            Change::Frame {
                before: before.clone(),
                after: after.clone(),
            },
            "ändra ram",
        )
        .unwrap();
        assert_eq!(on_disk(&mut doc).frame, *after);
        doc.undo().unwrap();
        assert_eq!(on_disk(&mut doc).frame, *before);

        // Bands of a survey with data: refused, nothing changed.
        let mut bands = before.clone();
        bands.age_bands[0] = "16-24".into();
        let err = doc
            .apply(
                Change::Frame {
                    before: before.clone(),
                    after: bands,
                },
                "ändra ram",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("indelningen i ålder kan inte ändras"), "{err}");
        let mut fewer = before.clone();
        fewer.authorities.pop();
        let err = doc
            .apply(
                Change::Frame {
                    before: before.clone(),
                    after: fewer,
                },
                "ändra ram",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("myndigheter kan inte tas bort ur ramen när enheter hör till dem (”Arbetsförmedlingen”)"), "{err}");
        assert_eq!(on_disk(&mut doc).frame, *before);

        // A new authority would add an "aktuell hos" cell to every group.
        let mut more = before.clone();
        more.authorities.push("Psykiatrin".into());
        let err = doc
            .apply(
                Change::Frame {
                    before: before.clone(),
                    after: more.clone(),
                },
                "ändra ram",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("myndigheter kan inte läggas till"), "{err}");
        assert_eq!(on_disk(&mut doc).frame, *before);
        let saved = on_disk(&mut doc);
        assert_eq!(*doc.survey(), saved);
    }

    #[test]
    fn a_survey_without_data_may_change_its_bands_and_authorities() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ny.sqlite");
        let mut store = Store::open(&path, Access::Create).unwrap();
        let frame = crate::generate::frame_2005("Ny", vec!["A".into()]);
        store.create_survey(&frame).unwrap();
        let mut doc = Document::load(store, "Ny").unwrap();
        let mut after = Box::new(frame.clone());
        after.authorities.push("Psykiatrin".into());
        after.age_bands = vec!["16-29".into(), "30-65".into()];
        doc.apply(
            Change::Frame {
                before: Box::new(frame),
                after: after.clone(),
            },
            "ändra ram",
        )
        .unwrap();
        assert_eq!(on_disk(&mut doc).frame, *after);
        assert_eq!(doc.survey().layout().len(), 2 + 2 + 4 + 5);
    }

    #[test]
    fn a_new_edit_after_undo_clears_redo() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = sample_doc(dir.path());
        doc.edit_unit(0, "a").unwrap().name = "A".into();
        doc.commit().unwrap();
        doc.undo().unwrap();
        assert_eq!(doc.redo_name(), Some("a"));
        doc.edit_unit(0, "b").unwrap().name = "B".into();
        doc.commit().unwrap();
        assert_eq!(doc.redo_name(), None);
        // Editing another unit finishes the first edit.
        doc.edit_unit(0, "c").unwrap().name = "C".into();
        doc.edit_unit(1, "d").unwrap().name = "D".into();
        assert_eq!(doc.undo_name(), Some("c"));
        assert_eq!(on_disk(&mut doc).units[0].name, "C");
    }
}
