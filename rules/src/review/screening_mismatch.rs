//! `DPIA602` screening-mismatch: the code contradicts an answer in the manifest's `[screening]`.

use dpia_lint_engine::{Finding, Label, RuleContext, Span};

use crate::declare::finding;

crate::declare_rule! {
    /// ## What it does
    /// Reads the controller's answers to the ICO screening items in `[screening]` (`biometric = false`, …) and reports each answer `false` that the code contradicts. The items the code can answer, from the processing inventory:
    ///
    /// - `biometric`, `genetic`: a processed category of that taxonomy kind;
    /// - `tracking`: a purpose that processes a category of kind `location` together with other personal data;
    /// - `data-matching`: a `combine` operation (declared, or inferred: personal data of two parameters used together);
    /// - `systematic-evaluation`, `denial-of-service`: a `processing` tag with `automated_decision = true`;
    /// - `vulnerable-targeting`: a processed category whose `subjects` name children or vulnerable people;
    /// - `public-monitoring`: camera input (ANPR: kind `vehicle-registration`; a category described as camera, CCTV or face data).
    ///
    /// The finding is at the code that shows the item, with the answer as a secondary label. The other items (`innovative-tech`, `large-scale-profiling`, `invisible-processing`, `physical-harm`, and the scale of `large-scale-special`) only the controller can answer; `cargo dpia-lint report` lists them all.
    ///
    /// ## Why it matters
    /// The screening decides whether a DPIA is needed and what it must cover: processing on the ICO's list needs one. An answer the code contradicts means the assessment was made for different processing.
    ///
    /// ## Example
    /// ```dpia-fail
    /// // dpia.toml: [screening] biometric = false
    /// #[personal_data(category = "face-template")]   // kind = "biometric"
    /// pub struct Template { pub bytes: Vec<u8> }
    /// ```
    ///
    /// Use instead: `biometric = true` in `[screening]`, with the assessment it calls for.
    ///
    /// ```dpia-pass
    /// // dpia.toml: [screening] biometric = true
    /// ```
    ///
    /// ## How to fix
    /// Correct the answer (the controller, with the DPO's advice), and assess what it brings in; or remove the processing the answer excludes.
    ///
    /// ## Precision
    /// Medium: the items are read from tags, taxonomy kinds, subjects and inferred operations. `tracking` asks for location with other personal data under one purpose, which does not prove that people are tracked over time; `public-monitoring` does not know whether the area is public.
    pub struct ScreeningMismatch;
    code: "DPIA602",
    summary: "the code contradicts an answer in the manifest's `[screening]`",
    legal_uk_gdpr: "UK GDPR Art 35(1), (3), (4)",
    legal_part3: "DPA 2018 s64(1), (4)",
    step: "Step 1: identify the need for a DPIA (screening)",
    precision: Medium,
    implemented: true,
    check: check,
}

fn check(cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
    for item in &cx.inventory.screening {
        if item.answer != Some(false) || item.from_code != Some(true) {
            continue;
        }
        let Some((key, value)) = cx
            .manifest
            .screening
            .iter()
            .find(|(k, _)| k.value == item.id)
        else {
            continue;
        };
        let answer = Span::new(cx.manifest_file, key.span.start..value.span.end);
        let message = format!(
            "the screening answers `{} = false`, but the code shows it: {}",
            item.id, item.evidence
        );
        let mut fd = match item.places.first() {
            Some(p) => finding(&META, p.span, format!("`{}` shown here", item.id), message)
                .with_item(p.item.clone())
                .with_label(Label::new(answer, "the controller's answer")),
            None => finding(&META, answer, "contradicted by the code", message),
        };
        for p in item.places.iter().skip(1) {
            fd = fd.with_label(Label::new(p.span, format!("`{}` also here", item.id)));
        }
        fd = fd
            .with_note(format!("ICO screening item `{}`: {}", item.id, item.question))
            .with_help(format!(
                "the controller must correct the answer (with the DPO's advice) and assess what it brings in: set `{} = true` in `[screening]`; or remove the processing",
                item.id
            ));
        out.push(fd);
    }
}
