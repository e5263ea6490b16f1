//! Rules of the `lifecycle` group.

pub mod missing_retention;
pub mod no_erasure_routine;
pub mod retention_exceeds_dpia;
