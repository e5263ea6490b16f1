//! `DPIA401` retention-exceeds-dpia: a tag's retention is longer than the manifest allows.

use dpia_annotations::{FieldTag, Tag};
use dpia_lint_engine::{Facts, Label, Span};
use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Compares the `retention` of each `personal_data` tag with the manifest `retention` of every category the item holds: its own category and its fields' categories.
    ///
    /// ## Why it matters
    /// The DPIA sets how long data may be kept (storage limitation). Code that keeps it longer breaks that promise: Find and Profile deletes every read each night.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[personal_data(category = "anpr-read", retention = "7d")]   # dpia.toml: retention = "1d"
    /// pub struct AnprRead { … }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[personal_data(category = "anpr-read", retention = "24h")]
    /// pub struct AnprRead { … }
    /// ```
    ///
    /// ## How to fix
    /// Shorten the retention in the tag (and in the code that deletes the data), or the controller must assess a longer period (with the DPO's advice) and record it in `dpia.toml`.
    ///
    /// ## Precision
    /// Very high: durations compared in seconds (a month is 30 days, a year 365).
    pub struct RetentionExceedsDpia;
    code: "DPIA401",
    summary: "a tag's retention is longer than the manifest allows",
    legal_uk_gdpr: "UK GDPR Art 5(1)(e)",
    legal_part3: "DPA 2018 s39(1)",
    step: "Step 4: necessity and proportionality (retention)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for item in &cx.model.items {
        for tag in &item.tags {
            let Tag::PersonalData(p) = &tag.tag else {
                continue;
            };
            let Some(r) = &p.retention else { continue };
            let mut categories: Vec<&str> = p.category.iter().map(|c| c.value.as_str()).collect();
            for f in &item.fields {
                if let Some(Tag::Field(FieldTag::Category(c))) = f.tag.as_ref().map(|t| &t.tag) {
                    if !categories.contains(&c.value.as_str()) {
                        categories.push(&c.value);
                    }
                }
            }
            for c in categories {
                let Some(mc) = cx.manifest.category(c) else {
                    continue;
                };
                let Some(mr) = &mc.retention else { continue };
                if r.value.seconds <= mr.value.seconds {
                    continue;
                }
                out.push(
                    finding(
                        &META,
                        r.span,
                        format!("kept for {}", r.value.text),
                        format!("retention `{}` exceeds the DPIA's `{}` for category `{c}`", r.value.text, mr.value.text),
                    )
                    .with_label(Label::new(Span::new(cx.manifest_file, mr.span.clone()), format!("the DPIA allows {}", mr.value.text)))
                    .with_item(item.path.clone())
                    .with_help(format!("keep `{c}` at most {}: shorten the retention here and in the code that deletes it, or the controller must assess a longer period (with the DPO's advice) and record it in dpia.toml", mr.value.text))
                    .with_facts(Facts { category: Some(c.to_string()), ..Facts::default() }),
                );
            }
        }
    }
}
