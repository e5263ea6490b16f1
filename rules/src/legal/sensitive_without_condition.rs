//! `DPIA501` sensitive-without-condition: sensitive data is processed under a purpose whose `conditions` lack the needed route or condition.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports processing of a sensitive category (explicit, or through its taxonomy kind: biometric, health, genetic, ethnicity, political opinion, religion, trade union, sex life) under a purpose whose `conditions` lack, under Part 3, `part3.strictly-necessary` with a `sch8.*` condition or `part3.sensitive-consent`, and under UK GDPR an `art9.*` condition.
    ///
    /// ## Why it matters
    /// Sensitive processing is lawful only with an extra condition. Live facial recognition processes biometric data: it needs s35(5) strict necessity and a Schedule 8 condition.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [purposes.watchlist-matching]
    /// basis = "part3.task"
    /// conditions = []
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// [purposes.watchlist-matching]
    /// basis = "part3.task"
    /// conditions = ["part3.strictly-necessary", "sch8.statutory"]
    /// ```
    ///
    /// ## How to fix
    /// The DPO records the route and condition in the purpose's `conditions`, with the appropriate policy document.
    ///
    /// ## Precision
    /// High (planned).
    pub struct SensitiveWithoutCondition;
    code: "DPIA501",
    name: "sensitive-without-condition",
    summary: "sensitive data is processed under a purpose whose `conditions` lack the needed route or condition",
    level: Deny,
    legal: "DPA 2018 s35(3)–(5), Sch 8; UK GDPR Art 9(1)–(2), Art 10",
    step: "Step 4: necessity and proportionality (lawful basis: special category conditions)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
