//! A place in a document (`units[2].groups[0].sex`), built as the reader
//! walks down and formatted only when something is wrong there.

use std::fmt;

use crate::error::Error;

/// A place in a document.
#[derive(Clone, Copy)]
pub struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    seg: Seg<'a>,
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Loc<'a> {
    /// The document as a whole.
    pub const ROOT: Loc<'static> = Loc {
        parent: None,
        seg: Seg::Root,
    };

    /// The field `key` below this place.
    pub fn key<'b>(&'b self, key: &'b str) -> Loc<'b> {
        Loc {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    /// Item `i` of the list at this place.
    pub fn index(&'a self, i: usize) -> Loc<'a> {
        Loc {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// An error at this place.
    pub fn err(&self, message: impl Into<String>) -> Error {
        Error::at(self.to_string(), message)
    }
}

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.parent, self.seg) {
            (None, _) => f.write_str("dokumentet"),
            (Some(p), Seg::Key(k)) if p.parent.is_none() => f.write_str(k),
            (Some(p), Seg::Key(k)) => write!(f, "{p}.{k}"),
            (Some(p), Seg::Index(i)) => write!(f, "{p}[{i}]"),
            (Some(p), Seg::Root) => p.fmt(f),
        }
    }
}

pub use crate::model::validate::shorten;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_path_into_the_document() {
        let root = Loc::ROOT;
        let units = root.key("units");
        let unit = units.index(2);
        let groups = unit.key("groups");
        let group = groups.index(0);
        assert_eq!(group.key("sex").to_string(), "units[2].groups[0].sex");
        assert_eq!(root.to_string(), "dokumentet");
        assert_eq!(root.index(1).to_string(), "dokumentet[1]");
    }
}
