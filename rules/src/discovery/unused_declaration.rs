//! `DPIA203` unused-declaration: the manifest declares a purpose, category or recipient no code uses.

use dpia_annotations::{FieldTag, Tag};
use dpia_lint_engine::flow::Recipient;
use dpia_lint_engine::manifest::RecipientKind;
use dpia_lint_engine::{Facts, Finding, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reports entries of `dpia.toml` that no code uses, at the entry: a purpose no `processing` tag names and whose `modules` match no function; a category no `personal_data` tag or field `#[dpia(category)]` names; a recipient no `#[dpia::sink]` names and, for recipients of a built-in kind (`storage`, `log`, `export`…) or of kind `audit`, that no flow reaches (no sink of that kind, no `#[dpia::audit_log]` function).
    ///
    /// ## Why it matters
    /// A DPIA that describes processing the code no longer does is stale: reviewers trust a document that no longer matches the system.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [recipients.regional-intel-unit]   # nothing sends data there any more
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// # the entry is removed, or the export to it is tagged
    /// ```
    ///
    /// ## How to fix
    /// Tag the code that uses it, or, if the processing has stopped, the controller updates the DPIA (with the DPO's advice) and removes the stale entry from `dpia.toml`.
    ///
    /// ## Precision
    /// High for purposes and categories (a comparison of ids with the tags). For recipients of a built-in kind it depends on the flow analysis: a sink it cannot see makes the recipient look unused.
    pub struct UnusedDeclaration;
    code: "DPIA203",
    summary: "the manifest declares a purpose, category or recipient no code uses",
    legal_uk_gdpr: "UK GDPR Art 5(2), 35(11)",
    legal_part3: "DPA 2018 s34(3), s56(3)",
    step: "Step 7: sign off and record outcomes (keep the DPIA under review)",
    precision: High,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let mut purposes = Vec::new();
    let mut categories = Vec::new();
    let mut sinks = Vec::new();
    let mut has_audit_fn = false;
    for (_, t) in cx.model.tags() {
        match &t.tag {
            Tag::Processing(p) => purposes.push(p.purpose.value.as_str()),
            Tag::PersonalData(p) => {
                categories.extend(p.category.as_ref().map(|c| c.value.as_str()))
            }
            Tag::Field(FieldTag::Category(c)) => categories.push(c.value.as_str()),
            Tag::Sink(s) => sinks.push(s.recipient.value.as_str()),
            Tag::AuditLog => has_audit_fn = true,
            _ => {}
        }
    }
    let reached: Vec<&Recipient> = cx
        .flows
        .fns
        .iter()
        .flat_map(|f| f.sinks.iter().map(|s| &s.recipient))
        .collect();
    let at = |span: &std::ops::Range<usize>| Span::new(cx.manifest_file, span.clone());
    for p in &cx.manifest.purposes {
        let id = p.id.value.as_str();
        let by_module = cx.model.items.iter().any(|it| {
            p.modules.iter().any(|m| {
                let m = m.value.trim_end_matches("::*");
                it.path.starts_with(&format!("{m}::"))
            })
        });
        if purposes.contains(&id) || by_module {
            continue;
        }
        out.push(
            finding(&META, at(&p.id.span), "no code serves this purpose", format!("purpose `{id}` is declared in the DPIA but no code serves it"))
                .with_help(format!("tag the code that serves it with `#[dpia::processing(purpose = \"{id}\")]`, or, if the processing has stopped, the controller updates the DPIA (with the DPO's advice) and removes `[purposes.{id}]` from dpia.toml"))
                .with_facts(Facts { purpose: Some(id.to_string()), ..Facts::default() }),
        );
    }
    for c in &cx.manifest.categories {
        let id = c.id.value.as_str();
        if categories.contains(&id) {
            continue;
        }
        out.push(
            finding(&META, at(&c.id.span), "no code holds this category", format!("category `{id}` is declared in the DPIA but no type or field is tagged with it"))
                .with_help(format!("tag the data with `#[dpia::personal_data(category = \"{id}\")]` (or a field with `#[dpia(category = \"{id}\")]`), or, if the data is no longer collected, the controller updates the DPIA (with the DPO's advice) and removes `[categories.{id}]`"))
                .with_facts(Facts { category: Some(id.to_string()), ..Facts::default() }),
        );
    }
    for r in &cx.manifest.recipients {
        let id = r.id.value.as_str();
        let kind = r.kind.value;
        let used = sinks.contains(&id)
            || (kind == RecipientKind::Audit && has_audit_fn)
            || reached.iter().any(|x| match x {
                Recipient::Builtin(k) => RecipientKind::parse(k) == Some(kind),
                Recipient::User(u) => u == id,
                Recipient::Audit => kind == RecipientKind::Audit,
            });
        if used {
            continue;
        }
        out.push(
            finding(&META, at(&r.id.span), "nothing is sent here", format!("recipient `{id}` is declared in the DPIA but no code sends data to it"))
                .with_help(format!("tag the function that discloses to it with `#[dpia::sink(recipient = \"{id}\")]`, or, if the disclosure has stopped, the controller updates the DPIA (with the DPO's advice) and removes `[recipients.{id}]`"))
                .with_facts(Facts { recipient: Some(id.to_string()), ..Facts::default() }),
        );
    }
}
