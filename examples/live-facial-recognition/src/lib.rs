//! Live facial recognition (example for dpia-lint): frames from an overt camera van, faces
//! turned into templates, templates compared with a watchlist, possible matches sent to the
//! officers at the deployment, who decide (human review). Templates of non-matches are
//! discarded at once; the watchlist is deleted when the deployment ends; every consultation
//! of the watchlist is logged (DPA 2018 s62).
//!
//! `dpia.toml` beside this crate is its DPIA. `matching.rs` holds one deliberate finding.

pub mod alerts;
pub mod audit;
pub mod faces;
pub mod matching;
pub mod watchlist;

/// The deployment: where the van is, and who runs it.
#[derive(Clone, Debug)]
pub struct Deployment {
    pub id: u32,
    pub site: String,
    pub operator: u32,
}
