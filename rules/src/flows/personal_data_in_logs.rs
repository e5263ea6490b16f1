//! `DPIA302` personal-data-in-logs: declared personal data reaches a logging sink and its purpose does not list `log`.

crate::declare_rule! {
    /// ## What it does
    /// Reports declared personal data passed to `println!`, `eprintln!`, `dbg!`, `panic!`, the `log` and `tracing` macros (including inline captures `{vrm}`, `{:?}` of a whole record, and `tracing` fields `vrm = %r.vrm`, `?r`), `Span::record`, or the arguments of a `#[tracing::instrument]` function (unless `skip`ped) when the purpose in effect does not list `log` (or a declared recipient of kind `log`). Reported at the macro, or at the call that leads to it, with the path from the declaring tag.
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
    /// High. A value built with `format!` or `to_string` keeps the data of its parts; a hash or a redaction wrapper (`Secret<T>`) clears it. Macros other than the standard, `log` and `tracing` ones are not followed.
    pub struct PersonalDataInLogs;
    code: "DPIA302",
    name: "personal-data-in-logs",
    summary: "declared personal data reaches a logging sink and its purpose does not list `log`",
    level: Deny,
    legal: "DPA 2018 s36, s39, s40; UK GDPR Art 5(1)(b), (e), (f), Art 32",
    step: "Step 6: identify measures to reduce risk (security, minimisation)",
    precision: High,
    implemented: true,
    check: check,
}

use dpia_lint_engine::{Finding, RuleContext};

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    crate::flow_util::recipient_findings(cx, &META, true, out);
}
