//! `--format gitlab`: GitLab Code Quality JSON (an array of issues), with the same stable
//! fingerprints as SARIF.

use dpia_lint_engine::{Level, Report};
use serde_json::json;

pub fn render(report: &Report) -> Vec<u8> {
    let fingerprints = dpia_lint_sarif::unique_fingerprints(report);
    let issues: Vec<serde_json::Value> = report
        .findings
        .iter()
        .zip(&fingerprints)
        .filter(|(f, _)| f.level != Level::Allow && f.suppression.is_none())
        .map(|(f, fp)| {
            let file = report.db.get(f.primary.span.file);
            let (begin, _) = file.line_col(f.primary.span.start as usize);
            let (end, _) = file.line_col(f.primary.span.end as usize);
            json!({
                "description": f.message,
                "check_name": f.code,
                "fingerprint": fp,
                "severity": if f.level == Level::Deny { "major" } else { "minor" },
                "location": { "path": file.rel_path, "lines": { "begin": begin, "end": end } },
            })
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&issues).unwrap_or_default();
    out.push(b'\n');
    out
}
