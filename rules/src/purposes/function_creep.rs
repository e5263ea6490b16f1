//! `DPIA102` function-creep: a category is processed under a purpose the manifest does not allow for it.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Follows personal data through the code (fields, calls, closures, summaries across functions) and reports a category processed under a purpose whose `categories` in `dpia.toml` do not include it, or passed to a function tagged with another purpose that is not `compatible-with` the first.
    ///
    /// ## Why it matters
    /// Data collected for one purpose may not be used for another that is incompatible with it (DPA 2018 s36(3)). ANPR reads collected to find county-lines vehicles must not end up in insurance enquiries.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn find_convoys(reads: &[AnprRead]) {
    ///     insurance::lookup(&reads[0].vrm); // tagged purpose = "insurance-enquiries"
    /// }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn find_convoys(reads: &[AnprRead]) -> Vec<Lead> { link_convoys(reads) }
    /// ```
    ///
    /// ## How to fix
    /// Stop the flow, or have the DPO assess the new use: add the category to the purpose, or declare the other purpose `compatible-with` this one with its justification.
    ///
    /// ## Precision
    /// High (planned): static flow analysis over-approximates through untyped calls and under-approximates through macros it does not understand.
    pub struct FunctionCreep;
    code: "DPIA102",
    name: "function-creep",
    summary: "a category is processed under a purpose the manifest does not allow for it",
    level: Deny,
    legal: "DPA 2018 s36(1), s36(3); UK GDPR Art 5(1)(b), Art 6(4)",
    step: "Step 4: necessity and proportionality (function creep)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
