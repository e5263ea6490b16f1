//! `cargo-dpia-lint`: works as `cargo dpia-lint …` and called directly.

/// Parsing and the analysis allocate millions of small objects across threads; mimalloc
/// does that faster than the system allocator (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cargo_dpia_lint::cli::main_with_args(std::env::args_os().collect())
}
