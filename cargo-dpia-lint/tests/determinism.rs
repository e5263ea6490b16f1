//! Output is byte-for-byte the same for any thread count: every fixture crate and example,
//! in SARIF and human form, with 1, 2 and 4 worker threads.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn crates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for parent in ["tests/fixtures", "examples"] {
        for e in std::fs::read_dir(repo().join(parent)).unwrap() {
            let p = e.unwrap().path();
            if p.join("dpia.toml").is_file() {
                out.push(p.strip_prefix(repo()).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn run(dir: &Path, threads: &str, format: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
        .arg(dir)
        .args(["--format", format, "--color", "never"])
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn every_crate_gives_the_same_output_with_1_2_and_4_threads() {
    let all = crates();
    assert!(all.len() > 10);
    for dir in all {
        for format in ["sarif", "human"] {
            let one = run(&dir, "1", format);
            for threads in ["2", "4"] {
                assert!(
                    run(&dir, threads, format) == one,
                    "{} ({format}) differs between 1 and {threads} threads",
                    dir.display()
                );
            }
        }
    }
}
