//! Compile-time messages of the tags (trybuild): what a developer sees in `cargo build`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/pass/*.rs");
}
