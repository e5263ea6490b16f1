//! The CI integration files are valid YAML with the structure their consumers need, and
//! docs/ci.md explains each of them.

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(rel: &str) -> Yaml {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one document");
    docs.remove(0)
}

fn steps(y: &Yaml) -> &Vec<Yaml> {
    y.as_vec().expect("a list of steps")
}

#[test]
fn the_github_workflow_uploads_sarif() {
    let w = load(".github/workflows/dpia-lint.yml");
    assert_eq!(w["permissions"]["security-events"].as_str(), Some("write"));
    let job = &w["jobs"]["dpia-lint"];
    let steps = steps(&job["steps"]);
    assert!(steps.iter().any(|s| s["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif"))));
    assert!(steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("--format sarif") && r.contains("--no-suppressed"))));
}

#[test]
fn the_composite_action_runs_bash_steps() {
    let a = load("action.yml");
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    for s in steps(&a["runs"]["steps"]) {
        if !s["run"].is_badvalue() {
            assert_eq!(s["shell"].as_str(), Some("bash"), "{s:?}");
        }
    }
    for input in ["path", "format", "output", "args", "version"] {
        assert!(!a["inputs"][input].is_badvalue(), "input {input}");
    }
    assert!(!a["outputs"]["exit-code"].is_badvalue());
}

#[test]
fn the_gitlab_job_reports_code_quality() {
    let g = load("ci/gitlab-ci.yml");
    let job = &g["dpia-lint"];
    assert_eq!(
        job["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
    assert!(steps(&job["script"])
        .iter()
        .any(|s| s.as_str().is_some_and(|r| r.contains("--format gitlab"))));
}

#[test]
fn the_pre_commit_hook_is_declared() {
    let p = load(".pre-commit-hooks.yaml");
    let hooks = p.as_vec().unwrap();
    assert_eq!(hooks[0]["id"].as_str(), Some("dpia-lint"));
    assert_eq!(hooks[0]["entry"].as_str(), Some("cargo dpia-lint"));
    assert_eq!(hooks[0]["pass_filenames"].as_bool(), Some(false));
}

#[test]
fn docs_ci_explains_every_file() {
    let doc = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    for f in [
        ".github/workflows/dpia-lint.yml",
        "action.yml",
        "ci/gitlab-ci.yml",
        ".pre-commit-hooks.yaml",
        "rust-analyzer.check.overrideCommand",
    ] {
        assert!(doc.contains(f), "docs/ci.md does not mention {f}");
    }
}
