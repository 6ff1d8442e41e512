//! Reading files into the model: the survey document and filled-in response
//! forms.

pub mod form;
pub mod json;
pub mod loc;
pub mod workbook;
