//! Comparing each face in view with the watchlist.

use dpia::processing;

use crate::alerts::{notify_officers, Alert};
use crate::audit::{record, Event};
use crate::faces::{discard, FaceTemplate};
use crate::watchlist::Watchlist;
use crate::Deployment;

/// How close two templates must be to raise an alert.
pub const THRESHOLD: f32 = 0.92;

fn similarity(a: &FaceTemplate, b: &FaceTemplate) -> f32 {
    let dot: f32 = a.vector.iter().zip(&b.vector).map(|(x, y)| x * y).sum();
    let norm = |v: &[f32]| {
        v.iter()
            .map(|x| x * x)
            .sum::<f32>()
            .sqrt()
            .max(f32::EPSILON)
    };
    dot / (norm(&a.vector) * norm(&b.vector))
}

/// Compares a face with the watchlist: a possible match goes to the officers, who decide;
/// a non-match is discarded at once. Every consultation of the watchlist is logged.
#[processing(
    purpose = "watchlist-matching",
    basis = "part3.task",
    operations = ["consult", "disclose"],
    automated_decision = true
)]
pub fn check(deployment: &Deployment, list: &Watchlist, probe: FaceTemplate) -> bool {
    record(&Event::new(deployment, "consult"));
    let best = list
        .entries
        .iter()
        .map(|e| (similarity(&probe, &e.reference), e))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, entry)) if score >= THRESHOLD => {
            record(&Event::new(deployment, "disclose"));
            notify_officers(&Alert {
                deployment: deployment.id,
                subject_ref: entry.subject_ref.clone(),
                score,
            });
            true
        }
        _ => {
            // DELIBERATE FINDING (DPIA302 personal-data-in-logs): a debugging line left in
            // prints the template of a passer-by, biometric data of someone who is not
            // sought, into the van's logs, which outlive the one-second retention.
            eprintln!("no match, score below threshold for {:?}", probe);
            discard(probe);
            false
        }
    }
}
