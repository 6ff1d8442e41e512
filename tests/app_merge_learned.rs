//! Arkiv → Slå samman med… of a file that changes no unit but knows more of
//! their past: the app writes it and says so, not "0 tillagda, 0
//! uppdaterade …"; the same file again is then "Inget nytt".

mod common;

use common::app::harness;
use common::{imported, run, sample};
use serde_json::{Value, json};

#[test]
fn the_app_says_what_a_merge_that_only_learns_revisions_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = imported(d, &sample());
    let doc = d.join("exporterad.json");
    let (code, err) = run(&db, &["export", "--out", doc.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let mut value: Value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    value["units"][0]["revisions"]
        .as_array_mut()
        .unwrap()
        .insert(0, json!("00000000000000000000000000000abc"));
    let other = d.join("annan.json");
    std::fs::write(&other, serde_json::to_vec(&value).unwrap()).unwrap();

    let mut h = harness(&db);
    h.run();
    h.state_mut().merge_from(&other);
    h.run();
    assert!(h.state().merge.is_none(), "no window: nothing to pick");
    let said = h.state().info.clone().unwrap_or_default();
    assert!(
        said.starts_with("Inga enheter ändrades av ")
            && said.ends_with("; 1 enhets historik (revisioner) lades till."),
        "{said}"
    );

    h.state_mut().merge_from(&other);
    h.run();
    let said = h.state().info.clone().unwrap_or_default();
    assert!(said.contains("Inget nytt"), "{said}");
}
