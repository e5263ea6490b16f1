//! Tag Rust code that handles personal data, so that `cargo dpia-lint` can check it against
//! the Data Protection Impact Assessment kept in `dpia.toml`.
//!
//! The tags validate their arguments at compile time and emit the item unchanged: they
//! cost nothing at run time. See `docs/tags.md` for every key.
//!
//! ```
//! use dpia::{personal_data, processing};
//!
//! #[personal_data(category = "anpr-read", retention = "1d")]
//! pub struct AnprRead {
//!     #[dpia(category = "vrm")]
//!     pub vrm: String,
//!     pub seen_at: u64,
//!     #[dpia(not_personal)]
//!     pub camera_id: u32,
//! }
//!
//! #[processing(purpose = "county-lines-detection", basis = "part3.task", operations = ["consult", "combine"])]
//! pub fn find_convoys(reads: &[AnprRead]) -> usize {
//!     reads.len()
//! }
//!
//! #[dpia::sink(recipient = "local-police-export")]
//! pub fn export_csv(reads: &[AnprRead]) -> String {
//!     reads.iter().map(|r| r.vrm.as_str()).collect::<Vec<_>>().join("\n")
//! }
//!
//! #[dpia::erases(categories = ["anpr-read", "vrm"], schedule = "daily at 02:00")]
//! pub fn nightly_purge(reads: &mut Vec<AnprRead>) {
//!     reads.clear();
//! }
//!
//! #[dpia::audit_log]
//! pub fn record_access(user: &str, operation: &str) -> String {
//!     format!("{user} {operation}")
//! }
//!
//! #[dpia::allow(function_creep, reason = "DPO approved 2024-01-10, ref DP-118")]
//! pub fn one_off_export() {}
//! ```

pub use dpia_macros::{allow, audit_log, erases, personal_data, processing, sink};
