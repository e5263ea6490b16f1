//! `DPIA403` no-erasure-routine: a category has a retention but no `erases` function covers it.

use dpia_annotations::Tag;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports, at its manifest entry, every category with a retention that no `#[dpia::erases(categories = […])]` function covers.
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
    /// High: a category counts as covered when any `erases` function lists it; whether that function really runs on schedule is not checked.
    pub struct NoErasureRoutine;
    code: "DPIA403",
    summary: "a category has a retention but no `erases` function covers it",
    legal_uk_gdpr: "UK GDPR Art 5(1)(e), 17",
    legal_part3: "DPA 2018 s39, s47(1)",
    step: "Step 6: identify measures to reduce risk (deletion)",
    precision: High,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let erased: Vec<&str> = cx
        .model
        .tags()
        .filter_map(|(_, t)| match &t.tag {
            Tag::Erases(e) => Some(e.categories.iter().map(|c| c.value.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    for c in &cx.manifest.categories {
        let Some(retention) = &c.retention else {
            continue;
        };
        let id = c.id.value.as_str();
        if erased.contains(&id) {
            continue;
        }
        let mut f = finding(
            &META,
            Span::new(cx.manifest_file, c.id.span.clone()),
            format!("kept at most {}", retention.value.text),
            format!("category `{id}` has a retention of `{}` but no function erases it", retention.value.text),
        )
        .with_help(format!(
            "tag the routine that deletes it: `#[dpia::erases(categories = [\"{id}\"], schedule = \"...\")]`"
        ))
        .with_facts(Facts { category: Some(id.to_string()), ..Facts::default() });
        for (item, tag) in cx.model.tags() {
            if let Tag::PersonalData(p) = &tag.tag {
                if p.category.as_ref().is_some_and(|pc| pc.value == id) {
                    f = f.with_label(Label::new(
                        tag.span,
                        format!("`{}` holds `{id}`", item.name),
                    ));
                }
            }
        }
        out.push(f);
    }
}
