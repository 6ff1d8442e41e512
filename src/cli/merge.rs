//! `malgrupp merge`: another file's survey into this one.

use super::*;

/// Which side wins the conflicts of a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Prefer {
    /// Den här filen
    Mine,
    /// Den andra filen
    Theirs,
}

/// `malgrupp merge`: exit 1 with the conflicts listed and nothing changed
/// unless `--prefer` settles them; 0 when merged.
pub(super) fn merge(
    db: &Option<PathBuf>,
    name: Option<&str>,
    other: &std::path::Path,
    prefer: Option<Prefer>,
    user: Option<&str>,
) -> anyhow::Result<ExitCode> {
    use crate::model::merge::{Pick, check_and_align, plan};
    let path = db_path(db)?;
    let mut store = open_to_write(&path, Access::ReadWrite, user)?;
    let name = store.resolve_survey(name)?;
    let mine = store.load(&name)?;
    let other_file = store::Other::read(other, &name, &path)?;
    let mut theirs = other_file.survey;
    check_and_align(&mine.frame, &mut theirs, other)?;
    let mut plan = plan(&mine, &theirs);
    plan.keep_my_marks = other_file.is_document;
    if !plan.conflicts.is_empty() && prefer.is_none() {
        print(report::merge::conflicts(&mine, &theirs, &plan).as_bytes())?;
        eprintln!(
            "Inget är ändrat. Välj vem som vinner konflikterna med --prefer mine (den här filen) eller --prefer theirs ({}), eller slå samman i appen och välj enhet för enhet.",
            other.display()
        );
        return Ok(ExitCode::from(1));
    }
    let pick = match prefer {
        Some(Prefer::Theirs) => Pick::Theirs,
        _ => Pick::Mine,
    };
    let picks = vec![pick; plan.conflicts.len()];
    store.merge(&mine, &theirs, &plan, &picks)?;
    let (added, taken, deleted) = plan.counts();
    let learned = report::merge::learned(&plan);
    if plan.changes.is_empty() && plan.conflicts.is_empty() {
        match learned {
            None => eprintln!(
                "Inget nytt i {}: ”{}” har redan allt därifrån.",
                other.display(),
                visible(&name)
            ),
            Some(learned) => eprintln!(
                "Inga enheter i ”{}” ändrades av {}; {learned}.",
                visible(&name),
                other.display()
            ),
        }
    } else {
        eprintln!(
            "Slog samman {} med ”{}”: {added} tillagda, {taken} uppdaterade, {deleted} borttagna enheter, {} konflikter lösta till förmån för {}.{}",
            other.display(),
            visible(&name),
            plan.conflicts.len(),
            if pick == Pick::Theirs {
                "den andra filen"
            } else {
                "den här filen"
            },
            learned.map(|l| format!(" {l}.")).unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
