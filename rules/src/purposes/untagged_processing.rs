//! `DPIA103` untagged-processing: a function processes declared personal data and no purpose is in effect there.

use dpia_lint_engine::{Applicability, Facts, Finding, Label, RuleContext};

use crate::declare::finding;
use crate::flow_util::{list, with_flow};

crate::declare_rule! {
    /// ## What it does
    /// Reports a function that handles declared personal data (a typed parameter, a field read, a struct literal, a call returning it, or a flow into a sink) while no purpose is in effect: no `processing` tag on it or its impl, no manifest `modules` entry, and no tagged caller. One finding per function, at its name.
    ///
    /// `erases`, `audit_log` and `sink` functions serve the controller's duties or a recipient's mechanics and are never untagged processing, nor are the untagged helpers only they call. Trait implementations (`Display`, `From`, `Serialize`…) are called from code the analysis cannot always see; they are reported only when they send the data to a sink.
    ///
    /// ## Why it matters
    /// Every processing needs a purpose and a lawful basis (DPA 2018 s35(2), UK GDPR Art 6(1)). Code that handles personal data outside any declared purpose is processing the DPIA does not cover.
    ///
    /// ## Example
    /// ```dpia-fail
    /// pub fn export_all(reads: &[AnprRead]) { … } // no tag, no tagged caller
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn export_all(reads: &[AnprRead]) { … }
    /// ```
    ///
    /// ## How to fix
    /// Tag the function (or its impl) with the purpose it serves, list its module in the purpose's `modules`, or call it only from tagged code.
    ///
    /// ## Precision
    /// Medium: a caller the analysis cannot resolve (a function pointer, a trait object with many implementations, a call from a macro) does not pass its purpose on, so a helper only reached that way is reported.
    pub struct UntaggedProcessing;
    code: "DPIA103",
    summary: "a function processes declared personal data and no purpose is in effect there",
    legal_uk_gdpr: "UK GDPR Art 5(1)(a)–(b), 6(1)",
    legal_part3: "DPA 2018 s35(1)–(2), s36(1)(a)",
    step: "Step 2: describe the processing (purposes)",
    precision: Medium,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for f in &cx.flows.fns {
        if !f.purposes.is_empty() || f.serves_duty {
            continue;
        }
        let item = cx.model.item(f.item);
        if item.in_test || (f.trait_method && f.sinks.is_empty()) {
            continue;
        }
        // a malformed tag is DPIA002's; do not pile a missing purpose on top of it
        if cx
            .model
            .tag_problems
            .iter()
            .any(|p| p.item_path == item.path)
        {
            continue;
        }
        let declared = |c: &str| cx.manifest.category(c).is_some();
        let mut cats: Vec<&str> = f
            .uses
            .iter()
            .map(|u| u.category.as_str())
            .filter(|c| declared(c))
            .collect();
        for s in &f.sinks {
            for (c, _) in &s.categories {
                if declared(c) && !cats.contains(&c.as_str()) {
                    cats.push(c);
                }
            }
        }
        if cats.is_empty() {
            continue;
        }
        let purposes: Vec<&str> = cx
            .manifest
            .purposes
            .iter()
            .map(|p| p.id.value.as_str())
            .collect();
        let mut fd = finding(
            &META,
            item.name_span,
            "no purpose in effect here",
            format!(
                "`{}` processes {} data but no purpose is in effect",
                item.name,
                list(&cats)
            ),
        )
        .with_item(item.path.clone())
        .with_help(format!(
            "tag it with the purpose it serves, e.g. `#[dpia::processing(purpose = \"{}\")]` (the DPIA declares {}), or call it only from tagged code",
            purposes.first().copied().unwrap_or("..."),
            list(&purposes)
        ))
        .with_facts(Facts {
            category: cats.first().map(|c| c.to_string()),
            ..Facts::default()
        });
        // the developer picks the purpose: a placeholder, never applied by `--fix`
        fd = fd.with_suggestion(crate::fix_util::insert_attrs(
            cx.db,
            "tag it with the purpose it serves".into(),
            &[(
                item.span,
                format!(
                    "#[dpia::processing(purpose = \"{}\")]",
                    crate::fix_util::PURPOSE_PLACEHOLDER
                ),
            )],
            Applicability::HasPlaceholders,
        ));
        let first = f
            .uses
            .iter()
            .find(|u| declared(&u.category))
            .map(|u| (u.span, &u.category, &u.trace));
        if let Some((span, c, trace)) = first {
            fd = fd.with_label(Label::new(span, format!("`{c}` used here")));
            fd = with_flow(fd, trace);
        }
        out.push(fd);
    }
}
