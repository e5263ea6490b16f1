//! `bench`: a deterministic synthetic workspace (tagged types, call chains across modules,
//! sinks, untagged look-alikes) or any directory, linted in-process with every rule; reports
//! throughput, phase times and peak memory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dpia_lint_engine::{lint, Options};

const MANIFEST: &str = r#"[dpia]
title = "Synthetic benchmark"
regime = "dpa2018-part3"

[categories.vrm]
kind = "vehicle-registration"
retention = "1d"

[categories.anpr-read]
retention = "1d"

[categories.location]
kind = "location"
retention = "1d"

[purposes.county-lines-detection]
basis = "part3.task"
categories = ["vrm", "anpr-read"]
recipients = ["local-police-export", "audit-log"]

[recipients.local-police-export]
kind = "export"
region = "uk"

[recipients.audit-log]
kind = "audit"
region = "uk"

[logging]
operations = ["consult"]
"#;

/// Writes a synthetic crate of `files` modules into `dir`.
pub fn generate(dir: &Path, files: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"synthetic\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )?;
    std::fs::write(dir.join("dpia.toml"), MANIFEST)?;
    let mut lib = String::from(
        "//! Synthetic crate for `cargo run -p xtask -- bench`.\nuse dpia::{audit_log, erases, sink};\n\n",
    );
    for i in 0..files {
        let _ = writeln!(lib, "pub mod m{i:05};");
    }
    lib.push_str(
        r#"
#[audit_log]
pub fn record(op: &str, who: u32) {
    let _ = (op, who);
}

#[sink(recipient = "local-police-export")]
pub fn export(rows: &[String]) {
    for r in rows {
        println!("{r}");
    }
}

#[erases(categories = ["vrm", "anpr-read", "location"], schedule = "daily")]
pub fn purge() {}
"#,
    );
    std::fs::write(dir.join("src/lib.rs"), lib)?;
    for i in 0..files {
        let prev = if i == 0 { files - 1 } else { i - 1 };
        let mut s = String::new();
        let _ = write!(
            s,
            r#"//! Module {i}: a tagged read type, an untagged look-alike, a call chain into module {prev}.
use dpia::{{personal_data, processing}};
use std::collections::BTreeMap;
use tracing::info;

#[personal_data(category = "anpr-read")]
#[derive(Clone, Debug)]
pub struct Read{i} {{
    #[dpia(category = "vrm")]
    pub vrm: String,
    #[dpia(category = "location")]
    pub lat: f64,
    #[dpia(not_personal)]
    pub camera: u32,
    pub seen_at: u64,
}}

/// Untagged, with fields that look personal.
#[derive(Debug)]
pub struct Contact{i} {{
    pub id: u64,
    pub email: String,
    pub phone_number: String,
    pub confirmed: bool,
}}

#[processing(purpose = "county-lines-detection", operations = ["consult"])]
pub fn analyse(reads: &[Read{i}], who: u32) -> usize {{
    crate::record("consult", who);
    let mut by_camera: BTreeMap<u32, Vec<&Read{i}>> = BTreeMap::new();
    for r in reads {{
        by_camera.entry(r.camera).or_default().push(r);
    }}
    let plates: Vec<String> = reads.iter().map(|r| r.vrm.clone()).collect();
    info!("{{}} cameras, {{}} plates", by_camera.len(), plates.len());
    if let Some(first) = plates.first() {{
        info!("first plate {{first}}");
    }}
    crate::export(&plates);
    helper(reads) + crate::m{prev:05}::score(plates.len())
}}

fn helper(reads: &[Read{i}]) -> usize {{
    reads
        .iter()
        .filter(|r| r.seen_at > 1_000)
        .map(|r| r.vrm.len() + r.camera as usize)
        .sum()
}}

pub fn score(n: usize) -> usize {{
    let mut total = 0;
    for k in 0..n {{
        total += (k * 31 + {i}) % 7;
    }}
    total
}}

pub fn welcome(c: &Contact{i}) {{
    if c.confirmed {{
        info!("welcome {{}}", c.id);
    }}
    let summary = format!("{{}} <{{}}>", c.id, c.phone_number.len());
    info!("{{summary}}");
    info!("contact {{}}", c.email);
}}
"#
        );
        std::fs::write(dir.join(format!("src/m{i:05}.rs")), s)?;
    }
    Ok(())
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Lints `dir` with every rule (with `dpia` as the manifest when given) and reports.
pub fn run(dir: &Path, dpia: Option<PathBuf>) -> Result<String, String> {
    let opts = Options {
        path: dir.to_path_buf(),
        dpia,
        root: Some(dir.to_path_buf()),
        ..Options::default()
    };
    let t = Instant::now();
    let report = lint(&opts, dpia_lint_rules::all()).map_err(|e| e.to_string())?;
    let wall = t.elapsed();
    let (mut bytes, mut lines) = (0usize, 0usize);
    for (_, f) in report.db.files() {
        bytes += f.text.len();
        lines += f.text.lines().count();
    }
    let secs = wall.as_secs_f64().max(1e-9);
    let tm = &report.timings;
    let parse = tm.parse.as_secs_f64().max(1e-9);
    let mut out = String::new();
    let _ = writeln!(out, "files     {}", report.files_analysed);
    let _ = writeln!(
        out,
        "size      {:.1} MB, {} lines",
        bytes as f64 / 1e6,
        lines
    );
    let _ = writeln!(out, "threads   {}", rayon_threads());
    let _ = writeln!(out, "findings  {}", report.findings.len());
    for (name, d) in [
        ("discover", tm.discover),
        ("parse", tm.parse),
        ("model", tm.model),
        ("flow", tm.flow),
        ("rules", tm.rules),
    ] {
        let _ = writeln!(out, "{name:<9} {:>8.0} ms", d.as_secs_f64() * 1e3);
    }
    let _ = writeln!(
        out,
        "total     {:>8.0} ms ({:.2} x parse)",
        secs * 1e3,
        secs / parse
    );
    let _ = writeln!(
        out,
        "speed     {:.1} MB/s, {:.0} lines/s",
        bytes as f64 / 1e6 / secs,
        lines as f64 / secs
    );
    if let Some(kib) = peak_rss_kib() {
        let _ = writeln!(out, "peak RSS  {:.0} MB", kib as f64 / 1024.0);
    }
    Ok(out)
}

fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_crate_lints_with_the_expected_findings() {
        let dir = std::env::temp_dir().join(format!("dpia-bench-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        generate(&dir, 3).unwrap();
        let opts = Options {
            path: dir.clone(),
            root: Some(dir.clone()),
            ..Options::default()
        };
        let report = lint(&opts, dpia_lint_rules::all()).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        // every module reads `lat` (location) under a purpose without it, logs, and has
        // untagged look-alikes
        assert_eq!(
            codes,
            ["DPIA102", "DPIA201", "DPIA302", "DPIA303"],
            "{codes:?}"
        );
    }
}
