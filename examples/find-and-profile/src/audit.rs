//! The DPA 2018 s62 log: who did what, when, to which upload. It records operations, not
//! the personal data itself.

use std::sync::Mutex;

use crate::Analyst;

/// One logged operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessEvent {
    pub analyst: u32,
    pub force: String,
    pub operation: &'static str,
    pub subject: u64,
}

impl AccessEvent {
    pub fn new(analyst: &Analyst, operation: &'static str, subject: u64) -> AccessEvent {
        AccessEvent {
            analyst: analyst.id,
            force: analyst.force.clone(),
            operation,
            subject,
        }
    }

    /// An operation of the system itself, such as the nightly purge (no analyst acts).
    pub fn scheduled(job: &str, operation: &'static str, subject: u64) -> AccessEvent {
        AccessEvent {
            analyst: 0,
            force: job.to_string(),
            operation,
            subject,
        }
    }
}

static LOG: Mutex<Vec<AccessEvent>> = Mutex::new(Vec::new());

/// Appends an event to the audit log.
#[dpia::audit_log]
pub fn record_access(event: &AccessEvent) {
    if let Ok(mut log) = LOG.lock() {
        log.push(event.clone());
    }
}

/// The log so far (for the auditors' export).
pub fn entries() -> Vec<AccessEvent> {
    LOG.lock().map(|l| l.clone()).unwrap_or_default()
}
