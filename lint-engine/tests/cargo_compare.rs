//! Discovery reads `Cargo.toml` itself (no `cargo`); this compares what it finds with what
//! `cargo metadata --no-deps --offline` says: the crate roots (package name, target root
//! file) of this repository, of each tree of `../shared/corpus` where cargo can answer, and
//! of small packages built here for each of cargo's target rules. Where cargo cannot
//! answer (not installed, or a tree with an absent member) the case is skipped with a
//! printed message.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cargo_metadata::{MetadataCommand, TargetKind};
use dpia_lint_engine::{discover, Options};

type Roots = BTreeSet<(String, PathBuf)>;

fn canon(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// cargo's answer for the package or workspace at `dir`, as the old discovery used it:
/// every workspace member at the root, else the one package at `dir`.
fn cargo_roots(dir: &Path, include_tests: bool) -> Result<Roots, String> {
    let meta = MetadataCommand::new()
        .manifest_path(dir.join("Cargo.toml"))
        .current_dir(dir)
        .no_deps()
        .other_options(vec!["--offline".to_string()])
        .exec()
        .map_err(|e| match e {
            cargo_metadata::Error::CargoMetadata { stderr } => stderr,
            e => e.to_string(),
        })?;
    let here = canon(dir);
    let at_root = canon(meta.workspace_root.as_std_path()) == here;
    let mut out = Roots::new();
    for p in meta.workspace_packages() {
        let pdir = canon(p.manifest_path.parent().unwrap().as_std_path());
        if !at_root && pdir != here {
            continue;
        }
        for t in &p.targets {
            let wanted = t.kind.iter().any(|k| match k {
                TargetKind::Lib
                | TargetKind::RLib
                | TargetKind::DyLib
                | TargetKind::CDyLib
                | TargetKind::StaticLib
                | TargetKind::ProcMacro
                | TargetKind::Bin => true,
                TargetKind::Test | TargetKind::Bench | TargetKind::Example => include_tests,
                _ => false,
            });
            if wanted {
                out.insert((p.name.to_string(), canon(t.src_path.as_std_path())));
            }
        }
    }
    Ok(out)
}

fn our_roots(dir: &Path, include_tests: bool) -> Roots {
    let opts = Options {
        path: dir.to_path_buf(),
        root: Some(dir.to_path_buf()),
        include_tests,
        ..Options::default()
    };
    let (target, _) = discover::discover_sources(&opts).expect("discovery");
    assert!(!target.bare, "{} linted as a bare directory", dir.display());
    target
        .crates
        .iter()
        .map(|c| (c.name.clone(), canon(&c.entry)))
        .collect()
}

/// Compares both answers; returns false (after printing why) when cargo cannot answer.
fn compare(dir: &Path) -> bool {
    for include_tests in [false, true] {
        let theirs = match cargo_roots(dir, include_tests) {
            Ok(r) => r,
            Err(e) => {
                println!(
                    "skipped {}: cargo metadata cannot answer: {}",
                    dir.display(),
                    e.lines().next().unwrap_or("")
                );
                return false;
            }
        };
        let ours = our_roots(dir, include_tests);
        assert_eq!(
            ours,
            theirs,
            "crate roots of {} (include_tests = {include_tests}): ours, then cargo's",
            dir.display()
        );
    }
    true
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn this_repository_matches_cargo() {
    compare(&repo());
    compare(&repo().join("lint-engine"));
    compare(&repo().join("examples/find-and-profile"));
}

#[test]
fn the_corpus_matches_cargo_where_cargo_can_answer() {
    let corpus = repo().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        println!("skipped: no corpus at {}", corpus.display());
        return;
    };
    let mut trees: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    trees.sort();
    let mut compared = 0;
    for t in &trees {
        if compare(t) {
            compared += 1;
        } else if let Some(copy) = with_stubs(t) {
            // a partial checkout: cargo answers once the absent packages exist (as stubs,
            // which both sides then see)
            println!("comparing a copy of {} with stub packages", t.display());
            if compare(copy.path()) {
                compared += 1;
            }
        }
    }
    println!("compared {compared} of {} corpus trees", trees.len());
}

/// A copy of `tree` in which each package cargo reports absent is a stub (named after its
/// directory, an empty library), until cargo can answer; `None` if it cannot.
fn with_stubs(tree: &Path) -> Option<tempfile::TempDir> {
    let copy = tempfile::tempdir().ok()?;
    for e in walkdir::WalkDir::new(tree)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(tree).ok()?;
        let to = copy.path().join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).ok()?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &to).ok()?;
        }
    }
    for _ in 0..20 {
        let err = match cargo_roots(copy.path(), false) {
            Ok(_) => return Some(copy),
            Err(e) => e,
        };
        // cargo: "failed to read `/…/x/Cargo.toml`"
        let absent = err.lines().find_map(|l| {
            let at = l.find("failed to read `")? + "failed to read `".len();
            let rest = &l[at..];
            Some(PathBuf::from(&rest[..rest.find('`')?]))
        })?;
        let dir = absent.parent()?;
        if !dir.starts_with(copy.path()) || dir.join("Cargo.toml").exists() {
            return None;
        }
        let name = dir.file_name()?.to_string_lossy().into_owned();
        write(dir, "Cargo.toml", &package(&name, "2021", "", ""));
        write(dir, "src/lib.rs", "\n");
    }
    None
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A package with `extra` in its `[package]` table and `rest` after it.
fn package(name: &str, edition: &str, extra: &str, rest: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\n{extra}\n{rest}"
    )
}

#[test]
fn cargo_target_rules_match_cargo() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\", \"explicit\"]\nexclude = [\"crates/excluded\"]\nresolver = \"2\"\n\
         [workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\n\
         [workspace.dependencies]\nviaws = { path = \"deps/viaws\" }\n",
    );
    // auto-discovery: lib, main, src/bin/*.rs, src/bin/*/main.rs, examples, tests, benches
    write(
        root,
        "crates/auto/Cargo.toml",
        "[package]\nname = \"auto\"\nversion.workspace = true\nedition.workspace = true\n\
         [dependencies]\npathdep = { path = \"../../deps/pathdep\" }\nviaws = { workspace = true }\n",
    );
    for f in [
        "src/lib.rs",
        "src/main.rs",
        "src/bin/one.rs",
        "src/bin/two/main.rs",
        "src/bin/two/helper.rs",
        "examples/ex.rs",
        "examples/multi/main.rs",
        "tests/it.rs",
        "benches/b.rs",
    ] {
        write(root, &format!("crates/auto/{f}"), "fn main() {}\n");
    }
    write(root, "crates/auto/src/bin/.hidden.rs", "fn main() {}\n");
    // autobins = false: only the declared bins; [lib] path
    write(
        root,
        "crates/noauto/Cargo.toml",
        &package(
            "noauto",
            "2021",
            "autobins = false\nautotests = false",
            "[lib]\npath = \"lib/root.rs\"\n[[bin]]\nname = \"declared\"\n[[bin]]\nname = \"other\"\npath = \"tools/other.rs\"\n",
        ),
    );
    for f in [
        "lib/root.rs",
        "src/main.rs",
        "src/bin/declared.rs",
        "src/bin/ignored.rs",
        "tools/other.rs",
        "tests/ignored.rs",
    ] {
        write(root, &format!("crates/noauto/{f}"), "fn main() {}\n");
    }
    // edition 2015 with a declared bin: no auto-discovery of the others
    write(
        root,
        "crates/old/Cargo.toml",
        &package(
            "old",
            "2015",
            "",
            "[[bin]]\nname = \"declared\"\npath = \"src/main.rs\"\n",
        ),
    );
    for f in ["src/main.rs", "src/bin/extra.rs"] {
        write(root, &format!("crates/old/{f}"), "fn main() {}\n");
    }
    // a declared bin renaming the main; a declared test by name
    write(
        root,
        "explicit/Cargo.toml",
        &package(
            "explicit",
            "2021",
            "",
            "[[bin]]\nname = \"renamed\"\npath = \"src/main.rs\"\n[[test]]\nname = \"it\"\n",
        ),
    );
    for f in ["src/main.rs", "tests/it.rs", "tests/more.rs"] {
        write(root, &format!("explicit/{f}"), "fn main() {}\n");
    }
    // excluded by the workspace: not a member
    write(
        root,
        "crates/excluded/Cargo.toml",
        &package("excluded", "2021", "", ""),
    );
    write(root, "crates/excluded/src/lib.rs", "\n");
    // path dependencies inside the workspace are members
    for dep in ["pathdep", "viaws"] {
        write(
            root,
            &format!("deps/{dep}/Cargo.toml"),
            &package(dep, "2021", "", ""),
        );
        write(root, &format!("deps/{dep}/src/lib.rs"), "\n");
    }
    // a glob match that is a file, not a directory, is not a member
    write(root, "crates/README.rs", "\n");

    if compare(root) {
        compare(&root.join("crates/noauto"));
        compare(&root.join("crates/old"));
        compare(&root.join("explicit"));
    }
    // the same answer whatever the working directory: discovery never looks at it
    let ours = our_roots(root, true);
    assert!(ours
        .iter()
        .any(|(n, p)| n == "viaws" && p.ends_with("deps/viaws/src/lib.rs")));
    assert!(!ours.iter().any(|(n, _)| n == "excluded"));
}
