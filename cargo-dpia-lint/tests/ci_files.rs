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
    // the binary itself: `cargo dpia-lint` could be replaced by an `[alias]`
    assert_eq!(hooks[0]["entry"].as_str(), Some("cargo-dpia-lint"));
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

/// Every shell script of a CI file: `run:` of each step (action and workflow), each line of
/// a GitLab `script:`; continuation lines joined, comment lines dropped.
fn scripts(rel: &str) -> Vec<String> {
    let y = load(rel);
    let mut raw: Vec<String> = Vec::new();
    match rel {
        "action.yml" => {
            for s in steps(&y["runs"]["steps"]) {
                raw.extend(s["run"].as_str().map(str::to_string));
            }
        }
        "ci/gitlab-ci.yml" => {
            for s in steps(&y["dpia-lint"]["script"]) {
                raw.extend(s.as_str().map(str::to_string));
            }
        }
        _ => {
            for job in y["jobs"].as_hash().unwrap().values() {
                for s in steps(&job["steps"]) {
                    raw.extend(s["run"].as_str().map(str::to_string));
                }
            }
        }
    }
    raw.iter()
        .map(|r| {
            r.replace("\\\n", " ")
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// `repository` and `version` of the workspace's Cargo.toml.
fn workspace_package(key: &str) -> String {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("`{key}` in Cargo.toml"));
    line.split('"').nth(1).unwrap().to_string()
}

const CI_FILES: [&str; 3] = [
    "action.yml",
    ".github/workflows/dpia-lint.yml",
    "ci/gitlab-ci.yml",
];

/// Issue G: `cargo dpia-lint` inside the checkout goes through the rustup proxy (the
/// checkout's rust-toolchain.toml) and cargo's aliases (its .cargo/config.toml): either can
/// run the pull request's own code. The CI files run the installed binary by its path.
#[test]
fn ci_files_run_the_installed_binary_never_cargo_dpia_lint() {
    for rel in CI_FILES {
        let scripts = scripts(rel);
        let all = scripts.join("\n");
        assert!(!all.contains("cargo dpia-lint"), "{rel}: {all}");
        // every run of the linter says its --format
        let runs: Vec<&str> = all.lines().filter(|l| l.contains("--format")).collect();
        assert!(!runs.is_empty(), "{rel}: no run of cargo-dpia-lint");
        for l in runs {
            let first = l.split_whitespace().next().unwrap_or("");
            assert!(
                (first.starts_with('/') || first.starts_with("\"$"))
                    && (first.contains("/bin/cargo-dpia-lint") || first == "\"$DPIA_LINT_BIN\""),
                "{rel}: run the installed binary by its full path: {l}"
            );
        }
    }
    let installed = scripts("action.yml").join("\n");
    assert!(
        installed.contains("echo \"bin=$root/bin/cargo-dpia-lint\""),
        "{installed}"
    );
}

/// The crate is not on crates.io: `cargo install cargo-dpia-lint` fails on a user's first
/// run. Install from the action's checkout or from the repository at a tag, from a
/// directory outside the linted checkout.
#[test]
fn ci_files_install_from_source_that_exists_outside_the_checkout() {
    let repository = workspace_package("repository");
    let tag = format!("v{}", workspace_package("version"));
    for rel in CI_FILES {
        let scripts = scripts(rel);
        let mut installs = 0;
        for script in &scripts {
            for (at, _) in script.match_indices("cargo install") {
                installs += 1;
                let line = script[at..].lines().next().unwrap();
                assert!(line.contains("--locked"), "{rel}: {line}");
                let names_the_crate = line
                    .split(|c: char| c.is_whitespace() || c == ')')
                    .any(|w| w == "cargo-dpia-lint");
                assert!(names_the_crate || line.contains("--path"), "{rel}: {line}");
                if line.contains("--git") {
                    assert!(
                        line.contains(&format!("--git {repository} ")),
                        "{rel}: {line}"
                    );
                    assert!(
                        line.contains(&format!("--tag {tag} ")) || line.contains("--tag \"$"),
                        "{rel}: the tag of this version ({tag}): {line}"
                    );
                } else {
                    assert!(
                        line.contains("--path \"$ACTION_PATH/cargo-dpia-lint\""),
                        "{rel}: from crates.io, where the crate is not: {line}"
                    );
                }
                let before = &script[..at];
                assert!(
                    before.contains("cd \"$RUNNER_TEMP\"")
                        || before.contains("cd \"$(mktemp -d)\""),
                    "{rel}: `cargo install` runs inside the checkout: {script}"
                );
            }
        }
        assert!(installs > 0, "{rel}: installs cargo-dpia-lint");
    }
    let a = load("action.yml");
    let install = &steps(&a["runs"]["steps"])[0];
    assert_eq!(
        install["env"]["ACTION_PATH"].as_str(),
        Some("${{ github.action_path }}")
    );
    // the tag in the action and the docs is this version's
    let doc = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    assert!(
        doc.contains(&format!("--tag {tag}")),
        "docs/ci.md: --tag {tag}"
    );
}

/// Inputs are data: pasted into a script as `${{ inputs.x }}`, a value with `"; curl …`
/// would run. They go through `env:`.
#[test]
fn the_action_passes_inputs_through_the_environment() {
    for script in scripts("action.yml") {
        assert!(!script.contains("${{"), "{script}");
    }
    for script in scripts(".github/workflows/dpia-lint.yml") {
        assert!(!script.contains("${{"), "{script}");
    }
}

#[test]
fn the_workflow_never_runs_on_pull_request_target() {
    let w = load(".github/workflows/dpia-lint.yml");
    assert!(w["on"]["pull_request_target"].is_badvalue());
    assert!(!w["on"]["pull_request"].is_badvalue());
    let checkout = &steps(&w["jobs"]["dpia-lint"]["steps"])[0];
    assert_eq!(
        checkout["with"]["persist-credentials"].as_bool(),
        Some(false)
    );
}

/// A report the pull request committed at the output path is removed before the run, so a
/// failed run never uploads it (and a symlink there is never written through).
#[test]
fn a_planted_report_is_removed_before_the_run() {
    for (rel, file) in [
        ("action.yml", "\"$INPUT_OUTPUT\""),
        (".github/workflows/dpia-lint.yml", "dpia-lint.sarif"),
        ("ci/gitlab-ci.yml", "gl-code-quality-report.json"),
    ] {
        let all = scripts(rel).join("\n");
        let rm = all
            .find(&format!("rm -f -- {file}"))
            .unwrap_or_else(|| panic!("{rel}: rm -f -- {file}"));
        let run = all
            .find(&format!("--output {file}"))
            .unwrap_or_else(|| panic!("{rel}: --output {file}"));
        assert!(rm < run, "{rel}");
    }
}

/// The GitHub files write the Markdown summary (counts, new findings) to the run's page.
#[test]
fn the_github_files_write_the_step_summary() {
    for rel in [".github/workflows/dpia-lint.yml", "action.yml"] {
        let all = scripts(rel).join("\n");
        assert!(
            all.lines()
                .any(|l| l.contains("--format markdown")
                    && l.contains(">> \"$GITHUB_STEP_SUMMARY\"")),
            "{rel}: {all}"
        );
    }
}
