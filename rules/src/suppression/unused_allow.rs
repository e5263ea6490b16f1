//! `DPIA902` unused-allow: an `allow` or an unexpired waiver suppresses nothing.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports `allow` attributes and unexpired waivers that no finding matched.
    ///
    /// ## Why it matters
    /// Stale suppressions hide future findings and make the record of accepted risks wrong.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[dpia::allow(personal_data_in_logs, reason = "…")]
    /// pub fn no_logging_here() {}
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// pub fn no_logging_here() {}
    /// ```
    ///
    /// ## How to fix
    /// Remove the suppression.
    ///
    /// ## Precision
    /// High (planned).
    pub struct UnusedAllow;
    code: "DPIA902",
    name: "unused-allow",
    summary: "an `allow` or an unexpired waiver suppresses nothing",
    level: Warn,
    legal: "UK GDPR Art 5(2)",
    step: "Step 7: sign off and record outcomes",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
