//! dpia-lint's engine: from a path on disk to a sorted list of [`Finding`]s.
//!
//! Pipeline: [`discover`] (cargo metadata, module tree) → parse and build the per-file
//! model in parallel → merge into the [`Model`] → run the rules → apply levels,
//! suppressions and sorting. The engine never prints: callers render the [`Report`].

pub mod diag;
pub mod discover;
pub mod manifest;
pub mod model;
mod parse;
pub mod rule;
pub mod source;
pub mod taxonomy;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use diag::{Facts, Finding, Label, Level};
pub use manifest::{Manifest, ManifestError};
pub use model::Model;
pub use rule::{Precision, Rule, RuleContext, RuleMeta};
pub use source::{FileId, SourceDb, Span};

/// What to lint and how.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The crate, workspace or directory to lint.
    pub path: PathBuf,
    /// `--manifest-path`: a `Cargo.toml` (overrides `path`).
    pub manifest_path: Option<PathBuf>,
    /// `--dpia`: the manifest (default: found next to the crate's or workspace's Cargo.toml).
    pub dpia: Option<PathBuf>,
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
    Io { path: PathBuf, error: std::io::Error },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(m) => f.write_str(m),
            RunError::NoCrate { path, reason } => {
                write!(f, "nothing to lint at `{}`: {reason}", path.display())
            }
            RunError::ManifestMissing { searched } => {
                let list: Vec<String> = searched.iter().map(|p| format!("`{}`", p.display())).collect();
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
    let t = Instant::now();
    let target = discover::discover(opts)?;
    let discover_time = t.elapsed();
    let _ = (target, rules, discover_time);
    unimplemented!("pipeline")
}
