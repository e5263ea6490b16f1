//! The command line (a contract): arguments, subcommands, exit codes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use dpia_lint_engine::baseline::Baseline;
use dpia_lint_engine::{BaselineChoice, Level, Options, RunError};

use crate::out;
use crate::output;

/// Exit code: nothing at error level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at error level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the run could not be done.
pub const EXIT_ERROR: u8 = 2;

const AFTER_HELP: &str = "\
Exit status:
  0  no finding at error level
  1  findings at error level
  2  the run could not be done (bad arguments, missing or invalid dpia.toml, no crate at PATH)

Examples:
  cargo dpia-lint                                  lint the crate or workspace here
  cargo dpia-lint --format sarif --output dpia.sarif
  cargo dpia-lint -W function-creep -A unused-declaration
  cargo dpia-lint explain DPIA102                  what a rule checks and how to fix it
  cargo dpia-lint rules                            every rule, its code and level
  cargo dpia-lint baseline                         accept today's findings; later runs show new ones
  cargo dpia-lint lock                             record what the code processes (dpia.lock)
  cargo dpia-lint --locked                         fail (DPIA601) when that changes before the DPIA is reviewed
  cargo dpia-lint report --format html --output dpia-report.html

dpia-lint reads the code; it never builds or runs it, and starts no other program.";

/// Check Rust code that handles personal data against its Data Protection Impact
/// Assessment (dpia.toml).
#[derive(Debug, Parser)]
#[command(
    name = "cargo-dpia-lint",
    bin_name = "cargo dpia-lint",
    version,
    about,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub lint: LintArgs,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The crate, workspace or directory to lint
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// Path to the Cargo.toml of the crate or workspace to lint (as cargo)
    #[arg(long, value_name = "Cargo.toml")]
    pub manifest_path: Option<PathBuf>,

    /// The DPIA manifest [default: dpia.toml next to the crate's Cargo.toml, else the workspace's]
    #[arg(long, value_name = "FILE")]
    pub dpia: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Leave suppressed findings out of the output (GitHub ignores SARIF suppressions)
    #[arg(long)]
    pub no_suppressed: bool,

    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Apply the machine-applicable fixes to the source files (never to dpia.toml), then
    /// report what is left
    #[arg(long)]
    pub fix: bool,

    /// With --fix: also apply fixes that may be wrong (review the diff)
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,

    /// Compare with a baseline written by `cargo dpia-lint baseline`: findings in it are
    /// `unchanged`, hidden and not counted in the exit code [default: the manifest's
    /// `[dpia] baseline`, if any]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Set a rule to deny (an error); a code or a name, `-` or `_`; repeatable
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,

    /// Set a rule to warn; repeatable
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,

    /// Turn a rule off; repeatable
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,

    /// Also lint #[cfg(test)] code and test, bench and example targets
    #[arg(long)]
    pub include_tests: bool,

    /// Compare what the code processes with dpia.lock (written by `cargo dpia-lint lock`):
    /// every new fact is DPIA601 dpia-drift; a missing or stale lock is exit 2
    #[arg(long)]
    pub locked: bool,

    /// Print the wall time of each phase on stderr
    #[arg(long)]
    pub timings: bool,

    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a rule's documentation: what it does, why it matters, how to fix
    Explain {
        /// A rule code (DPIA102) or name (function-creep)
        #[arg(value_name = "CODE|NAME")]
        rule: String,
    },
    /// List every rule with its code, default level and summary
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
        format: CatalogueFormat,
    },
    /// Write dpia-baseline.json: the findings of today, which later runs report as
    /// unchanged (hidden, not failing the run) so that only new findings count
    Baseline(BaselineArgs),
    /// List the model pack: the sinks, sanitisers, passthroughs and sources of third-party
    /// crates (docs/models.md; add your own in dpia.toml `[[models]]`)
    Models {
        /// Output format
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
        format: CatalogueFormat,
    },
    /// Write a starter dpia.toml from the fields that look like personal data, and print
    /// the tags to add. Never overwrites an existing manifest.
    Init {
        /// The crate, workspace or directory to survey
        #[arg(value_name = "PATH", default_value = ".")]
        path: PathBuf,
        /// The legal regime of the processing
        #[arg(long, value_enum, default_value_t = Regime::UkGdpr)]
        regime: Regime,
        /// Where to write the manifest [default: dpia.toml next to the crate's Cargo.toml]
        #[arg(long, value_name = "FILE")]
        dpia: Option<PathBuf>,
    },
    /// Write dpia.lock: what the code processes (per purpose: categories, recipients,
    /// operations, automated decisions) as the reviewed DPIA covers it; `--locked` then
    /// reports every change as DPIA601 dpia-drift
    Lock(SurveyArgs),
    /// The DPIA's description of the processing, from the code and dpia.toml: Step 2,
    /// the record of processing, a data-flow diagram, screening, coverage, open findings
    Report {
        #[command(flatten)]
        survey: SurveyArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Write to FILE (atomically) instead of stdout
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// What `lock` and `report` read.
#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// The crate, workspace or directory
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// Path to the Cargo.toml of the crate or workspace (as cargo)
    #[arg(long, value_name = "Cargo.toml")]
    pub manifest_path: Option<PathBuf>,

    /// The DPIA manifest [default: as for linting]
    #[arg(long, value_name = "FILE")]
    pub dpia: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown with a Mermaid diagram (GitHub renders it)
    Md,
    /// One self-contained, printable HTML file with an inline SVG diagram
    Html,
    /// The inventory as JSON, for tools
    Json,
}

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// The crate, workspace or directory to lint
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// Path to the Cargo.toml of the crate or workspace to lint (as cargo)
    #[arg(long, value_name = "Cargo.toml")]
    pub manifest_path: Option<PathBuf>,

    /// The DPIA manifest [default: as for linting]
    #[arg(long, value_name = "FILE")]
    pub dpia: Option<PathBuf>,

    /// Where to write [default: the manifest's `[dpia] baseline`, else dpia-baseline.json
    /// next to dpia.toml]
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write nothing; exit 1 if the baseline would gain an entry (a ratchet for CI)
    #[arg(long)]
    pub check: bool,

    /// Also lint #[cfg(test)] code and test, bench and example targets
    #[arg(long)]
    pub include_tests: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Regime {
    /// UK GDPR with the DPA 2018 (general processing)
    #[value(name = "uk-gdpr")]
    UkGdpr,
    /// DPA 2018 Part 3 (law enforcement processing)
    #[value(name = "dpa2018-part3")]
    Dpa2018Part3,
}

/// `--format` (defined with the renderers, so that they never import the CLI).
pub use crate::output::Format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Drops the `dpia-lint` argument cargo inserts when run as `cargo dpia-lint`.
pub fn normalise_args(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a == "dpia-lint") {
        args.remove(1);
    }
    args
}

/// Runs the command line; returns the exit code.
pub fn main_with_args(args: Vec<OsString>) -> ExitCode {
    let args = normalise_args(args);
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(EXIT_ERROR);
        }
    };
    match cli.command {
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Rules { format }) => rules(format),
        Some(Command::Models { format }) => models(format),
        Some(Command::Init { path, regime, dpia }) => init(&path, regime, dpia),
        Some(Command::Baseline(args)) => baseline(&args),
        Some(Command::Lock(args)) => lock(&args),
        Some(Command::Report {
            survey,
            format,
            output,
        }) => report(&survey, format, output.as_deref()),
        None => lint(&cli.lint, level_overrides(&matches)),
    }
}

/// `-D/-W/-A` in command-line order, so that the last one for a rule wins.
fn level_overrides(m: &ArgMatches) -> Vec<(String, Level)> {
    let mut all: Vec<(usize, String, Level)> = Vec::new();
    for (id, level) in [
        ("deny", Level::Deny),
        ("warn", Level::Warn),
        ("allow", Level::Allow),
    ] {
        if let (Some(idx), Some(vals)) = (m.indices_of(id), m.get_many::<String>(id)) {
            all.extend(idx.zip(vals).map(|(i, v)| (i, v.clone(), level)));
        }
    }
    all.sort_by_key(|(i, _, _)| *i);
    all.into_iter().map(|(_, r, l)| (r, l)).collect()
}

fn explain(rule: &str) -> ExitCode {
    match dpia_lint_rules::find(rule) {
        Some(meta) => match print(format!("{}\n", dpia_lint_rules::explain(meta))) {
            Ok(()) => ExitCode::from(EXIT_OK),
            Err(code) => code,
        },
        None => {
            let hint = dpia_lint_rules::suggest(rule)
                .map(|m| format!("\n\nhelp: did you mean `{}`?", m.name))
                .unwrap_or_default();
            out::to_stderr(&format!(
                "error: unknown rule `{rule}`{hint}\n\n`cargo dpia-lint rules` lists every rule"
            ));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn models(format: CatalogueFormat) -> ExitCode {
    let mut text = String::new();
    match format {
        CatalogueFormat::Json => {
            text =
                serde_json::to_string_pretty(&dpia_lint_engine::models::json()).unwrap_or_default();
            text.push('\n');
        }
        CatalogueFormat::Human => {
            for e in dpia_lint_engine::models::builtin() {
                let to = e
                    .recipient
                    .as_deref()
                    .or(e.category.as_deref())
                    .unwrap_or("");
                text.push_str(&format!(
                    "{:<18} {:<11} {:<8} {:<58} {to}\n",
                    e.origin,
                    e.kind.as_str(),
                    e.target.key(),
                    e.target.path().join("::"),
                ));
            }
        }
    }
    match print(text) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(code) => code,
    }
}

fn rules(format: CatalogueFormat) -> ExitCode {
    let mut text = String::new();
    match format {
        CatalogueFormat::Json => {
            let json = dpia_lint_rules::catalogue_json();
            text = serde_json::to_string_pretty(&json).unwrap_or_default();
            text.push('\n');
        }
        CatalogueFormat::Human => {
            for m in dpia_lint_rules::metas() {
                let note = if m.implemented {
                    ""
                } else {
                    "  (not implemented yet)"
                };
                text.push_str(&format!(
                    "{}  {:<34} {:<5} {}{note}\n",
                    m.code,
                    m.name,
                    m.default_level.as_str(),
                    m.summary
                ));
            }
        }
    }
    match print(text) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(code) => code,
    }
}

/// Writes `text` to stdout ([`out::to_stdout`]: a closed pipe is not an error); a failed
/// write is reported on stderr and is `Err(exit code 2)`.
fn print(text: impl AsRef<[u8]>) -> Result<(), ExitCode> {
    out::to_stdout(text.as_ref()).map_err(|e| {
        out::to_stderr(&format!("error: cannot write to stdout: {e}"));
        ExitCode::from(EXIT_ERROR)
    })
}

fn init(path: &Path, regime: Regime, dpia: Option<PathBuf>) -> ExitCode {
    let opts = Options {
        path: path.to_path_buf(),
        dpia,
        ..Options::default()
    };
    let survey = match dpia_lint_engine::survey(&opts) {
        Ok(s) => s,
        Err(e) => {
            report_run_error(&e, false, None);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if let Some(existing) = &survey.existing {
        out::to_stderr(&format!(
            "error: `{}` already exists; `init` never overwrites a manifest\n  = help: edit it, or move it away and run `cargo dpia-lint init` again",
            existing.display()
        ));
        return ExitCode::from(EXIT_ERROR);
    }
    let regime = match regime {
        Regime::UkGdpr => "uk-gdpr",
        Regime::Dpa2018Part3 => "dpa2018-part3",
    };
    let title = survey
        .model
        .crates
        .first()
        .map(|c| format!("DPIA of {}", c.name))
        .unwrap_or_else(|| "DPIA".into());
    let (text, tags) = crate::init::starter(&survey, regime, &title);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&survey.manifest_path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    if let Err(e) = written {
        out::to_stderr(&format!(
            "error: cannot write `{}`: {e}",
            survey.manifest_path.display()
        ));
        return ExitCode::from(EXIT_ERROR);
    }
    let mut said = format!("wrote {}\n", survey.manifest_path.display());
    if tags.is_empty() {
        said.push_str("no field looks like personal data; tag the data models as you go\n");
    } else {
        said.push_str(&format!("\nsuggested tags ({}):\n", tags.len()));
        for t in &tags {
            said.push_str(&format!("  {t}\n"));
        }
    }
    said.push_str("\nnext: complete the TODOs with the DPO, then run `cargo dpia-lint`\n");
    match print(output::text::sanitise(&said).as_bytes()) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(code) => code,
    }
}

/// How many times `--fix` re-lints to apply fixes that overlapped one already applied.
const MAX_FIX_PASSES: usize = 10;

fn lint(args: &LintArgs, overrides: Vec<(String, Level)>) -> ExitCode {
    let opts = Options {
        path: args.path.clone(),
        manifest_path: args.manifest_path.clone(),
        dpia: args.dpia.clone(),
        root: None,
        include_tests: args.include_tests,
        overrides,
        baseline: match &args.baseline {
            Some(p) => BaselineChoice::File(p.clone()),
            None => BaselineChoice::FromManifest,
        },
        only: Vec::new(),
        locked: args.locked,
        // `--fix` lints again after applying fixes: free each run's data then
        exit_after: !args.fix,
    };
    let rules = dpia_lint_rules::all();
    let colour = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output.is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let stderr_colour = args.color == Color::Always
        || (args.color == Color::Auto && std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let mut report = match dpia_lint_engine::lint(&opts, rules) {
        Ok(r) => r,
        Err(e) => {
            report_run_error(&e, stderr_colour, args.dpia.as_deref());
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if args.fix {
        // fixes that overlap one applied in this pass (two arguments for one `skip(…)`,
        // two tags above one line) and those a fix uncovers (the basis of a tag whose
        // misspelt name hid it) are applied in the next pass, on the re-linted files, as
        // cargo fix and ruff do
        let (mut fixes, mut files, mut conflicts) = (0, std::collections::BTreeSet::new(), 0);
        for _pass in 0..MAX_FIX_PASSES {
            let (changed, applied) = crate::fix::plan(&report, args.unsafe_fixes);
            for (file, text) in &changed {
                let path = &report.db.get(*file).abs_path;
                if let Err(e) = out::write_output(path, text.as_bytes()) {
                    out::to_stderr(&format!(
                        "error: cannot write the fix to `{}`: {e}",
                        crate::output::display_path(path)
                    ));
                    return ExitCode::from(EXIT_ERROR);
                }
                files.insert(path.clone());
            }
            fixes += applied.fixes;
            conflicts = applied.conflicts;
            if applied.fixes == 0 {
                break;
            }
            // report what is left, as the files now are
            report = match dpia_lint_engine::lint(&opts, rules) {
                Ok(r) => r,
                Err(e) => {
                    report_run_error(&e, stderr_colour, args.dpia.as_deref());
                    return ExitCode::from(EXIT_ERROR);
                }
            };
        }
        let conflicts = if conflicts > 0 {
            format!("; {conflicts} overlapping fix(es) left for the next run")
        } else {
            String::new()
        };
        out::to_stderr(&format!(
            "fixed {fixes} problem(s) in {} file(s){conflicts}",
            files.len()
        ));
    }
    let t = std::time::Instant::now();
    let metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
    let write = |w: &mut dyn std::io::Write| {
        output::write(args.format, &report, &metas, colour, args.no_suppressed, w)
    };
    let written = match &args.output {
        Some(path) => out::write_output_with(path, write),
        None => out::to_stdout_with(write),
    };
    if let Err(e) = written {
        let target = args
            .output
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        out::to_stderr(&format!("error: cannot write the report to {target}: {e}"));
        return ExitCode::from(EXIT_ERROR);
    }
    // human and SARIF output carry the run notes; the other formats have no place for them
    if !matches!(args.format, Format::Human | Format::Sarif) {
        for n in &report.notes {
            out::to_stderr(&format!("note: {}", n.message));
        }
    }
    if args.timings {
        let tm = &report.timings;
        for (phase, d) in [
            ("discover", tm.discover),
            ("parse", tm.parse),
            ("model", tm.model),
            ("flow", tm.flow),
            ("rules", tm.rules),
            ("emit", t.elapsed()),
        ] {
            out::to_stderr(&format!("dpia-lint timing: {phase} {} ms", d.as_millis()));
        }
    }
    let errors = report.findings.iter().any(|f| f.is_new_error());
    if opts.exit_after {
        // the process exits now: the OS takes the report back at once (`Options::exit_after`)
        std::mem::forget(report);
    }
    ExitCode::from(if errors { EXIT_FINDINGS } else { EXIT_OK })
}

/// Why the `--dpia` file the user named cannot be the manifest, if it cannot: it is
/// missing, or it is not a regular file.
fn dpia_problem(p: &Path) -> Option<String> {
    let what = match std::fs::metadata(p) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
        Err(e) => format!("cannot read it: {e}"),
        Ok(m) if m.is_dir() => "it is a directory, not a file".to_string(),
        Ok(m) if !m.is_file() => "not a regular file (a FIFO, a device, a socket)".to_string(),
        Ok(_) => return None,
    };
    Some(format!(
        "error: `--dpia {}`: {what}\n\n\
         help: give the path of the DPIA manifest (relative to the current directory), or leave \
         `--dpia` out to use the `dpia.toml` next to Cargo.toml",
        p.display()
    ))
}

/// `cargo dpia-lint baseline [--check]`.
fn baseline(args: &BaselineArgs) -> ExitCode {
    let opts = Options {
        path: args.path.clone(),
        manifest_path: args.manifest_path.clone(),
        dpia: args.dpia.clone(),
        include_tests: args.include_tests,
        baseline: BaselineChoice::Ignore,
        ..Options::default()
    };
    let stderr_colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = match dpia_lint_engine::lint(&opts, dpia_lint_rules::all()) {
        Ok(r) => r,
        Err(e) => {
            report_run_error(&e, stderr_colour, args.dpia.as_deref());
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let now = Baseline::of(&report.findings, &report.db);
    let path = args.output.clone().unwrap_or(report.baseline_file.clone());
    let shown = crate::output::display_path(&path);
    if args.check {
        let committed = match std::fs::read_to_string(&path) {
            Ok(text) => match Baseline::parse(&text) {
                Ok(b) => b,
                Err(e) => {
                    out::to_stderr(&format!("error: cannot use the baseline `{shown}`: {e}"));
                    return ExitCode::from(EXIT_ERROR);
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Baseline::default(),
            Err(e) => {
                out::to_stderr(&format!("error: cannot read the baseline `{shown}`: {e}"));
                return ExitCode::from(EXIT_ERROR);
            }
        };
        let grown = committed.growth(&now);
        let fixed = now.growth(&committed);
        let mut out = String::new();
        if grown.is_empty() {
            out.push_str(&format!("the baseline `{shown}` would not grow"));
            if !fixed.is_empty() {
                let n: u32 = fixed.iter().map(|e| e.count).sum();
                out.push_str(&format!(
                    "; {n} of its findings are fixed: run `cargo dpia-lint baseline` to drop them"
                ));
            }
            out.push('\n');
            return print(out).err().unwrap_or(ExitCode::from(EXIT_OK));
        }
        let n: u32 = grown.iter().map(|e| e.count).sum();
        out.push_str(&format!(
            "error: {n} finding(s) not in the baseline `{shown}`:\n"
        ));
        for e in &grown {
            let item = if e.item.is_empty() { "" } else { " in " };
            out.push_str(&format!(
                "  {} {}{item}{} ({}): {}\n",
                e.rule, e.file, e.item, e.count, e.message
            ));
        }
        out.push_str(
            "\nhelp: fix them, or accept them with `cargo dpia-lint baseline` and commit the file\n",
        );
        return print(out).err().unwrap_or(ExitCode::from(EXIT_FINDINGS));
    }
    if let Err(e) = out::write_output(&path, now.to_json().as_bytes()) {
        out::to_stderr(&format!("error: cannot write `{shown}`: {e}"));
        return ExitCode::from(EXIT_ERROR);
    }
    let n: u32 = now.findings.iter().map(|e| e.count).sum();
    print(format!(
        "wrote {shown}: {n} finding(s) under {} fingerprint(s)\n",
        now.findings.len()
    ))
    .err()
    .unwrap_or(ExitCode::from(EXIT_OK))
}

/// Lints for `lock` and `report`: tests not included, no baseline, no lock.
fn survey_report(args: &SurveyArgs) -> Result<dpia_lint_engine::Report, ExitCode> {
    let opts = Options {
        path: args.path.clone(),
        manifest_path: args.manifest_path.clone(),
        dpia: args.dpia.clone(),
        baseline: BaselineChoice::Ignore,
        ..Options::default()
    };
    let stderr_colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    dpia_lint_engine::lint(&opts, dpia_lint_rules::all()).map_err(|e| {
        report_run_error(&e, stderr_colour, args.dpia.as_deref());
        ExitCode::from(EXIT_ERROR)
    })
}

/// `cargo dpia-lint lock`.
fn lock(args: &SurveyArgs) -> ExitCode {
    let report = match survey_report(args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let lock = dpia_lint_engine::lock::Lock::of(&report.inventory);
    let shown = crate::output::display_path(&report.lock_file);
    if let Err(e) = out::write_output(&report.lock_file, lock.to_toml().as_bytes()) {
        out::to_stderr(&format!("error: cannot write `{shown}`: {e}"));
        return ExitCode::from(EXIT_ERROR);
    }
    let inv = &report.inventory;
    print(
        output::text::sanitise(&format!(
            "wrote {shown}: {} fact(s) of {} purpose(s), under the DPIA version {} reviewed {}\n",
            inv.facts.len(),
            inv.purposes.len(),
            inv.dpia_version.as_deref().unwrap_or("(none)"),
            inv.reviewed.as_deref().unwrap_or("(none)"),
        ))
        .into_owned(),
    )
    .err()
    .unwrap_or(ExitCode::from(EXIT_OK))
}

/// `cargo dpia-lint report`.
fn report(args: &SurveyArgs, format: ReportFormat, output: Option<&Path>) -> ExitCode {
    let report = match survey_report(args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let metas: Vec<_> = dpia_lint_rules::metas().collect();
    let text = crate::report::render(&report, &metas, format);
    let written = match output {
        Some(path) => out::write_output(path, text.as_bytes()),
        None => out::to_stdout(text.as_bytes()),
    };
    if let Err(e) = written {
        let target = output
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        out::to_stderr(&format!("error: cannot write the report to {target}: {e}"));
        return ExitCode::from(EXIT_ERROR);
    }
    ExitCode::from(EXIT_OK)
}

fn report_run_error(e: &RunError, colour: bool, dpia: Option<&Path>) {
    let problem = match e {
        RunError::ManifestMissing { .. } | RunError::Refused { .. } => dpia.and_then(dpia_problem),
        _ => None,
    };
    output::human::render_run_error(e, colour, problem.as_deref(), &mut std::io::stderr().lock());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_subcommand_argument_is_dropped() {
        let a = normalise_args(vec![
            "cargo-dpia-lint".into(),
            "dpia-lint".into(),
            "x".into(),
        ]);
        assert_eq!(
            a,
            vec![OsString::from("cargo-dpia-lint"), OsString::from("x")]
        );
        let b = normalise_args(vec!["cargo-dpia-lint".into(), "x".into()]);
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn level_flags_keep_their_order() {
        let m = Cli::command()
            .try_get_matches_from([
                "cargo-dpia-lint",
                "-D",
                "function-creep",
                "-A",
                "DPIA203",
                "-W",
                "function_creep",
            ])
            .unwrap();
        let o = level_overrides(&m);
        assert_eq!(
            o,
            vec![
                ("function-creep".to_string(), Level::Deny),
                ("DPIA203".to_string(), Level::Allow),
                ("function_creep".to_string(), Level::Warn),
            ]
        );
    }

    #[test]
    fn subcommands_and_path_parse() {
        let c = Cli::try_parse_from(["cargo-dpia-lint", "explain", "DPIA102"]).unwrap();
        assert!(matches!(c.command, Some(Command::Explain { .. })));
        let c =
            Cli::try_parse_from(["cargo-dpia-lint", "examples/x", "--format", "sarif"]).unwrap();
        assert!(c.command.is_none());
        assert_eq!(c.lint.format, Format::Sarif);
        assert_eq!(c.lint.path, PathBuf::from("examples/x"));
    }

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
