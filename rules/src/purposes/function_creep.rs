//! `DPIA102` function-creep: a category is processed under a purpose the manifest does not allow for it.

use dpia_lint_engine::flow::Origin;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext};

use crate::declare::finding;
use crate::flow_util::{
    allows_category, declared_purposes, list, manifest_purpose_label, origin_label, origin_note,
    with_flow,
};

crate::declare_rule! {
    /// ## What it does
    /// Follows personal data through the code (typed parameters, field reads, struct literals, calls and their summaries, closures, loops) and reports a category processed under a purpose whose `categories` in `dpia.toml` do not include it. The purpose in effect is the function's `processing` tag, else its impl's, else the manifest's `modules`, else the purpose of every tagged caller (through any depth of untagged calls). Also reported: personal data passed from one purpose's function to a function tagged with another purpose that may not process that category.
    ///
    /// A purpose may process a category when it lists it in `categories`, or when a purpose that lists it declares the first one in `compatible-with`.
    ///
    /// ## Why it matters
    /// Data collected for one purpose may not be used for another that is incompatible with it (DPA 2018 s36(3), UK GDPR Art 5(1)(b)). ANPR reads collected to find county-lines vehicles must not end up in insurance enquiries, and a helper called from the county-lines code must not start reading data the DPIA never assessed for that purpose.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection")]   // categories = ["vrm"]
    /// pub fn find_convoys(reads: &[AnprRead]) -> Vec<Lead> {
    ///     plot(&reads[0]);
    ///     …
    /// }
    /// fn plot(r: &AnprRead) { draw(r.camera_location) } // `location` is not a category of the purpose
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// # dpia.toml: categories = ["vrm", "location"], assessed by the controller with the DPO's advice
    /// ```
    ///
    /// ## How to fix
    /// Stop the flow, or the controller must assess the new use (with the DPO's advice) and record it in `dpia.toml`: add the category to the purpose's `categories`, or declare in the purpose that collected it that this purpose is `compatible-with` it (with its justification in the DPIA).
    ///
    /// ## Precision
    /// High. The analysis is static and does not compile the crate. It over-approximates: a value that passes through a call it cannot resolve is assumed to carry all its arguments; a typed parameter carries every category of its type; branches are joined. It under-approximates: macros other than the logging and formatting ones, closures stored in variables, dynamic dispatch among more than eight implementations, and data moved through channels, statics or interior mutability across functions are not followed.
    pub struct FunctionCreep;
    code: "DPIA102",
    summary: "a category is processed under a purpose the manifest does not allow for it",
    legal_uk_gdpr: "UK GDPR Art 5(1)(b), 8A",
    legal_part3: "DPA 2018 s36(1)(b), (3)–(4)",
    step: "Step 4: necessity and proportionality (function creep)",
    precision: High,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        for (pe, purpose) in declared_purposes(cx, f) {
            // one finding per place, naming every category used there
            let mut by_span: Vec<(dpia_lint_engine::Span, Vec<&dpia_lint_engine::flow::CatUse>)> =
                Vec::new();
            for u in &f.uses {
                if cx.manifest.category(&u.category).is_none()
                    || allows_category(cx, purpose, &u.category)
                {
                    continue;
                }
                match by_span.iter_mut().find(|(s, _)| *s == u.span) {
                    Some((_, v)) => v.push(u),
                    None => by_span.push((u.span, vec![u])),
                }
            }
            for (span, uses) in by_span {
                let cats = list(uses.iter().map(|u| u.category.as_str()));
                let first = &uses[0].category;
                let p = &pe.purpose;
                let mut fd = finding(
                    &META,
                    span,
                    format!("{cats} used here"),
                    format!("{cats} data is processed for purpose `{p}`, which the DPIA does not allow for it"),
                )
                .with_item(item.path.clone())
                .with_note(format!(
                    "purpose `{p}` may process: {}",
                    list(purpose.categories.iter().map(|c| c.value.as_str()))
                ))
                .with_help(format!(
                    "stop using {cats} here, or the controller must assess this use (with the DPO's advice) and record it in dpia.toml: add it to `categories` of `[purposes.{p}]`, or declare `{p}` in `compatible-with` of a purpose that collects it"
                ))
                .with_facts(Facts {
                    category: Some(first.clone()),
                    purpose: Some(p.clone()),
                    ..Facts::default()
                });
                if let Some(l) = origin_label(cx, pe) {
                    fd = fd.with_label(l);
                }
                if let Some(n) = origin_note(cx, pe) {
                    fd = fd.with_note(n);
                }
                fd = fd.with_label(manifest_purpose_label(
                    cx,
                    purpose,
                    format!("{cats} not among this purpose's categories"),
                ));
                out.push(with_flow(fd, &uses[0].trace));
            }
            // data handed to a function of another purpose that may not process it
            for call in &f.calls {
                let Some(callee) = cx.flows.of(call.callee) else {
                    continue;
                };
                for (qe, q) in declared_purposes(cx, callee) {
                    if !matches!(qe.origin, Origin::Tag(_)) || qe.purpose == pe.purpose {
                        continue;
                    }
                    for cat in &call.arg_cats {
                        if cx.manifest.category(cat).is_none()
                            || allows_category(cx, q, cat)
                            || callee.uses.iter().any(|u| &u.category == cat)
                        {
                            continue;
                        }
                        let callee_item = cx.model.item(call.callee);
                        let (p, qn) = (&pe.purpose, &qe.purpose);
                        let mut fd = finding(
                            &META,
                            call.span,
                            format!("`{cat}` passed to `{}`", callee_item.name),
                            format!("`{cat}` data collected for `{p}` is passed to `{}`, which serves purpose `{qn}`", callee_item.name),
                        )
                        .with_item(item.path.clone())
                        .with_label(Label::new(callee_item.name_span, format!("serves `{qn}`")))
                        .with_label(manifest_purpose_label(cx, q, format!("`{cat}` is not among this purpose's categories")))
                        .with_note(format!("purpose `{qn}` may process: {}", list(q.categories.iter().map(|c| c.value.as_str()))))
                        .with_help(format!(
                            "do not pass `{cat}` to `{}`, or the controller must assess this (with the DPO's advice) and record it in dpia.toml: add \"{cat}\" to `categories` of `[purposes.{qn}]` or declare `compatible-with = [\"{qn}\"]` in `[purposes.{p}]`",
                            callee_item.name
                        ))
                        .with_facts(Facts {
                            category: Some(cat.clone()),
                            purpose: Some(qn.clone()),
                            ..Facts::default()
                        });
                        if let Some(l) = origin_label(cx, pe) {
                            fd = fd.with_label(l);
                        }
                        out.push(fd);
                    }
                }
            }
        }
    }
}
