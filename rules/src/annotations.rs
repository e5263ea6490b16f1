//! Rules of the `annotations` group.

pub mod invalid_annotation;
