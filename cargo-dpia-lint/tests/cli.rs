//! The binary as users run it: exit codes, arguments, files written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(repo()).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(root: &Path, rel: &str, body: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

#[test]
fn the_example_has_its_deliberate_finding() {
    let out = run(&["examples/find-and-profile"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("error[DPIA101]"), "{stdout}");
    assert!(stdout.contains("insurance-enquiries"), "{stdout}");
    // the same function consults the plates without the s62 log (inferred operation)
    assert!(stdout.contains("error[DPIA502]: `uninsured`"), "{stdout}");
    assert!(
        stdout.lines().last().unwrap().contains("2 errors"),
        "{stdout}"
    );
}

#[test]
fn the_lfr_example_has_its_deliberate_finding() {
    let out = run(&["examples/live-facial-recognition"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("error[DPIA302]"), "{stdout}");
    assert!(stdout.contains("src/matching.rs"), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("1 error, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn works_as_a_cargo_subcommand_and_levels_can_be_lowered() {
    let out = run(&[
        "dpia-lint",
        "examples/find-and-profile",
        "-A",
        "undeclared_purpose",
        "-A",
        "missing_audit_log",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = run(&[
        "examples/find-and-profile",
        "-W",
        "DPIA101",
        "-W",
        "DPIA502",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("warning[DPIA101]"));
    assert!(text(&out.stdout).contains("warning[DPIA502]"));
}

#[test]
fn sarif_is_written_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    let out = run(&[
        "examples/find-and-profile",
        "--format",
        "sarif",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "DPIA101");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp file left behind"
    );
}

#[test]
fn an_unknown_manifest_key_exits_2_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib.rs", "pub fn f() {}\n");
    write(
        dir.path(),
        "dpia.toml",
        "[dpia]\nregime = \"dpa2018-part3\"\n\n[categories.vrm]\nretension = \"1d\"\n",
    );
    let out = bin().arg(".").current_dir(dir.path()).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("retension"), "{err}");
    assert!(err.contains("dpia.toml:5:1"), "{err}");
    assert!(
        err.contains("retention"),
        "the help suggests the right key: {err}"
    );
    assert!(out.stdout.is_empty(), "never an empty, passing report");
}

#[test]
fn a_missing_manifest_exits_2_and_says_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lib.rs", "pub fn f() {}\n");
    let out = bin().arg(".").current_dir(dir.path()).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("no DPIA manifest found"), "{err}");
    assert!(err.contains("create `dpia.toml`"), "{err}");
}

#[test]
fn bad_arguments_and_paths_exit_2() {
    assert_eq!(run(&["--format", "xml"]).status.code(), Some(2));
    assert_eq!(run(&["no/such/dir"]).status.code(), Some(2));
    let out = run(&["examples/find-and-profile", "-D", "function-crep"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `function-creep`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn explain_and_rules() {
    let out = run(&["explain", "function_creep"]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("DPIA102") && s.contains("What it does"), "{s}");
    assert_eq!(run(&["explain", "DPIA999"]).status.code(), Some(2));
    let out = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 23);
    let out = run(&["rules"]);
    assert_eq!(text(&out.stdout).lines().count(), 23);
    assert_eq!(run(&["--help"]).status.code(), Some(0));
}

#[test]
fn timings_go_to_stderr_in_the_documented_form() {
    let out = run(&["examples/find-and-profile", "--timings"]);
    let err = text(&out.stderr);
    for phase in ["discover", "parse", "model", "flow", "rules", "emit"] {
        assert!(
            err.lines().any(
                |l| l.starts_with(&format!("dpia-lint timing: {phase} ")) && l.ends_with(" ms")
            ),
            "{phase}: {err}"
        );
    }
}

#[test]
fn init_writes_a_starter_manifest_that_lints_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"shop\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n",
    );
    write(
        dir.path(),
        "src/lib.rs",
        "pub struct Customer { pub id: u64, pub email: String, pub date_of_birth: String }\n\
         pub struct Product { pub name: String }\n",
    );
    let out = bin()
        .args(["init", ".", "--regime", "dpa2018-part3"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // the type's tag (field helpers compile only under it), then a helper for the field
    // whose kind differs
    assert!(
        stdout.contains("src/lib.rs:1: `Customer`: #[dpia::personal_data(category = \"email\")]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("`Customer.date_of_birth`: #[dpia(category = \"date-of-birth\")]  (under the type's #[dpia::personal_data])"),
        "{stdout}"
    );
    assert!(!stdout.contains("Product"), "{stdout}");
    let manifest = std::fs::read_to_string(dir.path().join("dpia.toml")).unwrap();
    assert!(
        manifest.contains("regime = \"dpa2018-part3\""),
        "{manifest}"
    );
    assert!(manifest.contains("[categories.email]"), "{manifest}");
    assert!(
        manifest.contains("[categories.date-of-birth]"),
        "{manifest}"
    );
    assert!(manifest.contains("[purposes.todo-purpose]"), "{manifest}");

    // the starter is a valid manifest: linting runs (findings, not a run error)
    let lint = bin().arg(".").current_dir(dir.path()).output().unwrap();
    assert_eq!(lint.status.code(), Some(1), "{}", text(&lint.stderr));

    // a second init refuses to overwrite
    let again = bin().arg("init").current_dir(dir.path()).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dpia.toml")).unwrap(),
        manifest
    );
}
