//! The real 2005 survey of Norra länsdelen (samples/), carried in the binary
//! so that a first start can show a real survey in one click.

use crate::model::Survey;

/// The survey document, byte for byte as in `samples/norra-lansdelen-2005.json`.
pub const JSON: &str = include_str!("../samples/norra-lansdelen-2005.json");

/// The file name the example database gets (beside the default database).
pub const DB_FILE_NAME: &str = "exempel-norra-lansdelen-2005.sqlite";

/// The sample, read and checked like any imported document.
pub fn survey() -> crate::Result<Survey> {
    crate::import::json::parse(JSON.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_sample_reads() {
        let survey = super::survey().unwrap();
        assert!(!survey.units.is_empty());
    }
}
