//! `DPIA002` invalid-annotation: a tag is malformed.

use dpia_lint_engine::{Applicability, Edit, Finding, RuleContext, Suggestion};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reads every `#[dpia::…]` tag with the same grammar the macros use and reports the tags that do not fit it: unknown keys, wrong value types, bad durations, a missing required key, an unknown tag name such as `#[dpia::procesing]`.
    ///
    /// ## Why it matters
    /// The tags are the code's side of the DPIA. A malformed tag records nothing: the processing it should describe goes unchecked. The macros reject the same tags at compile time; the linter also sees code that is not compiled (other targets, cfg'd-out code).
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[personal_data(category = "anpr-read", retension = "1d")]
    /// pub struct AnprRead { /* … */ }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[personal_data(category = "anpr-read", retention = "1d")]
    /// pub struct AnprRead { /* … */ }
    /// ```
    ///
    /// ## How to fix
    /// Follow the help: it names the expected key or type. `docs/tags.md` lists every key. Durations are an integer and a unit (`s`, `min`, `h`, `d`, `w`, `y`) or ISO 8601 (`P1D`); `6m` is ambiguous.
    ///
    /// ## Precision
    /// Very high: the grammar is the macros' own.
    pub struct InvalidAnnotation;
    code: "DPIA002",
    summary: "a tag is malformed",
    legal_uk_gdpr: "UK GDPR Art 30(1), 35(7)(a)",
    legal_part3: "DPA 2018 s61(2), s64(3)(a)",
    step: "Step 2: describe the processing (records of processing)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for p in &cx.model.tag_problems {
        let mut f = finding(&META, p.span, "", p.message.clone()).with_item(p.item_path.clone());
        if let Some(help) = &p.help {
            f = f.with_help(help.clone());
        }
        if let Some(r) = &p.replacement {
            f = f.with_suggestion(Suggestion {
                message: format!("replace with `{r}`"),
                edits: vec![Edit {
                    span: p.span,
                    replacement: r.clone(),
                }],
                applicability: Applicability::MachineApplicable,
            });
        }
        out.push(f);
    }
}
