//! The watchlist of a deployment: reference templates of people sought, and why.

use dpia::{erases, personal_data};

use crate::faces::FaceTemplate;

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
    #[dpia(not_personal)]
    pub reason: Reason,
}

/// The deployment's watchlist.
#[derive(Debug, Default)]
pub struct Watchlist {
    pub entries: Vec<Entry>,
}

/// The watchlist is deleted when the deployment ends.
#[erases(categories = ["watchlist"], schedule = "at the end of each deployment")]
pub fn end_of_deployment(list: &mut Watchlist) -> usize {
    let n = list.entries.len();
    list.entries.clear();
    n
}
