//! Discovery: which crates to lint, their root files, the lint root (base of relative
//! paths), the fence (no file outside it is read) and the manifest.
//!
//! No subprocess: `Cargo.toml` files are read directly, with the `cargo_toml` crate for
//! cargo's schema, and cargo's own rules are applied to them (workspace `members` and
//! `exclude` with globs, path dependencies inside the workspace are members, target
//! auto-discovery). The result does not depend on the working directory,
//! `rust-toolchain.toml`, `.cargo/config.toml`, installed toolchains, git dependencies or
//! the network, and nothing from the repository is ever run. A member, path dependency or
//! target file that is absent, unreadable or outside the fence is a [`RunNote`]: everything
//! present is linted.
//!
//! Why `cargo_toml` and not `cargo-util-schemas` (the cargo team's own types): it is a
//! stable 1.x API with the same MSRV as this workspace (1.85; `cargo-util-schemas` follows
//! cargo's and needs 1.94, and breaks its API with cargo releases), it has three small
//! dependencies (serde, toml, semver) that we already have, and it parses a manifest from
//! bytes without touching the filesystem, so every read goes through our [`fence`].
//! Target auto-discovery is done here, not by `cargo_toml`'s `complete_from_path`, so that
//! directory listings and file checks stay inside the fence too.
//!
//! Finding the crate from PATH, as cargo does: `PATH/Cargo.toml` if there is one; else the
//! nearest `Cargo.toml` above PATH, if PATH is inside the directory of one of that
//! package's (selected) target roots (e.g. PATH is `src/` or `src/handlers/`). Otherwise
//! PATH is a bare directory, linted file by file, even when some unrelated `Cargo.toml` is
//! further up (a folder of snippets in a repository is not its root package). A package's
//! workspace is found as cargo finds it: the package's own `[workspace]`, its
//! `package.workspace`, or the nearest `[workspace]` above it that has it as a member.
//!
//! [`fence`]: crate::fence

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use cargo_toml::{Dependency, Edition, Inheritable, Manifest, Product};

use crate::fence::{self, Refusal, MAX_MANIFEST_BYTES, MAX_SOURCE_BYTES};
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
    /// Other names code of the workspace calls the crate by: its library's own name
    /// (`[lib] name`) and the keys of renamed dependencies on it
    /// (`db = { package = "kitsune-db", path = ".." }`).
    pub aliases: Vec<String>,
}

/// Something the run could not do but went on without: an absent workspace member or
/// path dependency, a target file refused by the fence. Rendered as `note:` lines and as
/// SARIF `toolExecutionNotifications`. Names paths, never file content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunNote {
    pub message: String,
}

/// What discovery found.
#[derive(Clone, Debug)]
pub struct Target {
    /// Relative paths in the report are relative to this directory.
    pub root: PathBuf,
    /// The crate or workspace directory that was asked for (found upwards from PATH).
    pub dir: PathBuf,
    /// Canonical directory no file outside of which is read: the workspace root of the
    /// package, else the package directory, else the bare directory.
    pub fence: PathBuf,
    pub crates: Vec<CrateRoot>,
    /// The manifest to use.
    pub manifest: PathBuf,
    /// Linted file by file (no `Cargo.toml`).
    pub bare: bool,
    /// What was left out, and why.
    pub notes: Vec<RunNote>,
}

const MANIFEST_NAME: &str = "dpia.toml";

pub fn discover(opts: &Options) -> Result<Target, RunError> {
    let (mut target, candidates) = discover_sources(opts)?;
    target.manifest = match &opts.dpia {
        Some(p) => match fence::check_given(p, MAX_MANIFEST_BYTES) {
            Ok(_) => p.clone(),
            Err(Refusal::Missing) => {
                return Err(RunError::ManifestMissing {
                    searched: vec![p.clone()],
                })
            }
            Err(r) => {
                return Err(RunError::Refused {
                    path: p.clone(),
                    reason: r.to_string(),
                })
            }
        },
        None => match candidates.iter().find(|c| fence::exists(c)) {
            Some(c) => match fence::check(c, &target.fence, MAX_MANIFEST_BYTES) {
                Ok(_) => c.clone(),
                Err(r) => {
                    return Err(RunError::Refused {
                        path: PathBuf::from(crate::source::rel_path(&target.root, c)),
                        reason: format!(
                            "{r}; dpia-lint reads only files inside the linted directory (pass a manifest you trust with `--dpia FILE`)"
                        ),
                    })
                }
            },
            None => {
                return Err(RunError::ManifestMissing {
                    searched: candidates
                        .iter()
                        .map(|c| PathBuf::from(crate::source::rel_path(&target.root, c)))
                        .collect(),
                })
            }
        },
    };
    Ok(target)
}

/// The text of the manifest [`discover`] chose, read through the fence (or, for a
/// `--dpia` path, as a regular file anywhere).
pub fn read_manifest(target: &Target, given: bool) -> Result<String, RunError> {
    let path = &target.manifest;
    let bytes = if given {
        fence::read_given(path, MAX_MANIFEST_BYTES)
    } else {
        fence::read(path, &target.fence, MAX_MANIFEST_BYTES)
    }
    .map_err(|r| match r {
        Refusal::Io(error) => RunError::Io {
            path: path.clone(),
            error,
        },
        r => RunError::Refused {
            path: path.clone(),
            reason: r.to_string(),
        },
    })?;
    String::from_utf8(bytes).map_err(|_| RunError::Io {
        path: path.clone(),
        error: std::io::Error::new(std::io::ErrorKind::InvalidData, "not valid UTF-8"),
    })
}

/// The crates and files to read, and where the manifest may be (most likely first);
/// `Target::manifest` is the first candidate, whether it exists or not.
pub fn discover_sources(opts: &Options) -> Result<(Target, Vec<PathBuf>), RunError> {
    let (mut target, candidates) = match &opts.manifest_path {
        Some(m) => {
            given_cargo_toml(m, "the --manifest-path file")?;
            let dir = given_dir(m.parent().unwrap_or(Path::new(".")));
            let file = m.file_name().unwrap_or("Cargo.toml".as_ref());
            cargo_target(opts, &dir, Some(&dir.join(file)))?
        }
        None => {
            let p = if opts.path.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                opts.path.clone()
            };
            if p.file_name().is_some_and(|n| n == "Cargo.toml") && !p.is_dir() {
                given_cargo_toml(&p, "this Cargo.toml")?;
                let dir = given_dir(p.parent().unwrap_or(Path::new(".")));
                cargo_target(opts, &dir, Some(&dir.join("Cargo.toml")))?
            } else if p.is_dir() {
                from_dir(opts, &given_dir(&p))?
            } else {
                return Err(RunError::NoCrate {
                    path: p,
                    reason: "no such directory".into(),
                });
            }
        }
    };
    target.manifest = opts.dpia.clone().unwrap_or_else(|| candidates[0].clone());
    Ok((target, candidates))
}

/// A `Cargo.toml` named on the command line: anywhere, but a regular file.
fn given_cargo_toml(path: &Path, what: &str) -> Result<(), RunError> {
    match fence::check_given(path, MAX_MANIFEST_BYTES) {
        Ok(_) => Ok(()),
        Err(Refusal::Missing) => Err(RunError::NoCrate {
            path: path.to_path_buf(),
            reason: format!("{what} does not exist"),
        }),
        Err(r) => Err(RunError::NoCrate {
            path: path.to_path_buf(),
            reason: format!("{what} {r}"),
        }),
    }
}

/// PATH is a directory: its own `Cargo.toml`, else the package above whose sources it is
/// in, else a bare directory.
fn from_dir(opts: &Options, start: &Path) -> Result<(Target, Vec<PathBuf>), RunError> {
    if fence::exists(&start.join("Cargo.toml")) {
        return cargo_target(opts, start, None);
    }
    if let Some(above) = start
        .ancestors()
        .skip(1)
        .find(|a| fence::exists(&a.join("Cargo.toml")))
    {
        if let Ok((t, c)) = cargo_target(opts, above, None) {
            let inside = t.crates.iter().any(|c| {
                c.entry
                    .parent()
                    .is_some_and(|src_dir| start.starts_with(src_dir))
            });
            if !t.bare && inside {
                return Ok((t, c));
            }
        }
    }
    bare_target(opts, start, Vec::new())
}

/// Base of the relative paths: the current directory when `dir` is inside it, else `dir`.
fn report_root(opts: &Options, dir: &Path) -> PathBuf {
    opts.root.as_deref().map(given_dir).unwrap_or_else(|| {
        let cwd = std::env::current_dir()
            .map(|c| absolute(&c))
            .unwrap_or_else(|_| dir.to_path_buf());
        if dir.starts_with(&cwd) {
            cwd
        } else {
            dir.to_path_buf()
        }
    })
}

fn bare_target(
    opts: &Options,
    dir: &Path,
    notes: Vec<RunNote>,
) -> Result<(Target, Vec<PathBuf>), RunError> {
    let crates = bare_crates(dir)?;
    let candidates = vec![dir.join(MANIFEST_NAME)];
    Ok((
        Target {
            root: report_root(opts, dir),
            dir: dir.to_path_buf(),
            fence: fence::canonical_dir(dir),
            crates,
            manifest: candidates[0].clone(),
            bare: true,
            notes,
        },
        candidates,
    ))
}

/// A parsed `Cargo.toml` and its directory.
struct Loaded {
    dir: PathBuf,
    manifest: Manifest,
    /// The raw table, for the few keys whose absence matters (`package.autobins` in 2015).
    raw: toml::Table,
}

/// Reads and parses `dir/Cargo.toml` through the fence (or as a given file). The error
/// says why, by path and position, never with the file's text.
fn load(dir: &Path, fence_dir: &Path, given: Option<&Path>) -> Result<Loaded, Refusal> {
    let path = dir.join("Cargo.toml");
    let bytes = match given {
        Some(g) => fence::read_given(g, MAX_MANIFEST_BYTES)?,
        None => fence::read(&path, fence_dir, MAX_MANIFEST_BYTES)?,
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        Refusal::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not valid UTF-8",
        ))
    })?;
    let bad = |e: &toml::de::Error| {
        let line = e
            .span()
            .map(|s| {
                format!(
                    " at line {}",
                    text[..s.start.min(text.len())].matches('\n').count() + 1
                )
            })
            .unwrap_or_default();
        // the message of a TOML error, never the snippet of the file it also prints
        let msg = e.message().lines().next().unwrap_or("").trim().to_string();
        Refusal::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a valid Cargo.toml{line}: {msg}"),
        ))
    };
    let raw: toml::Table = toml::from_str(&text).map_err(|e| bad(&e))?;
    let manifest = Manifest::from_str(&text).map_err(|e| match e {
        cargo_toml::Error::Parse(e) => bad(&e),
        e => Refusal::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a valid Cargo.toml: {e}"),
        )),
    })?;
    Ok(Loaded {
        dir: dir.to_path_buf(),
        manifest,
        raw,
    })
}

/// The package or workspace whose `Cargo.toml` is in `dir`.
fn cargo_target(
    opts: &Options,
    dir: &Path,
    given: Option<&Path>,
) -> Result<(Target, Vec<PathBuf>), RunError> {
    let root = report_root(opts, dir);
    let rel = |p: &Path| crate::source::rel_path(&root, p);
    let own = match load(dir, &fence::canonical_dir(dir), given) {
        Ok(l) => l,
        Err(Refusal::Missing) => {
            return Err(RunError::NoCrate {
                path: dir.to_path_buf(),
                reason: "no Cargo.toml".into(),
            })
        }
        Err(r) => {
            // a broken Cargo.toml does not stop the run: its directory is linted file by file
            let note = RunNote {
                message: format!(
                    "`{}` {r}; its directory was linted file by file",
                    rel(&dir.join("Cargo.toml"))
                ),
            };
            return bare_target(opts, dir, vec![note]);
        }
    };
    let ws_dir = workspace_root_of(&own);
    let fence_dir = fence::canonical_dir(&ws_dir);
    let ws_loaded = (ws_dir != dir)
        .then(|| load(&ws_dir, &fence_dir, None).ok())
        .flatten();
    let ws = ws_loaded.as_ref().unwrap_or(&own);
    let ws_edition = workspace_edition(ws);
    let ws_deps = ws
        .manifest
        .workspace
        .as_ref()
        .map(|w| w.dependencies.clone())
        .unwrap_or_default();
    let mut notes = Vec::new();
    let packages: Vec<Loaded> = if ws_dir == dir && own.manifest.workspace.is_some() {
        members(own, &fence_dir, &mut |n| {
            notes.push(RunNote {
                message: n.render(&rel),
            })
        })
    } else {
        vec![own]
    };
    let mut packages: Vec<&Loaded> = packages
        .iter()
        .filter(|p| p.manifest.package.is_some())
        .collect();
    if packages.is_empty() {
        return Err(RunError::NoCrate {
            path: dir.join("Cargo.toml"),
            reason: if notes.is_empty() {
                "a virtual manifest without members".into()
            } else {
                join_notes(&notes)
            },
        });
    }
    packages.sort_by(|a, b| package_name(a).cmp(package_name(b)));
    let renames: Vec<(String, String)> = packages
        .iter()
        .flat_map(|p| renamed_dependencies(p, &ws_deps))
        .collect();
    let mut crates = Vec::new();
    for p in packages {
        for t in targets(p, ws_edition, opts.include_tests) {
            let path = match t.path {
                Ok(path) => path,
                Err(missing) => {
                    notes.push(RunNote {
                        message: format!(
                            "{} of package `{}` not found (looked for {}); not linted",
                            t.what,
                            package_name(p),
                            missing
                                .iter()
                                .map(|m| format!("`{}`", rel(m)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    continue;
                }
            };
            match fence::check(&path, &fence_dir, MAX_SOURCE_BYTES) {
                Ok(_) => crates.push(CrateRoot {
                    name: package_name(p).to_string(),
                    entry: path,
                    follow_mods: true,
                    module_path: "crate".into(),
                    aliases: if t.lib {
                        let mut a: Vec<String> = renames
                            .iter()
                            .filter(|(_, pkg)| pkg == package_name(p))
                            .map(|(key, _)| key.clone())
                            .chain(
                                (t.name != package_name(p).replace('-', "_"))
                                    .then(|| t.name.clone()),
                            )
                            .collect();
                        a.sort();
                        a.dedup();
                        a
                    } else {
                        Vec::new()
                    },
                }),
                Err(r) => notes.push(RunNote {
                    message: format!(
                        "{} of package `{}`: `{}` {r}; it was not read",
                        t.what,
                        package_name(p),
                        rel(&path)
                    ),
                }),
            }
        }
    }
    if crates.is_empty() {
        return Err(RunError::NoCrate {
            path: dir.join("Cargo.toml"),
            reason: if notes.is_empty() {
                "the package has no library or binary target".into()
            } else {
                join_notes(&notes)
            },
        });
    }
    let mut candidates = vec![dir.join(MANIFEST_NAME)];
    if ws_dir != dir {
        candidates.push(ws_dir.join(MANIFEST_NAME));
    }
    Ok((
        Target {
            root,
            dir: dir.to_path_buf(),
            fence: fence_dir,
            crates,
            manifest: candidates[0].clone(),
            bare: false,
            notes,
        },
        candidates,
    ))
}

fn join_notes(notes: &[RunNote]) -> String {
    notes
        .iter()
        .map(|n| n.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn package_name(p: &Loaded) -> &str {
    p.manifest.package.as_ref().map_or("", |p| p.name.as_str())
}

fn workspace_edition(l: &Loaded) -> Option<Edition> {
    l.manifest
        .workspace
        .as_ref()
        .and_then(|w| w.package.as_ref())
        .and_then(|p| p.edition)
}

/// The workspace root of a package, as cargo finds it: its own `[workspace]`, its
/// `package.workspace`, or the nearest `[workspace]` above it that has it as a member.
/// A package in no workspace is its own root.
fn workspace_root_of(own: &Loaded) -> PathBuf {
    if own.manifest.workspace.is_some() {
        return own.dir.clone();
    }
    let explicit = own
        .manifest
        .package
        .as_ref()
        .and_then(|p| p.workspace.as_ref());
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![absolute(&own.dir.join(p))],
        None => own
            .dir
            .ancestors()
            .skip(1)
            .filter(|a| fence::exists(&a.join("Cargo.toml")))
            .map(Path::to_path_buf)
            .collect(),
    };
    for anc in candidates {
        let Ok(ws) = load(&anc, &fence::canonical_dir(&anc), None) else {
            continue;
        };
        if ws.manifest.workspace.is_none() {
            continue;
        }
        // the first `[workspace]` above decides, as in cargo
        let fence_dir = fence::canonical_dir(&anc);
        let members = members(ws, &fence_dir, &mut |_| {});
        return if members.iter().any(|m| m.dir == own.dir) {
            anc
        } else {
            own.dir.clone()
        };
    }
    own.dir.clone()
}

/// Why a member was left out.
enum MemberNote {
    /// `of`: the package whose path dependency it is (`None`: a listed member).
    Absent {
        of: Option<String>,
        dir: PathBuf,
    },
    Refused {
        path: PathBuf,
        why: Refusal,
    },
    BadGlob {
        pattern: String,
        why: String,
    },
}

impl MemberNote {
    fn render(&self, rel: &dyn Fn(&Path) -> String) -> String {
        match self {
            MemberNote::Absent { of, dir } => {
                let what = match of {
                    Some(p) => format!("path dependency `{}` of `{p}`", rel(dir)),
                    None => format!("workspace member `{}`", rel(dir)),
                };
                format!(
                    "{what} is absent (no `{}`); not linted",
                    rel(&dir.join("Cargo.toml"))
                )
            }
            MemberNote::Refused { path, why } => {
                format!("`{}` {why}; that package was not linted", rel(path))
            }
            MemberNote::BadGlob { pattern, why } => {
                format!("workspace member pattern `{pattern}` is invalid ({why}); ignored")
            }
        }
    }
}

/// The members of the workspace at `ws` (the root package first if it has one), as cargo
/// works them out: `members` (globs) less `exclude`, then the path dependencies inside the
/// workspace directory, transitively.
fn members(ws: Loaded, fence_dir: &Path, note: &mut dyn FnMut(MemberNote)) -> Vec<Loaded> {
    let root = ws.dir.clone();
    let Some(config) = ws.manifest.workspace.clone() else {
        return vec![ws];
    };
    let explicit: Vec<PathBuf> = config
        .members
        .iter()
        .map(|m| absolute(&root.join(m)))
        .collect();
    let excluded = |manifest_dir: &Path| {
        let ex = config
            .exclude
            .iter()
            .any(|e| manifest_dir.starts_with(absolute(&root.join(e))));
        ex && !explicit.iter().any(|m| manifest_dir.starts_with(m))
    };
    let ws_deps = config.dependencies.clone();

    // (directory, whose path dependency it is)
    let mut queue: Vec<(PathBuf, Option<String>)> = Vec::new();
    for m in &config.members {
        let pattern = root.join(m);
        let expanded = match glob::glob(&pattern.to_string_lossy()) {
            Ok(paths) => {
                let mut v: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
                v.sort();
                v
            }
            Err(e) => {
                note(MemberNote::BadGlob {
                    pattern: m.clone(),
                    why: e.msg.to_string(),
                });
                continue;
            }
        };
        if expanded.is_empty() {
            queue.push((absolute(&pattern), None));
        } else {
            queue.extend(
                expanded
                    .into_iter()
                    .filter(|p| p.is_dir())
                    .map(|p| (absolute(&p), None)),
            );
        }
    }

    let mut out: Vec<Loaded> = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut pending: Vec<Loaded> = Vec::new();
    if ws.manifest.package.is_some() {
        seen.insert(root.clone());
        pending.push(ws);
    }
    loop {
        // path dependencies of what was just loaded join the queue
        for l in pending.drain(..) {
            for dep_dir in path_dependencies(&l, &ws_deps, &root) {
                if dep_dir.starts_with(&root) && !excluded(&dep_dir) {
                    queue.push((dep_dir, Some(package_name(&l).to_string())));
                }
            }
            out.push(l);
        }
        let Some((dir, of)) = queue.pop() else {
            break;
        };
        if excluded(&dir) || !seen.insert(dir.clone()) {
            continue;
        }
        match load(&dir, fence_dir, None) {
            Ok(l) => pending.push(l),
            Err(Refusal::Missing) => note(MemberNote::Absent { of, dir }),
            Err(why) => note(MemberNote::Refused {
                path: dir.join("Cargo.toml"),
                why,
            }),
        }
    }
    out
}

/// Every dependency table of a package: normal, dev and build, of every target.
fn dependency_sets(l: &Loaded) -> impl Iterator<Item = &cargo_toml::DepsSet> {
    let m = &l.manifest;
    [&m.dependencies, &m.dev_dependencies, &m.build_dependencies]
        .into_iter()
        .chain(
            m.target
                .values()
                .flat_map(|t| [&t.dependencies, &t.dev_dependencies, &t.build_dependencies]),
        )
}

/// The renamed dependencies of a package (every kind, every target): the key code uses and
/// the package it names (`db = { package = "kitsune-db", .. }` → `("db", "kitsune-db")`),
/// with `workspace = true` ones resolved against `[workspace.dependencies]`.
fn renamed_dependencies(l: &Loaded, ws_deps: &cargo_toml::DepsSet) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for set in dependency_sets(l) {
        for (name, dep) in set {
            let detailed = match dep {
                Dependency::Detailed(d) => Some(&**d),
                Dependency::Inherited(_) => match ws_deps.get(name) {
                    Some(Dependency::Detailed(d)) => Some(&**d),
                    _ => None,
                },
                Dependency::Simple(_) => None,
            };
            if let Some(pkg) = detailed.and_then(|d| d.package.as_ref()) {
                if pkg != name {
                    out.push((name.clone(), pkg.clone()));
                }
            }
        }
    }
    out
}

/// The directories of a package's path dependencies (every kind, every target), with
/// `workspace = true` ones resolved against `[workspace.dependencies]`.
fn path_dependencies(l: &Loaded, ws_deps: &cargo_toml::DepsSet, ws_root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for set in dependency_sets(l) {
        for (name, dep) in set {
            match dep {
                Dependency::Detailed(d) => {
                    if let Some(p) = &d.path {
                        out.push(absolute(&l.dir.join(p)));
                    }
                }
                Dependency::Inherited(_) => {
                    if let Some(Dependency::Detailed(d)) = ws_deps.get(name) {
                        if let Some(p) = &d.path {
                            out.push(absolute(&ws_root.join(p)));
                        }
                    }
                }
                Dependency::Simple(_) => {}
            }
        }
    }
    out
}

/// One target of a package: its root file, or where it was looked for.
struct TargetFile {
    /// "library", "binary `x`", "test `y`"…
    what: String,
    lib: bool,
    name: String,
    path: Result<PathBuf, Vec<PathBuf>>,
}

/// The targets of a package by cargo's rules (`cargo/src/cargo/util/toml/targets.rs`):
/// the library (`[lib] path`, else `src/lib.rs`), binaries (`[[bin]]`, `src/main.rs`,
/// `src/bin/*.rs`, `src/bin/*/main.rs`, unless `autobins = false`), and with
/// `include_tests` examples, tests and benches the same way. Libraries first, then by name.
fn targets(p: &Loaded, ws_edition: Option<Edition>, include_tests: bool) -> Vec<TargetFile> {
    let Some(pkg) = &p.manifest.package else {
        return Vec::new();
    };
    let dir = &p.dir;
    let m = &p.manifest;
    let edition = match &pkg.edition {
        Inheritable::Set(e) => *e,
        Inheritable::Inherited => ws_edition.unwrap_or_default(),
    };
    let flag = |key: &str| {
        p.raw
            .get("package")
            .and_then(|t| t.get(key))
            .and_then(toml::Value::as_bool)
    };
    let mut out = Vec::new();

    let src_lib = dir.join("src/lib.rs");
    let has_lib = match &m.lib {
        Some(lib) => {
            let path = lib
                .path
                .as_ref()
                .map(|p| absolute(&dir.join(p)))
                .unwrap_or_else(|| src_lib.clone());
            out.push(TargetFile {
                what: "the library".into(),
                lib: true,
                name: lib
                    .name
                    .clone()
                    .unwrap_or_else(|| pkg.name.replace('-', "_")),
                path: if lib.path.is_some() || fence::exists(&path) {
                    Ok(path)
                } else {
                    Err(vec![path])
                },
            });
            true
        }
        None if flag("autolib") != Some(false) && fence::exists(&src_lib) => {
            out.push(TargetFile {
                what: "the library".into(),
                lib: true,
                name: pkg.name.replace('-', "_"),
                path: Ok(src_lib),
            });
            true
        }
        None => false,
    };

    let mut bins_inferred = Vec::new();
    let main = dir.join("src/main.rs");
    if fence::exists(&main) {
        bins_inferred.push((pkg.name.clone(), main));
    }
    bins_inferred.extend(infer_from_directory(&dir.join("src/bin")));
    let legacy_bin = |name: &str| {
        let mut v = Vec::new();
        if !has_lib {
            v.push(dir.join(format!("src/{name}.rs")));
        }
        v.push(dir.join("src/bin/main.rs"));
        v.into_iter().find(|p| fence::exists(p))
    };
    // (kind, declared, inferred, the `auto…` flag); bins first
    type Kind<'a> = (
        &'static str,
        &'a [Product],
        Vec<(String, PathBuf)>,
        Option<bool>,
    );
    let mut kinds: Vec<Kind<'_>> = vec![("binary", &m.bin, bins_inferred, flag("autobins"))];
    if include_tests {
        for (kind, declared, sub, auto) in [
            ("example", &m.example, "examples", "autoexamples"),
            ("test", &m.test, "tests", "autotests"),
            ("bench", &m.bench, "benches", "autobenches"),
        ] {
            kinds.push((
                kind,
                declared,
                infer_from_directory(&dir.join(sub)),
                flag(auto),
            ));
        }
    }
    for (kind, explicit, inferred, auto) in kinds {
        let is_bin = kind == "binary";
        for (name, path) in toml_targets_and_inferred(explicit, &inferred, dir, auto, edition) {
            let path = match path {
                Some(path) => Ok(path),
                None => {
                    // a declared target without `path`: found by its name
                    let mut matching = inferred.iter().filter(|(n, _)| *n == name);
                    match (matching.next(), matching.next()) {
                        (Some((_, p)), None) => Ok(p.clone()),
                        _ => match (is_bin && edition == Edition::E2015)
                            .then(|| legacy_bin(&name))
                            .flatten()
                        {
                            Some(p) => Ok(p),
                            None => {
                                let base = match kind {
                                    "binary" => "src/bin",
                                    "example" => "examples",
                                    "test" => "tests",
                                    _ => "benches",
                                };
                                Err(vec![
                                    dir.join(format!("{base}/{name}.rs")),
                                    dir.join(format!("{base}/{name}/main.rs")),
                                ])
                            }
                        },
                    }
                }
            };
            out.push(TargetFile {
                what: format!("{kind} `{name}`"),
                lib: false,
                name,
                path,
            });
        }
    }
    // libraries first, then the rest by name: deterministic, and a module shared by a lib
    // and a bin is modelled once, as part of the lib
    out.sort_by(|a, b| (!a.lib, &a.name).cmp(&(!b.lib, &b.name)));
    out
}

/// cargo's `toml_targets_and_inferred`: the declared targets, plus the inferred ones that
/// no declared one names or points at, if auto-discovery is on (by default it is, except
/// in edition 2015 when some targets are declared). `(name, path if declared or inferred)`.
fn toml_targets_and_inferred(
    explicit: &[Product],
    inferred: &[(String, PathBuf)],
    dir: &Path,
    auto: Option<bool>,
    edition: Edition,
) -> Vec<(String, Option<PathBuf>)> {
    let declared: Vec<(String, Option<PathBuf>)> = explicit
        .iter()
        .map(|t| {
            let path = t.path.as_ref().map(|p| absolute(&dir.join(p)));
            let name = t.name.clone().unwrap_or_else(|| {
                path.as_ref()
                    .and_then(|p| p.file_stem())
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            (name, path)
        })
        .collect();
    if explicit.is_empty() {
        if auto == Some(false) {
            return Vec::new();
        }
        return inferred
            .iter()
            .map(|(n, p)| (n.clone(), Some(p.clone())))
            .collect();
    }
    let names: HashSet<&str> = declared.iter().map(|(n, _)| n.as_str()).collect();
    let paths: HashSet<&Path> = declared.iter().filter_map(|(_, p)| p.as_deref()).collect();
    let rest: Vec<(String, Option<PathBuf>)> = inferred
        .iter()
        .filter(|(n, p)| !names.contains(n.as_str()) && !paths.contains(p.as_path()))
        .map(|(n, p)| (n.clone(), Some(p.clone())))
        .collect();
    let auto = auto.unwrap_or(edition != Edition::E2015);
    let mut out = declared;
    if auto {
        out.extend(rest);
    }
    out
}

/// cargo's `infer_from_directory`: `DIR/*.rs` (named by stem) and `DIR/*/main.rs` (named
/// by the directory), dotfiles skipped.
fn infer_from_directory(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            let main = path.join("main.rs");
            if fence::exists(&main) {
                out.push((name.to_string(), main));
            }
        } else if let Some(stem) = name.strip_suffix(".rs") {
            out.push((stem.to_string(), path));
        }
    }
    out.sort();
    out
}

/// An absolute, lexically normalised path (no IO beyond the current directory).
/// A directory named by the caller (PATH, `--manifest-path`'s folder, the report root), with
/// its symlinks resolved as the working directory's are: a checkout reached through a
/// symlink gives the same report from inside and from outside. Only the caller's own path
/// is resolved so; paths read from the repository stay lexical and fenced.
fn given_dir(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| absolute(p))
}

fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
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
                aliases: Vec::new(),
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

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn pkg(name: &str) -> String {
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")
    }

    fn at(path: &Path) -> Target {
        let opts = Options {
            path: path.to_path_buf(),
            root: Some(path.to_path_buf()),
            ..Options::default()
        };
        discover_sources(&opts).unwrap().0
    }

    fn entries(t: &Target) -> Vec<String> {
        t.crates
            .iter()
            .map(|c| {
                let e = fence::canonical_dir(&c.entry);
                let base = fence::canonical_dir(&t.dir);
                format!("{} {}", c.name, crate::source::rel_path(&base, &e))
            })
            .collect()
    }

    #[test]
    fn a_directory_inside_a_target_is_the_package_and_one_beside_is_bare() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "Cargo.toml", &pkg("p"));
        write(root, "src/lib.rs", "mod a;\n");
        write(root, "src/a/mod.rs", "\n");
        write(root, "snippets/x.rs", "\n");
        for inside in ["src", "src/a"] {
            let t = at(&root.join(inside));
            assert!(!t.bare, "{inside}");
            assert_eq!(entries(&t), ["p src/lib.rs"], "{inside}");
            assert_eq!(t.dir, absolute(root));
        }
        let t = at(&root.join("snippets"));
        assert!(t.bare);
        assert_eq!(t.fence, fence::canonical_dir(&root.join("snippets")));
        // a tree with no Cargo.toml anywhere above
        let bare = tempfile::tempdir().unwrap();
        write(bare.path(), "lib.rs", "\n");
        assert!(at(bare.path()).bare);
    }

    #[test]
    fn a_member_finds_its_workspace_and_the_fence_is_the_workspace() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n",
        );
        write(root, "crates/a/Cargo.toml", &pkg("a"));
        write(root, "crates/a/src/main.rs", "\n");
        // not a member (`package.workspace` points elsewhere is tested below)
        write(root, "other/Cargo.toml", &pkg("other"));
        write(root, "other/src/lib.rs", "\n");
        let opts = Options {
            path: root.join("crates/a"),
            root: Some(root.to_path_buf()),
            ..Options::default()
        };
        let (t, candidates) = discover_sources(&opts).unwrap();
        assert_eq!(entries(&t), ["a src/main.rs"]);
        assert_eq!(t.fence, fence::canonical_dir(root));
        assert_eq!(
            candidates,
            [
                absolute(&root.join("crates/a/dpia.toml")),
                absolute(&root.join("dpia.toml"))
            ]
        );
        let t = at(&root.join("other"));
        assert_eq!(t.fence, fence::canonical_dir(&root.join("other")));
        // `package.workspace` names the root explicitly
        write(
            root,
            "nested/deep/Cargo.toml",
            &format!("{}workspace = \"../..\"\n", pkg("deep")),
        );
        write(root, "nested/deep/src/lib.rs", "\n");
        write(
            root,
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\", \"nested/deep\"]\n",
        );
        let t = at(&root.join("nested/deep"));
        assert_eq!(t.fence, fence::canonical_dir(root));
        assert_eq!(at(root).crates.len(), 2);
    }

    #[test]
    fn a_broken_cargo_toml_is_a_note_and_its_directory_is_linted_file_by_file() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "Cargo.toml", "[package\nname = \"secret-value\"\n");
        write(root, "src/lib.rs", "\n");
        let t = at(root);
        assert!(t.bare);
        assert_eq!(t.notes.len(), 1);
        let n = &t.notes[0].message;
        assert!(
            n.contains("`Cargo.toml` cannot be read") && n.contains("line 1"),
            "{n}"
        );
        assert!(!n.contains("secret-value"), "{n}");
    }

    #[test]
    fn a_virtual_workspace_with_only_absent_members_is_nothing_to_lint() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "Cargo.toml", "[workspace]\nmembers = [\"gone\"]\n");
        let opts = Options {
            path: root.to_path_buf(),
            ..Options::default()
        };
        let e = discover_sources(&opts).unwrap_err().to_string();
        assert!(e.contains("workspace member `gone` is absent"), "{e}");
    }

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
