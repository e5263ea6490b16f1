//! Suppressions: `#[dpia::allow(rule, reason = "...")]` on any item (and everything inside
//! it), and the manifest's `[[waivers]]` by item path or file path. Suppressed findings stay
//! in the report with their [`Suppression`] (SARIF `suppressions`, the human summary count).
//! The engine applies them after every other rule and hands what it found
//! ([`Suppressions`]) to the suppression rules, which report in their own files: DPIA901
//! allow-without-reason (and an expired waiver, which stops applying) and DPIA902
//! unused-allow.

use dpia_annotations::Tag;

use crate::diag::{Finding, Suppression, SuppressionKind};
use crate::manifest::Manifest;
use crate::model::Model;
use crate::rule::{Rule, RuleContext};
use crate::source::{FileId, SourceDb, Span};

pub const ALLOW_WITHOUT_REASON: &str = "DPIA901";
pub const UNUSED_ALLOW: &str = "DPIA902";

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

/// What applying the suppressions found: every `allow` and waiver, with whether it
/// suppressed anything. The suppression rules (DPIA901, DPIA902) report from this in their
/// own files ([`Rule::check_suppressions`]), after every other rule.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    pub allows: Vec<AllowUse>,
    pub waivers: Vec<WaiverUse>,
}

/// One `#[dpia::allow(rule, reason = "...")]`.
#[derive(Clone, Debug)]
pub struct AllowUse {
    /// The attribute.
    pub attr: Span,
    /// The item it is on: it covers the item's whole span.
    pub scope: Span,
    /// The rule as written.
    pub rule: String,
    pub reason: Option<String>,
    /// The item it is on.
    pub item_path: String,
    /// Did it suppress a finding?
    pub used: bool,
}

/// One `[[waivers]]` entry.
#[derive(Clone, Debug)]
pub struct WaiverUse {
    /// The whole entry in the manifest.
    pub span: Span,
    /// The rule as written.
    pub rule: String,
    pub reason: Option<String>,
    /// `expires` and its span.
    pub expires: Option<(String, Span)>,
    /// Past `expires` (then it suppresses nothing).
    pub expired: bool,
    /// Did it suppress a finding?
    pub used: bool,
}

/// Marks the suppressed findings (the innermost `allow` whose item contains the finding,
/// else the first unexpired waiver that covers its item or file) and says which
/// suppressions were used.
pub fn apply(
    findings: &mut [Finding],
    cx: &RuleContext<'_>,
    rules: &[&'static dyn Rule],
    today: &str,
) -> Suppressions {
    let mut s = Suppressions {
        allows: allows(cx.model),
        waivers: waivers(cx.manifest, cx.manifest_file, today),
    };
    for f in findings.iter_mut() {
        if f.code == ALLOW_WITHOUT_REASON || f.code == UNUSED_ALLOW {
            continue;
        }
        f.suppression = suppress_in_source(f, &mut s.allows, rules)
            .or_else(|| waive(f, &mut s.waivers, cx, rules));
    }
    s
}

fn allows(model: &Model) -> Vec<AllowUse> {
    let mut out = Vec::new();
    for item in &model.items {
        for t in &item.tags {
            if let Tag::Allow(a) = &t.tag {
                out.push(AllowUse {
                    attr: t.span,
                    scope: item.span,
                    rule: a.rule.value.clone(),
                    reason: a.reason.as_ref().map(|r| r.value.clone()),
                    item_path: item.path.clone(),
                    used: false,
                });
            }
        }
    }
    out
}

fn waivers(manifest: &Manifest, manifest_file: FileId, today: &str) -> Vec<WaiverUse> {
    manifest
        .waivers
        .iter()
        .map(|w| WaiverUse {
            span: Span::new(manifest_file, w.span.clone()),
            rule: w.rule.value.clone(),
            reason: w.reason.as_ref().map(|r| r.value.clone()),
            expires: w
                .expires
                .as_ref()
                .map(|e| (e.value.clone(), Span::new(manifest_file, e.span.clone()))),
            expired: w.expires.as_ref().is_some_and(|e| e.value.as_str() < today),
            used: false,
        })
        .collect()
}

/// The innermost `allow` whose item contains `f` and names its rule.
fn suppress_in_source(
    f: &Finding,
    allows: &mut [AllowUse],
    rules: &[&'static dyn Rule],
) -> Option<Suppression> {
    let a = allows
        .iter_mut()
        .filter(|a| a.scope.contains(f.primary.span) && rule_matches(rules, &a.rule, f.code))
        .min_by_key(|a| a.scope.end - a.scope.start)?;
    a.used = true;
    Some(Suppression {
        kind: SuppressionKind::InSource,
        reason: a.reason.clone().unwrap_or_default(),
        span: Some(a.attr),
    })
}

/// The first unexpired waiver of `f`'s rule that covers its item path or its file.
fn waive(
    f: &Finding,
    waivers: &mut [WaiverUse],
    cx: &RuleContext<'_>,
    rules: &[&'static dyn Rule],
) -> Option<Suppression> {
    let file = &cx.db.get(f.primary.span.file).rel_path;
    for (w, entry) in waivers.iter_mut().zip(&cx.manifest.waivers) {
        if w.expired || !rule_matches(rules, &w.rule, f.code) {
            continue;
        }
        let by_item = entry.item.as_ref().is_some_and(|it| {
            !f.item_path.is_empty()
                && (f.item_path == it.value || f.item_path.starts_with(&format!("{}::", it.value)))
        });
        let by_path = entry.path.as_ref().is_some_and(|p| {
            let p = p.value.trim_start_matches("./").trim_end_matches('/');
            file == p || file.starts_with(&format!("{p}/")) || file.ends_with(&format!("/{p}"))
        });
        if by_item || by_path {
            w.used = true;
            return Some(Suppression {
                kind: SuppressionKind::External,
                reason: w.reason.clone().unwrap_or_default(),
                span: Some(w.span),
            });
        }
    }
    None
}

/// What to delete to remove `span`: its whole line(s) when nothing else is on them, else
/// just the span (DPIA902's fix).
pub fn removal(db: &SourceDb, span: Span) -> Span {
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
