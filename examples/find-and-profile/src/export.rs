//! Leads go to the local police force that asked for the analysis.

use dpia::sink;

use crate::analysis::Lead;
use crate::audit::{record_access, AccessEvent};
use crate::Analyst;

/// The CSV the local force imports: one lead a line.
#[sink(recipient = "local-police-export")]
pub fn export_csv(analyst: &Analyst, leads: &[Lead]) -> String {
    record_access(&AccessEvent::new(analyst, "disclose", leads.len() as u64));
    let mut csv = String::from("vrm,reason,score\n");
    for l in leads {
        let reason = match l.reason {
            crate::analysis::LeadReason::Convoy { with } => format!("convoy with {with}"),
            crate::analysis::LeadReason::Shuttle { trips } => format!("{trips} trips"),
        };
        csv.push_str(&format!("{},{reason},{}\n", l.vrm, l.score));
    }
    csv
}
