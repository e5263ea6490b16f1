//! `DPIA901` allow-without-reason: an `allow` or waiver has no reason, or a waiver has expired.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports `#[dpia::allow(rule)]` without `reason`, a `[[waivers]]` entry without `reason`, and waivers past their `expires` date (which stop applying).
    ///
    /// ## Why it matters
    /// Accountability: every accepted deviation from the DPIA needs a recorded justification, and time-limited waivers must not outlive their approval.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[dpia::allow(function_creep)]
    /// pub fn one_off_export() { … }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[dpia::allow(function_creep, reason = "DPO approved 2024-01-10, ref DP-118")]
    /// pub fn one_off_export() { … }
    /// ```
    ///
    /// ## How to fix
    /// Add the reason (the DPO's approval reference), or renew or remove the expired waiver.
    ///
    /// ## Precision
    /// Very high (planned).
    pub struct AllowWithoutReason;
    code: "DPIA901",
    name: "allow-without-reason",
    summary: "an `allow` or waiver has no reason, or a waiver has expired",
    level: Warn,
    legal: "UK GDPR Art 5(2); DPA 2018 s34(3)",
    step: "Step 7: sign off and record outcomes",
    precision: VeryHigh,
    implemented: false,
    check: crate::declare::not_implemented,
}
