//! `registry-smoke [--corpus DIR] [--skip-fetch]`: the no-panic corpus. Fetches the
//! crates.io dependencies in the `Cargo.lock` of every app under the corpus directory
//! (default `../shared/corpus`) into a `CARGO_HOME` under the target directory, lints the
//! whole registry source directory as one bare directory, and fails on any internal error
//! (a caught panic) or an error of the run. Slow and needs the network: not part of
//! `cargo test` (see CONTRIBUTING.md).
//!
//! Cargo only fetches for a manifest, and the corpus trees are partial checkouts, so each
//! app gets a stub package whose dependencies are the registry packages its workspace
//! members depend on, pinned to the locked versions, next to a copy of its `Cargo.lock`:
//! `cargo fetch` then keeps the locked versions of the rest of the graph. Git dependencies
//! are left out; an app whose fetch fails is reported and skipped.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// The stub manifest for one app's lock file: its members' direct registry dependencies.
pub fn stub_manifest(lock: &str) -> Result<String, String> {
    let v: toml::Table = lock.parse().map_err(|e| format!("Cargo.lock: {e}"))?;
    let packages = v
        .get("package")
        .and_then(|p| p.as_array())
        .ok_or("Cargo.lock has no [[package]]")?;
    let field = |p: &toml::Value, k: &str| p.get(k).and_then(|x| x.as_str()).map(String::from);
    // name → versions from crates.io
    let mut registry: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for p in packages {
        if field(p, "source").as_deref() == Some(CRATES_IO) {
            if let (Some(n), Some(ver)) = (field(p, "name"), field(p, "version")) {
                registry.entry(n).or_default().push(ver);
            }
        }
    }
    let mut deps = std::collections::BTreeSet::new();
    for p in packages.iter().filter(|p| p.get("source").is_none()) {
        let list = p.get("dependencies").and_then(|d| d.as_array());
        for d in list.into_iter().flatten().filter_map(|d| d.as_str()) {
            let mut parts = d.split_whitespace();
            let Some(name) = parts.next() else { continue };
            let Some(versions) = registry.get(name) else {
                continue; // a member or a git dependency
            };
            match parts.next() {
                Some(ver) if versions.iter().any(|v| v == ver) => {
                    deps.insert((name.to_string(), ver.to_string()));
                }
                Some(_) => {}
                None if versions.len() == 1 => {
                    deps.insert((name.to_string(), versions[0].clone()));
                }
                None => {}
            }
        }
    }
    let mut out = String::from(
        "[package]\nname = \"dpia-registry-smoke\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n",
    );
    for (i, (name, ver)) in deps.iter().enumerate() {
        let _ = writeln!(
            out,
            "d{i} = {{ package = \"{name}\", version = \"={ver}\" }}"
        );
    }
    Ok(out)
}

/// Fetches every app's dependencies, lints the registry sources and reports.
pub fn run(corpus: &Path, target: &Path, fetch: bool) -> Result<String, String> {
    let home = target.join("registry-smoke").join("cargo-home");
    let mut out = String::new();
    if fetch {
        let mut apps: Vec<PathBuf> = std::fs::read_dir(corpus)
            .map_err(|e| format!("{}: {e}", corpus.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("Cargo.lock").is_file())
            .collect();
        apps.sort();
        for app in apps {
            let name = app
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let stub = target.join("registry-smoke").join("stubs").join(&name);
            let lock = std::fs::read_to_string(app.join("Cargo.lock"))
                .map_err(|e| format!("{}: {e}", app.display()))?;
            let manifest = match stub_manifest(&lock) {
                Ok(m) => m,
                Err(e) => {
                    let _ = writeln!(out, "skip {name}: {e}");
                    continue;
                }
            };
            std::fs::create_dir_all(stub.join("src")).map_err(|e| e.to_string())?;
            std::fs::write(stub.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
            std::fs::write(stub.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
            std::fs::write(stub.join("Cargo.lock"), &lock).map_err(|e| e.to_string())?;
            let t = Instant::now();
            let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .arg("fetch")
                .arg("--manifest-path")
                .arg(stub.join("Cargo.toml"))
                .env("CARGO_HOME", &home)
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let _ = writeln!(
                out,
                "fetch {name}: {} in {:.0} s",
                if status.success() {
                    "ok"
                } else {
                    "FAILED (skipped)"
                },
                t.elapsed().as_secs_f64()
            );
        }
    }
    let src = home.join("registry").join("src");
    let mut crates: Vec<PathBuf> = Vec::new();
    for index in std::fs::read_dir(&src)
        .map_err(|e| format!("{}: {e} (run without --skip-fetch first)", src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
    {
        let list = std::fs::read_dir(&index).map_err(|e| e.to_string())?;
        crates.extend(
            list.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir()),
        );
    }
    crates.sort();
    let dpia = target.join("registry-smoke").join("dpia.toml");
    std::fs::write(&dpia, "[dpia]\nregime = \"uk-gdpr\"\n").map_err(|e| e.to_string())?;
    let mut internal = Vec::new();
    let (mut files, mut findings, mut unparsed, mut refused, mut exit1) = (0, 0, 0, 0, 0);
    let t = Instant::now();
    // one run per crate (a bare directory each): bounded memory, and progress as it goes
    for (n, krate) in crates.iter().enumerate() {
        // the crate's sources as a bare directory: the registry lies inside this workspace,
        // where `cargo metadata` refuses a package that is no member
        let dir = &krate.join("src");
        if !dir.is_dir() {
            continue;
        }
        let opts = dpia_lint_engine::Options {
            path: dir.clone(),
            dpia: Some(dpia.clone()),
            root: Some(dir.clone()),
            ..Default::default()
        };
        let report = match dpia_lint_engine::lint(&opts, dpia_lint_rules::all()) {
            Ok(r) => r,
            // `src/` of a crate with no Rust in it (tree-sitter's C sources)
            Err(dpia_lint_engine::RunError::NoCrate { .. }) => continue,
            Err(e) => return Err(format!("{}: the run failed (exit 2): {e}", dir.display())),
        };
        files += report.files_analysed;
        findings += report.findings.len();
        let name = krate.file_name().unwrap_or_default().to_string_lossy();
        for f in report.findings.iter().filter(|f| f.code == "DPIA001") {
            let file = &report.db.get(f.primary.span.file).rel_path;
            if f.message.contains("internal error") {
                internal.push(format!("{name}/{file}: {}", f.message));
                eprintln!("INTERNAL ERROR {name}/{file}: {}", f.message);
            } else if f.message.contains("levels deep here")
                || f.message.contains("nest deeper than")
            {
                refused += 1;
                let _ = writeln!(out, "refused as too deep: {name}/{file}: {}", f.message);
            } else {
                unparsed += 1;
            }
        }
        if report
            .findings
            .iter()
            .any(|f| f.level == dpia_lint_engine::Level::Deny)
        {
            exit1 += 1;
        }
        if (n + 1) % 100 == 0 {
            eprintln!(
                "registry-smoke: {} of {} crates, {:.0} s",
                n + 1,
                crates.len(),
                t.elapsed().as_secs_f64()
            );
        }
    }
    let _ = writeln!(
        out,
        "linted {} crates ({} with exit 1, none with exit 2), {files} files, {:.0} s, {findings} findings, {unparsed} DPIA001 not parsed/not found, {refused} refused as too deep, {} internal errors",
        crates.len(),
        exit1,
        t.elapsed().as_secs_f64(),
        internal.len()
    );
    if internal.is_empty() {
        Ok(out)
    } else {
        Err(format!("{out}internal errors:\n{}", internal.join("\n")))
    }
}
