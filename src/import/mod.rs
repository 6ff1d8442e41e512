//! Reading files into the model: the survey document (and later forms).

pub mod json;
pub mod loc;
