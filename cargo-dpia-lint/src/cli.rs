//! The command line (DESIGN §8, contract): arguments, subcommands, exit codes.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use dpia_lint_engine::{Level, Options, RunError};

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

dpia-lint reads the code; it never builds or runs it (only `cargo metadata --no-deps`).";

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
    /// List the model pack: the sinks, sanitisers, passthroughs and sources of third-party
    /// crates (DESIGN §10.2; add your own in dpia.toml `[[models]]`)
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics
    Human,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// rustc diagnostic JSON, one per line (editors, rust-analyzer)
    Json,
    /// GitHub Actions workflow commands
    Github,
    /// GitLab Code Quality JSON
    Gitlab,
}

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
        Some(meta) => {
            println!("{}", dpia_lint_rules::explain(meta));
            ExitCode::from(EXIT_OK)
        }
        None => {
            let names: Vec<&str> = dpia_lint_rules::metas().map(|m| m.name).collect();
            let hint = strsim_best(rule, &names)
                .map(|s| format!("\n\nhelp: did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!(
                "error: unknown rule `{rule}`{hint}\n\n`cargo dpia-lint rules` lists every rule"
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn strsim_best<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase().replace('_', "-");
    names
        .iter()
        .map(|n| (strsim::jaro_winkler(&word, n), *n))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

fn models(format: CatalogueFormat) -> ExitCode {
    match format {
        CatalogueFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&dpia_lint_engine::models::json()).unwrap_or_default()
        ),
        CatalogueFormat::Human => {
            for e in dpia_lint_engine::models::builtin() {
                let to = e
                    .recipient
                    .as_deref()
                    .or(e.category.as_deref())
                    .unwrap_or("");
                println!(
                    "{:<18} {:<11} {:<8} {:<58} {to}",
                    e.origin,
                    e.kind.as_str(),
                    e.target.key(),
                    e.target.path().join("::"),
                );
            }
        }
    }
    ExitCode::from(EXIT_OK)
}

fn rules(format: CatalogueFormat) -> ExitCode {
    match format {
        CatalogueFormat::Json => {
            let json = dpia_lint_rules::catalogue_json();
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        CatalogueFormat::Human => {
            for m in dpia_lint_rules::metas() {
                let note = if m.implemented {
                    ""
                } else {
                    "  (not implemented yet)"
                };
                println!(
                    "{}  {:<34} {:<5} {}{note}",
                    m.code,
                    m.name,
                    m.default_level.as_str(),
                    m.summary
                );
            }
        }
    }
    ExitCode::from(EXIT_OK)
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
            report_run_error(&e, false);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if let Some(existing) = &survey.existing {
        eprintln!(
            "error: `{}` already exists; `init` never overwrites a manifest\n  = help: edit it, or move it away and run `cargo dpia-lint init` again",
            existing.display()
        );
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
        eprintln!(
            "error: cannot write `{}`: {e}",
            survey.manifest_path.display()
        );
        return ExitCode::from(EXIT_ERROR);
    }
    println!("wrote {}", survey.manifest_path.display());
    if tags.is_empty() {
        println!("no field looks like personal data; tag the data models as you go");
    } else {
        println!("\nsuggested tags ({}):", tags.len());
        for t in &tags {
            println!("  {t}");
        }
    }
    println!("\nnext: complete the TODOs with the DPO, then run `cargo dpia-lint`");
    ExitCode::from(EXIT_OK)
}

fn lint(args: &LintArgs, overrides: Vec<(String, Level)>) -> ExitCode {
    let opts = Options {
        path: args.path.clone(),
        manifest_path: args.manifest_path.clone(),
        dpia: args.dpia.clone(),
        root: None,
        include_tests: args.include_tests,
        overrides,
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
    let report = match dpia_lint_engine::lint(&opts, rules) {
        Ok(r) => r,
        Err(e) => {
            report_run_error(&e, stderr_colour);
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let t = std::time::Instant::now();
    let metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
    let rendered = output::render(args.format, &report, &metas, colour, args.no_suppressed);
    let written = match &args.output {
        Some(path) => write_atomically(path, &rendered),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&rendered).and_then(|_| out.flush())
        }
    };
    if let Err(e) = written {
        let target = args
            .output
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        eprintln!("error: cannot write the report to {target}: {e}");
        return ExitCode::from(EXIT_ERROR);
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
            eprintln!("dpia-lint timing: {phase} {} ms", d.as_millis());
        }
    }
    let errors = report
        .findings
        .iter()
        .any(|f| f.level == Level::Deny && f.suppression.is_none());
    ExitCode::from(if errors { EXIT_FINDINGS } else { EXIT_OK })
}

fn report_run_error(e: &RunError, colour: bool) {
    let mut err = std::io::stderr().lock();
    match e {
        RunError::ManifestInvalid { db, file, errors } => {
            output::human::render_manifest_errors(db, *file, errors, colour, &mut err);
        }
        RunError::ManifestMissing { searched } => {
            let list: Vec<String> = searched
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect();
            let _ = writeln!(
                err,
                "error: no DPIA manifest found (looked for {})\n\n\
                 help: create `dpia.toml` next to Cargo.toml (the DPIA in machine-readable form: \
                 categories, purposes, recipients; see docs/manifest.md), or point at one with `--dpia FILE`; \
                 `cargo dpia-lint init` writes a starter from the fields that look like personal data",
                list.join(", ")
            );
        }
        e => {
            let _ = writeln!(err, "error: {e}");
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: an
/// interrupted run never leaves a truncated report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.sarif");
        std::fs::write(&p, "old").unwrap();
        write_atomically(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
