//! The crate's integration tests, one binary: each file under `tests/` is a module here
//! (a binary per file linked the whole engine once per file; links were most of CI time).
//! Run one file's tests with `cargo test -p cargo-dpia-lint --test it MODULE::`.

mod baseline;
mod ci_files;
mod cli;
mod corpus;
mod determinism;
mod dpia_lock_report;
mod fix;
mod fix_kinds;
mod hostile;
mod hostile_input;
mod long_lines;
mod output;
mod suggestions_compile;
mod support;

/// Every `tests/*.rs` file is declared above: a file left out would silently never run
/// (`autotests = false` in Cargo.toml).
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let me = std::fs::read_to_string(dir.join("it.rs")).unwrap();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        let Some(m) = name.strip_suffix(".rs") else {
            continue;
        };
        if m != "it" && !me.contains(&format!("\nmod {m};\n")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "add `mod NAME;` to tests/it.rs for {missing:?}"
    );
}
