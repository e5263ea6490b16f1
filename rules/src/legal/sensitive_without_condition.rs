//! `DPIA501` sensitive-without-condition: sensitive (or, under UK GDPR, criminal-offence) data is processed under a purpose whose `conditions` lack the needed route or condition.

use dpia_annotations::basis::{self, Schedule1};
use dpia_lint_engine::flow::CatUse;
use dpia_lint_engine::manifest::Purpose;
use dpia_lint_engine::{Facts, Finding, Label, RuleContext};

use crate::declare::finding;
use crate::flow_util::{declared_purposes, list, manifest_purpose_label, origin_label, with_flow};

crate::declare_rule! {
    /// ## What it does
    /// Reports a function that processes a sensitive category (declared `sensitive = true`, or inferred from its taxonomy `kind`: biometric, health, genetic, ethnicity, political opinion, religion, trade union, sex life) or, under `uk-gdpr`, a category of `kind = "criminal-offence"`, under a purpose whose `conditions` (and `appropriate-policy`) lack what the law needs:
    ///
    /// - `uk-gdpr`, special category data: an `art9.*` condition (Art 9(2)). `art9.employment`, `art9.health-care`, `art9.public-health` and `art9.archiving` also need their DPA 2018 Schedule 1 Part 1 condition (`sch1.employment`, `sch1.health-social-care`, `sch1.public-health`, `sch1.research`; s10(2)); `art9.substantial-public-interest` needs a Part 2 condition (`sch1.statutory` … `sch1.sport-standards`; s10(3)). `sch1.employment` and the Part 2 conditions need an appropriate policy document (Sch 1 Part 4): `appropriate-policy` on the purpose (not demanded for paragraphs 10, 13 and 27, whose sub-paragraphs 10(2), 13(3), 27(3) waive it in some cases).
    /// - `uk-gdpr`, criminal-offence data (Art 10, DPA 2018 s10(5), s11(2)): `art10.official-authority`, or a Schedule 1 condition of Parts 1–3 (`sch1.consent` … `sch1.insurance-extension` for Part 3; not paragraphs 8, 9, 16, 19–22, which serve named special categories only), with the appropriate policy document where that condition needs one. Art 10 is checked on its own: an Art 9 condition does not cover it.
    /// - `dpa2018-part3`, sensitive processing (s35(8)): the route `part3.strictly-necessary` with at least one `sch8.*` condition (s35(5)), or `part3.sensitive-consent` with the basis `part3.consent` (s35(4)); either way an appropriate policy document (s42): `appropriate-policy`. Criminal-offence data is ordinary law-enforcement data under Part 3: nothing more is needed.
    ///
    /// The purpose's `basis` stays `part3.task` or `part3.consent` (Part 3) or an `art6.*` basis. Processing is what the flow analysis sees (typed parameters, field reads, records built, data returned by calls), under the purpose in effect there (own tag, impl, `modules`, tagged callers). Reported at the function, with the manifest purpose as related location; one finding per function, purpose and kind of data.
    ///
    /// ## Why it matters
    /// Sensitive processing is lawful only with an extra condition, and most conditions only with a policy document that says how the principles are met and how long the data is kept. Live facial recognition processes the biometric data of every face it compares, match or not: it needs s35(5) strict necessity, a Schedule 8 condition and the s42 policy document.
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
    /// appropriate-policy = "https://intranet.example.police.uk/dp/apd-lfr"
    /// ```
    ///
    /// ## How to fix
    /// The controller must assess the condition (with the DPO's advice) and record it in `dpia.toml`: the route and condition in the purpose's `conditions`, and where the appropriate policy document is in `appropriate-policy`. Or the processing must not use the data.
    ///
    /// ## Precision
    /// High: the conditions are the manifest's; the processing is the flow analysis' (see DPIA102 for its approximations).
    pub struct SensitiveWithoutCondition;
    code: "DPIA501",
    summary: "sensitive data is processed under a purpose whose `conditions` lack the needed route or condition",
    legal_uk_gdpr: "UK GDPR Art 9(2), 10; DPA 2018 s10, Sch 1",
    legal_part3: "DPA 2018 s35(3)–(5), (8), Sch 8, s42",
    step: "Step 4: necessity and proportionality (lawful basis: special category conditions)",
    precision: High,
    implemented: true,
    check: check,
}

/// Which extra condition a kind of data needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Special category data (UK GDPR Art 9) / sensitive processing (DPA 2018 s35(8)).
    Special,
    /// Criminal-offence data under UK GDPR (Art 10).
    Criminal,
}

/// What the conditions lack, if anything: (what is needed, an example fix).
struct Lack {
    need: String,
    fix: String,
}

fn lack(need: impl Into<String>, fix: impl Into<String>) -> Option<Lack> {
    Some(Lack {
        need: need.into(),
        fix: fix.into(),
    })
}

fn sch1_in<'a>(conditions: &'a [&str]) -> impl Iterator<Item = &'static Schedule1> + 'a {
    conditions.iter().filter_map(|c| basis::schedule1(c))
}

/// The policy document, where every complete route needs one.
fn policy_lack(routes: &[(&str, bool)], purpose: &Purpose) -> Option<Lack> {
    if routes.is_empty()
        || routes.iter().any(|(_, apd)| !apd)
        || purpose.appropriate_policy.is_some()
    {
        return None;
    }
    let p = &purpose.id.value;
    lack(
        format!(
            "an appropriate policy document for {}",
            list(routes.iter().map(|(r, _)| *r))
        ),
        format!("`appropriate-policy = \"<where the document is>\"` in `[purposes.{p}]`"),
    )
}

/// UK GDPR Art 9(2) with DPA 2018 s10(2)–(3) and Schedule 1.
fn art9(conditions: &[&str], purpose: &Purpose) -> Option<Lack> {
    let p = &purpose.id.value;
    let art9: Vec<&str> = conditions
        .iter()
        .copied()
        .filter(|c| c.starts_with("art9."))
        .collect();
    if art9.is_empty() {
        return lack(
            "an Art 9(2) condition (`art9.*`)",
            format!("e.g. `conditions = [\"art9.explicit-consent\"]` in `[purposes.{p}]`"),
        );
    }
    // each complete route: the Art 9 condition, or its Schedule 1 partner, and whether it needs the APD
    let mut routes: Vec<(&str, bool)> = Vec::new();
    for a in &art9 {
        match basis::art9_needs_schedule1(a) {
            None => routes.push((a, false)),
            Some((part, para)) => {
                for s in sch1_in(conditions)
                    .filter(|s| s.part == part && para.is_none_or(|n| n == s.paragraph))
                {
                    routes.push((s.id, s.policy));
                }
            }
        }
    }
    if routes.is_empty() {
        let a = art9[0];
        let (which, example) = match basis::art9_needs_schedule1(a) {
            Some((1, Some(n))) => {
                let id = basis::SCHEDULE_1
                    .iter()
                    .find(|s| s.part == 1 && s.paragraph == n)
                    .map(|s| s.id)
                    .unwrap_or("sch1.*");
                (
                    format!("its Schedule 1 Part 1 condition `{id}` (DPA 2018 s10(2))"),
                    id,
                )
            }
            _ => (
                "a Schedule 1 Part 2 condition (`sch1.*`, paragraphs 6–28; DPA 2018 s10(3))"
                    .to_string(),
                "sch1.statutory",
            ),
        };
        return lack(
            format!("`{a}` with {which}"),
            format!("add \"{example}\" (or the condition that applies) to `conditions` of `[purposes.{p}]`"),
        );
    }
    policy_lack(&routes, purpose)
}

/// UK GDPR Art 10 with DPA 2018 s10(5) and Schedule 1 Parts 1–3.
fn art10(conditions: &[&str], purpose: &Purpose) -> Option<Lack> {
    let p = &purpose.id.value;
    let mut routes: Vec<(&str, bool)> = Vec::new();
    if conditions.contains(&"art10.official-authority") {
        routes.push(("art10.official-authority", false));
    }
    routes.extend(
        sch1_in(conditions)
            .filter(|s| s.criminal_offence)
            .map(|s| (s.id, s.policy)),
    );
    if routes.is_empty() {
        return lack(
            "for criminal-offence data, official authority (`art10.official-authority`) or a Schedule 1 condition (`sch1.*`; DPA 2018 s10(5))",
            format!("e.g. `conditions = [\"art10.official-authority\"]` or `[\"sch1.preventing-crime\"]` in `[purposes.{p}]`"),
        );
    }
    policy_lack(&routes, purpose)
}

/// DPA 2018 s35(3)–(5), Schedule 8, s42.
fn part3(conditions: &[&str], purpose: &Purpose) -> Option<Lack> {
    let p = &purpose.id.value;
    let consent = conditions.contains(&"part3.sensitive-consent");
    let strictly = conditions.contains(&"part3.strictly-necessary");
    let sch8 = conditions.iter().any(|c| c.starts_with("sch8."));
    let consent_basis = purpose
        .basis
        .as_ref()
        .is_some_and(|b| b.value == "part3.consent");
    let mut routes: Vec<(&str, bool)> = Vec::new();
    if consent && consent_basis {
        routes.push(("part3.sensitive-consent", true));
    }
    if strictly && sch8 {
        routes.push(("part3.strictly-necessary", true));
    }
    if routes.is_empty() {
        return match (consent, strictly) {
            (_, true) => lack(
                "a Schedule 8 condition (`sch8.*`) for the `part3.strictly-necessary` route",
                format!("add the Schedule 8 condition that applies, e.g. \"sch8.statutory\", to `conditions` of `[purposes.{p}]`"),
            ),
            (true, false) => lack(
                "the data subject's consent as the basis (`basis = \"part3.consent\"`) for the `part3.sensitive-consent` route",
                format!("set `basis = \"part3.consent\"` in `[purposes.{p}]`, or use `part3.strictly-necessary` with a `sch8.*` condition"),
            ),
            (false, false) => lack(
                "a route for sensitive processing: `part3.strictly-necessary` with a `sch8.*` condition, or `part3.sensitive-consent`",
                format!("e.g. `conditions = [\"part3.strictly-necessary\", \"sch8.statutory\"]` in `[purposes.{p}]`"),
            ),
        };
    }
    policy_lack(&routes, purpose)
}

fn is_criminal(cx: &RuleContext<'_>, category: &str) -> bool {
    cx.manifest.category(category).is_some_and(|c| {
        c.kind.as_ref().is_some_and(|k| {
            dpia_lint_engine::taxonomy::kind(&k.value).is_some_and(|t| t.id == "criminal-offence")
        })
    })
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let part3_regime = cx.manifest.dpia.regime.value.as_str() == "dpa2018-part3";
    for f in &cx.flows.fns {
        let item = cx.model.item(f.item);
        for need in [Need::Special, Need::Criminal] {
            if need == Need::Criminal && part3_regime {
                continue; // ordinary law-enforcement data under Part 3
            }
            let used: Vec<&CatUse> = f
                .uses
                .iter()
                .filter(|u| match need {
                    Need::Special => cx
                        .manifest
                        .category(&u.category)
                        .is_some_and(|c| cx.manifest.is_sensitive(c)),
                    Need::Criminal => is_criminal(cx, &u.category),
                })
                .collect();
            let Some(first) = used.first() else {
                continue;
            };
            let cats = list(used.iter().map(|u| u.category.as_str()));
            for (pe, purpose) in declared_purposes(cx, f) {
                let conditions: Vec<&str> = purpose
                    .conditions
                    .iter()
                    .map(|c| c.value.as_str())
                    .collect();
                let lacking = match (need, part3_regime) {
                    (Need::Special, true) => part3(&conditions, purpose),
                    (Need::Special, false) => art9(&conditions, purpose),
                    (Need::Criminal, _) => art10(&conditions, purpose),
                };
                let Some(Lack { need: what, fix }) = lacking else {
                    continue;
                };
                let p = &pe.purpose;
                let (kind, law) = match (need, part3_regime) {
                    (Need::Special, true) => {
                        ("sensitive data", "DPA 2018 s35(3)–(5), Schedule 8 and s42")
                    }
                    (Need::Special, false) => (
                        "special category data",
                        "UK GDPR Art 9(2) with DPA 2018 s10 and Schedule 1",
                    ),
                    (Need::Criminal, _) => (
                        "criminal-offence data",
                        "UK GDPR Art 10 with DPA 2018 s10(5) and Schedule 1",
                    ),
                };
                let mut fd = finding(
                    &META,
                    item.name_span,
                    format!("processes {cats} for `{p}`"),
                    format!("`{}` processes {kind} ({cats}) for purpose `{p}`, which lacks {what}", item.name),
                )
                .with_item(item.path.clone())
                .with_label(Label::new(first.span, format!("`{}` used here", first.category)))
                .with_label(manifest_purpose_label(cx, purpose, format!("needs {what}")))
                .with_note(format!(
                    "{law}: this processing needs {what}; `conditions` of `[purposes.{p}]` are {}",
                    list(&conditions)
                ))
                .with_help(format!(
                    "the controller must assess this (with the DPO's advice) and record it in dpia.toml: {fix}; or the processing must not use {cats}"
                ))
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
}
