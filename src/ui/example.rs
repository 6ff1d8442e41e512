//! Öppna exempel (Norra länsdelen 2005): the sample carried in the binary,
//! imported into a database of the user's choosing (or the default one
//! beside the default database) and opened.

use std::path::{Path, PathBuf};

use crate::store::{self, Access, Store};

use super::App;
use super::dialogs::Dialog;
use super::path_entry::{PathDraft, PathPurpose};

impl App {
    /// Where the example goes unless another place is chosen: the path set
    /// for it (tests), else `exempel-norra-lansdelen-2005.sqlite` beside the
    /// default database.
    pub fn example_path(&self) -> crate::Result<PathBuf> {
        match &self.example_db {
            Some(path) => Ok(path.clone()),
            None => Ok(store::default_path()?.with_file_name(crate::sample::DB_FILE_NAME)),
        }
    }

    /// Arkiv → Öppna exempel: asks where, the default place filled in.
    pub fn choose_example_place(&mut self) {
        let suggested = self
            .example_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.dialog = Some(Dialog::Path(Box::new(PathDraft::new(
            PathPurpose::Example,
            &suggested,
        ))));
    }

    /// The start screen's one click: the example in its default place.
    pub fn open_example(&mut self) {
        let result = self
            .example_path()
            .map_err(|e| e.to_string())
            .and_then(|path| self.open_example_at(&path));
        if let Err(e) = result {
            self.error = Some(e);
        }
    }

    /// Opens the example at `path`: imports the sample into a new database
    /// there and opens it. A file that holds it already is just opened,
    /// with the survey as it was left. Any other file (another database, a
    /// survey document, a file of another program) is refused untouched,
    /// as is a place in a folder that does not exist (but for the default
    /// place, whose folder is made).
    pub fn open_example_at(&mut self, path: &Path) -> Result<(), String> {
        let survey = crate::sample::survey()
            .map_err(|e| format!("Exemplet i programmet går inte att läsa: {e}"))?;
        let name = survey.frame.name.clone();
        let default = self.example_path().ok();
        if self.db_path() == Some(path) {
            let names = self.survey_names();
            if names.contains(&name) {
                self.switch_survey(&name);
                self.example_opened(path, &survey);
                return Ok(());
            }
            if !names.is_empty() {
                return Err(holds_others(path, &names));
            }
            // Our own lock on the file is let go, to write into it.
            self.close_database();
        } else {
            check_place(path, default.as_deref() == Some(path), &name)?;
        }
        import_if_missing(path, &survey).map_err(|e| e.to_string())?;
        self.settings.survey = Some(name);
        // The survey remembered for the file is the example's, so opening
        // the file opens it.
        self.open_database(path);
        self.example_opened(path, &survey);
        Ok(())
    }

    /// Shows the example just opened, and where it is.
    fn example_opened(&mut self, path: &Path, survey: &crate::model::Survey) {
        if self.db_path() == Some(path) && self.doc.is_some() {
            self.view = super::app::View::Form;
            self.info = Some(format!(
                "Exemplet ”{}” är öppet ({} enheter, {} målgrupper) i {}.",
                survey.frame.name,
                survey.units.len(),
                survey.group_count(),
                path.display()
            ));
        }
    }
}

/// Refused: a database of ours with other surveys and not the example.
fn holds_others(path: &Path, names: &[String]) -> String {
    format!(
        "{} innehåller redan andra kartläggningar ({}); exemplet läggs i en egen databas. Välj ett nytt filnamn.",
        path.display(),
        names.join(", ")
    )
}

/// Whether the example may go to `path`, looked at without writing: a new
/// file in a folder that exists (`make_folder`: made when missing), or a
/// database of ours that is empty or holds the example.
fn check_place(path: &Path, make_folder: bool, name: &str) -> Result<(), String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            if path.file_name().is_none() {
                return Err(format!("{shown}: skriv ett filnamn, t.ex. exempel.sqlite."));
            }
            match dir {
                Some(dir) if !make_folder && !dir.is_dir() => Err(format!(
                    "Mappen {} finns inte; välj en mapp som finns (eller skapa den först).",
                    dir.display()
                )),
                _ => Ok(()),
            }
        }
        Err(e) => Err(crate::Error::File {
            action: "läsa",
            path: path.to_owned(),
            source: e,
        }
        .to_string()),
        Ok(m) if m.is_dir() => Err(format!(
            "{shown} är en mapp; skriv ett filnamn i den, t.ex. {}.",
            path.join(crate::sample::DB_FILE_NAME).display()
        )),
        Ok(_) => {
            let is_document = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let store = Store::open(path, Access::ReadOnly).map_err(|e| {
                if is_document {
                    format!(
                        "{shown} är ett kartläggningsdokument, ingen databas; filen har inte ändrats. Välj ett nytt filnamn för exemplets databas (ett dokument läses in med Arkiv → Importera kartläggning)."
                    )
                } else {
                    format!("{e}. Exemplet skriver aldrig över en annan fil: välj ett nytt filnamn.")
                }
            })?;
            let names = store.surveys().map_err(|e| e.to_string())?;
            if names.is_empty() || names.iter().any(|n| n == name) {
                Ok(())
            } else {
                Err(holds_others(path, &names))
            }
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
