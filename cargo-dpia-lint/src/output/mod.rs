//! Renderers: one per `--format`. Each turns a [`Report`] into bytes; the CLI writes them.
//! Findings at `allow` level never appear; suppressed findings appear only in SARIF (with
//! `suppressions`, unless `--no-suppressed`) and are counted in the human summary.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;

use dpia_lint_engine::{Finding, Level, Report, RuleMeta};

use crate::cli::Format;

/// Where dpia-lint lives; SARIF rule `helpUri`s point into its `docs/rules.md`.
pub const INFORMATION_URI: &str = "https://github.com/dpia-lint/dpia-lint";

/// Renders `report` in `format`.
pub fn render(
    format: Format,
    report: &Report,
    rules: &[&'static RuleMeta],
    colour: bool,
    no_suppressed: bool,
) -> Vec<u8> {
    match format {
        Format::Human => human::render(report, rules, colour),
        Format::Sarif => {
            let opts = dpia_lint_sarif::SarifOptions {
                tool_version: env!("CARGO_PKG_VERSION").to_string(),
                no_suppressed,
                information_uri: INFORMATION_URI.to_string(),
                regime: Some(report.regime.to_string()),
            };
            dpia_lint_sarif::to_string(report, rules, &opts).into_bytes()
        }
        Format::Json => json::render(report, rules),
        Format::Github => github::render(report, rules),
        Format::Gitlab => gitlab::render(report),
    }
}

/// The findings a person sees: not allowed, not suppressed.
pub(crate) fn shown(report: &Report) -> impl Iterator<Item = &Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.level != Level::Allow && f.suppression.is_none())
}

pub(crate) fn meta<'a>(rules: &[&'a RuleMeta], code: &str) -> Option<&'a RuleMeta> {
    rules.iter().copied().find(|m| m.code == code)
}
