//! The notes a report prints after each unit's table, as plain Swedish
//! sentences the 2005 authors would have written by hand: "Målgrupp 1:
//! åldersfördelningen har 2 personer fler än gruppens 48." Made here once,
//! for the HTML report, the Word document and anything else that prints
//! them.

use super::aggregate::Totals;
use super::check::{Finding, Kind, Subject};
use super::{Dimension, Place, Survey};

/// A number as Swedish text: groups of three digits split by a no-break
/// space from 10 000 up ("43 500"), as Swedish print does.
pub fn sv_number(n: u64) -> String {
    let digits = n.to_string();
    if n < 10_000 {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// People as a report prints them: "ca 350" when the sum includes
/// estimated counts, else "350".
pub fn people(count: u64, estimated: u64) -> String {
    if estimated > 0 {
        format!("ca {}", sv_number(count))
    } else {
        sv_number(count)
    }
}

/// The breakdown as the subject of a sentence: "könsfördelningen".
fn breakdown_noun(d: Dimension) -> &'static str {
    match d {
        Dimension::Sex => "könsfördelningen",
        Dimension::Age => "åldersfördelningen",
        Dimension::Duration => "fördelningen på tid som aktuell",
        Dimension::AlsoAt => "fördelningen på aktuell hos",
    }
}

/// "1 person" / "2 personer".
fn persons(n: u64) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{} personer", sv_number(n))
    }
}

/// "har 2 personer fler än gruppens 48" or "… färre …"; "är inte angiven".
fn against_count(kind: Kind, count: Option<u32>) -> String {
    let of = match count {
        Some(c) => format!("gruppens {}", sv_number(u64::from(c))),
        None => "gruppens antal".to_owned(),
    };
    match kind {
        Kind::Short(n) => format!("har {} färre än {of}", persons(n)),
        Kind::Over(n) => format!("har {} fler än {of}", persons(n)),
        Kind::NotGiven => "är inte angiven".to_owned(),
        other => other.to_string(),
    }
}

/// Upper-cases the first letter.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Finding {
    /// The finding as one plain Swedish sentence, ending with a full stop:
    /// "Målgrupp 1: åldersfördelningen har 2 personer fler än gruppens 48."
    pub fn sentence(&self, survey: &Survey) -> String {
        let Some(group) = self.target_group(survey) else {
            return self.unit_sentence(survey);
        };
        let count = group.row.count.get();
        let what = match (self.subject, self.kind) {
            (_, Kind::Duplicate(_)) => self.message(survey),
            (Subject::Count, Kind::MissingCount) => "antal saknas".to_owned(),
            (Subject::Count, Kind::Estimated) => match count {
                Some(c) => format!("antalet {} är uppskattat", sv_number(u64::from(c))),
                None => "antalet är uppskattat".to_owned(),
            },
            (Subject::Breakdown(d), kind) => {
                format!("{} {}", breakdown_noun(d), against_count(kind, count))
            }
            (Subject::Category(Dimension::AlsoAt, i), Kind::Over(n)) => {
                let authority = &survey.frame.authorities[usize::from(i)];
                format!(
                    "aktuella hos {authority} är {} fler än gruppens {}",
                    sv_number(n),
                    count.map_or_else(|| "antal".to_owned(), |c| sv_number(u64::from(c)))
                )
            }
            (Subject::Extra(_), kind) => {
                format!("{} {}", self.subject_sv(survey), against_count(kind, count))
            }
            _ => self.message(survey),
        };
        format!("Målgrupp {}: {what}.", group.rank)
    }

    /// A sentence about the unit itself or its printed total row.
    fn unit_sentence(&self, survey: &Survey) -> String {
        match (self.subject, self.kind) {
            (Subject::Unit, Kind::Duplicate(n)) => {
                let place = match self.unit(survey).place {
                    Place::Municipality(_) => "kommun",
                    Place::Area(_) => "område",
                };
                format!("Enheten finns {n} gånger med samma namn, {place} och myndighet.")
            }
            (subject, Kind::TotalsDiffer(d)) => {
                let what = match subject {
                    Subject::Count => "antal personer".to_owned(),
                    Subject::Category(dim, i) => format!(
                        "{} {}",
                        dim.name_sv(),
                        survey.frame.labels(dim)[usize::from(i)]
                    ),
                    _ => self.subject_sv(survey),
                };
                let (n, more) = (d.unsigned_abs(), if d > 0 { "fler" } else { "färre" });
                format!(
                    "Enhetens totalrad anger {} {more} för {what} än summan av målgrupperna.",
                    sv_number(n)
                )
            }
            _ => format!("{}.", capitalised(&self.message(survey))),
        }
    }
}

/// "1 individ" / "2 individer".
fn individuals(n: u64) -> String {
    if n == 1 {
        "1 individ".to_owned()
    } else {
        format!("{} individer", sv_number(n))
    }
}

/// The breakdowns with the same number, in order, each number once:
/// `[(70, "kön/ålder"), (2, "tid som aktuell")]`.
fn by_number(numbers: [u64; 3]) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    for (d, n) in Dimension::PARTS.into_iter().zip(numbers) {
        if n == 0 {
            continue;
        }
        match out.iter_mut().find(|(m, _)| *m == n) {
            Some((_, names)) => {
                names.push('/');
                names.push_str(d.name_sv());
            }
            None => out.push((n, d.name_sv().to_owned())),
        }
    }
    out
}

/// The notes on a set of groups' breakdowns, missing and over-reported
/// apart, breakdowns with the same number in one note as the 2005 report
/// wrote them: "Notering! Det saknas 51 individer i fördelningen på
/// kön/ålder." and "Notering! Fördelningen på ålder har 2 individer fler än
/// antalet."
pub fn breakdown_notes(totals: &Totals) -> Vec<String> {
    let mut out = Vec::new();
    for (n, what) in by_number(Dimension::PARTS.map(|d| totals.missing(d))) {
        out.push(format!(
            "Notering! Det saknas {} i fördelningen på {what}.",
            individuals(n)
        ));
    }
    for (n, what) in by_number(Dimension::PARTS.map(|d| totals.over(d))) {
        out.push(format!(
            "Notering! Fördelningen på {what} har {} fler än antalet.",
            individuals(n)
        ));
    }
    out
}

/// The sentences of a unit's findings, in order; a group whose breakdowns
/// are all not given gets one sentence for them ("Målgrupp 1:
/// fördelningarna på kön, ålder och tid som aktuell är inte angivna.").
pub fn finding_sentences(survey: &Survey, findings: &[Finding]) -> Vec<String> {
    let mut out = Vec::with_capacity(findings.len());
    let mut i = 0;
    while i < findings.len() {
        let f = &findings[i];
        let run = findings[i..]
            .iter()
            .take_while(|g| {
                g.group == f.group
                    && g.group.is_some()
                    && g.kind == Kind::NotGiven
                    && matches!(g.subject, Subject::Breakdown(_))
            })
            .count();
        if run >= 2 {
            let names: Vec<&str> = findings[i..i + run]
                .iter()
                .filter_map(|g| match g.subject {
                    Subject::Breakdown(d) => Some(d.name_sv()),
                    _ => None,
                })
                .collect();
            let (init, last) = names.split_at(names.len() - 1);
            let rank = f.target_group(survey).map_or(0, |g| g.rank);
            out.push(format!(
                "Målgrupp {rank}: fördelningarna på {} och {} är inte angivna.",
                init.join(", "),
                last[0]
            ));
            i += run;
        } else {
            out.push(f.sentence(survey));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_from_ten_thousand() {
        assert_eq!(sv_number(9999), "9999");
        assert_eq!(sv_number(43_500), "43\u{a0}500");
        assert_eq!(sv_number(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(people(350, 40), "ca 350");
        assert_eq!(people(350, 0), "350");
    }

    #[test]
    fn equal_numbers_share_one_note() {
        assert_eq!(
            by_number([70, 70, 2]),
            vec![
                (70, "kön/ålder".to_owned()),
                (2, "tid som aktuell".to_owned())
            ]
        );
        assert_eq!(individuals(1), "1 individ");
    }

    #[test]
    fn sentences_say_short_and_over_against_the_count() {
        assert_eq!(
            against_count(Kind::Over(2), Some(48)),
            "har 2 personer fler än gruppens 48"
        );
        assert_eq!(
            against_count(Kind::Short(1), Some(10)),
            "har 1 person färre än gruppens 10"
        );
    }
}
