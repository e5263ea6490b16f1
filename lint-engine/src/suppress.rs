//! Suppressions: `#[dpia::allow(rule, reason = "...")]` on any item (and everything inside
//! it), and the manifest's `[[waivers]]` by item path or file path. Suppressed findings stay
//! in the report with their [`Suppression`] (SARIF `suppressions`, the human summary count).
//! The suppression rules are reported here, after every other rule: DPIA901
//! allow-without-reason (and an expired waiver, which stops applying) and DPIA902
//! unused-allow.

use dpia_annotations::Tag;

use crate::diag::{
    Applicability, Edit, Facts, Finding, Label, Level, Suggestion, Suppression, SuppressionKind,
};
use crate::manifest::Manifest;
use crate::model::Model;
use crate::rule::Rule;
use crate::source::{FileId, SourceDb, Span};

pub const ALLOW_WITHOUT_REASON: &str = "DPIA901";
pub const UNUSED_ALLOW: &str = "DPIA902";

struct Allow<'a> {
    /// The item the attribute is on: it covers the item's whole span.
    scope: Span,
    rule: &'a str,
    reason: Option<&'a str>,
    attr: Span,
    item_path: &'a str,
    used: bool,
}

/// Today as `YYYY-MM-DD` (UTC), for waiver expiry.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's civil-from-days).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn rule_matches(rules: &[&'static dyn Rule], name: &str, code: &str) -> bool {
    rules
        .iter()
        .any(|r| r.meta().code == code && r.meta().matches(name))
}

/// Marks suppressed findings and appends DPIA901/DPIA902 findings.
pub fn apply(
    findings: &mut Vec<Finding>,
    model: &Model,
    manifest: &Manifest,
    manifest_file: FileId,
    db: &SourceDb,
    rules: &[&'static dyn Rule],
    today: &str,
) {
    let mut allows: Vec<Allow<'_>> = Vec::new();
    for item in &model.items {
        for t in &item.tags {
            if let Tag::Allow(a) = &t.tag {
                allows.push(Allow {
                    scope: item.span,
                    rule: &a.rule.value,
                    reason: a.reason.as_ref().map(|r| r.value.as_str()),
                    attr: t.span,
                    item_path: &item.path,
                    used: false,
                });
            }
        }
    }
    let waivers: Vec<(&crate::manifest::Waiver, bool)> = manifest
        .waivers
        .iter()
        .map(|w| {
            let expired = w.expires.as_ref().is_some_and(|e| e.value.as_str() < today);
            (w, expired)
        })
        .collect();
    let mut waiver_used = vec![false; waivers.len()];

    for f in findings.iter_mut() {
        if f.code == ALLOW_WITHOUT_REASON || f.code == UNUSED_ALLOW {
            continue;
        }
        // in source: the innermost `allow` whose item contains the finding
        let inner = allows
            .iter_mut()
            .filter(|a| a.scope.contains(f.primary.span) && rule_matches(rules, a.rule, f.code))
            .min_by_key(|a| a.scope.end - a.scope.start);
        if let Some(a) = inner {
            a.used = true;
            f.suppression = Some(Suppression {
                kind: SuppressionKind::InSource,
                reason: a.reason.unwrap_or("").to_string(),
                span: Some(a.attr),
            });
            continue;
        }
        let file = &db.get(f.primary.span.file).rel_path;
        for (i, (w, expired)) in waivers.iter().enumerate() {
            if *expired || !rule_matches(rules, &w.rule.value, f.code) {
                continue;
            }
            let by_item = w.item.as_ref().is_some_and(|it| {
                !f.item_path.is_empty()
                    && (f.item_path == it.value
                        || f.item_path.starts_with(&format!("{}::", it.value)))
            });
            let by_path = w.path.as_ref().is_some_and(|p| {
                let p = p.value.trim_start_matches("./").trim_end_matches('/');
                file == p || file.starts_with(&format!("{p}/")) || file.ends_with(&format!("/{p}"))
            });
            if by_item || by_path {
                waiver_used[i] = true;
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::External,
                    reason: w
                        .reason
                        .as_ref()
                        .map(|r| r.value.clone())
                        .unwrap_or_default(),
                    span: Some(Span::new(manifest_file, w.span.clone())),
                });
                break;
            }
        }
    }

    let mut out = Vec::new();
    for a in &allows {
        if a.reason.is_none_or(|r| r.trim().is_empty()) {
            out.push(
                Finding::new(
                    ALLOW_WITHOUT_REASON,
                    Level::Warn,
                    Label::new(a.attr, "no reason given"),
                    format!("`allow({})` has no reason", a.rule),
                )
                .with_item(a.item_path)
                .with_help(format!(
                    "say why, for the DPO and the next reviewer: `#[dpia::allow({}, reason = \"DPO approved on ..., ref ...\")]`",
                    a.rule
                )),
            );
        } else if !a.used {
            out.push(
                Finding::new(
                    UNUSED_ALLOW,
                    Level::Warn,
                    Label::new(a.attr, "suppresses nothing"),
                    format!("`allow({})` suppresses nothing", a.rule),
                )
                .with_item(a.item_path)
                .with_help("remove it: the finding it was for is gone, and a stale allow would hide a new one")
                .with_suggestion(Suggestion {
                    message: "remove the `allow`".into(),
                    edits: vec![Edit {
                        span: removal(db, a.attr),
                        replacement: String::new(),
                    }],
                    applicability: Applicability::MachineApplicable,
                }),
            );
        }
    }
    for (i, (w, expired)) in waivers.iter().enumerate() {
        let whole = Span::new(manifest_file, w.span.clone());
        let rule = &w.rule.value;
        if *expired {
            let e = w.expires.as_ref().map(|e| e.value.as_str()).unwrap_or("");
            let span = w
                .expires
                .as_ref()
                .map(|e| Span::new(manifest_file, e.span.clone()))
                .unwrap_or(whole);
            out.push(
                Finding::new(
                    ALLOW_WITHOUT_REASON,
                    Level::Warn,
                    Label::new(span, format!("expired on {e}")),
                    format!("the waiver for `{rule}` expired on {e}; it no longer applies"),
                )
                .with_help("the controller reviews it (with the DPO's advice): renew `expires`, or remove the waiver and fix the findings")
                .with_facts(Facts::default()),
            );
            continue;
        }
        if w.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
            out.push(
                Finding::new(
                    ALLOW_WITHOUT_REASON,
                    Level::Warn,
                    Label::new(whole, "no reason given"),
                    format!("the waiver for `{rule}` has no reason"),
                )
                .with_help("add `reason = \"...\"` (the controller's decision and its reference)"),
            );
        } else if !waiver_used[i] {
            out.push(
                Finding::new(
                    UNUSED_ALLOW,
                    Level::Warn,
                    Label::new(whole, "suppresses nothing"),
                    format!("the waiver for `{rule}` suppresses nothing"),
                )
                .with_help("remove it from dpia.toml: what it waived is gone"),
            );
        }
    }
    findings.extend(out);
}

/// What to delete to remove `span`: its whole line(s) when nothing else is on them, else
/// just the span.
fn removal(db: &SourceDb, span: Span) -> Span {
    let text = &db.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    let Some(before) = text.get(..start) else {
        return span;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let rest = text.get(end..).unwrap_or("");
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    let blank = |s: &str| {
        s.chars()
            .all(|c| c == ' ' || c == '\t' || c == '\r' || c == '\n')
    };
    if blank(&text[line_start..start]) && blank(&text[end..line_end]) {
        Span::new(span.file, line_start..line_end)
    } else {
        span
    }
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(20_516), "2026-03-04");
    }
}
