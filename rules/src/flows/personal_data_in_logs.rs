//! `DPIA302` personal-data-in-logs: declared personal data reaches a logging sink and its purpose does not list `log`.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports declared personal data passed to `println!`, `log`/`tracing` macros (including inline captures `{vrm}` and fields `vrm = %r.vrm`), `dbg!`, `panic!` or `#[tracing::instrument]` arguments, when the purpose does not list `log`.
    ///
    /// ## Why it matters
    /// Logs are copied, shipped and kept far longer than the data they mention. A number plate in the logs escapes the nightly purge.
    ///
    /// ## Example
    /// ```dpia-fail
    /// tracing::info!(vrm = %read.vrm, "matched");
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// tracing::info!(camera = read.camera_id, "matched");
    /// ```
    ///
    /// ## How to fix
    /// Log an identifier that is not personal, or wrap the value in a redaction type (`secrecy::SecretBox`, a hash).
    ///
    /// ## Precision
    /// High (planned).
    pub struct PersonalDataInLogs;
    code: "DPIA302",
    name: "personal-data-in-logs",
    summary: "declared personal data reaches a logging sink and its purpose does not list `log`",
    level: Deny,
    legal: "DPA 2018 s36, s39, s40; UK GDPR Art 5(1)(b), (e), (f), Art 32",
    step: "Step 6: identify measures to reduce risk (security, minimisation)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
