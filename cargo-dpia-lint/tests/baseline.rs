//! Adopting dpia-lint on an existing codebase: `baseline`, `--baseline`, `baseline --check`
//! and `--format markdown`, on crates built in temp dirs.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_SHA")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(root: &Path, rel: &str, body: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

const MANIFEST: &str = r#"
[dpia]
title = "Mail"
regime = "uk-gdpr"

[categories.email]
description = "Customer email address"
kind = "email"
retention = "30d"

[purposes.newsletter]
description = "Send the newsletter"
basis = "art6.consent"
categories = ["email"]
recipients = []

[lints]
missing-retention = "allow"
no-erasure-routine = "allow"
unused-declaration = "allow"
"#;

/// Two functions that log an address: two DPIA302 errors.
const LIB: &str = r#"use dpia::{personal_data, processing};

#[personal_data(category = "email")]
pub struct Email(pub String);

#[processing(purpose = "newsletter")]
pub fn send(to: &Email) {
    log::info!("sending to {}", to.0);
}

#[processing(purpose = "newsletter")]
pub fn bounce(to: &Email) {
    log::warn!("bounced: {}", to.0);
}
"#;

fn krate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"mail\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(dir.path(), "dpia.toml", MANIFEST);
    write(dir.path(), "src/lib.rs", LIB);
    dir
}

#[test]
fn a_baseline_accepts_todays_findings_and_catches_new_ones() {
    let dir = krate();
    let d = dir.path();
    let before = run(d, &["."]);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before.stdout));

    let wrote = run(d, &["baseline"]);
    assert_eq!(wrote.status.code(), Some(0), "{}", text(&wrote.stderr));
    assert!(text(&wrote.stdout).contains("wrote dpia-baseline.json: 2 finding(s)"));
    let json = std::fs::read_to_string(d.join("dpia-baseline.json")).unwrap();
    assert!(json.contains("\"version\": 1"), "{json}");
    assert!(json.contains("\"rule\": \"DPIA302\""), "{json}");
    assert!(!json.contains("line"), "no line numbers: {json}");
    // deterministic
    run(d, &["baseline"]);
    assert_eq!(
        std::fs::read_to_string(d.join("dpia-baseline.json")).unwrap(),
        json
    );

    let clean = run(d, &[".", "--baseline", "dpia-baseline.json"]);
    let out = text(&clean.stdout);
    assert_eq!(clean.status.code(), Some(0), "{out}");
    assert_eq!(
        out.trim(),
        "0 new errors, 0 new warnings; 2 in the baseline; 0 fixed since it was written (0 suppressed)"
    );

    // reformat, move a function within the file and edit another one: nothing new
    let moved = LIB.replace(
        "#[processing(purpose = \"newsletter\")]\npub fn bounce(to: &Email) {\n    log::warn!(\"bounced: {}\", to.0);\n}\n",
        "",
    );
    let moved = moved.replace(
        "#[processing(purpose = \"newsletter\")]\npub fn send",
        "#[processing(purpose = \"newsletter\")]\npub fn bounce(to: &Email)\n{\n\n    log::warn!(\n        \"bounced: {}\",\n        to.0\n    );\n}\n\n#[processing(purpose = \"newsletter\")]\npub fn send",
    );
    let moved = moved.replace(
        "log::info!(\"sending to {}\", to.0);",
        "let n = 1 + 1;\n    log::info!(\"sending to {}\", to.0);\n    let _ = n;",
    );
    write(d, "src/lib.rs", &moved);
    let after_move = run(d, &[".", "--baseline", "dpia-baseline.json"]);
    assert_eq!(
        after_move.status.code(),
        Some(0),
        "{}",
        text(&after_move.stdout)
    );
    assert!(text(&after_move.stdout).contains("0 new errors"));

    // one more leaking line: exactly one new finding, shown and failing the run
    let leaking = moved.replace(
        "    let _ = n;",
        "    let _ = n;\n    println!(\"{}\", to.0);",
    );
    write(d, "src/lib.rs", &leaking);
    let new = run(d, &[".", "--baseline", "dpia-baseline.json"]);
    let out = text(&new.stdout);
    assert_eq!(new.status.code(), Some(1), "{out}");
    assert_eq!(out.matches("error[DPIA302]").count(), 1, "{out}");
    assert!(out.contains("println!"), "{out}");
    assert!(
        out.contains("1 new error, 0 new warnings; 2 in the baseline; 0 fixed"),
        "{out}"
    );
    let check = run(d, &["baseline", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    assert!(text(&check.stdout).contains("1 finding(s) not in the baseline"));

    // fixing both old leaks: the baseline does not grow, and says what can be dropped
    let fixed = "use dpia::{personal_data, processing};\n\n#[personal_data(category = \"email\")]\npub struct Email(pub String);\n\n#[processing(purpose = \"newsletter\")]\npub fn send(to: &Email) {\n    let _ = to;\n}\n";
    write(d, "src/lib.rs", fixed);
    let after_fix = run(d, &[".", "--baseline", "dpia-baseline.json"]);
    assert!(
        text(&after_fix.stdout).contains("0 in the baseline; 2 fixed since it was written"),
        "{}",
        text(&after_fix.stdout)
    );
    let check = run(d, &["baseline", "--check"]);
    assert_eq!(check.status.code(), Some(0));
    assert!(text(&check.stdout).contains("2 of its findings are fixed"));
    run(d, &["baseline"]);
    let json = std::fs::read_to_string(d.join("dpia-baseline.json")).unwrap();
    assert!(json.contains("\"findings\": []"), "{json}");
}

#[test]
fn the_manifest_can_name_the_baseline_and_sarif_carries_the_state() {
    let dir = krate();
    let d = dir.path();
    write(
        d,
        "dpia.toml",
        &MANIFEST.replace(
            "regime = \"uk-gdpr\"",
            "regime = \"uk-gdpr\"\nbaseline = \"ci/accepted.json\"",
        ),
    );
    std::fs::create_dir_all(d.join("ci")).unwrap();
    // named but absent: the run cannot be done, and says how to make it
    let missing = run(d, &["."]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("cargo dpia-lint baseline"),
        "{}",
        text(&missing.stderr)
    );
    assert_eq!(run(d, &["baseline"]).status.code(), Some(0));
    assert!(d.join("ci/accepted.json").is_file());
    // one of the two is new
    write(
        d,
        "src/lib.rs",
        &format!("{LIB}\n#[dpia::processing(purpose = \"newsletter\")]\npub fn third(to: &Email) {{\n    log::error!(\"{{}}\", to.0);\n}}\n"),
    );
    let sarif = run(d, &[".", "--format", "sarif"]);
    assert_eq!(sarif.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let states: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 2);
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);

    let md = run(d, &[".", "--format", "markdown"]);
    let md = text(&md.stdout);
    assert!(md.starts_with("## dpia-lint"), "{md}");
    assert!(
        md.contains("**1 new error, 0 new warnings; 2 in the baseline"),
        "{md}"
    );
    assert_eq!(md.matches("| error | `DPIA302`").count(), 1, "{md}");
    assert!(md.contains("](src/lib.rs#L"), "{md}");
}

#[test]
fn a_baseline_outside_the_checkout_is_refused() {
    let dir = krate();
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "b.json",
        "{\"version\": 1, \"findings\": []}",
    );
    let rel = pathdiff(outside.path(), dir.path());
    write(
        dir.path(),
        "dpia.toml",
        &MANIFEST.replace(
            "regime = \"uk-gdpr\"",
            &format!("regime = \"uk-gdpr\"\nbaseline = \"{rel}/b.json\""),
        ),
    );
    let out = run(dir.path(), &["."]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("outside the linted directory"));
}

/// `to` relative to `from`, through `..`.
fn pathdiff(to: &Path, from: &Path) -> String {
    let ups = from.components().count();
    let mut s = "../".repeat(ups);
    s.push_str(
        to.strip_prefix("/")
            .unwrap_or(to)
            .to_string_lossy()
            .as_ref(),
    );
    s
}

/// On every real app of `../shared/corpus` (when it is there): a baseline, then a run
/// against it, exits 0 with nothing new.
#[test]
fn real_apps_are_clean_against_their_own_baseline() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    };
    let manifest = corpus.join("bare-dpia.toml");
    let mut trees: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    trees.sort();
    assert!(!trees.is_empty());
    let scratch = tempfile::tempdir().unwrap();
    for tree in trees {
        let name = tree.file_name().unwrap().to_string_lossy().into_owned();
        let b = scratch.path().join(format!("{name}.json"));
        let (tree_s, b_s, m_s) = (
            tree.to_str().unwrap(),
            b.to_str().unwrap(),
            manifest.to_str().unwrap(),
        );
        let wrote = run(
            scratch.path(),
            &["baseline", tree_s, "--dpia", m_s, "--output", b_s],
        );
        assert_eq!(
            wrote.status.code(),
            Some(0),
            "{name}: {}",
            text(&wrote.stderr)
        );
        let again = run(scratch.path(), &[tree_s, "--dpia", m_s, "--baseline", b_s]);
        let out = text(&again.stdout);
        assert_eq!(
            again.status.code(),
            Some(0),
            "{name}: {out}{}",
            text(&again.stderr)
        );
        // run notes (absent members of a partial checkout) come before the summary
        let summary = out.lines().last().unwrap_or("");
        assert!(
            summary.starts_with("0 new errors, 0 new warnings;"),
            "{name}: {out}"
        );
        assert!(
            summary.ends_with("fixed since it was written (0 suppressed)"),
            "{name}: {out}"
        );
    }
}
