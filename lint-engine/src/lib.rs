//! dpia-lint's engine: from a path on disk to a sorted list of [`Finding`]s.
//!
//! Pipeline: [`discover`] (Cargo.toml files read directly, module tree) → parse and build the per-file
//! model in parallel → merge into the [`Model`] → run the rules → apply levels,
//! suppressions and sorting. The engine never prints: callers render the [`Report`].

pub mod baseline;
pub mod diag;
pub mod discover;
pub mod fence;
pub mod flow;
mod guard;
pub mod inventory;
pub mod lock;
pub mod looks;
pub mod manifest;
pub mod model;
pub mod models;
mod panics;
mod parse;
pub mod rule;
pub mod source;
mod spans;
pub mod suppress;
pub mod taxonomy;
mod uses;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use diag::{Applicability, BaselineState, Edit, Facts, Finding, Label, Level, Suggestion};
pub use discover::RunNote;
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
    /// Which baseline the findings are compared with.
    pub baseline: BaselineChoice,
    /// When not empty, report only these rules (codes or names), plus DPIA001 and DPIA002,
    /// whatever the levels say: each fixture crate tests its own rule this way. Every rule
    /// still runs, so suppressions (and DPIA902) are counted as in a full run; the others'
    /// findings are at `allow`, as if `[lints]` turned them off.
    pub only: Vec<String>,
    /// `--locked`: compare the processing inventory with `dpia.lock` (DPIA601).
    pub locked: bool,
    /// The caller exits right after this run (the command line does): the run's working
    /// data (the model, the IR, the flows) is then left to the operating system instead of
    /// being freed one allocation at a time, as clang's driver does with `-disable-free`.
    /// Otherwise (a library caller, tests, `--fix` re-runs) it is freed on a background
    /// thread.
    pub exit_after: bool,
}

/// Where the baseline comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BaselineChoice {
    /// The manifest's `[dpia] baseline`, if it names one.
    #[default]
    FromManifest,
    /// `--baseline FILE`.
    File(PathBuf),
    /// None, whatever the manifest says (`cargo dpia-lint baseline` itself).
    Ignore,
}

/// The baseline a run was compared with.
#[derive(Clone, Debug)]
pub struct BaselineRun {
    pub path: PathBuf,
    /// The fingerprints it holds, summed over their counts.
    pub entries: usize,
    pub outcome: baseline::Outcome,
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
    /// What discovery left out (absent members, refused files), by path.
    pub notes: Vec<RunNote>,
    /// Set when the findings were compared with a baseline.
    pub baseline: Option<BaselineRun>,
    /// Where `cargo dpia-lint baseline` writes: `--baseline`, else the manifest's
    /// `[dpia] baseline`, else `dpia-baseline.json` next to the manifest.
    pub baseline_file: PathBuf,
    /// What the code processes (the processing inventory): `lock` and `report` render it.
    pub inventory: inventory::Inventory,
    /// `dpia.lock` next to the manifest.
    pub lock_file: PathBuf,
}

impl Report {
    /// The fingerprint of each finding, unique within the report ([`diag::unique_fingerprints`]).
    pub fn unique_fingerprints(&self) -> Vec<String> {
        diag::unique_fingerprints(&self.findings, &self.db)
    }
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
    /// A file was refused by the fence (outside the linted directory, not a regular
    /// file, too large); `reason` names it, never its content.
    Refused { path: PathBuf, reason: String },
    /// The baseline file is missing, unreadable or invalid.
    Baseline { path: PathBuf, reason: String },
    /// `--locked` and `dpia.lock` is missing, invalid or stale.
    Lock { path: PathBuf, reason: String },
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
            RunError::Refused { path, reason } => {
                write!(f, "refusing to read `{}`: it {reason}", path.display())
            }
            RunError::Baseline { path, reason } => {
                write!(f, "cannot use the baseline `{}`: {reason}", path.display())
            }
            RunError::Lock { path, reason } => write!(
                f,
                "cannot use the lock `{}` (--locked): {reason}\n\nhelp: after the controller has reviewed the DPIA for the processing the code shows (with the DPO's advice), write it with `cargo dpia-lint lock` and commit it; `cargo dpia-lint report` shows that processing",
                path.display()
            ),
            RunError::Io { path, error } => write!(f, "cannot read `{}`: {error}", path.display()),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs the whole pipeline.
pub fn lint(opts: &Options, rules: &[&'static dyn Rule]) -> Result<Report, RunError> {
    let mut levels = Levels::from_overrides(&opts.overrides, rules)?;
    levels.only = opts
        .only
        .iter()
        .map(|name| find_rule(name, rules).map(|r| r.meta().code))
        .collect::<Result<_, _>>()?;

    let t = Instant::now();
    let target = discover::discover(opts)?;
    let mut db = SourceDb::new(target.root.clone());
    let manifest_text = discover::read_manifest(&target, opts.dpia.is_some())?;
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
    let mut model = model;
    let flows = in_pool(pool(), || {
        panics::catch(|| flow::analyse(&model, &file_flow, &manifest))
    });
    let flows = flows.unwrap_or_else(|panic| {
        // a panic outside any one function (the index, the purposes): no flows at all
        let file = model.crates.iter().find_map(|c| c.files.first().copied());
        let file = file.unwrap_or(manifest_file);
        model.parse_problems.push(model::ParseProblem {
            file,
            span: Span::new(file, 0..0),
            message: panics::message("the flows of this crate", &panic),
        });
        flow::Flows::default()
    });
    for (item, panic) in &flows.internal_errors {
        let it = model.item(*item);
        model.parse_problems.push(model::ParseProblem {
            file: it.file,
            span: it.name_span,
            message: panics::message(&format!("function `{}`", it.path), panic),
        });
    }
    let flow_time = t.elapsed();

    let t = Instant::now();
    let inventory = inventory::build(&model, &flows, &manifest, &db);
    let lock_file = db
        .get(manifest_file)
        .abs_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(lock::FILE_NAME);
    let lock = if opts.locked {
        Some(read_lock(&lock_file, &target.fence, &manifest)?)
    } else {
        None
    };
    let cx = RuleContext {
        model: &model,
        manifest: &manifest,
        manifest_file,
        db: &db,
        flows: &flows,
        inventory: &inventory,
        lock: lock.as_ref(),
    };
    // the rules are independent: each runs on a worker, their findings joined in rule order
    let mut findings: Vec<Finding> = in_pool(pool(), || {
        use rayon::prelude::*;
        rules
            .par_iter()
            .map(|rule| {
                let mut out = Vec::new();
                run_rule(*rule, manifest_file, &mut out, |out| rule.check(&cx, out));
                out
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    let suppressions = suppress::apply(&mut findings, &cx, rules, &suppress::today());
    for rule in rules {
        run_rule(*rule, manifest_file, &mut findings, |out| {
            rule.check_suppressions(&cx, &suppressions, out)
        });
    }
    let mut notes = target.notes.clone();
    if let Some(l) = &lock {
        // facts the code no longer shows: a note, not a finding (no code is left to point at)
        for f in l.diff(&inventory).1 {
            notes.push(RunNote {
                message: format!(
                    "dpia.lock: the code no longer shows that {}; after review, `cargo dpia-lint lock` drops it",
                    f.describe().replacen("purpose ", "", 1)
                ),
            });
        }
    }
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
    let (baseline_file, compare) = baseline_path(opts, &manifest, &db.get(manifest_file).abs_path);
    let baseline = if compare {
        // named by the repository (`[dpia] baseline`): fenced like every file it names;
        // `--baseline` may be anywhere, but must be a regular file
        let bytes = match opts.baseline {
            BaselineChoice::FromManifest => {
                fence::read(&baseline_file, &target.fence, MAX_BASELINE_BYTES)
            }
            _ => fence::read_given(&baseline_file, MAX_BASELINE_BYTES),
        };
        let b = parse_baseline(&baseline_file, bytes)?;
        let outcome = b.apply(&mut findings, &db);
        Some(BaselineRun {
            entries: b.findings.iter().map(|e| e.count as usize).sum(),
            path: baseline_file.clone(),
            outcome,
        })
    } else {
        None
    };
    let rules_time = t.elapsed();

    let files_analysed = model.crates.iter().map(|c| c.files.len()).sum();
    // Freeing millions of small allocations takes a noticeable share of a large run: leave
    // it to the OS when the process is about to exit, else do it on another thread, off the
    // caller's path (ruff and rust-analyzer do the same)
    let working = (model, file_flow, flows, manifest);
    if opts.exit_after {
        std::mem::forget(working);
    } else {
        drop_in_background(working);
    }
    Ok(Report {
        notes,
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
        baseline,
        baseline_file,
        inventory,
        lock_file,
    })
}

/// Runs one check of `rule`, appending its findings; a panic becomes a DPIA001 finding
/// and the run goes on.
fn run_rule(
    rule: &dyn Rule,
    manifest_file: FileId,
    findings: &mut Vec<Finding>,
    check: impl FnOnce(&mut Vec<Finding>),
) {
    let mut out = Vec::new();
    match panics::catch(|| check(&mut out)) {
        Ok(()) => findings.append(&mut out),
        Err(panic) => findings.push(Finding::new(
            "DPIA001",
            Level::Warn,
            Label::new(Span::new(manifest_file, 0..0), "not checked"),
            panics::message(&format!("rule `{}`", rule.meta().name), &panic),
        )),
    }
}

/// Lock files above this size are refused.
const MAX_LOCK_BYTES: u64 = 16 << 20;

/// Reads `dpia.lock` for `--locked`: missing, invalid, edited by hand or made under another
/// `[dpia] version`/`reviewed` is exit 2.
fn read_lock(path: &Path, fence: &Path, manifest: &Manifest) -> Result<lock::Lock, RunError> {
    let err = |reason: String| RunError::Lock {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = fence::read(path, fence, MAX_LOCK_BYTES).map_err(|r| match r {
        fence::Refusal::Missing => err(lock::LockProblem::Missing.to_string()),
        r => err(format!("it {r}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| err("not UTF-8".into()))?;
    let l = lock::Lock::parse(&text).map_err(|p| err(p.to_string()))?;
    let s = |v: &Option<manifest::Sp<String>>| v.as_ref().map(|x| x.value.clone());
    l.check_current(&s(&manifest.dpia.version), &s(&manifest.dpia.reviewed))
        .map_err(|p| err(p.to_string()))?;
    Ok(l)
}

/// The baseline file of a run: `--baseline`, else the manifest's `[dpia] baseline`
/// (relative to the manifest), else `dpia-baseline.json` next to the manifest. The flag says
/// whether the findings are compared with it.
fn baseline_path(opts: &Options, manifest: &Manifest, manifest_path: &Path) -> (PathBuf, bool) {
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let from_manifest = manifest.dpia.baseline.as_ref().map(|b| dir.join(&b.value));
    match &opts.baseline {
        BaselineChoice::File(p) => (p.clone(), true),
        BaselineChoice::FromManifest => match from_manifest {
            Some(p) => (p, true),
            None => (dir.join(baseline::FILE_NAME), false),
        },
        BaselineChoice::Ignore => (
            from_manifest.unwrap_or_else(|| dir.join(baseline::FILE_NAME)),
            false,
        ),
    }
}

fn parse_baseline(
    path: &Path,
    bytes: Result<Vec<u8>, fence::Refusal>,
) -> Result<baseline::Baseline, RunError> {
    let err = |reason: String| RunError::Baseline {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = bytes.map_err(|r| match r {
        fence::Refusal::Missing => {
            err("no such file; write it with `cargo dpia-lint baseline`".into())
        }
        fence::Refusal::Outside(_) => {
            err("`[dpia] baseline` leads outside the linted directory".into())
        }
        r => err(format!("it {r}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| err("not UTF-8".into()))?;
    baseline::Baseline::parse(&text).map_err(err)
}

/// Baseline files above this size are refused.
const MAX_BASELINE_BYTES: u64 = 64 << 20;

/// Stack of each worker thread: syn and the engine's walkers recurse, and what the guard
/// admits (see `guard`) must fit, in debug builds too. Only the pages touched are used.
const WORKER_STACK: usize = 256 << 20;

/// The pool that parses, extracts and lowers files and runs the flow analysis: threads with
/// large stacks (rayon's global pool has small ones).
fn pool() -> &'static Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    static POOL: std::sync::OnceLock<Result<rayon::ThreadPool, rayon::ThreadPoolBuildError>> =
        std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let build = |stack| {
            rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("dpia-lint-{i}"))
                .stack_size(stack)
                .build()
        };
        build(WORKER_STACK).or_else(|_| build(64 << 20))
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
        Some(p) => fence::exists(p).then(|| p.clone()),
        None => candidates.iter().find(|c| fence::exists(c)).cloned(),
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

    let fence = target.fence.clone();
    let mut model = Model {
        crates: target
            .crates
            .iter()
            .map(|c| model::CrateInfo {
                name: c.name.clone(),
                files: Vec::new(),
                aliases: c.aliases.clone(),
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
            real: None,
        })
        .collect();
    let mut file_flow = flow::ir::FileFlow::default();
    let mut seen = std::collections::HashSet::new();
    let pool = pool();
    let mut parse_time = Duration::ZERO;
    while !wave.is_empty() {
        // a file reached twice (through `#[path]` or a symlink) is analysed once
        in_pool(pool, || {
            wave.par_iter_mut()
                .filter(|j| j.real.is_none())
                .for_each(|j| j.real = j.path.canonicalize().ok())
        });
        wave.retain(|j| seen.insert(j.real.clone().unwrap_or_else(|| j.path.clone())));
        let base = db.len() as u32;
        let t = Instant::now();
        let results: Vec<(parse::Parsed, SourceFile)> = in_pool(pool, || {
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

/// The rules `Options::only` keeps on: a file that does not parse and a malformed tag
/// change what every other rule sees.
const ALWAYS_ON: [&str; 2] = ["DPIA001", "DPIA002"];

/// The rule `name` (a code or a name) designates, or the usage error that says so.
fn find_rule(name: &str, rules: &[&'static dyn Rule]) -> Result<&'static dyn Rule, RunError> {
    match rules.iter().find(|r| r.meta().matches(name)) {
        Some(r) => Ok(*r),
        None => {
            let names: Vec<&str> = rules.iter().map(|r| r.meta().name).collect();
            let hint = dpia_annotations::suggest(&name.replace('_', "-"), names.iter().copied())
                .map(|s| format!(": did you mean `{s}`?"))
                .unwrap_or_else(|| ": `cargo dpia-lint rules` lists them".into());
            Err(RunError::Usage(format!("unknown rule `{name}`{hint}")))
        }
    }
}

/// Rule levels: defaults, then `[lints]`, then the command line.
struct Levels {
    overrides: Vec<(&'static str, Level)>,
    /// `Options::only`, as codes.
    only: Vec<&'static str>,
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
            out.push((find_rule(name, rules)?.meta().code, *level));
        }
        Ok(Levels {
            overrides: out,
            manifest: Vec::new(),
            only: Vec::new(),
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
        if !self.only.is_empty() && !self.only.contains(&code) && !ALWAYS_ON.contains(&code) {
            return Level::Allow;
        }
        let last =
            |v: &[(&'static str, Level)]| v.iter().rev().find(|(c, _)| *c == code).map(|(_, l)| *l);
        last(&self.overrides)
            .or_else(|| last(&self.manifest))
            .or_else(|| last(&self.defaults))
            .unwrap_or(Level::Warn)
    }
}
