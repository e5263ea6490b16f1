//! `DPIA501` sensitive-without-condition: sensitive data is processed under a purpose whose `conditions` lack the needed route or condition.

use dpia_lint_engine::{Facts, Finding, Label, RuleContext};

use crate::declare::finding;
use crate::flow_util::{declared_purposes, list, manifest_purpose_label, origin_label, with_flow};

crate::declare_rule! {
    /// ## What it does
    /// Reports a function that processes a sensitive category (declared `sensitive = true`, or inferred from its taxonomy `kind`: biometric, health, genetic, ethnicity, political opinion, religion, trade union, sex life) under a purpose whose `conditions` lack what the law needs: under `dpa2018-part3`, the route `part3.strictly-necessary` with at least one `sch8.*` condition, or `part3.sensitive-consent` (DPA 2018 s35(4)/(5)); under `uk-gdpr`, an `art9.*` condition (Art 9(2)). The purpose's `basis` stays `part3.task` or `part3.consent` (Part 3) or an `art6.*` basis. Processing is what the flow analysis sees (typed parameters, field reads, records built, data returned by calls), under the purpose in effect there (own tag, impl, `modules`, tagged callers). Reported at the function, with the manifest purpose as related location; one finding per function and purpose.
    ///
    /// ## Why it matters
    /// Sensitive processing is lawful only with an extra condition. Live facial recognition processes biometric data: it needs s35(5) strict necessity and a Schedule 8 condition.
    ///
    /// ## Example
    /// ```dpia-fail
    /// [purposes.watchlist-matching]
    /// basis = "part3.task"
    /// conditions = []
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// [purposes.watchlist-matching]
    /// basis = "part3.task"
    /// conditions = ["part3.strictly-necessary", "sch8.statutory"]
    /// ```
    ///
    /// ## How to fix
    /// The DPO records the route and condition in the purpose's `conditions`, with the appropriate policy document.
    ///
    /// ## Precision
    /// High: the conditions are the manifest's; the processing is the flow analysis' (see DPIA102 for its approximations).
    pub struct SensitiveWithoutCondition;
    code: "DPIA501",
    name: "sensitive-without-condition",
    summary: "sensitive data is processed under a purpose whose `conditions` lack the needed route or condition",
    level: Deny,
    legal: "DPA 2018 s35(3)–(5), Sch 8; UK GDPR Art 9(1)–(2), Art 10",
    step: "Step 4: necessity and proportionality (lawful basis: special category conditions)",
    precision: High,
    implemented: true,
    check: check,
}

/// What a purpose's conditions lack for sensitive processing under the regime, if anything.
fn missing(regime: &str, conditions: &[&str]) -> Option<String> {
    if regime == "dpa2018-part3" {
        let consent = conditions.contains(&"part3.sensitive-consent");
        let strictly = conditions.contains(&"part3.strictly-necessary");
        let sch8 = conditions.iter().any(|c| c.starts_with("sch8."));
        match (consent, strictly, sch8) {
            (true, _, _) | (_, true, true) => None,
            (false, true, false) => Some("a Schedule 8 condition (`sch8.*`) for the `part3.strictly-necessary` route".into()),
            (false, false, _) => Some("a route for sensitive processing: `part3.strictly-necessary` with a `sch8.*` condition, or `part3.sensitive-consent`".into()),
        }
    } else if conditions.iter().any(|c| c.starts_with("art9.")) {
        None
    } else {
        Some("an Art 9(2) condition (`art9.*`)".into())
    }
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let regime = cx.manifest.dpia.regime.value.as_str();
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        let sensitive: Vec<&dpia_lint_engine::flow::CatUse> = f
            .uses
            .iter()
            .filter(|u| {
                cx.manifest
                    .category(&u.category)
                    .is_some_and(|c| cx.manifest.is_sensitive(c))
            })
            .collect();
        let Some(first) = sensitive.first() else {
            continue;
        };
        let cats = list(sensitive.iter().map(|u| u.category.as_str()));
        for (pe, purpose) in declared_purposes(cx, f) {
            let conditions: Vec<&str> = purpose
                .conditions
                .iter()
                .map(|c| c.value.as_str())
                .collect();
            let Some(need) = missing(regime, &conditions) else {
                continue;
            };
            let p = &pe.purpose;
            let law = if regime == "dpa2018-part3" {
                "DPA 2018 s35(3)-(5) and Schedule 8"
            } else {
                "UK GDPR Art 9"
            };
            let mut fd = finding(
                &META,
                item.name_span,
                format!("processes {cats} for `{p}`"),
                format!("`{}` processes sensitive data ({cats}) for purpose `{p}`, which has no condition for it", item.name),
            )
            .with_item(item.path.clone())
            .with_label(Label::new(first.span, format!("`{}` used here", first.category)))
            .with_label(manifest_purpose_label(cx, purpose, format!("needs {need}")))
            .with_note(format!(
                "{law}: sensitive processing needs {need}; `conditions` of `[purposes.{p}]` are {}",
                list(&conditions)
            ))
            .with_help(if regime == "dpa2018-part3" {
                format!("the DPO documents the condition in the DPIA and adds it: `conditions = [\"part3.strictly-necessary\", \"sch8.statutory\"]` in `[purposes.{p}]` (with the appropriate policy document, s42); or the processing must not use {cats}")
            } else {
                format!("the DPO documents the condition in the DPIA and adds it, e.g. `conditions = [\"art9.substantial-public-interest\"]` in `[purposes.{p}]`; or the processing must not use {cats}")
            })
            .with_facts(Facts {
                category: Some(first.category.clone()),
                purpose: Some(p.clone()),
                basis: purpose.basis.as_ref().map(|b| b.value.clone()),
                ..Facts::default()
            });
            if let Some(l) = origin_label(cx, pe) {
                fd = fd.with_label(l);
            }
            out.push(with_flow(fd, &first.trace));
        }
    }
}
