//! Arkiv → Öppna exempel (Norra länsdelen 2005): the sample carried in the
//! binary, imported into a database of its own and opened.

use std::path::{Path, PathBuf};

use crate::store::{self, Access, Store};

use super::App;

impl App {
    /// Where the example goes: the path set for it (tests), else
    /// `exempel-norra-lansdelen-2005.sqlite` beside the default database.
    pub fn example_path(&self) -> crate::Result<PathBuf> {
        match &self.example_db {
            Some(path) => Ok(path.clone()),
            None => Ok(store::default_path()?.with_file_name(crate::sample::DB_FILE_NAME)),
        }
    }

    /// Opens the example: imports the sample into its own database (made
    /// when missing) and opens it. A file that holds it already is just
    /// opened, with the survey as it was left.
    pub fn open_example(&mut self) {
        let path = match self.example_path() {
            Ok(p) => p,
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        let survey = match crate::sample::survey() {
            Ok(s) => s,
            Err(e) => {
                self.error = Some(format!("Exemplet i programmet går inte att läsa: {e}"));
                return;
            }
        };
        let name = survey.frame.name.clone();
        if self.db_path() == Some(path.as_path()) {
            if self.survey_names().contains(&name) {
                self.switch_survey(&name);
                return;
            }
            // Our own lock on the file is let go, to write into it.
            self.close_database();
        }
        if let Err(e) = import_if_missing(&path, &survey) {
            self.error = Some(e.to_string());
            return;
        }
        self.settings.survey = Some(name.clone());
        // The survey remembered for the file is the example's, so opening
        // the file opens it.
        self.open_database(&path);
        if self.db_path() == Some(path.as_path()) && self.doc.is_some() {
            self.view = super::app::View::Form;
            self.info = Some(format!(
                "Exemplet ”{name}” är öppet ({} enheter, {} målgrupper) i {}.",
                survey.units.len(),
                survey.group_count(),
                path.display()
            ));
        }
    }
}

/// Imports `survey` into the database at `path` (made, with its folder,
/// when missing) unless a survey of its name is there already.
fn import_if_missing(path: &Path, survey: &crate::model::Survey) -> crate::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| crate::Error::File {
            action: "skapa mappen till",
            path: path.to_owned(),
            source,
        })?;
    }
    let existed = path.exists();
    let mut store = Store::open(path, Access::Create)?;
    if store.surveys()?.contains(&survey.frame.name) {
        return Ok(());
    }
    match store.import(survey, false) {
        Ok(()) => Ok(()),
        Err(e) => {
            if !existed {
                let _ = store.discard_new();
            }
            Err(e)
        }
    }
}
