//! dpia-lint's engine: from a path on disk to a sorted list of [`Finding`]s.
//!
//! Pipeline: [`discover`] (cargo metadata, module tree) → parse and build the per-file
//! model in parallel → merge into the [`Model`] → run the rules → apply levels,
//! suppressions and sorting. The engine never prints: callers render the [`Report`].

pub mod diag;
pub mod discover;
pub mod flow;
pub mod looks;
pub mod manifest;
pub mod model;
mod parse;
pub mod rule;
pub mod source;
mod spans;
pub mod suppress;
pub mod taxonomy;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use diag::{Facts, Finding, Label, Level};
pub use manifest::{Manifest, ManifestError};
pub use model::Model;
pub use rule::{Precision, Rule, RuleContext, RuleMeta};
pub use source::{FileId, SourceDb, SourceFile, Span};

/// What to lint and how.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The crate, workspace or directory to lint.
    pub path: PathBuf,
    /// `--manifest-path`: a `Cargo.toml` (overrides `path`).
    pub manifest_path: Option<PathBuf>,
    /// `--dpia`: the manifest (default: found next to the crate's or workspace's Cargo.toml).
    pub dpia: Option<PathBuf>,
    /// Base of the relative paths in the report (default: the current directory when the
    /// linted path is inside it, else the linted directory).
    pub root: Option<PathBuf>,
    /// `--include-tests`.
    pub include_tests: bool,
    /// `-D/-W/-A` in command-line order: the last one for a rule wins.
    pub overrides: Vec<(String, Level)>,
}

/// Wall time of each phase.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub discover: Duration,
    pub parse: Duration,
    pub model: Duration,
    pub flow: Duration,
    pub rules: Duration,
}

/// The result of a run.
#[derive(Debug)]
pub struct Report {
    pub db: SourceDb,
    /// Sorted by file, position, code; suppressed findings included (see `suppression`).
    pub findings: Vec<Finding>,
    pub manifest_file: FileId,
    pub timings: Timings,
    /// Number of Rust files analysed.
    pub files_analysed: usize,
    /// The manifest's regime (`uk-gdpr`, `dpa2018-part3`).
    pub regime: &'static str,
}

/// Why a run could not be done (exit code 2).
#[derive(Debug)]
pub enum RunError {
    /// Bad arguments, e.g. an unknown rule in `-D`.
    Usage(String),
    /// Nothing to lint at the path.
    NoCrate { path: PathBuf, reason: String },
    /// No `dpia.toml` found.
    ManifestMissing { searched: Vec<PathBuf> },
    /// The manifest has errors; `db` holds its text for rendering.
    ManifestInvalid {
        db: SourceDb,
        file: FileId,
        errors: Vec<ManifestError>,
    },
    /// A file or directory could not be read.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(m) => f.write_str(m),
            RunError::NoCrate { path, reason } => {
                write!(f, "nothing to lint at `{}`: {reason}", path.display())
            }
            RunError::ManifestMissing { searched } => {
                let list: Vec<String> = searched
                    .iter()
                    .map(|p| format!("`{}`", p.display()))
                    .collect();
                write!(f, "no DPIA manifest found (looked for {})", list.join(", "))
            }
            RunError::ManifestInvalid { errors, .. } => {
                write!(f, "the DPIA manifest has {} error(s)", errors.len())
            }
            RunError::Io { path, error } => write!(f, "cannot read `{}`: {error}", path.display()),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs the whole pipeline.
pub fn lint(opts: &Options, rules: &[&'static dyn Rule]) -> Result<Report, RunError> {
    let levels = Levels::from_overrides(&opts.overrides, rules)?;

    let t = Instant::now();
    let target = discover::discover(opts)?;
    let mut db = SourceDb::new(target.root.clone());
    let manifest_text =
        std::fs::read_to_string(&target.manifest).map_err(|error| RunError::Io {
            path: target.manifest.clone(),
            error,
        })?;
    let manifest_file = db.add(target.manifest.clone(), Arc::from(manifest_text));
    let names: Vec<&str> = rules
        .iter()
        .flat_map(|r| [r.meta().code, r.meta().name])
        .collect();
    let is_rule = |n: &str| rules.iter().any(|r| r.meta().matches(n));
    let manifest = match Manifest::parse(&db.get(manifest_file).text, &is_rule, &names) {
        Ok(m) => m,
        Err(errors) => {
            return Err(RunError::ManifestInvalid {
                db,
                file: manifest_file,
                errors,
            })
        }
    };
    let discover_time = t.elapsed();

    let t = Instant::now();
    let (model, file_flow, parse_time) = build_model(&target, &mut db, opts.include_tests);
    let parse_and_model = t.elapsed();
    let model_time = parse_and_model.saturating_sub(parse_time);

    let t = Instant::now();
    let flows = flow::analyse(&model, &file_flow, &manifest);
    let flow_time = t.elapsed();

    let t = Instant::now();
    let cx = RuleContext {
        model: &model,
        manifest: &manifest,
        manifest_file,
        db: &db,
        flows: &flows,
    };
    let mut findings = Vec::new();
    for rule in rules {
        rule.check(&cx, &mut findings);
    }
    suppress::apply(
        &mut findings,
        &model,
        &manifest,
        manifest_file,
        &db,
        rules,
        &suppress::today(),
    );
    let levels = levels.with_manifest(&manifest, rules);
    let regime = manifest.dpia.regime.value.as_str();
    findings.retain_mut(|f| {
        f.level = levels.level(f.code);
        if let Some(max) = f.max_level {
            f.level = f.level.min(max);
        }
        if let Some(r) = rules.iter().find(|r| r.meta().code == f.code) {
            f.legal_reference = r.meta().legal_reference(regime);
        }
        f.level != Level::Allow
    });
    diag::sort_findings(&mut findings, &db);
    let rules_time = t.elapsed();

    let files_analysed = model.crates.iter().map(|c| c.files.len()).sum();
    // Freeing millions of small allocations takes a noticeable share of a large run: do it
    // on another thread, off the caller's path (ruff and rust-analyzer do the same).
    drop_in_background((model, file_flow, flows, manifest));
    Ok(Report {
        db,
        findings,
        manifest_file,
        timings: Timings {
            discover: discover_time,
            parse: parse_time,
            model: model_time,
            flow: flow_time,
            rules: rules_time,
        },
        files_analysed,
        regime,
    })
}

/// Runs `f` on the pool when there is one (else on this thread).
fn in_pool<T: Send>(
    pool: &Result<rayon::ThreadPool, rayon::ThreadPoolBuildError>,
    f: impl FnOnce() -> T + Send,
) -> T {
    match pool {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

fn drop_in_background<T: Send + 'static>(value: T) {
    // if no thread can be started, the value is dropped right here by `spawn`
    let _ = std::thread::Builder::new()
        .name("dpia-lint-drop".into())
        .spawn(move || drop(value));
}

/// What `cargo dpia-lint init` needs: the crate model without a manifest.
#[derive(Debug)]
pub struct Survey {
    pub db: SourceDb,
    pub model: Model,
    /// Where the manifest goes (`--dpia`, else next to the crate's `Cargo.toml`).
    pub manifest_path: PathBuf,
    /// An existing manifest, which `init` must not overwrite.
    pub existing: Option<PathBuf>,
}

/// Discovers and parses the crate without reading a manifest.
pub fn survey(opts: &Options) -> Result<Survey, RunError> {
    let (target, candidates) = discover::discover_sources(opts)?;
    let existing = match &opts.dpia {
        Some(p) => p.is_file().then(|| p.clone()),
        None => candidates.iter().find(|c| c.is_file()).cloned(),
    };
    let mut db = SourceDb::new(target.root.clone());
    let (model, _, _) = build_model(&target, &mut db, opts.include_tests);
    Ok(Survey {
        db,
        model,
        manifest_path: target.manifest.clone(),
        existing,
    })
}

/// Parses every file reachable from the crate roots, wave by wave (a wave is the files
/// found by the previous one), each wave in parallel. Returns the model, the lowered
/// bodies for the flow analysis and the share of the wall time spent parsing (the rest is
/// model extraction).
fn build_model(
    target: &discover::Target,
    db: &mut SourceDb,
    include_tests: bool,
) -> (Model, flow::ir::FileFlow, Duration) {
    use rayon::prelude::*;

    let fence = std::fs::canonicalize(&target.dir).unwrap_or_else(|_| target.dir.clone());
    let mut model = Model {
        crates: target
            .crates
            .iter()
            .map(|c| model::CrateInfo {
                name: c.name.clone(),
                files: Vec::new(),
            })
            .collect(),
        ..Model::default()
    };
    let mut wave: Vec<parse::Job> = target
        .crates
        .iter()
        .enumerate()
        .map(|(i, c)| parse::Job {
            path: c.entry.clone(),
            module_path: c.module_path.clone(),
            krate: i,
            follow_mods: c.follow_mods,
            mod_rs: true,
        })
        .collect();
    let mut file_flow = flow::ir::FileFlow::default();
    let mut seen = std::collections::HashSet::new();
    let pool = rayon::ThreadPoolBuilder::new()
        // syn and our walkers recurse; deep (but admitted) input needs room
        .stack_size(64 << 20)
        .build();
    let mut parse_time = Duration::ZERO;
    while !wave.is_empty() {
        // a file reached twice (through `#[path]` or a symlink) is analysed once
        let keys: Vec<PathBuf> = in_pool(&pool, || {
            wave.par_iter()
                .map(|j| j.path.canonicalize().unwrap_or_else(|_| j.path.clone()))
                .collect()
        });
        let mut keys = keys.into_iter();
        wave.retain(|_| keys.next().is_some_and(|k| seen.insert(k)));
        let base = db.len() as u32;
        let t = Instant::now();
        let results: Vec<(parse::Parsed, SourceFile)> = in_pool(&pool, || {
            wave.par_iter()
                .enumerate()
                .map(|(i, job)| {
                    let id = FileId(base + i as u32);
                    parse::process(job, id, include_tests, &fence, &db.root)
                })
                .collect()
        });
        let wall = t.elapsed();
        let (p, m) = results
            .iter()
            .fold((Duration::ZERO, Duration::ZERO), |(p, m), (r, _)| {
                (p + r.parse_time, m + r.model_time)
            });
        // apportion the wave's wall time between parsing and extraction by CPU time
        let total = (p + m).as_secs_f64();
        if total > 0.0 {
            parse_time += wall.mul_f64(p.as_secs_f64() / total);
        }
        let mut next = Vec::new();
        for (job, (r, source)) in wave.iter().zip(results) {
            let file = db.push(source);
            model.crates[job.krate].files.push(file);
            let offset = model.items.len() as u32;
            let mut ff = r.flow;
            ff.rebase(offset, file_flow.scopes.len() as u32);
            ff.scope_krates = vec![job.krate as u32; ff.scopes.len()];
            file_flow.append(ff);
            model.items.extend(r.items.into_iter().map(|mut it| {
                it.parent = it.parent.map(|p| model::ItemId(p.0 + offset));
                it
            }));
            model.tag_problems.extend(r.tag_problems);
            model.parse_problems.extend(r.problems);
            next.extend(r.children);
        }
        wave = next;
    }
    (model, file_flow, parse_time)
}

/// Rule levels: defaults, then `[lints]`, then the command line.
struct Levels {
    overrides: Vec<(&'static str, Level)>,
    manifest: Vec<(&'static str, Level)>,
    defaults: Vec<(&'static str, Level)>,
}

impl Levels {
    fn from_overrides(
        overrides: &[(String, Level)],
        rules: &[&'static dyn Rule],
    ) -> Result<Levels, RunError> {
        let mut out = Vec::new();
        for (name, level) in overrides {
            let Some(rule) = rules.iter().find(|r| r.meta().matches(name)) else {
                let names: Vec<&str> = rules.iter().map(|r| r.meta().name).collect();
                let hint =
                    dpia_annotations::suggest(&name.replace('_', "-"), names.iter().copied())
                        .map(|s| format!(": did you mean `{s}`?"))
                        .unwrap_or_else(|| ": `cargo dpia-lint rules` lists them".into());
                return Err(RunError::Usage(format!("unknown rule `{name}`{hint}")));
            };
            out.push((rule.meta().code, *level));
        }
        Ok(Levels {
            overrides: out,
            manifest: Vec::new(),
            defaults: rules
                .iter()
                .map(|r| (r.meta().code, r.meta().default_level))
                .collect(),
        })
    }

    fn with_manifest(mut self, manifest: &Manifest, rules: &[&'static dyn Rule]) -> Levels {
        for (name, level) in &manifest.lints {
            if let Some(rule) = rules.iter().find(|r| r.meta().matches(&name.value)) {
                self.manifest.push((rule.meta().code, level.value));
            }
        }
        self
    }

    fn level(&self, code: &str) -> Level {
        let last =
            |v: &[(&'static str, Level)]| v.iter().rev().find(|(c, _)| *c == code).map(|(_, l)| *l);
        last(&self.overrides)
            .or_else(|| last(&self.manifest))
            .or_else(|| last(&self.defaults))
            .unwrap_or(Level::Warn)
    }
}
