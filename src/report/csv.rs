//! Tables as CSV (RFC 4180, UTF-8, comma-separated) for scripts.

use super::{Field, Table};

/// The table as CSV bytes.
pub fn table(table: &Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    w.write_record(&table.header).expect("write to memory");
    for row in &table.rows {
        w.write_record(row.iter().map(|f| match f {
            Field::Text(s) => s.clone(),
            Field::Number(n) => n.to_string(),
        }))
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}
