//! The pipeline end to end with a probe rule that reports every tag it sees: discovery,
//! the module tree, import-aware tag recognition, test-code filtering, parse errors.

use std::path::Path;

use dpia_lint_engine::{
    lint, Finding, Label, Level, Options, Precision, Rule, RuleContext, RuleMeta, RunError,
};

static PROBE: RuleMeta = RuleMeta {
    code: "DPIA000",
    name: "probe",
    summary: "reports every tag",
    default_level: Level::Warn,
    legal_uk_gdpr: "",
    legal_part3: "DPA 2018 s64(3)(a)",
    dpia_step: "",
    precision: Precision::High,
    docs: "",
    implemented: true,
    file: file!(),
};

struct Probe;

impl Rule for Probe {
    fn meta(&self) -> &'static RuleMeta {
        &PROBE
    }
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (item, tag) in cx.model.tags() {
            let msg = format!("{} {:?}", item.path, tag.kind());
            out.push(Finding::new(
                "DPIA000",
                Level::Warn,
                Label::new(tag.span, ""),
                msg,
            ));
        }
        for p in &cx.model.tag_problems {
            out.push(Finding::new(
                "DPIA000",
                Level::Warn,
                Label::new(p.span, ""),
                format!("tag problem: {}", p.message),
            ));
        }
        for p in &cx.model.parse_problems {
            out.push(Finding::new(
                "DPIA000",
                Level::Warn,
                Label::new(p.span, ""),
                format!("parse problem: {}", p.message),
            ));
        }
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const MANIFEST: &str = r#"
[dpia]
regime = "dpa2018-part3"
[categories.vrm]
retention = "1d"
[purposes.county-lines-detection]
basis = "part3.task"
categories = ["vrm"]
"#;

fn run(root: &Path) -> Vec<String> {
    let opts = Options {
        path: root.to_path_buf(),
        root: Some(root.to_path_buf()),
        ..Options::default()
    };
    let report = lint(&opts, &[&Probe]).unwrap();
    report
        .findings
        .iter()
        .map(|f| {
            let file = report.db.get(f.primary.span.file);
            let (line, _) = file.line_col(f.primary.span.start as usize);
            format!("{}:{line}: {}", file.rel_path, f.message)
        })
        .collect()
}

#[test]
fn module_tree_imports_and_tests() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"fx\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(root, "dpia.toml", MANIFEST);
    write(
        root,
        "src/lib.rs",
        r#"
use dpia::processing as purpose;
mod reads;
#[path = "elsewhere/export.rs"]
mod export;
mod inline {
    use dpia::*;
    #[processing(purpose = "county-lines-detection")]
    pub fn f() {}
    #[allow(dead_code)]
    pub fn not_a_tag() {}
}
#[purpose(purpose = "county-lines-detection")]
pub fn renamed() {}
#[cfg(test)]
mod tests {
    #[dpia::processing(purpose = "ignored")]
    fn t() {}
}
#[dpia::procesing(purpose = "x")]
fn typo() {}
"#,
    );
    write(
        root,
        "src/reads.rs",
        r#"
mod nested;
#[dpia::personal_data(category = "anpr-read", retention = "1d")]
pub struct AnprRead {
    #[dpia(category = "vrm")]
    pub vrm: String,
    #[dpia(not_personal)]
    pub camera_id: u32,
}
#[dpia_macros::processing(purpose = "county-lines-detection")]
impl AnprRead {
    pub fn m(&self) {}
}
"#,
    );
    write(
        root,
        "src/reads/nested.rs",
        "#[dpia::audit_log]\npub fn log() {}\n",
    );
    write(
        root,
        "src/elsewhere/export.rs",
        "#[dpia::sink(recipient = \"local-police-export\")]\npub fn export() {}\n",
    );
    let got = run(root);
    let expected = [
        "src/elsewhere/export.rs:1: crate::export::export Sink",
        "src/lib.rs:8: crate::inline::f Processing",
        "src/lib.rs:13: crate::renamed Processing",
        "src/lib.rs:20: tag problem: unknown dpia tag `procesing`",
        "src/reads.rs:3: crate::reads::AnprRead PersonalData",
        "src/reads.rs:5: crate::reads::AnprRead Field",
        "src/reads.rs:7: crate::reads::AnprRead Field",
        "src/reads.rs:10: crate::reads::AnprRead Processing",
        "src/reads/nested.rs:1: crate::reads::nested::log AuditLog",
    ];
    assert_eq!(got, expected);
}

#[test]
fn parse_errors_and_missing_modules_do_not_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"fx\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(root, "dpia.toml", MANIFEST);
    write(root, "src/lib.rs", "mod broken;\nmod missing;\nmod good;\n");
    write(root, "src/broken.rs", "fn f( {\n");
    write(root, "src/good.rs", "#[dpia::audit_log]\npub fn log() {}\n");
    std::fs::write(root.join("src/bad_utf8.rs"), b"fn f() {}\xff\n").unwrap();
    write(root, "src/main.rs", "mod bad_utf8;\n");
    let got = run(root);
    assert!(
        got.iter()
            .any(|g| g.starts_with("src/broken.rs:") && g.contains("cannot be parsed")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g.starts_with("src/lib.rs:2")
                && g.contains("file not found for module `missing`")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g.contains("src/good.rs:1: crate::good::log AuditLog")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|g| g.starts_with("src/bad_utf8.rs:1") && g.contains("not valid UTF-8")),
        "{got:?}"
    );
}

#[test]
fn bare_directory_is_linted_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "dpia.toml", MANIFEST);
    write(root, "a/b.rs", "#[dpia::audit_log]\npub fn log() {}\n");
    let got = run(root);
    assert_eq!(got, vec!["a/b.rs:1: crate::a::b::log AuditLog"]);
}

#[test]
fn missing_and_invalid_manifests_are_run_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "lib.rs", "fn f() {}\n");
    let opts = Options {
        path: root.to_path_buf(),
        root: Some(root.to_path_buf()),
        ..Options::default()
    };
    assert!(matches!(
        lint(&opts, &[&Probe]),
        Err(RunError::ManifestMissing { .. })
    ));
    write(
        root,
        "dpia.toml",
        "[dpia]\nregime = \"dpa2018-part3\"\n[categories.vrm]\nretension = \"1d\"\n",
    );
    match lint(&opts, &[&Probe]) {
        Err(RunError::ManifestInvalid { db, file, errors }) => {
            let text = &db.get(file).text;
            assert_eq!(&text[errors[0].span.clone()], "retension");
        }
        other => panic!("{other:?}"),
    }
    let bad_rule = Options {
        overrides: vec![("no-such-rule".into(), Level::Deny)],
        ..opts
    };
    assert!(matches!(
        lint(&bad_rule, &[&Probe]),
        Err(RunError::Usage(_))
    ));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_crate_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.rs",
        "#[dpia::audit_log]\npub fn stolen() {}\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[package]\nname = \"fx\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(root, "dpia.toml", MANIFEST);
    write(root, "src/lib.rs", "mod secret;\nmod looped;\n");
    std::os::unix::fs::symlink(outside.path().join("secret.rs"), root.join("src/secret.rs"))
        .unwrap();
    std::os::unix::fs::symlink(root.join("src/looped.rs"), root.join("src/looped.rs"))
        .unwrap_or(());
    let got = run(root);
    assert!(
        got.iter()
            .any(|g| g.contains("leads outside the linted directory")),
        "{got:?}"
    );
    assert!(!got.iter().any(|g| g.contains("stolen")), "{got:?}");
}

#[test]
fn a_workspace_root_lints_every_member_and_a_member_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"b\"]\nresolver = \"2\"\n",
    );
    write(root, "dpia.toml", MANIFEST);
    for m in ["a", "b"] {
        write(
            root,
            &format!("{m}/Cargo.toml"),
            &format!("[package]\nname = \"{m}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n"),
        );
        write(
            root,
            &format!("{m}/src/lib.rs"),
            "#[dpia::personal_data(category = \"vrm\")]\npub struct Plate(pub String);\n",
        );
    }
    let all = run(root);
    assert_eq!(
        all,
        vec![
            "a/src/lib.rs:1: crate::Plate PersonalData",
            "b/src/lib.rs:1: crate::Plate PersonalData",
        ],
        "{all:#?}"
    );
    // one member: only its files; the manifest is found at the workspace root
    let opts = Options {
        path: root.join("a"),
        root: Some(root.to_path_buf()),
        ..Options::default()
    };
    let report = lint(&opts, &[&Probe]).unwrap();
    let files: Vec<&str> = report
        .findings
        .iter()
        .map(|f| report.db.get(f.primary.span.file).rel_path.as_str())
        .collect();
    assert_eq!(files, ["a/src/lib.rs"]);
}
