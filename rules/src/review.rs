//! Rules of the `review` group: the DPIA as a living document (DESIGN §10.8–10.9).

pub mod dpia_drift;
pub mod screening_mismatch;
