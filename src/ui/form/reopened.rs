//! A review mark belongs to a finding as it was when checked ("kort 15"):
//! when typing changes the finding ("kort 14") the mark no longer applies
//! and the finding is open again; typing the old value back restores it.
//! Both are said where the user is looking, each time.

use crate::model::Survey;
use crate::model::check::Finding;

/// The findings of unit `u` that carry a review mark.
pub fn reviewed(survey: &Survey, findings: &[Finding]) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.unit(survey).review_of(f).is_some())
        .copied()
        .collect()
}

/// Where in the unit a finding is, for the message.
fn place(survey: &Survey, f: &Finding) -> String {
    match f.target_group(survey) {
        Some(g) => format!("rang {}", g.rank),
        None => "totalraden".to_owned(),
    }
}

/// What to tell the user when the reviewed findings of a unit went from
/// `before` to `after` (`now` are all its findings after the edit); `None`
/// when nothing changed.
pub fn announcement(
    survey: &Survey,
    before: &[Finding],
    after: &[Finding],
    now: &[Finding],
) -> Option<String> {
    let mut said = Vec::new();
    for f in before.iter().filter(|f| !after.contains(f)) {
        let became = now
            .iter()
            .find(|n| n.group == f.group && n.subject == f.subject)
            .map_or("fyndet finns inte längre".to_owned(), |n| {
                format!("fyndet är nu ”{}”", n.message(survey))
            });
        said.push(format!(
            "Granskningen av ”{}” ({}) gäller inte längre: {became}; fyndet är öppet igen (värdet tillbaka ger granskningen tillbaka).",
            f.message(survey),
            place(survey, f)
        ));
    }
    for f in after.iter().filter(|f| !before.contains(f)) {
        said.push(format!(
            "Granskningen av ”{}” ({}) gäller igen.",
            f.message(survey),
            place(survey, f)
        ));
    }
    (!said.is_empty()).then(|| said.join(" "))
}
