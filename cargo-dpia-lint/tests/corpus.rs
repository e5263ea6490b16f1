//! Real repositories as they are: each tree of `../shared/corpus` (five
//! apps, three of them partial checkouts with absent members or path dependencies) lints
//! with exit 0 or 1, never 2, from inside the tree and from outside it. Skipped, with a
//! message, where the corpus is not there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> Option<PathBuf> {
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    c.join("bare-dpia.toml").is_file().then_some(c)
}

#[test]
fn every_corpus_tree_lints_from_inside_and_from_outside() {
    let Some(corpus) = corpus() else {
        println!("skipped: no ../shared/corpus");
        return;
    };
    let manifest = std::fs::canonicalize(corpus.join("bare-dpia.toml")).unwrap();
    let mut trees: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    trees.sort();
    assert!(!trees.is_empty());
    let elsewhere = tempfile::tempdir().unwrap();
    for tree in &trees {
        let inside = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
            .args(["--format", "sarif", "--dpia"])
            .arg(&manifest)
            .current_dir(tree)
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .unwrap();
        let outside = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"))
            .args(["--format", "sarif", "--dpia"])
            .arg(&manifest)
            .arg(tree)
            // a fresh directory: never an ancestor of the tree (from an ancestor, paths are
            // relative to it, as rustc's are)
            .current_dir(elsewhere.path())
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .unwrap();
        for (how, out) in [("inside", &inside), ("outside", &outside)] {
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{} from {how}: exit {:?}\n{}",
                tree.display(),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // the same findings whichever the working directory
        assert_eq!(
            inside.stdout,
            outside.stdout,
            "{}: different reports from inside and from outside",
            tree.display()
        );
    }
}

/// A checkout reached through a symlink gives the same report from inside (where the
/// working directory is the resolved path) and from outside (where PATH names the link).
#[test]
fn a_symlinked_checkout_lints_the_same_from_inside_and_from_outside() {
    let example = std::fs::canonicalize(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/find-and-profile"),
    )
    .unwrap();
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("checkout");
    std::os::unix::fs::symlink(&example, &link).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let run = |cwd: &std::path::Path, path: Option<&std::path::Path>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cargo-dpia-lint"));
        c.args(["--format", "sarif"]).current_dir(cwd);
        if let Some(p) = path {
            c.arg(p);
        }
        c.output().unwrap()
    };
    let inside = run(&link, None);
    let outside = run(elsewhere.path(), Some(&link));
    let through_parent = run(links.path(), Some(std::path::Path::new("checkout")));
    assert_eq!(
        inside.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&inside.stderr)
    );
    assert_eq!(inside.stdout, outside.stdout, "inside and outside differ");
    // from the link's parent the resolved tree is not below the working directory either
    assert_eq!(
        inside.stdout, through_parent.stdout,
        "through the parent differs"
    );
}
