//! `DPIA203` unused-declaration: the manifest declares a purpose, category or recipient no code uses.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports purposes, categories and recipients of `dpia.toml` that no tag and no flow uses, at their manifest entry.
    ///
    /// ## Why it matters
    /// A DPIA that describes processing the code no longer does is stale: reviewers trust a document that no longer matches the system.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [recipients.regional-intel-unit]   # nothing sends data there any more
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// # the entry is removed, or the export to it is tagged
    /// ```
    ///
    /// ## How to fix
    /// Remove the stale entry from `dpia.toml` (the DPO's call), or tag the code that uses it.
    ///
    /// ## Precision
    /// High (planned).
    pub struct UnusedDeclaration;
    code: "DPIA203",
    name: "unused-declaration",
    summary: "the manifest declares a purpose, category or recipient no code uses",
    level: Warn,
    legal: "UK GDPR Art 5(2), Art 35(11); DPA 2018 s64(4)",
    step: "Step 7: sign off and record outcomes (keep the DPIA under review)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
