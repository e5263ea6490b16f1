//! `DPIA001` parse-error: a source file cannot be parsed.

use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports a Rust file that dpia-lint could not analyse: a syntax error, a file that is not UTF-8, nesting too deep to analyse safely, a `mod` declaration whose file is missing, a module that leads outside the linted directory, or a file that is not a regular file or is larger than 16 MiB (never read). The rest of the crate is still analysed.
    ///
    /// ## Why it matters
    /// Code that is not analysed is code whose processing nobody checked against the DPIA. A silent skip would let a file full of personal-data flows pass as compliant.
    ///
    /// ## Example
    /// ```dpia-fail
    /// // src/lib.rs
    /// mod reads;   // src/reads.rs has a syntax error
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// // src/lib.rs
    /// mod reads;   // src/reads.rs parses
    /// ```
    ///
    /// ## How to fix
    /// Fix the syntax error (run `cargo check`), re-encode the file as UTF-8, or add the missing module file. If the file is generated or vendored, move it out of the linted crate.
    ///
    /// ## Precision
    /// Very high: a reported file really was not analysed.
    pub struct ParseError;
    code: "DPIA001",
    summary: "a source file cannot be parsed",
    legal_uk_gdpr: "UK GDPR Art 30(1), 35(7)(a)",
    legal_part3: "DPA 2018 s61(2), s64(3)(a)",
    step: "Step 2: describe the processing (scope of the assessment)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for p in &cx.model.parse_problems {
        let file = &cx.db.get(p.file).rel_path;
        out.push(
            finding(&META, p.span, "not analysed", p.message.clone())
                .with_item(file.clone())
                .with_help("fix the file (`cargo check` shows the problem); the rest of the crate was analysed"),
        );
    }
}
