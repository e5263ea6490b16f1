//! `DPIA301` undeclared-recipient: declared personal data reaches a recipient, other than `log`, that its purpose does not list.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Follows declared personal data into sinks (storage, network, HTTP responses, files, exports, processes, `#[dpia::sink]` functions) and reports a recipient the purpose in effect does not list in `recipients`.
    ///
    /// ## Why it matters
    /// Disclosures are part of what the DPIA assessed. A new recipient is a new disclosure nobody assessed.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn share(leads: &[Lead]) { reqwest::blocking::Client::new().post(URL).json(leads).send(); }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn share(leads: &[Lead]) { export::to_local_police(leads) } // recipient listed
    /// ```
    ///
    /// ## How to fix
    /// List the recipient in the purpose's `recipients` (DPO), or stop the flow.
    ///
    /// ## Precision
    /// High (planned).
    pub struct UndeclaredRecipient;
    code: "DPIA301",
    name: "undeclared-recipient",
    summary: "declared personal data reaches a recipient, other than `log`, that its purpose does not list",
    level: Deny,
    legal: "DPA 2018 s36(1), s56; UK GDPR Art 5(1)(b), Art 13(1)(e), Art 30(1)(d)",
    step: "Step 2: describe the processing (who data is shared with)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
