//! `DPIA103` untagged-processing: a function processes declared personal data and no purpose is in effect there.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports a function that reads declared personal data while no purpose is in effect: no `processing` tag on it or its impl, no manifest `modules` entry, and no tagged caller.
    ///
    /// ## Why it matters
    /// Every processing needs a purpose and a lawful basis. Code that handles personal data outside any declared purpose is processing the DPIA does not cover.
    ///
    /// ## Example
    /// ```dpia-fail
    /// pub fn export_all(reads: &[AnprRead]) { … } // no tag, no tagged caller
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn export_all(reads: &[AnprRead]) { … }
    /// ```
    ///
    /// ## How to fix
    /// Tag the function (or its impl) with the purpose it serves, or call it only from tagged code. `erases` and `audit_log` functions are never untagged processing.
    ///
    /// ## Precision
    /// Medium (planned): depends on call resolution.
    pub struct UntaggedProcessing;
    code: "DPIA103",
    name: "untagged-processing",
    summary: "a function processes declared personal data and no purpose is in effect there",
    level: Deny,
    legal: "DPA 2018 s35(2), s36(1); UK GDPR Art 5(1)(b), Art 6(1)",
    step: "Step 2: describe the processing (purposes)",
    precision: Medium,
    implemented: false,
    check: crate::declare::not_implemented,
}
