//! `cargo-dpia-lint`: works as `cargo dpia-lint …` and called directly.

fn main() -> std::process::ExitCode {
    cargo_dpia_lint::cli::main_with_args(std::env::args_os().collect())
}
