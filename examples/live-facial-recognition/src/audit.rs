//! The DPA 2018 s62 log: who consulted or disclosed, when, at which deployment. It records
//! operations, never faces or templates.

use std::sync::Mutex;

use crate::Deployment;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub deployment: u32,
    pub operator: u32,
    pub operation: &'static str,
}

impl Event {
    pub fn new(d: &Deployment, operation: &'static str) -> Event {
        Event {
            deployment: d.id,
            operator: d.operator,
            operation,
        }
    }
}

static LOG: Mutex<Vec<Event>> = Mutex::new(Vec::new());

#[dpia::audit_log]
pub fn record(event: &Event) {
    if let Ok(mut log) = LOG.lock() {
        log.push(event.clone());
    }
}

/// The log so far (for the auditors).
pub fn entries() -> Vec<Event> {
    LOG.lock().map(|l| l.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faces::FaceTemplate;
    use crate::matching::check;
    use crate::watchlist::{Entry, Reason, Watchlist};

    #[test]
    fn a_match_alerts_and_every_consultation_is_logged() {
        let d = Deployment {
            id: 3,
            site: "Station forecourt".into(),
            operator: 41,
        };
        let sought = FaceTemplate {
            vector: vec![0.2, 0.4, 0.6, 0.8],
        };
        let list = Watchlist {
            entries: vec![Entry {
                subject_ref: "WM/2024/118".into(),
                reference: sought.clone(),
                reason: Reason::Wanted,
            }],
        };
        assert!(check(&d, &list, sought));
        assert!(!check(
            &d,
            &list,
            FaceTemplate {
                vector: vec![0.9, -0.1, 0.0, -0.4]
            }
        ));
        let ops: Vec<&str> = entries().iter().map(|e| e.operation).collect();
        assert_eq!(ops, ["consult", "disclose", "consult"]);
    }
}
