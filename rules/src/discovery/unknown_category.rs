//! `DPIA202` unknown-category: a tag names a category missing from the manifest.

use dpia_annotations::{FieldTag, Spanned, Tag};
use dpia_lint_engine::{Facts, Span};
use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports every category named by a tag — `personal_data(category)`, a field's `#[dpia(category)]`, `erases(categories)` — that is not a `[categories.<id>]` of `dpia.toml`.
    ///
    /// ## Why it matters
    /// A category the DPIA does not declare has no assessed retention, purposes or recipients: nothing can be checked for it.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[personal_data(category = "anpr-reads")]   # dpia.toml declares [categories.anpr-read]
    /// pub struct AnprRead { … }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[personal_data(category = "anpr-read")]
    /// pub struct AnprRead { … }
    /// ```
    ///
    /// ## How to fix
    /// Use a declared id (the help suggests the closest), or, for new data, the controller must assess it (with the DPO's advice) and record the category in `dpia.toml`.
    ///
    /// ## Precision
    /// Very high: a plain comparison of ids.
    pub struct UnknownCategory;
    code: "DPIA202",
    summary: "a tag names a category missing from the manifest",
    legal_uk_gdpr: "UK GDPR Art 4(1), 30(1)(c), 35(7)(a)",
    legal_part3: "DPA 2018 s3(2), s61(2)(f), s64(3)(a)",
    step: "Step 2: describe the processing (nature: what data)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for (item, tag) in cx.model.tags() {
        let named: Vec<&Spanned<String, Span>> = match &tag.tag {
            Tag::PersonalData(p) => p.category.iter().collect(),
            Tag::Field(FieldTag::Category(c)) => vec![c],
            Tag::Erases(e) => e.categories.iter().collect(),
            _ => continue,
        };
        for c in named {
            if cx.manifest.category(&c.value).is_some() {
                continue;
            }
            let declared = cx.manifest.categories.iter().map(|c| c.id.value.as_str());
            let help = match dpia_annotations::suggest(&c.value, declared) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "if this is new data, the controller must assess it (with the DPO's advice) and record it in dpia.toml: `[categories.{}]`, with its retention",
                    c.value
                ),
            };
            out.push(
                finding(
                    &META,
                    c.span,
                    "not a category of the DPIA",
                    format!("category `{}` is not declared in the DPIA", c.value),
                )
                .with_item(item.path.clone())
                .with_help(help)
                .with_facts(Facts {
                    category: Some(c.value.clone()),
                    ..Facts::default()
                }),
            );
        }
    }
}
