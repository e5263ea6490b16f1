//! Alerts to the officers at the deployment. An alert is a possible match, not a decision:
//! the officer compares it with the person and decides (human review).

use dpia::{personal_data, sink};

/// A possible match.
#[personal_data(category = "watchlist", retention = "24h")]
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    #[dpia(not_personal)]
    pub deployment: u32,
    pub subject_ref: String,
    #[dpia(not_personal)]
    pub score: f32,
}

/// Sends an alert to the officers' handsets.
#[sink(recipient = "officers")]
pub fn notify_officers(alert: &Alert) {
    // the handset link; printing stands in for it in this example
    println!(
        "ALERT deployment {}: possible match {} ({:.2}): officer to review",
        alert.deployment, alert.subject_ref, alert.score
    );
}
