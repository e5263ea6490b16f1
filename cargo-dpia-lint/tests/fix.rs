//! Fixes: suggestions in every format, and `--fix` applying them. The fixed file is
//! `dpia/tests/pass/fixed_by_dpia_lint.rs`, which the `dpia` crate's trybuild test compiles.

use std::path::Path;

use crate::support::{run, text};

fn fixed() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dpia/tests/pass/fixed_by_dpia_lint.rs");
    std::fs::read_to_string(p).unwrap()
}

/// The fixed file with the three mistakes `--fix` knows how to undo.
fn broken() -> String {
    let f = fixed();
    let b = f
        .replace("retention = \"1d\"", "retension = \"1d\"")
        .replace("operations = [\"consult\"]", "operations = [\"consul\"]")
        .replace(
            "#[processing(purpose",
            "#[dpia::allow(function_creep, reason = \"ref DP-1\")]\n#[processing(purpose",
        );
    assert_ne!(b, f);
    b
}

const MANIFEST: &str = r#"
[dpia]
title = "t"
regime = "dpa2018-part3"

[categories.vrm]
description = "Vehicle registration mark"
kind = "vehicle-registration"
retention = "1d"

[purposes.county-lines-detection]
description = "d"
basis = "part3.task"
categories = ["vrm"]
recipients = ["audit"]

[recipients.audit]
kind = "audit"

[lints]
no-erasure-routine = "allow"
missing-audit-log = "allow"
unused-declaration = "allow"
"#;

fn krate(lib: &str) -> tempfile::TempDir {
    crate::support::krate(MANIFEST, lib)
}

#[test]
fn the_fixed_file_is_clean() {
    let dir = krate(&fixed());
    let out = run(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).starts_with("0 errors, 0 warnings"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn suggestions_show_in_human_json_and_sarif() {
    let dir = krate(&broken());
    let human = text(&run(dir.path(), &["."]).stdout);
    assert!(
        human.contains("help: replace with `retention`: `retension` → `retention` (`cargo dpia-lint --fix` applies it)"),
        "{human}"
    );
    assert!(
        human.contains("help: replace with `\"consult\"`"),
        "{human}"
    );
    assert!(
        human.contains("help: remove the `allow`: remove `#[dpia::allow(function_creep"),
        "{human}"
    );

    let json = text(&run(dir.path(), &[".", "--format", "json"]).stdout);
    let mut replacements = Vec::new();
    for line in json.lines() {
        let d: cargo_metadata::diagnostic::Diagnostic = serde_json::from_str(line).unwrap();
        for c in &d.children {
            for s in &c.spans {
                if let Some(r) = &s.suggested_replacement {
                    assert_eq!(
                        s.suggestion_applicability,
                        Some(cargo_metadata::diagnostic::Applicability::MachineApplicable)
                    );
                    replacements.push(r.clone());
                }
            }
        }
    }
    replacements.sort();
    assert_eq!(replacements, ["", "\"consult\"", "retention"]);

    let sarif: serde_json::Value =
        serde_json::from_slice(&run(dir.path(), &[".", "--format", "sarif"]).stdout).unwrap();
    let fixes: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("fixes"))
        .collect();
    assert_eq!(fixes.len(), 3);
    for f in fixes {
        let changes = f[0]["artifactChanges"].as_array().unwrap();
        assert!(!changes.is_empty());
        assert!(!changes[0]["replacements"].as_array().unwrap().is_empty());
        assert_eq!(changes[0]["artifactLocation"]["uri"], "src/lib.rs");
    }
}

#[test]
fn fix_applies_them_and_the_findings_are_gone() {
    let dir = krate(&broken());
    let manifest_before = std::fs::read_to_string(dir.path().join("dpia.toml")).unwrap();
    let out = run(dir.path(), &[".", "--fix"]);
    let stdout = text(&out.stdout);
    assert!(
        text(&out.stderr).contains("fixed 3 problem(s) in 1 file(s)"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("0 errors, 0 warnings"), "{stdout}");
    let after = std::fs::read_to_string(dir.path().join("src/lib.rs")).unwrap();
    assert_eq!(after, fixed());
    // the controller's document is never edited
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dpia.toml")).unwrap(),
        manifest_before
    );
    // nothing left to do
    let again = run(dir.path(), &[".", "--fix"]);
    assert!(text(&again.stderr).contains("fixed 0 problem(s)"));
}

#[test]
fn unsafe_fixes_needs_fix() {
    let dir = krate(&fixed());
    let out = run(dir.path(), &[".", "--unsafe-fixes"]);
    assert_eq!(out.status.code(), Some(2));
}
