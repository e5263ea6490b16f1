//! `DPIA502` missing-audit-log: a function whose declared operations need s62 logging never reaches an `audit_log` function.

use dpia_annotations::Tag;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;
use crate::flow_util::list;

crate::declare_rule! {
    /// ## What it does
    /// Under `dpa2018-part3` with a `[logging]` table, reports a function whose `processing` tag (its own or its impl's) declares `operations` that include one listed in `[logging] operations` and that never reaches an `#[dpia::audit_log]` function, directly or through any depth of calls. Reported at the operations of the tag.
    ///
    /// ## Why it matters
    /// Part 3 requires logs of collection, alteration, consultation, disclosure, combination and erasure (s62). Find and Profile logs every access.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection", operations = ["consult"])]
    /// pub fn search(vrm: &str) -> Vec<AnprRead> { db.find(vrm) }
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection", operations = ["consult"])]
    /// pub fn search(user: &User, vrm: &str) -> Vec<AnprRead> { audit::record(user, "consult"); db.find(vrm) }
    /// ```
    ///
    /// ## How to fix
    /// Call the audit log function on the path of the operation.
    ///
    /// ## Precision
    /// Medium: it depends on call resolution. A call the analysis cannot resolve (a function pointer, a trait object with many implementations, a macro) hides an audit call and gives a false finding; a resolved call on a path that does not always run (behind an `if`) counts as logging.
    pub struct MissingAuditLog;
    code: "DPIA502",
    name: "missing-audit-log",
    summary: "a function whose declared operations need s62 logging never reaches an `audit_log` function",
    level: Deny,
    legal: "DPA 2018 s62",
    step: "Step 6: identify measures to reduce risk (logging)",
    precision: Medium,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    if cx.manifest.dpia.regime.value.as_str() != "dpa2018-part3" {
        return;
    }
    let Some(logging) = &cx.manifest.logging else {
        return;
    };
    let logged: Vec<_> = logging.operations.iter().map(|o| o.value).collect();
    let audit: Vec<_> = cx
        .model
        .items()
        .filter(|(_, it)| it.tag(dpia_annotations::TagKind::AuditLog).is_some())
        .map(|(id, _)| id)
        .collect();
    for f in &cx.flows.fns {
        let Some(tag) = cx.model.processing_tag(f.item) else {
            continue;
        };
        let Tag::Processing(p) = &tag.tag else {
            continue;
        };
        let ops: Vec<_> = p
            .operations
            .iter()
            .filter(|o| logged.contains(&o.value))
            .collect();
        if ops.is_empty() {
            continue;
        }
        let reached = cx.flows.reachable(f.item);
        if reached.iter().any(|c| audit.contains(c)) {
            continue;
        }
        let item = cx.model.item(f.item);
        let names = list(ops.iter().map(|o| o.value.as_str()));
        let span = Span {
            file: ops[0].span.file,
            start: ops[0].span.start,
            end: ops[ops.len() - 1].span.end,
        };
        let mut fd = finding(
            &META,
            span,
            "logged operations",
            format!(
                "`{}` performs {names} but never writes the audit log",
                item.name
            ),
        )
        .with_item(item.path.clone())
        .with_label(Label::new(
            item.name_span,
            "no call reaches an `#[dpia::audit_log]` function",
        ))
        .with_label(Label::new(
            Span::new(cx.manifest_file, logging.span.clone()),
            "operations that must be logged (s62)",
        ))
        .with_facts(Facts {
            purpose: Some(p.purpose.value.clone()),
            ..Facts::default()
        });
        fd = if audit.is_empty() {
            fd.with_help("write the s62 log: add a function tagged `#[dpia::audit_log]` that records who did what and when, and call it here")
        } else {
            let names: Vec<String> = audit
                .iter()
                .map(|a| format!("`{}`", cx.model.item(*a).name))
                .collect();
            fd.with_help(format!(
                "call the audit log ({}) on this path, with who, what and when",
                names.join(", ")
            ))
        };
        out.push(fd);
    }
}
