//! Rules of the `legal` group.

pub mod automated_decision_without_review;
pub mod missing_audit_log;
pub mod sensitive_without_condition;
