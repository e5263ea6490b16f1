//! `DPIA503` automated-decision-without-review: an `automated_decision` processing has no human review declared.

use dpia_annotations::Tag;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `processing` tag with `automated_decision = true` whose purpose has no `human-review` in `dpia.toml`.
    ///
    /// ## Why it matters
    /// A significant decision based solely on automated processing (no meaningful human involvement) needs safeguards: information, the chance to make representations, human intervention and a way to contest it (UK GDPR Art 22A–22D; DPA 2018 s50A–50D, which since 5 February 2026 replace Art 22 and s49–50). Meaningful involvement is a reviewer with the authority and competence to change the outcome, who weighs all the inputs before it takes effect, not a rubber stamp. An LFR alert must be reviewed by an officer before anyone acts.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "watchlist-matching", automated_decision = true)]
    /// # dpia.toml: no human-review for watchlist-matching
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// [purposes.watchlist-matching]
    /// human-review = "a trained officer reviews every alert before any engagement"
    /// ```
    ///
    /// ## How to fix
    /// Declare who reviews the decision before it takes effect, with the authority to change it (`human-review`), and make the code wait for that review; the controller assesses this (with the DPO's advice) and records it in `dpia.toml`.
    ///
    /// ## Precision
    /// Very high: it reads the tags and the manifest; whether the code really waits for the review is not checked.
    pub struct AutomatedDecisionWithoutReview;
    code: "DPIA503",
    summary: "an `automated_decision` processing has no human review declared",
    legal_uk_gdpr: "UK GDPR Art 22A–22D",
    legal_part3: "DPA 2018 s50A–50D",
    step: "Step 5: identify and assess risks (automated decision-making)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (item, tag) in cx.model.tags() {
        let Tag::Processing(p) = &tag.tag else {
            continue;
        };
        let Some(auto) = p.automated_decision.as_ref().filter(|a| a.value) else {
            continue;
        };
        // an undeclared purpose is DPIA101's finding
        let Some(purpose) = cx.manifest.purpose(&p.purpose.value) else {
            continue;
        };
        if purpose.human_review.is_some() {
            continue;
        }
        out.push(
            finding(
                &META,
                auto.span,
                "decided by the machine",
                format!("automated decision under purpose `{}` has no human review in the DPIA", p.purpose.value),
            )
            .with_label(Label::new(Span::new(cx.manifest_file, purpose.id.span.clone()), "no `human-review` here"))
            .with_item(item.path.clone())
            .with_help(format!(
                "the controller must assess this (with the DPO's advice) and record it in dpia.toml: `human-review = \"who reviews, with authority to change the outcome, before it takes effect\"` in `[purposes.{}]`; and make the code wait for that review",
                p.purpose.value
            ))
            .with_facts(Facts { purpose: Some(p.purpose.value.clone()), ..Facts::default() }),
        );
    }
}
