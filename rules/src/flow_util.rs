//! What the flow rules share: which categories and recipients a purpose allows, and the
//! labels that say where a purpose comes from.

use dpia_lint_engine::flow::{FnFlow, Origin, PurposeInEffect, Recipient};
use dpia_lint_engine::manifest::{Purpose, RecipientKind};
use dpia_lint_engine::{Finding, Label, RuleContext, Span};

/// May `purpose` process `category`? Yes when it lists the category, or when a purpose that
/// lists it declares `purpose` in its `compatible-with` (DPA 2018 s36(3)).
pub fn allows_category(cx: &RuleContext<'_>, purpose: &Purpose, category: &str) -> bool {
    purpose.categories.iter().any(|c| c.value == category)
        || cx.manifest.purposes.iter().any(|q| {
            q.categories.iter().any(|c| c.value == category)
                && q.compatible_with
                    .iter()
                    .any(|p| p.value == purpose.id.value)
        })
}

/// Does `purpose` list a recipient that covers `r`: the same id, or a declared recipient of
/// the built-in sink's kind (of kind `audit` for audit-log functions)?
pub fn lists_recipient(cx: &RuleContext<'_>, purpose: &Purpose, r: &Recipient) -> bool {
    let kind = match r {
        Recipient::Builtin(k) => RecipientKind::parse(k),
        Recipient::Audit => Some(RecipientKind::Audit),
        Recipient::User(_) => None,
    };
    purpose.recipients.iter().any(|listed| {
        listed.value == r.id()
            || kind.is_some_and(|k| {
                cx.manifest
                    .recipient(&listed.value)
                    .is_some_and(|d| d.kind.value == k)
            })
    })
}

/// The declared purposes in effect in a function (undeclared ones are DPIA101's).
pub fn declared_purposes<'a>(
    cx: &'a RuleContext<'_>,
    f: &'a FnFlow,
) -> impl Iterator<Item = (&'a PurposeInEffect, &'a Purpose)> + 'a {
    f.purposes
        .iter()
        .filter_map(|p| cx.manifest.purpose(&p.purpose).map(|m| (p, m)))
}

/// A label that says why the purpose is in effect here.
pub fn origin_label(cx: &RuleContext<'_>, p: &PurposeInEffect) -> Option<Label> {
    match &p.origin {
        Origin::Tag(span) => Some(Label::new(
            *span,
            format!("purpose `{}` in effect", p.purpose),
        )),
        Origin::Caller { root, call } => Some(Label::new(
            *call,
            format!(
                "purpose `{}` inherited from `{}` through this call",
                p.purpose,
                cx.model.item(*root).name
            ),
        )),
        Origin::Module => None,
    }
}

/// A note for purposes that come from the manifest's `modules` or from a caller.
pub fn origin_note(cx: &RuleContext<'_>, p: &PurposeInEffect) -> Option<String> {
    match &p.origin {
        Origin::Module => Some(format!(
            "purpose `{}` is in effect through its `modules` in dpia.toml",
            p.purpose
        )),
        Origin::Caller { root, .. } => Some(format!(
            "this function has no purpose of its own; it serves `{}` of its caller `{}`",
            p.purpose,
            cx.model.item(*root).path
        )),
        Origin::Tag(_) => None,
    }
}

/// The manifest entry of a purpose, as a label.
pub fn manifest_purpose_label(cx: &RuleContext<'_>, p: &Purpose, msg: impl Into<String>) -> Label {
    Label::new(Span::new(cx.manifest_file, p.id.span.clone()), msg)
}

/// `` `a`, `b` `` or "none".
pub fn list(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = items
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

/// Attaches a flow path: the steps as SARIF `codeFlows` and as secondary labels (except
/// the step at the primary span).
pub fn with_flow(mut f: Finding, steps: &[Label]) -> Finding {
    for s in steps {
        if s.span != f.primary.span && !f.secondary.iter().any(|l| l.span == s.span) {
            f.secondary.push(s.clone());
        }
    }
    f.flow = steps.to_vec();
    f
}

/// DPIA301 and DPIA302: personal data reaching a recipient its purpose does not list. `logs`
/// selects the log sinks (302) or every other recipient (301).
pub fn recipient_findings(
    cx: &RuleContext<'_>,
    meta: &'static dpia_lint_engine::RuleMeta,
    logs: bool,
    out: &mut Vec<Finding>,
) {
    use dpia_lint_engine::Facts;
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        for s in &f.sinks {
            if (s.recipient == Recipient::Builtin("log")) != logs {
                continue;
            }
            let cats: Vec<&(String, Vec<Label>)> = s
                .categories
                .iter()
                .filter(|(c, _)| cx.manifest.category(c).is_some())
                .collect();
            let Some((first, trace)) = cats.first().map(|(c, t)| (c, t)) else {
                continue;
            };
            let names = list(cats.iter().map(|(c, _)| c.as_str()));
            // every category only hashed: pseudonymised, still personal data
            let pseudonymised = logs && cats.iter().all(|(c, _)| s.pseudonymised.contains(c));
            for (pe, purpose) in declared_purposes(cx, f) {
                if lists_recipient(cx, purpose, &s.recipient) {
                    continue;
                }
                let p = &pe.purpose;
                let rid = s.recipient.id();
                let undeclared_user = matches!(&s.recipient, Recipient::User(id) if cx.manifest.recipient(id).is_none());
                let (label, message, help) = if pseudonymised {
                    (
                        format!("pseudonymised {names} logged here"),
                        format!("pseudonymised {names} data reaches {} under purpose `{p}`, which does not list `log`: a hash is still personal data", s.what),
                        format!("log an identifier that is not personal data, or redact the value (`Secret<T>`); a hash can be reversed or linked. If logging it is intended, the controller must assess this (with the DPO's advice) and record it in dpia.toml: add \"log\" to `recipients` of `[purposes.{p}]`"),
                    )
                } else if logs {
                    (
                        format!("{names} logged here"),
                        format!("{names} data reaches {} under purpose `{p}`, which does not list `log`", s.what),
                        format!("log an identifier that is not personal data, or redact the value (`Secret<T>`); a hash is still personal data. If logging it is intended, the controller must assess this (with the DPO's advice) and record it in dpia.toml: add \"log\" to `recipients` of `[purposes.{p}]`"),
                    )
                } else if s.recipient == Recipient::Audit {
                    (
                        format!("{names} sent to the audit log here"),
                        format!("{names} data reaches {} under purpose `{p}`, which lists no recipient of kind `audit`", s.what),
                        format!("declare the audit log as a recipient (`kind = \"audit\"`) and list it in `recipients` of `[purposes.{p}]`"),
                    )
                } else if undeclared_user {
                    (
                        format!("{names} sent to `{rid}` here"),
                        format!("{names} data reaches recipient `{rid}`, which the DPIA does not declare"),
                        format!("the data must not go there, or the controller must assess this disclosure (with the DPO's advice) and record it in dpia.toml: declare `[recipients.{rid}]` and list it in `recipients` of `[purposes.{p}]`"),
                    )
                } else if cx
                    .manifest
                    .recipient(rid)
                    .is_some_and(|d| d.kind.value == RecipientKind::Internal)
                {
                    (
                        format!("{names} sent to `{rid}` here"),
                        format!("{names} data reaches internal recipient `{rid}` under purpose `{p}`, which does not list it"),
                        format!("stop the flow, or the controller must assess this access by its own staff (with the DPO's advice) and record it in dpia.toml: add \"{rid}\" to `recipients` of `[purposes.{p}]`"),
                    )
                } else {
                    (
                        format!("{names} sent to `{rid}` here"),
                        format!("{names} data reaches {} under purpose `{p}`, which does not list `{rid}`", s.what),
                        format!("stop the flow, or the controller must assess this disclosure (with the DPO's advice) and record it in dpia.toml: add \"{rid}\" to `recipients` of `[purposes.{p}]`"),
                    )
                };
                let mut fd = crate::declare::finding(meta, s.span, label, message)
                    .with_item(item.path.clone())
                    .with_note(format!(
                        "purpose `{p}` may disclose to: {}",
                        list(purpose.recipients.iter().map(|r| r.value.as_str()))
                    ))
                    .with_help(help)
                    .with_facts(Facts {
                        category: Some(first.clone()),
                        purpose: Some(p.clone()),
                        recipient: Some(rid.to_string()),
                        ..Facts::default()
                    });
                if pseudonymised {
                    fd = fd
                        .with_max_level(dpia_lint_engine::Level::Warn)
                        .with_note("reported at `warn`: the data is pseudonymised (hashed), which lowers the risk, but it is still personal data, not anonymous");
                }
                if let Some(sug) = s
                    .instrument_arg
                    .as_deref()
                    .and_then(|a| crate::fix_util::instrument_skip(cx.db, s.span, a))
                {
                    fd = fd.with_suggestion(sug);
                }
                if let Some(l) = origin_label(cx, pe) {
                    fd = fd.with_label(l);
                }
                if let Some(n) = origin_note(cx, pe) {
                    fd = fd.with_note(n);
                }
                fd = fd.with_label(manifest_purpose_label(
                    cx,
                    purpose,
                    format!("`{rid}` is not among this purpose's recipients"),
                ));
                out.push(with_flow(fd, trace));
            }
        }
    }
}
