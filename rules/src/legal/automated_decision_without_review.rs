//! `DPIA503` automated-decision-without-review: an `automated_decision` processing has no human review declared.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports a `processing` tag with `automated_decision = true` whose purpose has no `human-review` in `dpia.toml`.
    ///
    /// ## Why it matters
    /// Decisions based solely on automated processing that significantly affect a person need safeguards, including human intervention. An LFR alert must be reviewed by an officer before anyone acts.
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
    /// Declare who reviews the decision before it takes effect (`human-review`), and make the code wait for that review.
    ///
    /// ## Precision
    /// Very high (planned).
    pub struct AutomatedDecisionWithoutReview;
    code: "DPIA503",
    name: "automated-decision-without-review",
    summary: "an `automated_decision` processing has no human review declared",
    level: Deny,
    legal: "DPA 2018 s49, s50; UK GDPR Art 22",
    step: "Step 5: identify and assess risks (automated decision-making)",
    precision: VeryHigh,
    implemented: false,
    check: crate::declare::not_implemented,
}
