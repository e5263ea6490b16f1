//! dpia-lint's rules: one file per rule (`<group>/<rule_name>.rs`), each declared with
//! [`declare_rule!`] (metadata + docs + check), and the registry that lists them in code order.
//!
//! The docs of each rule feed `cargo dpia-lint explain`, SARIF `help` and `docs/rules.md`.

pub mod declare;
mod flow_util;

pub mod annotations;
pub mod discovery;
pub mod flows;
pub mod legal;
pub mod lifecycle;
pub mod purposes;
pub mod review;
pub mod suppression;
pub mod syntax;

use dpia_lint_engine::{Rule, RuleMeta};

static ALL: &[&dyn Rule] = &[
    &syntax::parse_error::ParseError,
    &annotations::invalid_annotation::InvalidAnnotation,
    &purposes::undeclared_purpose::UndeclaredPurpose,
    &purposes::function_creep::FunctionCreep,
    &purposes::untagged_processing::UntaggedProcessing,
    &purposes::lawful_basis_mismatch::LawfulBasisMismatch,
    &discovery::undeclared_personal_data::UndeclaredPersonalData,
    &discovery::unknown_category::UnknownCategory,
    &discovery::unused_declaration::UnusedDeclaration,
    &flows::undeclared_recipient::UndeclaredRecipient,
    &flows::personal_data_in_logs::PersonalDataInLogs,
    &flows::undeclared_personal_data_flow::UndeclaredPersonalDataFlow,
    &flows::international_transfer::InternationalTransfer,
    &lifecycle::retention_exceeds_dpia::RetentionExceedsDpia,
    &lifecycle::missing_retention::MissingRetention,
    &lifecycle::no_erasure_routine::NoErasureRoutine,
    &legal::sensitive_without_condition::SensitiveWithoutCondition,
    &legal::missing_audit_log::MissingAuditLog,
    &legal::automated_decision_without_review::AutomatedDecisionWithoutReview,
    &review::dpia_drift::DpiaDrift,
    &review::screening_mismatch::ScreeningMismatch,
    &suppression::allow_without_reason::AllowWithoutReason,
    &suppression::unused_allow::UnusedAllow,
];

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    ALL
}

/// Every rule's metadata, in code order.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter().map(|r| r.meta())
}

/// The rule a code (`DPIA102`, any case) or a name (`function-creep`, `function_creep`) designates.
pub fn find(name_or_code: &str) -> Option<&'static RuleMeta> {
    metas().find(|m| m.matches(name_or_code))
}

/// The terminal text of `cargo dpia-lint explain`.
pub fn explain(meta: &RuleMeta) -> String {
    let mut s = format!("{} {}: {}\n\n", meta.code, meta.name, meta.summary);
    s.push_str(&format!(
        "Default level:   {}\n",
        meta.default_level.as_str()
    ));
    s.push_str(&format!(
        "Legal reference: uk-gdpr:       {}\n",
        meta.legal_uk_gdpr
    ));
    s.push_str(&format!(
        "                 dpa2018-part3: {}\n",
        meta.legal_part3
    ));
    s.push_str(&format!("DPIA step:       {}\n", meta.dpia_step));
    s.push_str(&format!("Precision:       {}\n", meta.precision.as_str()));
    if !meta.implemented {
        s.push_str(
            "Status:          not implemented yet (declared in the catalogue; never fires)\n",
        );
    }
    s.push('\n');
    s.push_str(meta.docs_markdown().trim_end());
    s.push('\n');
    s
}

/// The catalogue as JSON, for `cargo dpia-lint rules --format json`.
pub fn catalogue_json() -> serde_json::Value {
    serde_json::Value::Array(
        metas()
            .map(|m| {
                serde_json::json!({
                    "code": m.code,
                    "name": m.name,
                    "summary": m.summary,
                    "default_level": m.default_level.as_str(),
                    "legal_reference": m.legal_references(),
                    "legal_uk_gdpr": m.legal_uk_gdpr,
                    "legal_part3": m.legal_part3,
                    "dpia_step": m.dpia_step,
                    "precision": m.precision.as_str(),
                    "implemented": m.implemented,
                    "docs": m.docs_markdown(),
                })
            })
            .collect(),
    )
}

/// `docs/rules.md`, generated from the rules (a test keeps the file in sync).
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "<!-- Generated from rules/src by `UPDATE_DOCS=1 cargo test -p dpia-lint-rules`. Do not edit. -->\n\n# Rules\n\n",
    );
    s.push_str("Every rule has a stable code, a name (use either in `-D/-W/-A`, `[lints]` and `#[dpia::allow]`), a default level and a legal reference. `cargo dpia-lint explain <CODE|NAME>` prints the same text.\n\n");
    s.push_str("| code | name | default | summary |\n|---|---|---|---|\n");
    for m in metas() {
        let status = if m.implemented {
            ""
        } else {
            " *(not implemented yet)*"
        };
        s.push_str(&format!(
            "| {} | [{}](#{}) | {} | {}{status} |\n",
            m.code,
            m.name,
            m.name,
            m.default_level.as_str(),
            m.summary
        ));
    }
    for m in metas() {
        s.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n## {} {}\n\n",
            m.name, m.code, m.name
        ));
        s.push_str(&format!("{}.\n\n", capitalise(m.summary)));
        s.push_str("| | |\n|---|---|\n");
        s.push_str(&format!(
            "| default level | `{}` |\n",
            m.default_level.as_str()
        ));
        s.push_str(&format!(
            "| legal reference (`uk-gdpr`) | {} |\n",
            m.legal_uk_gdpr
        ));
        s.push_str(&format!(
            "| legal reference (`dpa2018-part3`) | {} |\n",
            m.legal_part3
        ));
        s.push_str(&format!("| DPIA step | {} |\n", m.dpia_step));
        s.push_str(&format!("| precision | {} |\n", m.precision.as_str()));
        s.push_str(&format!(
            "| implemented | {} |\n",
            if m.implemented { "yes" } else { "not yet" }
        ));
        s.push_str(&format!("| source | `{}` |\n\n", m.file));
        // rule docs use level-2 headings; nest them under the rule's own
        for line in m.docs_markdown().lines() {
            match line.strip_prefix("## ") {
                Some(h) => s.push_str(&format!("### {h}\n")),
                None => {
                    s.push_str(line);
                    s.push('\n');
                }
            }
        }
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
