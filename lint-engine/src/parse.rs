//! Parsing and the per-file model.
