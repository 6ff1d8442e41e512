//! Målgruppskartläggning: target-group surveys for Swedish welfare
//! coordination (Finsam). The survey model, its checks and totals, the SQLite
//! file, the survey document, the reports, the command line and the app.

pub mod cli;
pub mod error;
pub mod export;
pub mod generate;
pub mod import;
pub mod model;
pub mod report;
pub mod sample;
pub mod store;
pub mod ui;

pub use error::{Error, Result};
