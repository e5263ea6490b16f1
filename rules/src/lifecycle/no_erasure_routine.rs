//! `DPIA403` no-erasure-routine: a category has a retention but no `erases` function covers it.

crate::declare_rule! {
    /// ## What it does
    /// **Not implemented yet**: this rule is declared in the catalogue and never fires in this version. Reports, at its manifest entry, every category with a retention that no `#[dpia::erases(categories = […])]` function covers.
    ///
    /// ## Why it matters
    /// A retention period without a deletion routine is a promise nobody keeps. Find and Profile deletes all data every night: the code must have the job that does it.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [categories.anpr-read] retention = "1d"   # and no erases function lists it
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[dpia::erases(categories = ["anpr-read"], schedule = "daily at 02:00")]
    /// pub fn nightly_purge(db: &Db) { … }
    /// ```
    ///
    /// ## How to fix
    /// Write (or tag) the function that deletes the category on schedule.
    ///
    /// ## Precision
    /// High (planned).
    pub struct NoErasureRoutine;
    code: "DPIA403",
    name: "no-erasure-routine",
    summary: "a category has a retention but no `erases` function covers it",
    level: Deny,
    legal: "DPA 2018 s39; UK GDPR Art 5(1)(e), Art 17",
    step: "Step 6: identify measures to reduce risk (deletion)",
    precision: High,
    implemented: false,
    check: crate::declare::not_implemented,
}
