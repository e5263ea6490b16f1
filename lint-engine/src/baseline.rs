//! Baselines: the findings a team has accepted for now, so that only new ones fail CI.
//!
//! `dpia-baseline.json` holds one entry per fingerprint ([`Finding::fingerprint`]: rule,
//! file, item path and domain facts, never a line number) with the number of findings that
//! share it. A run against a baseline marks each finding [`BaselineState::Unchanged`] while
//! its fingerprint has entries left, else [`BaselineState::New`]; entries left over are
//! findings fixed since the baseline was written. Moving code within a file, reformatting or
//! editing another function changes no fingerprint, so it never makes a finding new.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diag::{BaselineState, Finding, Level};
use crate::source::SourceDb;

/// The file `cargo dpia-lint baseline` writes when the manifest names none.
pub const FILE_NAME: &str = "dpia-baseline.json";

/// The only version this build reads and writes.
pub const VERSION: u32 = 1;

/// `dpia-baseline.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One fingerprint of the baseline.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub fingerprint: String,
    /// The item the findings are in (`crate::mail::send`); empty in the manifest.
    pub item: String,
    pub file: String,
    /// How many findings share the fingerprint.
    pub count: u32,
    /// The first finding's message, for people reading the file.
    pub message: String,
}

/// What a run against a baseline found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Findings matched by an entry.
    pub unchanged: usize,
    /// Findings the baseline has that the code no longer has.
    pub fixed: usize,
}

/// Findings a baseline takes: reported (not `allow`) and not suppressed.
fn counted(f: &Finding) -> bool {
    f.level != Level::Allow && f.suppression.is_none()
}

impl Baseline {
    /// The baseline of a run's findings, sorted by file, rule, item and fingerprint.
    pub fn of(findings: &[Finding], db: &SourceDb) -> Baseline {
        let mut by_fp: BTreeMap<String, Entry> = BTreeMap::new();
        for f in findings.iter().filter(|f| counted(f)) {
            let fp = f.fingerprint(db);
            by_fp
                .entry(fp.clone())
                .and_modify(|e| e.count += 1)
                .or_insert_with(|| Entry {
                    rule: f.code.to_string(),
                    fingerprint: fp,
                    item: f.item_path.clone(),
                    file: db.get(f.primary.span.file).rel_path.clone(),
                    count: 1,
                    message: f.message.clone(),
                });
        }
        let mut findings: Vec<Entry> = by_fp.into_values().collect();
        findings.sort_by(|a, b| {
            (&a.file, &a.rule, &a.item, &a.fingerprint).cmp(&(
                &b.file,
                &b.rule,
                &b.item,
                &b.fingerprint,
            ))
        });
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != VERSION {
            return Err(format!(
                "version {} is not supported (this dpia-lint reads version {VERSION}); regenerate it with `cargo dpia-lint baseline`",
                b.version
            ));
        }
        Ok(b)
    }

    /// The file's text: pretty JSON with a final newline, byte-identical for equal baselines.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Marks every counted finding new or unchanged.
    pub fn apply(&self, findings: &mut [Finding], db: &SourceDb) -> Outcome {
        let mut left: BTreeMap<&str, u32> = BTreeMap::new();
        for e in &self.findings {
            *left.entry(e.fingerprint.as_str()).or_insert(0) += e.count;
        }
        let mut unchanged = 0;
        for f in findings.iter_mut().filter(|f| counted(f)) {
            let fp = f.fingerprint(db);
            match left.get_mut(fp.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    unchanged += 1;
                    f.baseline = Some(BaselineState::Unchanged);
                }
                _ => f.baseline = Some(BaselineState::New),
            }
        }
        Outcome {
            unchanged,
            fixed: left.values().map(|&n| n as usize).sum(),
        }
    }

    /// Entries of `now` that this baseline lacks, or that have more findings now: what would
    /// make the committed baseline grow (`baseline --check`). Counts are those added.
    pub fn growth(&self, now: &Baseline) -> Vec<Entry> {
        let mut had: BTreeMap<&str, u32> = BTreeMap::new();
        for e in &self.findings {
            *had.entry(e.fingerprint.as_str()).or_insert(0) += e.count;
        }
        now.findings
            .iter()
            .filter_map(|e| {
                let before = had.get(e.fingerprint.as_str()).copied().unwrap_or(0);
                (e.count > before).then(|| Entry {
                    count: e.count - before,
                    ..e.clone()
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Label;
    use crate::source::Span;
    use std::sync::Arc;

    fn db() -> (SourceDb, crate::FileId) {
        let mut db = SourceDb::new("crate-root".into());
        let f = db.add(
            "crate-root/src/lib.rs".into(),
            Arc::from("fn a() {}\nfn b() {}\n"),
        );
        (db, f)
    }

    fn finding(file: crate::FileId, at: u32, item: &str, cat: &str) -> Finding {
        let mut f = Finding::new(
            "DPIA302",
            Level::Deny,
            Label::new(Span::new(file, at as usize..at as usize + 1), "here"),
            format!("`{cat}` reaches the log"),
        )
        .with_item(item);
        f.facts.category = Some(cat.into());
        f
    }

    #[test]
    fn counts_findings_per_fingerprint_and_sorts() {
        let (db, file) = db();
        let fs = vec![
            finding(file, 10, "crate::b", "email"),
            finding(file, 0, "crate::a", "email"),
            finding(file, 3, "crate::a", "email"),
        ];
        let b = Baseline::of(&fs, &db);
        assert_eq!(b.findings.len(), 2);
        assert_eq!(b.findings[0].item, "crate::a");
        assert_eq!(b.findings[0].count, 2);
        assert_eq!(b.findings[1].count, 1);
        let again = Baseline::parse(&b.to_json()).unwrap();
        assert_eq!(again, b);
        assert!(!b.to_json().contains("\"line"));
    }

    #[test]
    fn applies_up_to_the_count_and_counts_the_fixed() {
        let (db, file) = db();
        let base = Baseline::of(
            &[
                finding(file, 0, "crate::a", "email"),
                finding(file, 10, "crate::b", "phone"),
            ],
            &db,
        );
        let mut now = vec![
            // moved within the file: still unchanged
            finding(file, 5, "crate::a", "email"),
            // a second one in the same item: new
            finding(file, 6, "crate::a", "email"),
        ];
        let out = base.apply(&mut now, &db);
        assert_eq!(
            out,
            Outcome {
                unchanged: 1,
                fixed: 1
            }
        );
        assert_eq!(now[0].baseline, Some(BaselineState::Unchanged));
        assert_eq!(now[1].baseline, Some(BaselineState::New));
        let grown = base.growth(&Baseline::of(&now, &db));
        assert_eq!(grown.len(), 1);
        assert_eq!(grown[0].count, 1);
        assert!(base.growth(&base).is_empty());
    }

    #[test]
    fn rejects_unknown_versions_and_keys() {
        assert!(Baseline::parse(r#"{"version": 2, "findings": []}"#)
            .unwrap_err()
            .contains("version 2"));
        assert!(Baseline::parse(r#"{"version": 1, "findings": [], "x": 1}"#).is_err());
        assert!(Baseline::parse("not json").is_err());
    }
}
