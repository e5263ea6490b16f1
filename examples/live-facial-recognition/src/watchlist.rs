//! The watchlist of a deployment: reference templates of people sought, and why.

use dpia::{erases, personal_data};

use crate::audit::{record, Event};
use crate::faces::FaceTemplate;
use crate::Deployment;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Wanted,
    Missing,
}

/// One person sought.
#[personal_data(category = "watchlist", retention = "24h")]
#[derive(Clone, Debug)]
pub struct Entry {
    /// The reference in the force's systems, not a name.
    pub subject_ref: String,
    pub reference: FaceTemplate,
    /// Why the person is sought: personal data about them (the struct's category).
    pub reason: Reason,
}

/// The deployment's watchlist.
#[derive(Debug, Default)]
pub struct Watchlist {
    pub entries: Vec<Entry>,
}

/// The watchlist is deleted when the deployment ends; the erasure is logged (s62), not the
/// entries.
#[erases(categories = ["watchlist"], schedule = "at the end of each deployment")]
pub fn end_of_deployment(deployment: &Deployment, list: &mut Watchlist) -> usize {
    record(&Event::new(deployment, "erase"));
    let n = list.entries.len();
    list.entries.clear();
    n
}
