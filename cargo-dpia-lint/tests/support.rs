//! Helpers the test modules share: run the binary, read its output, write a small crate.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `cargo-dpia-lint ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A temp crate `fixme` with `manifest` as its `dpia.toml` and `lib` as `src/lib.rs`.
pub fn krate(manifest: &str, lib: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("src")).unwrap();
    std::fs::write(
        d.join("Cargo.toml"),
        "[package]\nname = \"fixme\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(d.join("dpia.toml"), manifest).unwrap();
    std::fs::write(d.join("src/lib.rs"), lib).unwrap();
    dir
}
