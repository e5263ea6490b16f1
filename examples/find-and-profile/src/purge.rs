//! All data is deleted every night.

use dpia::erases;

use crate::audit::{record_access, AccessEvent};
use crate::reads::Store;

/// Runs daily at 02:00: deletes every upload, and with them every read and every lead
/// derived from them. Returns how many reads were deleted.
#[erases(categories = ["anpr-read", "vrm", "location", "lead"], schedule = "daily at 02:00")]
pub fn nightly_purge(store: &mut Store) -> usize {
    let n = store.clear();
    // the erasure is logged (s62): the event and how many reads, never the data
    record_access(&AccessEvent::scheduled("nightly purge", "erase", n as u64));
    n
}
