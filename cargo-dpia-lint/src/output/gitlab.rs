//! `--format gitlab`: a GitLab Code Quality report, a JSON array of issues with
//! `description`, `check_name` (the rule code), `fingerprint`, `severity` and
//! `location {path, lines {begin, end}}`.
//!
//! The fingerprint is SARIF's `partialFingerprints["dpiaLint/v1"]`, occurrence suffix
//! included ([`Report::unique_fingerprints`](dpia_lint_engine::Report::unique_fingerprints)), so a finding keeps its identity
//! across both reports and across unrelated edits.
//!
//! Severity, from the finding's level and its rule's catalogue group: `deny` → `major`,
//! `warn` → `minor`, except that a `deny` finding of a rule of the `legal` group (the
//! legal conditions, DPIA5xx: sensitive data without a condition, missing Part 3 audit log,
//! automated decision without review) is `critical`: each is processing the law forbids
//! outright, not a mismatch between code and paperwork.

use dpia_lint_engine::{rule, Finding, Level, Report};
use serde_json::json;

/// GitLab's severity of a finding.
pub fn severity(f: &Finding) -> &'static str {
    match f.level {
        Level::Deny if rule::group_of(f.code) == rule::LEGAL_GROUP => "critical",
        Level::Deny => "major",
        Level::Warn => "minor",
        Level::Allow => "info",
    }
}

/// The issues of the shown findings (not allowed, not suppressed, not in the baseline),
/// pretty-printed.
pub fn render(report: &Report) -> Vec<u8> {
    let fingerprints = report.unique_fingerprints();
    let issues: Vec<serde_json::Value> = report
        .findings
        .iter()
        .zip(&fingerprints)
        .filter(|(f, _)| super::is_shown(f))
        .map(|(f, fp)| {
            let file = report.db.get(f.primary.span.file);
            let ((begin, _), (end, _)) = super::line_cols(&report.db, f.primary.span);
            json!({
                "description": f.message,
                "check_name": f.code,
                "fingerprint": fp,
                "severity": severity(f),
                "location": { "path": file.rel_path, "lines": { "begin": begin, "end": end } },
            })
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&issues).expect("JSON values serialise");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::super::fixture;
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Issue {
        description: String,
        check_name: String,
        fingerprint: String,
        severity: String,
        location: IssueLocation,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct IssueLocation {
        path: String,
        lines: Lines,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Lines {
        begin: usize,
        end: usize,
    }

    #[test]
    fn issues_deserialise_with_sarif_fingerprints() {
        let r = fixture::report();
        let issues: Vec<Issue> = serde_json::from_slice(&render(&r)).unwrap();
        // shown: 001, 501, 102, 102, 302
        let codes: Vec<&str> = issues.iter().map(|i| i.check_name.as_str()).collect();
        assert_eq!(
            codes,
            ["DPIA001", "DPIA501", "DPIA102", "DPIA102", "DPIA302"]
        );
        let sev: Vec<&str> = issues.iter().map(|i| i.severity.as_str()).collect();
        assert_eq!(sev, ["minor", "critical", "major", "major", "major"]);
        let creep = &issues[2];
        assert_eq!(creep.location.path, "src/lib.rs");
        assert_eq!(
            (creep.location.lines.begin, creep.location.lines.end),
            (5, 5)
        );
        assert!(creep.description.starts_with("category `vrm`"));

        // the same fingerprints as SARIF, occurrence suffix included
        let fps = r.unique_fingerprints();
        assert_eq!(issues[2].fingerprint, fps[3]);
        assert_eq!(issues[3].fingerprint, fps[5]);
        assert_eq!(issues[3].fingerprint, format!("{}:3", fps[3]));
        let sarif = dpia_lint_sarif::to_sarif(&r, &fixture::rules(), &Default::default());
        let sarif_fps: Vec<String> = sarif.runs[0]
            .results
            .as_ref()
            .unwrap()
            .iter()
            .map(|res| res.partial_fingerprints.as_ref().unwrap()["dpiaLint/v1"].clone())
            .collect();
        assert!(issues.iter().all(|i| sarif_fps.contains(&i.fingerprint)));
        let mut unique: Vec<&str> = issues.iter().map(|i| i.fingerprint.as_str()).collect();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), issues.len());
    }

    #[test]
    fn an_empty_report_is_an_empty_array() {
        let mut r = fixture::report();
        r.findings.clear();
        assert_eq!(render(&r), b"[]\n");
    }
}
