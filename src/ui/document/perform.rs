//! Writing a change (to the file, then to memory) and writing a merge:
//! the part of [`Document`] that talks to the store directly.

use super::*;

impl Document {
    /// Saves `change` to the file and then to memory; the history gets
    /// it as `how` (undo, redo) or as each write's own way.
    pub(super) fn perform(
        &mut self,
        change: &Change,
        checked: Checked,
        how: Option<How>,
    ) -> Result<()> {
        let layout = self.survey.layout();
        let name = self.survey.frame.name.clone();
        if let Change::Frame { after, .. } = change {
            crate::model::check_frame_change(&self.survey.frame, after, &self.survey)
                .map_err(|reason| Error::at("ramen", reason))?;
        }
        if let Change::Themes(edits) = change {
            let themes = self.survey.frame.themes.len();
            let known = |e: &ThemeEdit| {
                self.survey
                    .units
                    .get(e.unit)
                    .is_some_and(|u| e.group < u.groups.len())
                    && e.after.iter().all(|t| usize::from(*t) < themes)
            };
            if let Some(e) = edits.iter().find(|e| !known(e)) {
                return Err(Error::at(
                    format!("enhet {}, målgrupp {}", e.unit + 1, e.group + 1),
                    "målgruppen eller temat finns inte längre; inget ändrades",
                ));
            }
        }
        let write = |store: &mut Store| -> Result<()> {
            let name = name.as_str();
            match (change, checked) {
                (Change::Unit { index, after, .. }, Checked::New) => {
                    store.save_unit(name, &layout, *index, after)
                }
                (Change::Unit { index, after, .. }, Checked::Restore) => {
                    store.restore_unit(name, &layout, *index, after)
                }
                (Change::Insert { index, unit }, Checked::New) => {
                    store.insert_unit(name, &layout, *index, unit)
                }
                (Change::Insert { index, unit }, Checked::Restore) => {
                    store.reinsert_unit(name, &layout, *index, unit)
                }
                (Change::Remove { index, .. }, _) => store.delete_unit(name, *index),
                (Change::Frame { after, .. }, _) => store.update_frame(name, after),
                (Change::Move { from, to }, _) => store.move_unit(name, *from, *to),
                (Change::Merge { after, .. }, _) => store.restore_units(after),
                (Change::Themes(edits), _) => {
                    let rows: Vec<crate::store::GroupThemes<'_>> = edits
                        .iter()
                        .map(|e| (e.unit, e.group, e.after.as_slice()))
                        .collect();
                    store.set_group_themes(name, &rows)
                }
            }
        };
        let mut store = self.writer.store();
        match how {
            Some(how) => store.logged_as(how, write)?,
            None => write(&mut store)?,
        }
        if let Change::Frame { after, .. } = change {
            self.surveys = store.surveys().unwrap_or_else(|_| vec![after.name.clone()]);
        }
        match change {
            Change::Unit { index, after, .. } => self.survey.units[*index] = (**after).clone(),
            Change::Insert { index, unit } => self.survey.units.insert(*index, (**unit).clone()),
            Change::Remove { index, .. } => {
                self.survey.units.remove(*index);
            }
            Change::Frame { after, .. } => self.survey.frame = (**after).clone(),
            Change::Themes(edits) => {
                for e in edits {
                    self.survey.units[e.unit].groups[e.group].themes = e.after.clone();
                }
            }
            Change::Merge { after, .. } => self.survey = (**after).clone(),
            Change::Move { from, to } => {
                let unit = self.survey.units.remove(*from);
                self.survey.units.insert(*to, unit);
            }
        }
        drop(store);
        self.recompute();
        Ok(())
    }

    /// Merges another file's survey into this one as `plan` (made from
    /// `mine`, this file's survey as stored) says, conflicts settled by
    /// `picks`: one transaction, one undo step. How many units it changed.
    pub fn merge(
        &mut self,
        mine: Survey,
        theirs: &Survey,
        plan: &crate::model::merge::Plan,
        picks: &[crate::model::merge::Pick],
    ) -> Result<usize> {
        if self.is_read_only() {
            return Err(Error::ReadOnly {
                path: self.path.clone(),
            });
        }
        self.commit()?;
        self.flush();
        if !self.failures.is_empty() {
            // The plan was made from what is shown, and a failed save has
            // just changed that.
            return Err(Error::at(
                "sammanslagningen",
                "den gjordes inte, eftersom en tidigare ändring inte kunde sparas; försök igen",
            ));
        }
        let (merged, after) = {
            let mut store = self.writer.store();
            let merged = store.merge(&mine, theirs, plan, picks)?;
            (merged, store.load(&mine.frame.name)?)
        };
        self.survey = after.clone();
        self.recompute();
        self.undo.push(Step {
            change: Change::Merge {
                before: Box::new(mine),
                after: Box::new(after),
            },
            what: "sammanslagning".to_owned(),
            saves: None,
        });
        self.redo.clear();
        Ok(merged.len())
    }
}
