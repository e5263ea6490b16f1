//! `DPIA301` undeclared-recipient: declared personal data reaches a recipient, other than `log`, that its purpose does not list.

crate::declare_rule! {
    /// ## What it does
    /// Follows declared personal data into sinks and reports a recipient the purpose in effect does not list in `recipients`: the built-in sinks `storage` (sqlx `bind`/`query!`, diesel `values`/`set`, rusqlite params, redis, mongodb), `network` (reqwest/ureq `json`, `form`, `query`, `body`), `http-response` (axum `Json(..)`, actix `HttpResponse::..json`, the return value of a `#[get]`/`#[post]`… handler or of one a router registers: axum `get(h)`, actix `web::get().to(h)`), `file` (`fs::write`, `write_all`), `export` (`csv::Writer`, `serde_json::to_writer`/`to_string`), `process` (`Command::arg(s)`/`env`, `env::set_var`), `email` (mail handed to an SMTP client or a mail API); `#[dpia::sink(recipient = ...)]` functions; and `#[dpia::audit_log]` functions, which need a recipient of kind `audit`. A built-in sink is covered when the purpose lists its id or a declared recipient of that kind. Reported at the sink, or at the call that leads to it, with the path from the declaring tag (SARIF `codeFlows`).
    ///
    /// ## Why it matters
    /// Disclosures are part of what the DPIA assessed. A new recipient is a new disclosure nobody assessed. A recipient of `kind = "internal"` (the controller's own staff, such as officers of the same force) is a recipient but not a third party (UK GDPR Art 4(9)–(10)): the purpose must still list it, and under Part 3 their access is still logged (s62), but it is never a transfer (DPIA304).
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
    /// Stop the flow, or the controller must assess the disclosure (with the DPO's advice) and record it in dpia.toml: list the recipient in the purpose's `recipients`.
    ///
    /// ## Precision
    /// High. The sinks are recognised by name, so a method called `json`, `bind` or `execute` on an unrelated type counts as a sink (over-approximation); sinks reached through macros the analysis does not understand or through trait objects with many implementations are missed. Inside `#[dpia::sink]` and `#[dpia::audit_log]` functions the writes to built-in sinks are the recipient's mechanics and are not reported again.
    pub struct UndeclaredRecipient;
    code: "DPIA301",
    summary: "declared personal data reaches a recipient, other than `log`, that its purpose does not list",
    legal_uk_gdpr: "UK GDPR Art 5(1)(b), 13(1)(e), 30(1)(d)",
    legal_part3: "DPA 2018 s36(1), s61(2)(e), s62(3)",
    step: "Step 2: describe the processing (who data is shared with)",
    precision: High,
    implemented: true,
    check: check,
}

use dpia_lint_engine::{Finding, RuleContext};

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    crate::flow_util::recipient_findings(cx, &META, false, out);
}
