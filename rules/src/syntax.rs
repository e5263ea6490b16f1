//! Rules of the `syntax` group.

pub mod parse_error;
