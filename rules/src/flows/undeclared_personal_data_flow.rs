//! `DPIA303` undeclared-personal-data-flow: untagged data that looks personal reaches a sink.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports values that look like personal data by name and type (see DPIA201) but carry no tag, when they reach any sink.
    ///
    /// ## Why it matters
    /// Undeclared personal data leaving the system is the highest-risk kind of drift: nothing in the DPIA covers it.
    ///
    /// ## Example
    /// ```dpia-fail
    /// println!("new subscriber {email}");
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// println!("new subscriber {id}");
    /// ```
    ///
    /// ## How to fix
    /// Tag the data (`personal_data`) so its flows are checked against the DPIA, or stop the flow.
    ///
    /// ## Precision
    /// Medium (planned): inherits DPIA201's heuristics.
    pub struct UndeclaredPersonalDataFlow;
    code: "DPIA303",
    name: "undeclared-personal-data-flow",
    summary: "untagged data that looks personal reaches a sink",
    level: Warn,
    legal: "UK GDPR Art 5(1)(a), (f), Art 30; DPA 2018 s35, s40",
    step: "Step 2: describe the processing (nature: what data)",
    precision: Medium,
    implemented: false,
    check: crate::declare::not_implemented,
}
