//! `DPIA101` undeclared-purpose: a tag names a purpose missing from the manifest.

use dpia_annotations::Tag;
use dpia_lint_engine::Facts;
use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `processing` tag whose `purpose` is not a `[purposes.<id>]` of `dpia.toml`.
    ///
    /// ## Why it matters
    /// A purpose the DPIA does not declare was never assessed: no lawful basis, no necessity and proportionality test, no risk assessment. New purposes for data collected for another purpose are function creep (DPA 2018 s36, UK GDPR Art 5(1)(b)).
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "insurance-enquiries", basis = "part3.task")]
    /// pub fn match_insurance(reads: &[AnprRead]) { … }
    ///
    /// # dpia.toml declares only [purposes.county-lines-detection]
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection", basis = "part3.task")]
    /// pub fn find_convoys(reads: &[AnprRead]) -> Vec<Lead> { … }
    /// ```
    ///
    /// ## How to fix
    /// If the purpose is new, the controller must assess it (with the DPO's advice) and record it in `dpia.toml` as `[purposes.<id>]` (with its basis, categories and recipients). If it is a typo, use the declared id. If the processing should not happen, remove it.
    ///
    /// ## Precision
    /// Very high: a plain comparison of ids.
    pub struct UndeclaredPurpose;
    code: "DPIA101",
    summary: "a tag names a purpose missing from the manifest",
    legal_uk_gdpr: "UK GDPR Art 5(1)(b), 35(7)(a)",
    legal_part3: "DPA 2018 s36(1)(a), s64(3)(a)",
    step: "Step 2: describe the processing (purposes)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (item, tag) in cx.model.tags() {
        let Tag::Processing(p) = &tag.tag else {
            continue;
        };
        let id = &p.purpose.value;
        if cx.manifest.purpose(id).is_some() {
            continue;
        }
        let declared: Vec<&str> = cx
            .manifest
            .purposes
            .iter()
            .map(|p| p.id.value.as_str())
            .collect();
        let help = match dpia_annotations::suggest(id, declared.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "if this is a new purpose, the controller must assess it (with the DPO's advice) and record it in dpia.toml as `[purposes.{id}]`; otherwise tag a declared purpose"
            ),
        };
        let mut f = finding(
            &META,
            p.purpose.span,
            "not a purpose of the DPIA",
            format!("purpose `{id}` is not declared in the DPIA"),
        )
        .with_item(item.path.clone())
        .with_help(help)
        .with_facts(Facts {
            purpose: Some(id.clone()),
            ..Facts::default()
        });
        if !declared.is_empty() {
            f = f.with_note(format!(
                "the DPIA declares: {}",
                declared
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(f);
    }
}
