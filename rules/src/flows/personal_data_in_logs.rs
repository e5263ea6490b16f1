//! `DPIA302` personal-data-in-logs: declared personal data reaches a logging sink and its purpose does not list `log`.

crate::declare_rule! {
    /// ## What it does
    /// Reports declared personal data passed to `println!`, `eprintln!`, `dbg!`, `panic!`, the `log` and `tracing` macros (including inline captures `{vrm}`, `{:?}` of a whole record, and `tracing` fields `vrm = %r.vrm`, `?r`), `Span::record`, or the arguments of a `#[tracing::instrument]` function (unless `skip`ped) when the purpose in effect does not list `log` (or a declared recipient of kind `log`). Reported at the macro, or at the call that leads to it, with the path from the declaring tag.
    ///
    /// ## Why it matters
    /// Logs are copied, shipped and kept far longer than the data they mention. A number plate in the logs escapes the nightly purge.
    ///
    /// A hash of the value is no fix: hashed data is pseudonymised, still personal data (UK GDPR Art 4(5), Recital 26; DPA 2018 s3(2)), and an unsalted hash of a number plate, phone number or email address is reversed by trying every value. A log of hashed data is reported at `warn` and says so; the value keeps its category for every other rule (purpose, recipient, retention, transfer, s62).
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
    /// Log an identifier that is not personal data (a record or camera id), or wrap the value in a redaction type (`secrecy::SecretBox`, `Secret<T>`, `veil`). If the log needs the data, the controller must assess this (with the DPO's advice) and record it in `dpia.toml`: list `log` in the purpose's `recipients`, with the log's retention.
    ///
    /// ## Precision
    /// High. A value built with `format!` or `to_string` keeps the data of its parts; a redaction wrapper (`Secret<T>`) or a `redact`/`mask` function clears it; a hash (`sha256`, `hmac`, `Hashed::new`, a `hash_*` function) keeps it, pseudonymised. Hashes are recognised by name: a hash the linter cannot see as one is treated as the data itself. Macros other than the standard, `log` and `tracing` ones are not followed.
    pub struct PersonalDataInLogs;
    code: "DPIA302",
    summary: "declared personal data reaches a logging sink and its purpose does not list `log`",
    legal_uk_gdpr: "UK GDPR Art 5(1)(c), (e), (f), 32",
    legal_part3: "DPA 2018 s37, s39(1), s40",
    step: "Step 6: identify measures to reduce risk (security, minimisation)",
    precision: High,
    implemented: true,
    check: check,
}

use dpia_lint_engine::{Finding, RuleContext};

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    crate::flow_util::recipient_findings(cx, &META, true, out);
}
