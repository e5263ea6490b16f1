//! `cargo run -p xtask -- <command>`: project automation.
//!
//! - `eval-discovery [DIR]`: recall and precision of the DPIA201 heuristics on a labelled
//!   corpus (default: `xtask/corpus/discovery`), then, with no DIR and when
//!   `../shared/corpus` (or `DPIA_CORPUS`) is there, definitions found and decoys hit on
//!   its real apps.
//! - `bench [--files N] [--keep DIR]`: generates a synthetic crate of N modules (default
//!   2000) and lints it; `bench --dir PATH [--dpia FILE]` lints any directory (e.g. every
//!   crate of `~/.cargo/registry/src`). Reports MB/s, lines/s, phase times, peak memory.
//!   Build with `--release`.
//! - `registry-smoke [--corpus DIR] [--skip-fetch]`: fetches the crates.io dependencies of
//!   every corpus app and lints them all; fails on an internal error (see `smoke`).
//! - `new-rule <group> <name> [--code DPIAnnn] [--level deny|warn]`: scaffolds a rule (its
//!   file, its catalogue row, its fixture; see `new_rule`).

use std::process::ExitCode;

/// The allocator of `cargo-dpia-lint`, so that `bench` measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("eval-discovery") => {
            let dir = args
                .get(1)
                .map(std::path::PathBuf::from)
                .unwrap_or_else(xtask::discovery::corpus_dir);
            match xtask::discovery::evaluate(&dir) {
                Ok(eval) => {
                    print!("{}", eval.report());
                    // the real apps too, when the corpus is there (and no DIR was given)
                    if args.get(1).is_none() {
                        if let Some(real) = xtask::discovery::real_corpus_dir() {
                            match xtask::discovery::evaluate_real(&real) {
                                Ok(scores) => print!("{}", xtask::discovery::real_report(&scores)),
                                Err(e) => eprintln!("error: {}: {e}", real.display()),
                            }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some("bench") => bench(&args[1..]),
        Some("new-rule") => {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            match xtask::new_rule::Request::parse(&args[1..])
                .and_then(|r| xtask::new_rule::run(&root, &r))
            {
                Ok(said) => {
                    print!("{said}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Some("registry-smoke") => {
            let corpus = args
                .iter()
                .position(|a| a == "--corpus")
                .and_then(|i| args.get(i + 1))
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
                });
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
                });
            let fetch = !args.iter().any(|a| a == "--skip-fetch");
            match xtask::smoke::run(&corpus, &target, fetch) {
                Ok(report) => {
                    print!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!(
                "usage: cargo run -p xtask -- eval-discovery [DIR]\n       cargo run -p xtask -- new-rule <group> <name> [--code DPIAnnn] [--level deny|warn]\n       cargo run --release -p xtask -- registry-smoke [--corpus DIR] [--skip-fetch]\n       cargo run --release -p xtask -- bench [--files N] [--keep DIR] | --dir PATH [--dpia FILE]"
            );
            ExitCode::from(2)
        }
    }
}

fn bench(args: &[String]) -> ExitCode {
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let result = if let Some(dir) = value("--dir") {
        let dpia = value("--dpia").map(std::path::PathBuf::from).or_else(|| {
            let own = std::path::Path::new(&dir).join("dpia.toml");
            if own.is_file() {
                return None;
            }
            // a directory without a DPIA: lint it against an empty one
            let tmp = std::env::temp_dir().join(format!("dpia-bench-{}.toml", std::process::id()));
            std::fs::write(&tmp, "[dpia]\nregime = \"uk-gdpr\"\n").ok()?;
            Some(tmp)
        });
        println!("bench: {dir}");
        xtask::bench::run(std::path::Path::new(&dir), dpia)
    } else {
        let files: usize = value("--files")
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000);
        let keep = value("--keep");
        let dir = keep
            .clone()
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::env::temp_dir().join(format!("dpia-bench-{}", std::process::id()))
            });
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = xtask::bench::generate(&dir, files) {
            eprintln!("error: cannot write the synthetic crate: {e}");
            return ExitCode::from(2);
        }
        println!("bench: synthetic crate, {files} modules");
        let r = xtask::bench::run(&dir, None);
        if keep.is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        r
    };
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
