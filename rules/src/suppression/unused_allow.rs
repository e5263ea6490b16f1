//! `DPIA902` unused-allow: an `allow` or an unexpired waiver suppresses nothing.

crate::declare_rule! {
    /// ## What it does
    /// Reports `#[dpia::allow(rule, reason = ...)]` attributes and unexpired waivers that suppress no finding. An `allow` covers the item it is on and everything inside it (a module, an impl, a function); a waiver covers an item path (and everything under it) or a file path (or a directory). A rule turned off with `[lints]` or `-A` still counts as suppressed by its `allow`, so lowering a level never makes an `allow` look unused.
    ///
    /// ## Why it matters
    /// Stale suppressions hide future findings and make the record of accepted risks wrong.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[dpia::allow(personal_data_in_logs, reason = "…")]
    /// pub fn no_logging_here() {}
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// pub fn no_logging_here() {}
    /// ```
    ///
    /// ## How to fix
    /// Remove the suppression.
    ///
    /// ## Precision
    /// High: exact for the rules that ran; an `allow` for a rule whose findings depend on code the analysis could not follow may look unused.
    pub struct UnusedAllow;
    code: "DPIA902",
    summary: "an `allow` or an unexpired waiver suppresses nothing",
    legal_uk_gdpr: "UK GDPR Art 5(2), 24(1)",
    legal_part3: "DPA 2018 s34(3), s56(1)",
    step: "Step 7: sign off and record outcomes",
    precision: High,
    implemented: true,
    check: crate::declare::after_suppressions_only,
    check_suppressions: check_suppressions,
}

use dpia_lint_engine::suppress::{removal, Suppressions};
use dpia_lint_engine::{Applicability, Edit, Finding, RuleContext, Suggestion};

use crate::declare::finding;

/// A suppression without a reason is DPIA901's, and an expired waiver suppresses nothing
/// by design: neither is reported here.
fn check_suppressions(cx: &RuleContext<'_>, s: &Suppressions, out: &mut Vec<Finding>) {
    let has_reason = |r: &Option<String>| r.as_deref().is_some_and(|r| !r.trim().is_empty());
    for a in s.allows.iter().filter(|a| has_reason(&a.reason) && !a.used) {
        out.push(
            finding(&META, a.attr, "suppresses nothing", format!("`allow({})` suppresses nothing", a.rule))
                .with_item(&a.item_path)
                .with_help("remove it: the finding it was for is gone, and a stale allow would hide a new one")
                .with_suggestion(Suggestion {
                    message: "remove the `allow`".into(),
                    edits: vec![Edit {
                        span: removal(cx.db, a.attr),
                        replacement: String::new(),
                    }],
                    applicability: Applicability::MachineApplicable,
                }),
        );
    }
    for w in s.waivers.iter().filter(|w| !w.expired && has_reason(&w.reason) && !w.used) {
        out.push(
            finding(
                &META,
                w.span,
                "suppresses nothing",
                format!("the waiver for `{}` suppresses nothing", w.rule),
            )
            .with_help("remove it from dpia.toml: what it waived is gone"),
        );
    }
}
