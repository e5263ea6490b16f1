//! One test per fixture crate in `tests/fixtures/` (generated at run time with libtest-mimic:
//! `cargo test -p dpia-lint-e2e --test fixtures -- --list` lists them). Each lints its crate
//! with only the fixture's rules on (`Options::only`, see [`fixture_rules`]): the findings
//! are exactly the `//~ CODE` markers, and the human and SARIF output match their
//! snapshots. The examples' end-to-end snapshots (`readme.rs`) keep every rule on.

use std::path::{Path, PathBuf};

use cargo_dpia_lint::cli::Format;
use dpia_lint_e2e::{
    expected, fixture_rules, fixtures, found, lint, lint_only, marker_diff, metas, render,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = fixtures()
        .into_iter()
        .map(|dir| {
            let name = file_name(&dir);
            Trial::test(format!("fixture::{name}"), move || check_fixture(&dir))
        })
        .collect();
    trials.push(Trial::test(
        "every_fixture_and_example_sarif_is_valid_against_the_schema",
        sarif_is_valid,
    ));
    trials.push(Trial::test(
        "every_implemented_rule_has_a_fixture_that_fires_it",
        every_rule_has_a_fixture,
    ));
    trials.push(Trial::test(
        "every_model_file_has_a_fixture_that_fires",
        every_model_file_has_a_fixture,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn file_name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// The findings are the markers; the output is the snapshots.
fn check_fixture(dir: &Path) -> Result<(), Failed> {
    let name = file_name(dir);
    let report = lint_only(dir, &fixture_rules(dir));
    if let Some(diff) = marker_diff(&expected(&report), &found(&report)) {
        return Err(format!("findings differ from the //~ markers:\n{diff}").into());
    }
    let human = render(&report, Format::Human, false);
    let mut sarif: serde_json::Value =
        serde_json::from_str(&render(&report, Format::Sarif, false)).map_err(|e| e.to_string())?;
    // the rule catalogue is the same in every run, and grows with every new rule: check
    // that each result's `ruleIndex` points at its rule, then snapshot only what this run
    // found, so that adding a rule changes no other fixture's snapshot
    let run = &mut sarif["runs"][0];
    let ids: Vec<String> = run["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    for r in run["results"].as_array_mut().into_iter().flatten() {
        let index = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        if ids.get(index).map(String::as_str) != r["ruleId"].as_str() {
            return Err(format!("ruleIndex {index} is not rule {}", r["ruleId"]).into());
        }
        if let Some(o) = r.as_object_mut() {
            o.remove("ruleIndex");
        }
    }
    run["tool"]["driver"]["rules"] = serde_json::json!("the catalogue");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("{name}__human"), human);
        insta::assert_json_snapshot!(format!("{name}__sarif"), sarif);
    });
    Ok(())
}

fn sarif_is_valid() -> Result<(), Failed> {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../sarif/tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path)?).map_err(|e| e.to_string())?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    for dir in fixtures().into_iter().chain(examples()) {
        let report = lint(&dir, false);
        let sarif: serde_json::Value = serde_json::from_str(&render(&report, Format::Sarif, false))
            .map_err(|e| e.to_string())?;
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            return Err(format!("{}: {errors:#?}", dir.display()).into());
        }
    }
    Ok(())
}

fn every_rule_has_a_fixture() -> Result<(), Failed> {
    let fired: Vec<String> = fixtures()
        .iter()
        .flat_map(|d| {
            found(&lint_only(d, &fixture_rules(d)))
                .into_keys()
                .map(|k| k.2)
        })
        .collect();
    for meta in metas().into_iter().filter(|m| m.implemented) {
        let dir = dpia_lint_e2e::fixtures_dir().join(meta.name.replace('-', "_"));
        if !dir.join("dpia.toml").is_file() {
            return Err(format!(
                "{} {} has no fixture at {}",
                meta.code,
                meta.name,
                dir.display()
            )
            .into());
        }
        if !fired.iter().any(|c| c == meta.code) {
            return Err(format!("no fixture fires {} {}", meta.code, meta.name).into());
        }
    }
    Ok(())
}

/// Every file of the model pack (`lint-engine/models/<crate>.toml`) has its fixture
/// `models_<crate>` (`-` as `_`), with lines that fire (and lines that must not: the
/// markers say which).
fn every_model_file_has_a_fixture() -> Result<(), Failed> {
    for (file, _) in dpia_lint_engine::models::BUILTIN {
        let stem = file.trim_end_matches(".toml").replace('-', "_");
        let dir = dpia_lint_e2e::fixtures_dir().join(format!("models_{stem}"));
        if !dir.join("dpia.toml").is_file() {
            return Err(format!("models/{file} has no fixture at {}", dir.display()).into());
        }
        if found(&lint_only(&dir, &fixture_rules(&dir))).is_empty() {
            return Err(format!("the fixture of models/{file} fires nothing").into());
        }
    }
    Ok(())
}

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut v: Vec<_> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("dpia.toml").is_file())
        .collect();
    v.sort();
    v
}
