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

/// Lints `dir` with paths relative to it.
pub fn lint(dir: &Path, include_tests: bool) -> Report {
    let opts = Options {
        path: dir.to_path_buf(),
        root: Some(dir.to_path_buf()),
        include_tests,
        // a crate that ships its `dpia.lock` is linted `--locked` (DPIA601)
        locked: dir.join("dpia.lock").is_file(),
        ..Options::default()
    };
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
            let rest = line
                .split_once("//~")
                .or_else(|| line.split_once("#~"))
                .map(|(_, r)| r);
            let Some(rest) = rest else { continue };
            for code in rest
                .split_whitespace()
                .take_while(|w| w.starts_with("DPIA"))
            {
                *marks
                    .entry((file.rel_path.clone(), i + 1, code.to_string()))
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
