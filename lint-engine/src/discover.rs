//! Discovery: which crates to lint, their root files, the lint root (base of relative
//! paths) and the manifest. Runs `cargo metadata --no-deps` (never a build: no build
//! scripts, no proc macros run); a directory without `Cargo.toml` is linted file by file.

use std::path::{Path, PathBuf};

use cargo_metadata::{MetadataCommand, TargetKind};

use crate::{Options, RunError};

/// One crate root to lint.
#[derive(Clone, Debug)]
pub struct CrateRoot {
    /// Package name (target name for secondary targets), or directory name.
    pub name: String,
    /// The root file (`src/lib.rs`, `src/main.rs`, a bin's path…).
    pub entry: PathBuf,
    /// `mod` declarations are followed from the entry (false for a bare directory, where
    /// every file is its own root).
    pub follow_mods: bool,
    /// Module path of the entry (`crate` for a cargo target).
    pub module_path: String,
}

/// What discovery found.
#[derive(Clone, Debug)]
pub struct Target {
    /// Relative paths in the report are relative to this directory.
    pub root: PathBuf,
    /// The crate or workspace directory that was asked for.
    pub dir: PathBuf,
    pub crates: Vec<CrateRoot>,
    /// The manifest to use.
    pub manifest: PathBuf,
    /// Linted file by file (no `Cargo.toml`).
    pub bare: bool,
}

const MANIFEST_NAME: &str = "dpia.toml";

pub fn discover(opts: &Options) -> Result<Target, RunError> {
    let (mut target, candidates) = discover_sources(opts)?;
    target.manifest = match &opts.dpia {
        Some(p) => {
            if !p.is_file() {
                return Err(RunError::ManifestMissing {
                    searched: vec![p.clone()],
                });
            }
            p.clone()
        }
        None => candidates
            .iter()
            .find(|c| c.is_file())
            .cloned()
            .ok_or_else(|| RunError::ManifestMissing {
                searched: candidates
                    .iter()
                    .map(|c| PathBuf::from(crate::source::rel_path(&target.root, c)))
                    .collect(),
            })?,
    };
    Ok(target)
}

/// The crates and files to read, and where the manifest may be (most likely first);
/// `Target::manifest` is the first candidate, whether it exists or not.
pub fn discover_sources(opts: &Options) -> Result<(Target, Vec<PathBuf>), RunError> {
    let dir = match &opts.manifest_path {
        Some(m) => {
            if !m.is_file() {
                return Err(RunError::NoCrate {
                    path: m.clone(),
                    reason: "the --manifest-path file does not exist".into(),
                });
            }
            m.parent().map(Path::to_path_buf).unwrap_or_default()
        }
        None => {
            let p = if opts.path.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                opts.path.clone()
            };
            if p.is_file() && p.file_name().is_some_and(|n| n == "Cargo.toml") {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            } else if p.is_dir() {
                p
            } else {
                return Err(RunError::NoCrate {
                    path: p,
                    reason: "no such directory".into(),
                });
            }
        }
    };
    let dir = absolute(&dir);
    let root = opts.root.clone().map(|r| absolute(&r)).unwrap_or_else(|| {
        let cwd = std::env::current_dir().unwrap_or_else(|_| dir.clone());
        if dir.starts_with(&cwd) {
            cwd
        } else {
            dir.clone()
        }
    });

    let cargo_toml = dir.join("Cargo.toml");
    let (crates, candidates, bare) = if cargo_toml.is_file() {
        let (crates, ws_root) = cargo_crates(&cargo_toml, opts.include_tests)?;
        let mut candidates = vec![dir.join(MANIFEST_NAME)];
        if ws_root != dir {
            candidates.push(ws_root.join(MANIFEST_NAME));
        }
        (crates, candidates, false)
    } else {
        (bare_crates(&dir)?, vec![dir.join(MANIFEST_NAME)], true)
    };

    let manifest = opts.dpia.clone().unwrap_or_else(|| candidates[0].clone());
    Ok((
        Target {
            root,
            dir,
            crates,
            manifest,
            bare,
        },
        candidates,
    ))
}

/// An absolute, lexically normalised path (no IO beyond the current directory).
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The crates of a cargo package or workspace, and the workspace root.
fn cargo_crates(
    cargo_toml: &Path,
    include_tests: bool,
) -> Result<(Vec<CrateRoot>, PathBuf), RunError> {
    let meta = MetadataCommand::new()
        .manifest_path(cargo_toml)
        .no_deps()
        .other_options(vec!["--offline".to_string()])
        .exec()
        .map_err(|e| RunError::NoCrate {
            path: cargo_toml.to_path_buf(),
            reason: format!("`cargo metadata` failed: {}", cargo_error_text(&e)),
        })?;
    let ws_root = absolute(meta.workspace_root.as_std_path());
    let dir = absolute(cargo_toml.parent().unwrap_or(Path::new(".")));
    let members: Vec<&cargo_metadata::Package> = meta.workspace_packages();
    let packages: Vec<&cargo_metadata::Package> = if dir == ws_root {
        members
    } else {
        members
            .into_iter()
            .filter(|p| absolute(p.manifest_path.as_std_path()) == absolute(cargo_toml))
            .collect()
    };
    if packages.is_empty() {
        return Err(RunError::NoCrate {
            path: cargo_toml.to_path_buf(),
            reason: "no package of the workspace is at this path".into(),
        });
    }
    let mut crates = Vec::new();
    let mut packages = packages;
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    for p in packages {
        let mut targets: Vec<&cargo_metadata::Target> = p
            .targets
            .iter()
            .filter(|t| {
                t.kind.iter().any(|k| match k {
                    TargetKind::Lib
                    | TargetKind::RLib
                    | TargetKind::DyLib
                    | TargetKind::CDyLib
                    | TargetKind::StaticLib
                    | TargetKind::ProcMacro
                    | TargetKind::Bin => true,
                    TargetKind::Test | TargetKind::Bench | TargetKind::Example => include_tests,
                    _ => false,
                })
            })
            .collect();
        // libs first, then the rest by name: deterministic, and a module shared by a lib
        // and a bin is modelled once, as part of the lib
        targets.sort_by_key(|t| (!t.is_lib() && !t.is_proc_macro(), t.name.clone()));
        for t in targets {
            crates.push(CrateRoot {
                name: p.name.to_string(),
                entry: absolute(t.src_path.as_std_path()),
                follow_mods: true,
                module_path: "crate".into(),
            });
        }
    }
    Ok((crates, ws_root))
}

fn cargo_error_text(e: &cargo_metadata::Error) -> String {
    match e {
        cargo_metadata::Error::CargoMetadata { stderr } => stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        e => e.to_string(),
    }
}

/// A directory without `Cargo.toml`: every `.rs` file is a root, its module path derived
/// from its path (`src/a/b.rs` → `crate::a::b`). Symlinks are not followed.
fn bare_crates(dir: &Path) -> Result<Vec<CrateRoot>, RunError> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crate".into());
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0 || !(n.starts_with('.') || n == "target")
        })
    {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rs") {
            files.push(entry.path().to_path_buf());
        }
    }
    if files.is_empty() {
        return Err(RunError::NoCrate {
            path: dir.to_path_buf(),
            reason: "no Cargo.toml and no .rs files".into(),
        });
    }
    Ok(files
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(dir).unwrap_or(&f);
            CrateRoot {
                name: name.clone(),
                module_path: module_path_of(rel),
                entry: f,
                follow_mods: false,
            }
        })
        .collect())
}

/// `src/a/b.rs` → `crate::a::b`; `src/a/mod.rs` → `crate::a`; `src/lib.rs` → `crate`.
fn module_path_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.first().is_some_and(|p| p == "src") {
        parts.remove(0);
    }
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        let is_root = parts.is_empty() && matches!(stem.as_str(), "lib" | "main");
        if stem != "mod" && !is_root {
            parts.push(stem);
        }
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.replace(|c: char| !c.is_alphanumeric() && c != '_', "_"))
        .collect();
    std::iter::once("crate".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_of_bare_files() {
        assert_eq!(module_path_of(Path::new("src/lib.rs")), "crate");
        assert_eq!(module_path_of(Path::new("src/main.rs")), "crate");
        assert_eq!(module_path_of(Path::new("src/a/mod.rs")), "crate::a");
        assert_eq!(module_path_of(Path::new("src/a/b.rs")), "crate::a::b");
        assert_eq!(module_path_of(Path::new("x.rs")), "crate::x");
        assert_eq!(module_path_of(Path::new("a/lib.rs")), "crate::a::lib");
    }
}
