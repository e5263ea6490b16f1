//! Find and Profile: ANPR analytics for county lines (example for dpia-lint).
//!
//! Trained users upload ANPR camera reads; the tool finds vehicles that travel together or
//! shuttle between a source city and a market town (county-lines patterns); leads are
//! exported to the local police force; everything is deleted every night; every access is
//! written to the DPA 2018 s62 audit log.
//!
//! `dpia.toml` beside this crate is its DPIA. `insurance.rs` holds one deliberate finding.

pub mod analysis;
pub mod audit;
pub mod export;
pub mod insurance;
pub mod purge;
pub mod reads;

/// A point on the map, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// Seconds since the Unix epoch.
pub type Timestamp = u64;

/// An authenticated, trained user of the tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analyst {
    pub id: u32,
    pub force: String,
}
