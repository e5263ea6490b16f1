//! Compile-time messages of the tags (trybuild): what a developer sees in `cargo build`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/pass/*.rs");
}

/// Every tag DPIA201 and `init` suggest compiles (the files are written by
/// cargo-dpia-lint/tests/suggestions_compile.rs from what they print).
#[test]
fn suggestions_compile() {
    let t = trybuild::TestCases::new();
    t.pass("tests/suggestions/*.rs");
}
