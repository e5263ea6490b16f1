//! `DPIA902` unused-allow: an `allow` or an unexpired waiver suppresses nothing.

crate::declare_rule! {
    /// ## What it does
    /// Reports `#[dpia::allow(rule, reason = ...)]` attributes and unexpired waivers that suppress no finding. An `allow` covers the item it is on and everything inside it (a module, an impl, a function); a waiver covers an item path (and everything under it) or a file path (or a directory). A rule turned off with `[lints]` or `-A` still counts as suppressed by its `allow`, so lowering a level never makes an `allow` look unused.
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
    /// High: exact for the rules that ran; an `allow` for a rule whose findings depend on code the analysis could not follow may look unused.
    pub struct UnusedAllow;
    code: "DPIA902",
    summary: "an `allow` or an unexpired waiver suppresses nothing",
    legal_uk_gdpr: "UK GDPR Art 5(2), 24(1)",
    legal_part3: "DPA 2018 s34(3), s56(1)",
    step: "Step 7: sign off and record outcomes",
    precision: High,
    implemented: true,
    check: crate::declare::applied_by_engine,
}
