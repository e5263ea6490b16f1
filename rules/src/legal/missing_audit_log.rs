//! `DPIA502` missing-audit-log: a function that performs an s62 operation (declared or inferred) never reaches an `audit_log` function.

use dpia_annotations::{Operation, Tag, TagKind};
use dpia_lint_engine::flow::FnFlow;
use dpia_lint_engine::model::ItemId;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Under `dpa2018-part3` with a `[logging]` table, reports a function that performs an operation listed in `[logging] operations` and never reaches an `#[dpia::audit_log]` function, directly or through any depth of calls, nor is only ever called from functions that do.
    ///
    /// The operations are those its `processing` tag (its own or its impl's) declares in `operations`, and those the code shows (DPA 2018 s62(1): every function that processes Part 3 data in an automated system performs one):
    ///
    /// - *consultation*: it reads declared personal data (a parameter, a field, a value of a tagged type);
    /// - *collection*: it builds a value of a tagged type (a struct literal, a constructor);
    /// - *disclosure*: personal data reaches a sink (a built-in one, a `#[dpia::sink]` function);
    /// - *alteration*: a field of a value that carries personal data is written;
    /// - *combination*: personal data of two or more sources (parameters, reads) is joined into one value (a struct, `format!`);
    /// - *erasure*: it is an `#[dpia::erases]` function.
    ///
    /// A finding names each unlogged operation and whether it was declared or inferred, at the tag's `operations` or at the code that performs the first of them. An untagged helper is reported only when nothing calls it: otherwise its operations are its callers'. `#[dpia::audit_log]` and `#[dpia::sink]` functions (and what they call) are the log and a recipient's mechanics, not operations. Never reported under `uk-gdpr`: s62 is a Part 3 duty.
    ///
    /// ## Why it matters
    /// Part 3 requires logs of collection, alteration, consultation, disclosure (including transfers), combination and erasure in automated processing systems; consultation and disclosure logs record the date and time and, so far as possible, who acted and the recipients (s62(1)–(3)). A read of personal data is a consultation whether or not the tag says so: Find and Profile logs every access.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn search(db: &Db, vrm: &str) -> Vec<AnprRead> { db.find(vrm) }   // consults reads
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection", operations = ["consult"])]
    /// pub fn search(user: &User, db: &Db, vrm: &str) -> Vec<AnprRead> { audit::record(user, "consult"); db.find(vrm) }
    /// ```
    ///
    /// ## How to fix
    /// Call the audit log function on the path of the operation, with who acted, when, and for disclosures the recipient. An erasure log records the event, not the erased data.
    ///
    /// ## Precision
    /// Medium: it depends on call resolution. A call the analysis cannot resolve (a function pointer, a trait object with many implementations, a macro) hides an audit call and gives a false finding; a resolved call on a path that does not always run (behind an `if`) counts as logging. Alteration is inferred from a field assignment (`x.f = ..`), not from a method that mutates (`push`, `insert`): declare it in `operations` there. Combination is inferred where one struct literal or macro joins data of two sources.
    pub struct MissingAuditLog;
    code: "DPIA502",
    summary: "a function that performs an s62 operation (declared or inferred) never reaches an `audit_log` function",
    legal_uk_gdpr: "none: a DPA 2018 Part 3 duty, the rule never fires under UK GDPR",
    legal_part3: "DPA 2018 s62(1)–(3)",
    step: "Step 6: identify measures to reduce risk (logging)",
    precision: Medium,
    implemented: true,
    check: check,
}

/// An operation a function performs: declared in its tag, or inferred from the code.
struct Op {
    op: Operation,
    span: Span,
    /// `None` when declared; else what the code does, e.g. "reads `vrm`".
    inferred: Option<String>,
}

fn noun(op: Operation) -> &'static str {
    match op {
        Operation::Collect => "collection",
        Operation::Alter => "alteration",
        Operation::Consult => "consultation",
        Operation::Disclose => "disclosure",
        Operation::Combine => "combination",
        Operation::Erase => "erasure",
    }
}

/// The operations the code of `f` shows (the operations DPA 2018 s62(1) logs), first place of each: the engine's
/// inference, which the processing inventory shares.
fn inferred(cx: &RuleContext<'_>, f: &FnFlow) -> Vec<Op> {
    dpia_lint_engine::inventory::inferred_operations(cx.model, cx.manifest, f)
        .into_iter()
        .map(|o| Op {
            op: o.op,
            span: o.span,
            inferred: Some(o.why),
        })
        .collect()
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    if cx.manifest.dpia.regime.value.as_str() != "dpa2018-part3" {
        return;
    }
    let Some(logging) = &cx.manifest.logging else {
        return;
    };
    let logged: Vec<_> = logging.operations.iter().map(|o| o.value).collect();
    let audit: Vec<ItemId> = cx
        .model
        .items()
        .filter(|(_, it)| it.tag(TagKind::AuditLog).is_some())
        .map(|(id, _)| id)
        .collect();
    // covered: reaches the audit log, or every caller is covered (the log is on the path)
    let callers = dpia_lint_engine::inventory::callers(cx.flows);
    let covered = dpia_lint_engine::inventory::audit_covered(cx.model, cx.flows);
    for f in &cx.flows.fns {
        if covered.contains(&f.item) {
            continue;
        }
        let item = cx.model.item(f.item);
        let erases = item.tag(TagKind::Erases).is_some();
        // the log itself, a recipient's mechanics, and helpers of either are no operation
        if item.tag(TagKind::AuditLog).is_some()
            || item.tag(TagKind::Sink).is_some()
            || (f.serves_duty && !erases)
        {
            continue;
        }
        let tag = cx.model.processing_tag(f.item);
        let mut ops: Vec<Op> = Vec::new();
        let mut tag_ops = None;
        if let Some(Tag::Processing(p)) = tag.map(|t| &t.tag) {
            let declared: Vec<_> = p
                .operations
                .iter()
                .filter(|o| logged.contains(&o.value))
                .collect();
            if let (Some(a), Some(b)) = (declared.first(), declared.last()) {
                tag_ops = Some(Span {
                    file: a.span.file,
                    start: a.span.start,
                    end: b.span.end,
                });
            }
            ops.extend(declared.iter().map(|o| Op {
                op: o.value,
                span: o.span,
                inferred: None,
            }));
        }
        // an untagged helper that something calls: its operations are its callers'
        if tag.is_none() && !erases && callers.contains_key(&f.item) {
            continue;
        }
        for o in inferred(cx, f) {
            if logged.contains(&o.op) && !ops.iter().any(|d| d.op == o.op) {
                ops.push(o);
            }
        }
        if ops.is_empty() {
            continue;
        }
        let described: Vec<String> = ops
            .iter()
            .map(|o| match &o.inferred {
                None => format!("{} (`{}`, declared)", noun(o.op), o.op.as_str()),
                Some(why) => format!("{} (`{}`, inferred: {why})", noun(o.op), o.op.as_str()),
            })
            .collect();
        let (span, mut label) = match tag_ops {
            Some(s) => (s, "logged operations".to_string()),
            None => (ops[0].span, format!("{} here", noun(ops[0].op))),
        };
        let unlogged = "no call reaches an `#[dpia::audit_log]` function";
        if span == item.name_span {
            label = format!("{label}; {unlogged}");
        }
        let purpose =
            f.purposes
                .first()
                .map(|p| p.purpose.clone())
                .or_else(|| match tag.map(|t| &t.tag) {
                    Some(Tag::Processing(p)) => Some(p.purpose.value.clone()),
                    _ => None,
                });
        let mut fd = finding(
            &META,
            span,
            label,
            format!(
                "`{}` performs {} but never writes the audit log",
                item.name,
                described.join(", ")
            ),
        )
        .with_item(item.path.clone());
        if span != item.name_span {
            fd = fd.with_label(Label::new(item.name_span, unlogged));
        }
        fd = fd
            .with_label(Label::new(
                Span::new(cx.manifest_file, logging.span.clone()),
                "operations that must be logged (s62)",
            ))
            .with_facts(Facts {
                purpose,
                ..Facts::default()
            });
        for o in ops
            .iter()
            .filter(|o| o.inferred.is_some() && o.span != span && o.span != item.name_span)
        {
            fd = fd.with_label(Label::new(o.span, format!("{} here", noun(o.op))));
        }
        if ops.iter().any(|o| o.inferred.is_some()) {
            fd = fd.with_note("every function that processes Part 3 data in an automated system performs an s62 operation: a read is a consultation, whatever `operations` says");
        }
        fd = if audit.is_empty() {
            fd.with_help("write the s62 log: add a function tagged `#[dpia::audit_log]` that records who did what and when, and call it here")
        } else {
            let names: Vec<String> = audit
                .iter()
                .map(|a| format!("`{}`", cx.model.item(*a).name))
                .collect();
            fd.with_help(format!(
                "call the audit log ({}) on this path, with who acted, what and when (and the recipient of a disclosure)",
                names.join(", ")
            ))
        };
        out.push(fd);
    }
}
