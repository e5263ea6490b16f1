//! End-to-end test harness: lints a fixture crate in-process and renders it the way the
//! CLI does, and reads the `//~ CODE` markers (`#~ CODE` in TOML) that say which lines
//! must fire.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cargo_dpia_lint::cli::Format;
use dpia_lint_engine::{Level, Options, Report, RuleMeta};

/// `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture crate, sorted by name.
pub fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("dpia.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

pub fn metas() -> Vec<&'static RuleMeta> {
    dpia_lint_rules::all().iter().map(|r| r.meta()).collect()
}

/// Lints `dir` with paths relative to it, every rule on.
pub fn lint(dir: &Path, include_tests: bool) -> Report {
    run(Options {
        path: dir.to_path_buf(),
        root: Some(dir.to_path_buf()),
        include_tests,
        // a crate that ships its `dpia.lock` is linted `--locked` (DPIA601)
        locked: dir.join("dpia.lock").is_file(),
        ..Options::default()
    })
}

/// Lints `dir` with paths relative to it, reporting only `rules` (and DPIA001, DPIA002).
pub fn lint_only(dir: &Path, rules: &[String]) -> Report {
    run(Options {
        path: dir.to_path_buf(),
        root: Some(dir.to_path_buf()),
        only: rules.to_vec(),
        // a crate that ships its `dpia.lock` is linted `--locked` (DPIA601)
        locked: dir.join("dpia.lock").is_file(),
        ..Options::default()
    })
}

/// The rules a fixture crate tests: the one its directory is named after
/// (`function_creep`, or `<rule_name>_<variant>` such as `sensitive_without_condition_uk_gdpr`)
/// and every code its `//~`/`#~` markers name (a fixture may show how its rule meets
/// another, e.g. an expired waiver whose finding comes back), and the rules whose findings
/// its `allow` tags and waivers suppress (what a suppression fixture is about). Its other
/// rules are off, so a new rule never edits another rule's fixture.
pub fn fixture_rules(dir: &Path) -> Vec<String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut rules: Vec<String> = metas()
        .into_iter()
        .map(|m| m.name.replace('-', "_"))
        .filter(|r| name == *r || name.starts_with(&format!("{r}_")))
        .max_by_key(|r| r.len())
        .into_iter()
        .collect();
    let mut files = Vec::new();
    source_files(dir, &mut files);
    for text in files.iter().filter_map(|p| std::fs::read_to_string(p).ok()) {
        rules.extend(text.lines().flat_map(marker_codes));
    }
    let full = lint(dir, false);
    rules.extend(
        full.findings
            .iter()
            .filter(|f| f.suppression.is_some())
            .map(|f| f.code.to_string()),
    );
    rules.sort();
    rules.dedup();
    rules
}

/// `dpia.toml` and the `.rs` files under `dir`.
fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            || path.file_name().is_some_and(|n| n == "dpia.toml")
        {
            out.push(path);
        }
    }
}

/// The codes of the marker on `line`, if any.
fn marker_codes(line: &str) -> Vec<String> {
    let rest = line
        .split_once("//~")
        .or_else(|| line.split_once("#~"))
        .map(|(_, r)| r);
    rest.into_iter()
        .flat_map(|r| r.split_whitespace().take_while(|w| w.starts_with("DPIA")))
        .map(str::to_string)
        .collect()
}

fn run(opts: Options) -> Report {
    let dir = opts.path.clone();
    dpia_lint_engine::lint(&opts, dpia_lint_rules::all())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// Renders a report as the CLI does (no colour).
pub fn render(report: &Report, format: Format, no_suppressed: bool) -> String {
    let bytes = cargo_dpia_lint::output::render(format, report, &metas(), false, no_suppressed);
    String::from_utf8(bytes).expect("UTF-8 output")
}

/// `(file, line, code)` → how many times.
pub type Marks = BTreeMap<(String, usize, String), usize>;

/// The markers in every file of the report: `//~ DPIA101` (Rust) or `#~ DPIA402` (TOML) on
/// the line where a finding's primary span starts; several codes may follow one marker.
pub fn expected(report: &Report) -> Marks {
    let mut marks = Marks::new();
    for (_, file) in report.db.files() {
        for (i, line) in file.text.lines().enumerate() {
            for code in marker_codes(line) {
                *marks
                    .entry((file.rel_path.clone(), i + 1, code))
                    .or_default() += 1;
            }
        }
    }
    marks
}

/// The unsuppressed findings of the report, as markers.
pub fn found(report: &Report) -> Marks {
    let mut marks = Marks::new();
    for f in report
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && f.level != Level::Allow)
    {
        let file = report.db.get(f.primary.span.file);
        let (line, _) = file.line_col(f.primary.span.start as usize);
        *marks
            .entry((file.rel_path.clone(), line, f.code.to_string()))
            .or_default() += 1;
    }
    marks
}

/// A readable diff of two marker sets, or `None` when they agree.
pub fn marker_diff(expected: &Marks, found: &Marks) -> Option<String> {
    let mut out = String::new();
    for (k, n) in expected {
        let m = found.get(k).copied().unwrap_or(0);
        if m != *n {
            out.push_str(&format!(
                "  {}:{}: expected {n} {}, found {m}\n",
                k.0, k.1, k.2
            ));
        }
    }
    for (k, m) in found {
        if !expected.contains_key(k) {
            out.push_str(&format!("  {}:{}: unexpected {} ({m}x)\n", k.0, k.1, k.2));
        }
    }
    (!out.is_empty()).then_some(out)
}
