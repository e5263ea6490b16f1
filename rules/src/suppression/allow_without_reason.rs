//! `DPIA901` allow-without-reason: an `allow` or waiver has no reason, or a waiver has expired.

crate::declare_rule! {
    /// ## What it does
    /// Reports `#[dpia::allow(rule)]` without `reason` (the macro rejects it at compile time; the linter reads code that was never compiled), a `[[waivers]]` entry without `reason`, and a waiver past its `expires` date, which stops applying: its findings come back, and this rule says why (DPIA901 alone, neither DPIA002 nor DPIA902). An `allow` without a reason still suppresses; the finding asks for the reason. Suppressions are applied by the engine after every other rule, so this rule sees all of them.
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
    /// Add the reason (the controller's decision and its reference), or renew or remove the expired waiver.
    ///
    /// ## Precision
    /// Very high: it reads the tags and the manifest; expiry is compared with today's date (UTC).
    pub struct AllowWithoutReason;
    code: "DPIA901",
    summary: "an `allow` or waiver has no reason, or a waiver has expired",
    legal_uk_gdpr: "UK GDPR Art 5(2), 24(1)",
    legal_part3: "DPA 2018 s34(3), s56(1)",
    step: "Step 7: sign off and record outcomes",
    precision: VeryHigh,
    implemented: true,
    check: crate::declare::after_suppressions_only,
    check_suppressions: check_suppressions,
}

use dpia_lint_engine::suppress::Suppressions;
use dpia_lint_engine::{Facts, Finding, RuleContext};

use crate::declare::finding;

fn check_suppressions(_: &RuleContext<'_>, s: &Suppressions, out: &mut Vec<Finding>) {
    for a in &s.allows {
        if a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            out.push(
                finding(&META, a.attr, "no reason given", format!("`allow({})` has no reason", a.rule))
                    .with_item(&a.item_path)
                    .with_help(format!(
                        "say why, for the DPO and the next reviewer: `#[dpia::allow({}, reason = \"DPO approved on ..., ref ...\")]`",
                        a.rule
                    )),
            );
        }
    }
    for w in &s.waivers {
        let rule = &w.rule;
        if w.expired {
            let (e, span) = match &w.expires {
                Some((e, span)) => (e.as_str(), *span),
                None => ("", w.span),
            };
            out.push(
                finding(
                    &META,
                    span,
                    format!("expired on {e}"),
                    format!("the waiver for `{rule}` expired on {e}; it no longer applies"),
                )
                .with_help("the controller reviews it (with the DPO's advice): renew `expires`, or remove the waiver and fix the findings")
                .with_facts(Facts::default()),
            );
        } else if w.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            out.push(
                finding(&META, w.span, "no reason given", format!("the waiver for `{rule}` has no reason"))
                    .with_help("add `reason = \"...\"` (the controller's decision and its reference)"),
            );
        }
    }
}
