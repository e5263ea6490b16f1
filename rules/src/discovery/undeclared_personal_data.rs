//! `DPIA201` undeclared-personal-data: a field looks like personal data but carries no tag.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Finds struct fields (and tuple newtypes like `Email(String)`) whose names and types look like personal data (email, phone, names on person-like structs, VRMs, postcodes, NI and NHS numbers, IP addresses, biometrics…) on items with no `personal_data` tag.
    ///
    /// ## Why it matters
    /// Personal data the DPIA does not know about is processed without assessment: no purpose, no retention, no checks on where it goes.
    ///
    /// ## Example
    /// ```dpia-fail
    /// pub struct Subscriber { pub email: String }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[personal_data(category = "contact")]
    /// pub struct Subscriber { pub email: String }
    /// ```
    ///
    /// ## How to fix
    /// Tag the struct with `#[dpia::personal_data(category = …)]` and declare the category in `dpia.toml`, or mark the field `#[dpia(not_personal)]` if it is not about a person.
    ///
    /// ## Precision
    /// Medium (planned): name and type heuristics; measured by `cargo xtask eval-discovery`.
    pub struct UndeclaredPersonalData;
    code: "DPIA201",
    name: "undeclared-personal-data",
    summary: "a field looks like personal data but carries no tag",
    level: Warn,
    legal: "UK GDPR Art 30(1)(c), Art 35(7)(a); DPA 2018 s61(2)(c)",
    step: "Step 2: describe the processing (nature: what data)",
    precision: Medium,
    implemented: false,
    check: crate::declare::not_implemented,
}
