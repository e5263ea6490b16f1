//! What a rule is: static metadata ([`RuleMeta`]) and a check over the model ([`Rule`]).
//! The rules themselves live in the `dpia-lint-rules` crate, one file each.

use crate::diag::{Finding, Level};
use crate::flow::Flows;
use crate::manifest::Manifest;
use crate::model::Model;
use crate::source::{FileId, SourceDb};

/// How far a rule's findings can be trusted; stated in its docs and in SARIF
/// `properties.precision` (GitHub's values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    VeryHigh,
    High,
    Medium,
    Low,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

/// A rule's static metadata; one per rule file, declared with `declare_rule!`.
#[derive(Debug)]
pub struct RuleMeta {
    /// `DPIA102`. Codes are append-only.
    pub code: &'static str,
    /// `function-creep`.
    pub name: &'static str,
    /// One line, lowercase start, no trailing period.
    pub summary: &'static str,
    pub default_level: Level,
    /// The provisions the rule checks under `regime = "uk-gdpr"` (UK GDPR and DPA 2018
    /// Part 2), e.g. "UK GDPR Art 5(1)(b), 8A".
    pub legal_uk_gdpr: &'static str,
    /// The provisions under `regime = "dpa2018-part3"`, e.g. "DPA 2018 s36(1)(b), (3)–(4)".
    pub legal_part3: &'static str,
    /// E.g. "Step 4(d) function creep".
    pub dpia_step: &'static str,
    pub precision: Precision,
    /// Markdown with the headings *What it does* / *Why it matters* / *Example* / *How to fix*.
    pub docs: &'static str,
    /// False for rules declared in the catalogue whose check is not written yet: they never fire.
    pub implemented: bool,
    /// Source file of the rule, for `docs/rules.md` and contributors.
    pub file: &'static str,
}

impl RuleMeta {
    /// The docs as Markdown: the doc comment's one-space indent removed from every line.
    pub fn docs_markdown(&self) -> String {
        let indented = self
            .docs
            .lines()
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.starts_with(' '));
        let mut out = String::with_capacity(self.docs.len());
        for l in self.docs.lines() {
            out.push_str(if indented {
                l.strip_prefix(' ').unwrap_or(l)
            } else {
                l
            });
            out.push('\n');
        }
        out
    }

    /// The legal reference under a regime (`uk-gdpr`, `dpa2018-part3`, as the manifest and
    /// `Report::regime` spell it); anything else is treated as `uk-gdpr`.
    pub fn legal_reference(&self, regime: &str) -> &'static str {
        if regime == dpia_annotations::basis::Regime::Part3.as_str() {
            self.legal_part3
        } else {
            self.legal_uk_gdpr
        }
    }

    /// Both regimes' references on one line, for `explain`, SARIF `help` and `docs/rules.md`.
    pub fn legal_references(&self) -> String {
        format!(
            "uk-gdpr: {}; dpa2018-part3: {}",
            self.legal_uk_gdpr, self.legal_part3
        )
    }

    /// The rule's group in the catalogue (`purposes`, `legal`, ...), the folder of its file;
    /// empty for a rule outside the catalogue (a test probe).
    pub fn group(&self) -> &'static str {
        group_of(self.code)
    }

    /// Does `name` (a code, or a name with `-` or `_`) name this rule?
    pub fn matches(&self, name: &str) -> bool {
        dpia_annotations::catalogue::designates(self.code, self.name, name)
    }
}

/// The catalogue group of the rule `code`; empty when the code is not in the catalogue.
pub fn group_of(code: &str) -> &'static str {
    dpia_annotations::catalogue::rule(code).map_or("", |r| r.group)
}

/// The catalogue group of the legal-condition rules (DPIA5xx).
pub const LEGAL_GROUP: &str = "legal";

/// Everything a rule may read. Rules do no IO.
pub struct RuleContext<'a> {
    pub model: &'a Model,
    pub manifest: &'a Manifest,
    /// The manifest's file in `db`.
    pub manifest_file: FileId,
    pub db: &'a SourceDb,
    /// The personal-data flows.
    pub flows: &'a Flows,
    /// What the code processes (the processing inventory; what `dpia.lock` keeps).
    pub inventory: &'a crate::inventory::Inventory,
    /// `dpia.lock`, under `--locked` (DPIA601).
    pub lock: Option<&'a crate::lock::Lock>,
}

/// A rule: metadata plus a check that pushes findings.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>);

    /// Runs after the engine has applied the suppressions to every other rule's findings:
    /// the suppression rules (DPIA901, DPIA902) report on the `allow`s and waivers here.
    fn check_suppressions(
        &self,
        _cx: &RuleContext<'_>,
        _suppressions: &crate::suppress::Suppressions,
        _out: &mut Vec<Finding>,
    ) {
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_lose_the_doc_comment_indent() {
        let meta = RuleMeta {
            code: "DPIA000",
            name: "probe",
            summary: "",
            default_level: Level::Warn,
            legal_uk_gdpr: "",
            legal_part3: "",
            dpia_step: "",
            precision: Precision::High,
            docs: " ## What it does\n Reports a\n\n thing.\n",
            implemented: true,
            file: "",
        };
        assert_eq!(
            meta.docs_markdown(),
            "## What it does\nReports a\n\nthing.\n"
        );
    }
}
