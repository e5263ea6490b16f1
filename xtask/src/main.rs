//! `cargo run -p xtask -- <command>`: project automation.
//!
//! - `eval-discovery [DIR]`: recall and precision of the DPIA201 heuristics on a labelled
//!   corpus (default: `xtask/corpus/discovery`).

use std::process::ExitCode;

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
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- eval-discovery [DIR]");
            ExitCode::from(2)
        }
    }
}
