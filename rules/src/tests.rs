//! Meta-tests: the catalogue matches the contract, every rule is documented, docs/rules.md
//! is in sync.

use std::path::Path;

use dpia_lint_engine::Level;

use super::*;

#[test]
fn codes_and_names_are_the_contract() {
    let ours: Vec<(&str, &str)> = metas().map(|m| (m.code, m.name)).collect();
    assert_eq!(ours, dpia_annotations::RULES);
}

#[test]
fn default_levels_are_the_contract() {
    for m in metas() {
        let warn = matches!(
            m.code,
            "DPIA001" | "DPIA201" | "DPIA203" | "DPIA303" | "DPIA901" | "DPIA902"
        );
        let expected = if warn { Level::Warn } else { Level::Deny };
        assert_eq!(m.default_level, expected, "{}", m.code);
    }
}

#[test]
fn every_rule_is_documented() {
    for m in metas() {
        for heading in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## How to fix",
            "## Precision",
        ] {
            assert!(m.docs.contains(heading), "{} lacks `{heading}`", m.code);
        }
        assert!(
            m.docs.contains("```dpia-fail") && m.docs.contains("```dpia-pass"),
            "{} lacks examples",
            m.code
        );
        assert!(
            !m.legal_reference.is_empty() && !m.dpia_step.is_empty(),
            "{}",
            m.code
        );
        assert_eq!(
            m.docs.contains("Not implemented yet"),
            !m.implemented,
            "{}: docs must say whether it is implemented",
            m.code
        );
    }
}

#[test]
fn summaries_are_rustc_style() {
    for m in metas() {
        let first = m.summary.chars().next().unwrap();
        assert!(!first.is_uppercase(), "{}: starts lowercase", m.code);
        assert!(!m.summary.ends_with('.'), "{}: no trailing period", m.code);
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: kebab-case",
            m.code
        );
    }
}

#[test]
fn one_file_per_rule_named_after_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for m in metas() {
        let path = root.join(m.file);
        assert!(path.is_file(), "{}: {} does not exist", m.code, m.file);
        let stem = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace('_', "-");
        assert_eq!(stem, m.name, "{} lives in {}", m.code, m.file);
    }
}

#[test]
fn find_accepts_codes_and_both_name_spellings() {
    assert_eq!(find("DPIA102").unwrap().name, "function-creep");
    assert_eq!(find("dpia102").unwrap().name, "function-creep");
    assert_eq!(find("function_creep").unwrap().code, "DPIA102");
    assert!(find("function-crep").is_none());
    assert!(explain(find("DPIA101").unwrap()).starts_with("DPIA101 undeclared-purpose: "));
}

#[test]
fn docs_rules_md_is_in_sync() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let fresh = rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p dpia-lint-rules`"
    );
}
