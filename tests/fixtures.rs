//! One generic test over every fixture crate in `tests/fixtures/`: the findings are exactly
//! the `//~ CODE` markers, and the human and SARIF output match their snapshots.

use cargo_dpia_lint::cli::Format;
use dpia_lint_e2e::{expected, fixtures, found, lint, marker_diff, metas, render};

#[test]
fn every_fixture_fires_exactly_its_markers() {
    let mut failures = String::new();
    for dir in fixtures() {
        let report = lint(&dir, false);
        if let Some(diff) = marker_diff(&expected(&report), &found(&report)) {
            failures.push_str(&format!("{}:\n{diff}", dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "findings differ from the //~ markers:\n{failures}"
    );
}

#[test]
fn every_fixture_matches_its_snapshots() {
    for dir in fixtures() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let report = lint(&dir, false);
        let human = render(&report, Format::Human, false);
        let mut sarif: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Sarif, false)).unwrap();
        // the rule catalogue is the same in every run; snapshot only what this run found
        let rules = &mut sarif["runs"][0]["tool"]["driver"]["rules"];
        let count = rules.as_array().map(|r| r.len()).unwrap_or(0);
        *rules = serde_json::json!(format!("{count} rules"));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{name}__human"), human);
            insta::assert_json_snapshot!(format!("{name}__sarif"), sarif);
        });
    }
}

#[test]
fn every_fixture_sarif_is_valid_against_the_schema() {
    let schema_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sarif/tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    for dir in fixtures().into_iter().chain(examples()) {
        let report = lint(&dir, false);
        let sarif: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Sarif, false)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    }
}

#[test]
fn every_implemented_rule_has_a_fixture_that_fires_it() {
    let fired: Vec<String> = fixtures()
        .iter()
        .flat_map(|d| found(&lint(d, false)).into_keys().map(|k| k.2))
        .collect();
    for meta in metas().into_iter().filter(|m| m.implemented) {
        let dir = dpia_lint_e2e::fixtures_dir().join(meta.name.replace('-', "_"));
        assert!(
            dir.join("dpia.toml").is_file(),
            "{} {} has no fixture at {}",
            meta.code,
            meta.name,
            dir.display()
        );
        assert!(
            fired.iter().any(|c| c == meta.code),
            "no fixture fires {} {}",
            meta.code,
            meta.name
        );
    }
}

fn examples() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut v: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("dpia.toml").is_file())
        .collect();
    v.sort();
    v
}
