//! Any bytes as a source file, linted with every rule against a manifest that declares
//! categories, purposes and recipients: findings, never a panic or a hang.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const MANIFEST: &str = r#"
[dpia]
regime = "dpa2018-part3"
[categories.vrm]
kind = "vehicle-registration"
retention = "1d"
[purposes.county-lines-detection]
basis = "part3.task"
categories = ["vrm"]
recipients = ["export"]
[recipients.export]
kind = "export"
[logging]
operations = ["consult"]
"#;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("dpia-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("dpia.toml"), MANIFEST).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    // a bare directory: linted file by file, no `cargo metadata`
    std::fs::write(d.join("lib.rs"), data).unwrap();
    let opts = dpia_lint_engine::Options {
        path: d.clone(),
        root: Some(d.clone()),
        ..Default::default()
    };
    let report = dpia_lint_engine::lint(&opts, dpia_lint_rules::all()).expect("a bare directory always lints");
    for f in &report.findings {
        let file = report.db.get(f.primary.span.file);
        assert!(f.primary.span.end as usize <= file.text.len());
        // the engine catches a panic and reports it: for the fuzzer that is a crash
        assert!(!f.message.contains("internal error"), "{}", f.message);
    }
});
