//! `DPIA502` missing-audit-log: a function whose declared operations need s62 logging never reaches an `audit_log` function.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Under `dpa2018-part3`, reports a function whose `operations` include one listed in `[logging] operations` and that does not call an `#[dpia::audit_log]` function, directly or through calls.
    ///
    /// ## Why it matters
    /// Part 3 requires logs of collection, alteration, consultation, disclosure, combination and erasure (s62). Find and Profile logs every access.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection", operations = ["consult"])]
    /// pub fn search(vrm: &str) -> Vec<AnprRead> { db.find(vrm) }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection", operations = ["consult"])]
    /// pub fn search(user: &User, vrm: &str) -> Vec<AnprRead> { audit::record(user, "consult"); db.find(vrm) }
    /// ```
    ///
    /// ## How to fix
    /// Call the audit log function on the path of the operation.
    ///
    /// ## Precision
    /// Medium (planned): depends on call resolution.
    pub struct MissingAuditLog;
    code: "DPIA502",
    name: "missing-audit-log",
    summary: "a function whose declared operations need s62 logging never reaches an `audit_log` function",
    level: Deny,
    legal: "DPA 2018 s62",
    step: "Step 6: identify measures to reduce risk (logging)",
    precision: Medium,
    implemented: false,
    check: crate::declare::not_implemented,
}
