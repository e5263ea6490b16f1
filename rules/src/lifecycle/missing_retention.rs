//! `DPIA402` missing-retention: a category has no retention anywhere.

use dpia_annotations::{FieldTag, Tag};
use dpia_lint_engine::{Facts, Span};
use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports a category of `dpia.toml` that has no `retention`, when no `personal_data` tag holding that category gives one either. Reported at the category's entry in the manifest.
    ///
    /// ## Why it matters
    /// Storage limitation needs a period: "as long as needed" is not one. Without it nothing can check that the data is deleted.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [categories.officer-note]
    /// description = "free text an analyst adds to a lead"
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// [categories.officer-note]
    /// description = "free text an analyst adds to a lead"
    /// retention = "1d"
    /// ```
    ///
    /// ## How to fix
    /// Add `retention = "…"` to the category in `dpia.toml` (the controller decides the maximum, with the DPO's advice), or a `retention` to the tag of the struct that holds it.
    ///
    /// ## Precision
    /// Very high.
    pub struct MissingRetention;
    code: "DPIA402",
    summary: "a category has no retention anywhere",
    legal_uk_gdpr: "UK GDPR Art 5(1)(e), 30(1)(f)",
    legal_part3: "DPA 2018 s39(2), s61(2)(j)",
    step: "Step 4: necessity and proportionality (retention)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for c in cx
        .manifest
        .categories
        .iter()
        .filter(|c| c.retention.is_none())
    {
        let id = c.id.value.as_str();
        let covered = cx.model.items.iter().any(|item| {
            item.tags.iter().any(|t| match &t.tag {
                Tag::PersonalData(p) if p.retention.is_some() => {
                    p.category.as_ref().is_some_and(|pc| pc.value == id)
                        || item.fields.iter().any(|f| {
                            matches!(f.tag.as_ref().map(|t| &t.tag), Some(Tag::Field(FieldTag::Category(fc))) if fc.value == id)
                        })
                }
                _ => false,
            })
        });
        if covered {
            continue;
        }
        out.push(
            finding(&META, Span::new(cx.manifest_file, c.id.span.clone()), "no retention", format!("category `{id}` has no retention period"))
                .with_help(format!("add `retention = \"…\"` to `[categories.{id}]` (the longest the DPIA allows), or a `retention` to the tag of the struct that holds it"))
                .with_facts(Facts { category: Some(id.to_string()), ..Facts::default() }),
        );
    }
}
