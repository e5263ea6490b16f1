//! `DPIA104` lawful-basis-mismatch: a tag's basis differs from the manifest's, or a basis id is unknown or wrong for the regime.

use dpia_annotations::{basis, Tag};
use dpia_lint_engine::{Applicability, Edit, Facts, Label, Span, Suggestion};
use dpia_lint_engine::{Finding, RuleContext};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Checks the `basis` of each `processing` tag: it must be a lawful-basis id of the manifest's regime (`part3.consent`/`part3.task` under `dpa2018-part3`, `art6.*` under `uk-gdpr`; conditions such as `sch8.*` go in the manifest's `conditions`) and equal the basis the manifest gives the purpose.
    ///
    /// ## Why it matters
    /// The lawful basis is decided once, in the DPIA. A different basis in the code means the code and the assessment disagree about why the processing is lawful; a basis from the wrong regime is no basis at all.
    ///
    /// ## Example
    /// ```dpia-fail
    /// #[processing(purpose = "county-lines-detection", basis = "art6.public-task")]
    /// # dpia.toml: regime = "dpa2018-part3", basis = "part3.task"
    /// ```
    ///
    /// Use instead:
    ///
    /// ```dpia-pass
    /// #[processing(purpose = "county-lines-detection", basis = "part3.task")]
    /// ```
    ///
    /// ## How to fix
    /// Use the manifest's basis, or leave `basis` out of the tag (the manifest's applies). If the basis really changed, the controller must assess this (with the DPO's advice) and record it in `dpia.toml`.
    ///
    /// ## Precision
    /// Very high: a plain comparison of ids.
    pub struct LawfulBasisMismatch;
    code: "DPIA104",
    summary: "a tag's basis differs from the manifest's, or a basis id is unknown or wrong for the regime",
    legal_uk_gdpr: "UK GDPR Art 6(1)(a)–(f), (ea)",
    legal_part3: "DPA 2018 s35(2)(a)–(b)",
    step: "Step 4: necessity and proportionality (lawful basis)",
    precision: VeryHigh,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    let regime = cx.manifest.dpia.regime.value;
    for (item, tag) in cx.model.tags() {
        let Tag::Processing(p) = &tag.tag else {
            continue;
        };
        let Some(b) = &p.basis else { continue };
        let facts = Facts {
            purpose: Some(p.purpose.value.clone()),
            basis: Some(b.value.clone()),
            ..Facts::default()
        };
        if let Some(problem) = basis::check_basis(&b.value, regime) {
            let bases: Vec<String> = basis::bases(regime)
                .map(|l| format!("`{}`", l.id))
                .collect();
            let suggestion =
                basis::suggest(&b.value).filter(|s| basis::check_basis(s, regime).is_none());
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "under `{}` the bases are {}",
                    regime.as_str(),
                    bases.join(", ")
                ),
            };
            let mut fd = finding(&META, b.span, "not a lawful basis here", problem)
                .with_item(item.path.clone())
                .with_help(help)
                .with_facts(facts);
            // a misspelt id of this regime: write the id it was meant to be
            if let Some(s) = suggestion {
                fd = fd.with_suggestion(Suggestion {
                    message: format!("replace with `\"{s}\"`"),
                    edits: vec![Edit {
                        span: b.span,
                        replacement: format!("{s:?}"),
                    }],
                    applicability: Applicability::MachineApplicable,
                });
            }
            out.push(fd);
            continue;
        }
        let Some(purpose) = cx.manifest.purpose(&p.purpose.value) else {
            continue;
        };
        let Some(mb) = &purpose.basis else { continue };
        if mb.value != b.value {
            out.push(
                finding(
                    &META,
                    b.span,
                    "the code says",
                    format!(
                        "basis `{}` differs from the DPIA's basis `{}` for purpose `{}`",
                        b.value, mb.value, p.purpose.value
                    ),
                )
                .with_label(Label::new(Span::new(cx.manifest_file, mb.span.clone()), "the DPIA says"))
                .with_item(item.path.clone())
                .with_help(format!("write `basis = \"{}\"` or leave `basis` out; if the basis changed, the controller must assess this (with the DPO's advice) and record it in dpia.toml", mb.value))
                .with_facts(facts),
            );
        }
    }
}
