//! `DPIA601` dpia-drift: (`--locked`) the code's processing inventory has a fact the `dpia.lock` lacks.

use std::collections::BTreeMap;

use dpia_lint_engine::inventory::{Fact, Place};
use dpia_lint_engine::{Facts, Finding, Label, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// With `--locked`, compares the processing inventory of the code (what each purpose processes: its categories, the recipients each category reaches, the s62 operations it performs, whether it takes automated decisions; sensitive categories flagged) with `dpia.lock`, written by `cargo dpia-lint lock` when the DPIA was last reviewed. Reports every fact of the code that the lock lacks, at the code that creates it: a new recipient for a category, a new category for a purpose, a new operation, a category that became sensitive, a new automated decision. Facts at the same place make one finding. Facts the lock has and the code no longer shows are a run note, not a finding.
    ///
    /// The facts name no function, module or line: renaming functions, moving modules or splitting a function never drifts. A missing lock, one edited by hand, or one made under another `[dpia] version` or `reviewed` date is an error of the run (exit 2) that says how to write it.
    ///
    /// ## Why it matters
    /// A DPIA describes the nature, scope, context and purposes of the processing and comes before the processing. When the code starts sending data somewhere new, or processing a new category, the assessment no longer describes what the system does: the controller must review the DPIA (with the DPO's advice) before the change is deployed. Under UK GDPR the controller reviews the assessment at least when the risk changes (Art 35(11)); under DPA 2018 Part 3, s64 has no review clause, so a change of this kind is assessed as processing the DPIA has not yet covered (s64(1), (4)).
    ///
    /// ## Example
    /// ```dpia-fail
    /// // dpia.lock: purpose `county-lines-detection` sends `lead` to `local-police-export`
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn share(lead: &Lead) { reqwest::blocking::Client::new().post(URL).json(lead).send(); } // new: network
    /// ```
    ///
    /// Use instead: the controller reviews the DPIA for the new disclosure, records it in `dpia.toml` (and a new `[dpia] version` or `reviewed` date), then runs `cargo dpia-lint lock` and commits the lock with the change.
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection")]
    /// pub fn share(lead: &Lead) { export_csv(&[lead.clone()]); } // the locked recipient
    /// ```
    ///
    /// ## How to fix
    /// Remove the change, or have the controller review the DPIA for it (with the DPO's advice), update `dpia.toml`, and run `cargo dpia-lint lock`. `cargo dpia-lint report` shows the whole inventory.
    ///
    /// ## Precision
    /// As precise as the flows it is built from (DPIA301, DPIA302, DPIA502): a flow the analysis misses is a fact it does not lock, and a false flow is a false fact. Inferred operations depend on the shape of the code: splitting one function that combines two parameters into two that each take one removes the inferred `combine` (a note, never a finding).
    pub struct DpiaDrift;
    code: "DPIA601",
    summary: "(`--locked`) the code's processing inventory has a fact the `dpia.lock` lacks",
    legal_uk_gdpr: "UK GDPR Art 35(1), 35(11)",
    legal_part3: "DPA 2018 s64(1), (4)",
    step: "Step 2: describe the processing (nature, scope, context, purposes)",
    precision: Medium,
    implemented: true,
    check: check,
}

/// The lock entry a fact lacks, as TOML.
fn entry(f: &Fact) -> String {
    let mut parts = vec![format!("purpose = \"{}\"", f.purpose)];
    if let Some(c) = &f.category {
        parts.push(format!("category = \"{c}\""));
    }
    if let Some(r) = &f.recipient {
        parts.push(format!("recipient = \"{r}\""));
    }
    if let Some(o) = &f.operation {
        parts.push(format!("operation = \"{o}\""));
    }
    if f.sensitive {
        parts.push("sensitive = true".into());
    }
    if f.automated_decision {
        parts.push("automated-decision = true".into());
    }
    format!("[[processing]] {}", parts.join(", "))
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let Some(lock) = cx.lock else {
        return;
    };
    let inv = cx.inventory;
    let (added, _) = lock.diff(inv);
    // one finding per place: the facts a line of code creates together
    let mut by_place: BTreeMap<Place, Vec<&Fact>> = BTreeMap::new();
    for f in added {
        let Some(place) = inv.places(f).first() else {
            continue;
        };
        by_place.entry(place.clone()).or_default().push(f);
    }
    let part3 = cx.manifest.dpia.regime.value.as_str() == "dpa2018-part3";
    for (place, mut facts) in by_place {
        // what the line does first: a recipient, a category, a decision, then operations
        facts.sort_by_key(|f| {
            (
                f.recipient.is_none(),
                f.category.is_none(),
                !f.automated_decision,
            )
        });
        let described: Vec<String> = facts.iter().map(|f| f.describe()).collect();
        let first = facts[0];
        let label = match (&first.category, &first.recipient, &first.operation) {
            (Some(c), Some(r), _) => format!("`{c}` reaches `{r}` here: not in dpia.lock"),
            (Some(c), None, _) => format!("`{c}` processed here: not in dpia.lock"),
            (None, _, Some(o)) => format!("`{o}` performed here: not in dpia.lock"),
            _ => "automated decision here: not in dpia.lock".to_string(),
        };
        let mut fd = finding(
            &META,
            place.span,
            label,
            format!(
                "the processing changed since the DPIA was locked: {}",
                described.join("; ")
            ),
        )
        .with_item(place.item.clone())
        .with_facts(Facts {
            purpose: Some(first.purpose.clone()),
            category: first.category.clone(),
            recipient: first.recipient.clone(),
            ..Facts::default()
        });
        if let Some(p) = cx.manifest.purpose(&first.purpose) {
            fd = fd.with_label(Label::new(
                Span::new(cx.manifest_file, p.id.span.clone()),
                "the purpose in the DPIA",
            ));
        }
        for f in &facts {
            fd = fd.with_note(format!("dpia.lock lacks {}", entry(f)));
        }
        let version = cx
            .manifest
            .dpia
            .version
            .as_ref()
            .map(|v| format!(" (version {})", v.value))
            .unwrap_or_default();
        fd = fd.with_note(if part3 {
            format!("the controller must review the DPIA{version} before this change is deployed: a DPIA comes before the processing and describes its nature, scope, context and purposes (DPA 2018 s64(1), (4))")
        } else {
            format!("the controller must review the DPIA{version} before this change is deployed: the assessment is reviewed when the risk of the processing changes (UK GDPR Art 35(11)) and comes before new processing (Art 35(1))")
        });
        fd = fd.with_help("remove the change, or have the controller review the DPIA for it (with the DPO's advice), record it in dpia.toml, then run `cargo dpia-lint lock` and commit dpia.lock with the change");
        out.push(fd);
    }
}
